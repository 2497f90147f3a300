package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/maillint/maillint/linters"
	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/spf13/afero"
)

// sarifFixture is a folder with findings with safe and unsafe fixes, a
// non-ASCII line, a path that needs %-encoding, an input error and a
// skipped binary file.
func sarifFixture(t *testing.T) string {
	dir := t.TempDir()
	files := map[string]string{
		"home/my dir/msmtprc": "account icloud\nhost imap.mail.me.com\nport 587\ntls on\nauth on\nfrom emily@icloud.com\nuser emily\npasswordeval \"pass show icloud\"\n",
		// The value starts after two-byte characters: byte and code point
		// columns differ.
		"home/ü/.msmtprc":  "account gmail\nhost\tsmtp.gmail.com\nport 587\ntls on\nauth on\nfrom kim@gmail.com\nuser kim\nfrom  ünïcödé@gmail.com\npasswordeval \"pass show gmail\"\n",
		"home/bin/msmtprc": "x\x00y",
	}
	for rel, content := range files {
		p := filepath.Join(dir, filepath.FromSlash(rel))
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func runSARIF(t *testing.T, dir string, args ...string) map[string]any {
	t.Helper()
	var out, errOut bytes.Buffer
	c := &Command{Stdout: &out, Stderr: &errOut, Fs: afero.NewOsFs(), Getenv: func(string) string { return "" }, Wd: dir}
	t.Chdir(dir)
	c.Main(append([]string{"--format", "sarif"}, args...))
	validateSARIF(t, out.Bytes())
	var log map[string]any
	if err := json.Unmarshal(out.Bytes(), &log); err != nil {
		t.Fatal(err)
	}
	return log
}

// validateSARIF checks a log against the SARIF 2.1.0 JSON schema, formats
// (uri, uri-reference) included.
func validateSARIF(t *testing.T, data []byte) {
	t.Helper()
	f, err := os.Open(filepath.Join(repoRootDir, "testdata", "sarif-schema-2.1.0.json"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	schemaDoc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	if err := c.AddResource("sarif-schema-2.1.0.json", schemaDoc); err != nil {
		t.Fatal(err)
	}
	sch, err := c.Compile("sarif-schema-2.1.0.json")
	if err != nil {
		t.Fatal(err)
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("not JSON: %v\n%s", err, data)
	}
	if err := sch.Validate(inst); err != nil {
		t.Fatalf("SARIF output does not validate: %v\n%s", err, data)
	}
}

// repoRootDir is the repository's root; tests chdir into temp folders.
var repoRootDir = func() string {
	wd, _ := os.Getwd()
	return filepath.Join(wd, "..", "..")
}()

// jsonAt navigates a decoded JSON value: "runs.0.tool.driver.name".
func jsonAt(v any, p string) any {
	for _, k := range strings.Split(p, ".") {
		switch x := v.(type) {
		case map[string]any:
			v = x[k]
		case []any:
			i := 0
			for _, c := range k {
				i = i*10 + int(c-'0')
			}
			if i >= len(x) {
				return nil
			}
			v = x[i]
		default:
			return nil
		}
	}
	return v
}

func TestSARIFValidatesAndIsComplete(t *testing.T) {
	dir := sarifFixture(t)
	log := runSARIF(t, dir, "home", "missing/msmtprc")

	if got := jsonAt(log, "runs.0.tool.driver.name"); got != "maillint" {
		t.Errorf("driver name = %v", got)
	}
	rules, _ := jsonAt(log, "runs.0.tool.driver.rules").([]any)
	if len(rules) != len(linters.All()) {
		t.Fatalf("%d rules, want %d", len(rules), len(linters.All()))
	}
	for i, r := range linters.All() {
		for _, k := range []string{"shortDescription.text", "fullDescription.text", "help.text", "defaultConfiguration.level"} {
			if s, _ := jsonAt(rules[i], k).(string); s == "" {
				t.Errorf("rule %s has no %s", r.ID, k)
			}
		}
	}
	results, _ := jsonAt(log, "runs.0.results").([]any)
	if len(results) == 0 {
		t.Fatal("no results")
	}
	fixes, uris := 0, map[string]bool{}
	for _, res := range results {
		id := jsonAt(res, "ruleId").(string)
		idx := int(jsonAt(res, "ruleIndex").(float64))
		if jsonAt(rules[idx], "id") != id {
			t.Errorf("result %s has ruleIndex %d, which is %v", id, idx, jsonAt(rules[idx], "id"))
		}
		uris[jsonAt(res, "locations.0.physicalLocation.artifactLocation.uri").(string)] = true
		if jsonAt(res, "locations.0.physicalLocation.artifactLocation.uriBaseId") != srcRoot {
			t.Errorf("result %s: no %s base", id, srcRoot)
		}
		if jsonAt(res, "fixes") != nil {
			fixes++
			if id == "smtp-user-form" {
				t.Errorf("unsafe fix of %s in SARIF", id)
			}
		}
	}
	for _, want := range []string{"home/my%20dir/msmtprc", "home/%C3%BC/.msmtprc"} {
		if !uris[want] {
			t.Errorf("no result with uri %s; have %v", want, uris)
		}
	}
	if fixes == 0 {
		t.Error("no result carries a fix")
	}
	if got := jsonAt(log, "runs.0.invocations.0.executionSuccessful"); got != false {
		t.Errorf("executionSuccessful = %v with an input error", got)
	}
	notes, _ := jsonAt(log, "runs.0.invocations.0.toolExecutionNotifications").([]any)
	if len(notes) != 2 {
		t.Errorf("want 2 notifications (missing file, skipped binary), got %v", notes)
	}
}

func TestSARIFCleanRun(t *testing.T) {
	dir := t.TempDir()
	log := runSARIF(t, dir, dir)
	if r, ok := jsonAt(log, "runs.0.results").([]any); !ok || len(r) != 0 {
		t.Errorf("results = %#v, want []", jsonAt(log, "runs.0.results"))
	}
}

func TestSARIFFixReplacement(t *testing.T) {
	dir := t.TempDir()
	// "é" before the host makes byte and character offsets differ.
	src := "# é\naccount icloud\nhost imap.mail.me.com\nport 587\ntls on\nauth on\nfrom emily@icloud.com\nuser emily@icloud.com\npasswordeval \"pass show icloud\"\n"
	os.WriteFile(filepath.Join(dir, "msmtprc"), []byte(src), 0o600)
	log := runSARIF(t, dir, "msmtprc")
	rep := jsonAt(log, "runs.0.results.0.fixes.0.artifactChanges.0.replacements.0")
	off := int(jsonAt(rep, "deletedRegion.charOffset").(float64))
	n := int(jsonAt(rep, "deletedRegion.charLength").(float64))
	runes := []rune(src)
	if got := string(runes[off : off+n]); got != "imap.mail.me.com" {
		t.Errorf("deleted region covers %q", got)
	}
	if got := jsonAt(rep, "insertedContent.text"); got != "smtp.mail.me.com" {
		t.Errorf("inserted %v", got)
	}
	if got := jsonAt(log, "runs.0.results.0.locations.0.physicalLocation.region.startColumn"); got != 6.0 {
		t.Errorf("startColumn = %v", got)
	}
}

func TestCodePointCol(t *testing.T) {
	src := []byte("ab\nüx = 1\n")
	sf := &linters.SourceFile{Path: "f", Src: src, Index: linters.NewLineIndex("f", src)}
	for _, tt := range []struct{ line, col, want int }{
		{1, 1, 1}, {1, 3, 3}, {2, 1, 1}, {2, 3, 2}, {2, 4, 3}, {2, 9, 8}, {2, 10, 9},
	} {
		if got := codePointCol(sf, tt.line, tt.col); got != tt.want {
			t.Errorf("codePointCol(%d, %d) = %d, want %d", tt.line, tt.col, got, tt.want)
		}
	}
	if got := codePointCol(nil, 3, 7); got != 7 {
		t.Errorf("without source: %d", got)
	}
}

func TestGitHubEscaping(t *testing.T) {
	if got := ghProperty("a:b,c%d\r\ne"); got != "a%3Ab%2Cc%25d%0D%0Ae" {
		t.Errorf("ghProperty = %q", got)
	}
	if got := ghData("a:b,c%d\r\ne"); got != "a:b,c%25d%0D%0Ae" {
		t.Errorf("ghData = %q", got)
	}
}

func TestURIs(t *testing.T) {
	for in, want := range map[string]string{
		"a/b":         "a/b",
		"my dir/x":    "my%20dir/x",
		"a:b/c":       "a%3Ab/c",
		"100%/x#y?z":  "100%25/x%23y%3Fz",
		"dot_msmtprc": "dot_msmtprc",
		"ü/.msmtprc":  "%C3%BC/.msmtprc",
	} {
		if got := uriPath(in); got != want {
			t.Errorf("uriPath(%q) = %q, want %q", in, got, want)
		}
	}
	if got := fileURI("/home/a b/x"); got != "file:///home/a%20b/x" {
		t.Errorf("fileURI = %q", got)
	}
}
