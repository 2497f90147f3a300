package main

import (
	"bytes"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/spf13/afero"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/ from the current output")

// goldenFormats are the folders under testdata/ that hold golden cases.
var goldenFormats = []string{"msmtp", "mutt", "gitconfig", "thunderbird"}

// mainFile is the file a case checks when it has no "args" file.
var mainFile = map[string]string{"msmtp": "msmtprc", "mutt": "muttrc", "gitconfig": "gitconfig", "thunderbird": "prefs.js"}

// A golden case is a folder testdata/<format>/<case>/ holding input files
// and, next to them, what maillint must make of them:
//
//	findings.golden      what `maillint FILE` prints (stdout, then stderr)
//	diff.golden          what `maillint --diff FILE` prints on stdout
//	NAME.fixed.golden    NAME after `maillint --write FILE`, for each changed file
//	args                 optional: the arguments instead of --type FORMAT MAINFILE
//	mode                 optional: octal permissions for the main file (e.g. 0644)
//
// Cases whose name ends in -unsafe also apply unsafe fixes. After --write a
// second --write must change nothing, and `git apply` of diff.golden must
// give the same bytes as --write. Regenerate with
//
//	go test ./cmd/maillint -run TestGolden -update
func TestGolden(t *testing.T) {
	for _, format := range goldenFormats {
		dirs, _ := filepath.Glob(filepath.Join("..", "..", "testdata", format, "*"))
		for _, dir := range dirs {
			if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
				continue
			}
			t.Run(format+"/"+filepath.Base(dir), func(t *testing.T) { runGolden(t, format, dir) })
		}
	}
}

// caseInputs returns the input files of a case (everything but goldens and
// control files), relative to dir.
func caseInputs(t *testing.T, dir string) []string {
	var out []string
	filepath.Walk(dir, func(p string, fi os.FileInfo, err error) error {
		if err != nil || fi.IsDir() {
			return nil
		}
		rel, _ := filepath.Rel(dir, p)
		if strings.HasSuffix(rel, ".golden") || rel == "args" || rel == "mode" {
			return nil
		}
		out = append(out, rel)
		return nil
	})
	sort.Strings(out)
	return out
}

// stage copies a case's inputs into a fresh folder and enters it.
func stage(t *testing.T, dir string, inputs []string) string {
	tmp := t.TempDir()
	for _, rel := range inputs {
		b, err := os.ReadFile(filepath.Join(dir, rel))
		if err != nil {
			t.Fatal(err)
		}
		dst := filepath.Join(tmp, rel)
		os.MkdirAll(filepath.Dir(dst), 0o755)
		if err := os.WriteFile(dst, b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return tmp
}

func caseArgs(t *testing.T, format, dir string) []string {
	if b, err := os.ReadFile(filepath.Join(dir, "args")); err == nil {
		return strings.Fields(string(b))
	}
	return []string{"--type", format, mainFile[format]}
}

// runIn runs maillint in folder wd and returns the exit code, stdout, stderr.
func runIn(t *testing.T, wd string, args ...string) (int, string, string) {
	t.Helper()
	t.Chdir(wd)
	var stdout, stderr bytes.Buffer
	c := &Command{Stdout: &stdout, Stderr: &stderr, Fs: afero.NewOsFs(), Getenv: func(string) string { return "" }}
	code := c.Main(args)
	return code, stdout.String(), stderr.String()
}

func checkGolden(t *testing.T, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("missing golden %s (run with -update): %v", path, err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs:\n--- got ---\n%s\n--- want ---\n%s", filepath.Base(path), got, want)
	}
}

func runGolden(t *testing.T, format, dir string) {
	dir, _ = filepath.Abs(dir)
	inputs := caseInputs(t, dir)
	args := caseArgs(t, format, dir)
	var extra []string
	if strings.HasSuffix(filepath.Base(dir), "-unsafe") {
		extra = append(extra, "--unsafe-fixes")
	}
	chmod := func(tmp string) {
		if b, err := os.ReadFile(filepath.Join(dir, "mode")); err == nil {
			m, err := strconv.ParseUint(strings.TrimSpace(string(b)), 8, 32)
			if err != nil {
				t.Fatal(err)
			}
			os.Chmod(filepath.Join(tmp, args[len(args)-1]), os.FileMode(m))
		}
	}

	// 1. Findings.
	tmp := stage(t, dir, inputs)
	chmod(tmp)
	code, out, errOut := runIn(t, tmp, args...)
	if code == ExitError {
		t.Errorf("exit 2: %s", errOut)
	}
	checkGolden(t, filepath.Join(dir, "findings.golden"), []byte(out+errOut))

	// 2. --diff prints a patch and writes nothing.
	code, diff, _ := runIn(t, tmp, append(append([]string{"--diff"}, extra...), args...)...)
	for _, rel := range inputs {
		b, _ := os.ReadFile(filepath.Join(tmp, rel))
		orig, _ := os.ReadFile(filepath.Join(dir, rel))
		if !bytes.Equal(b, orig) {
			t.Errorf("--diff changed %s", rel)
		}
	}
	checkGolden(t, filepath.Join(dir, "diff.golden"), []byte(diff))
	if diff != "" && code != ExitFindings {
		t.Errorf("--diff with a patch exited %d, want 1", code)
	}

	// 3. --write changes files exactly as the .fixed goldens say.
	code, _, errOut = runIn(t, tmp, append(append([]string{"--write"}, extra...), args...)...)
	if code == ExitError {
		t.Errorf("--write exit 2: %s", errOut)
	}
	written := map[string][]byte{}
	for _, rel := range inputs {
		b, _ := os.ReadFile(filepath.Join(tmp, rel))
		orig, _ := os.ReadFile(filepath.Join(dir, rel))
		golden := filepath.Join(dir, rel+".fixed.golden")
		if bytes.Equal(b, orig) {
			if _, err := os.Stat(golden); err == nil {
				if *update {
					os.Remove(golden)
				} else {
					t.Errorf("--write left %s unchanged, but %s exists", rel, filepath.Base(golden))
				}
			}
			continue
		}
		written[rel] = b
		checkGolden(t, golden, b)
	}
	if (diff == "") != (len(written) == 0) {
		t.Errorf("--diff printed %d bytes but --write changed %d files", len(diff), len(written))
	}

	// 4. Fixing twice changes nothing the second time.
	_, _, _ = runIn(t, tmp, append(append([]string{"--write"}, extra...), args...)...)
	for rel, b := range written {
		again, _ := os.ReadFile(filepath.Join(tmp, rel))
		if !bytes.Equal(again, b) {
			t.Errorf("second --write changed %s again:\n%s", rel, again)
		}
	}
	if _, d2, _ := runIn(t, tmp, append(append([]string{"--diff"}, extra...), args...)...); d2 != "" {
		t.Errorf("after --write, --diff still proposes:\n%s", d2)
	}

	// 5. git apply of the diff gives the same bytes as --write.
	if diff == "" {
		return
	}
	git, err := exec.LookPath("git")
	if err != nil {
		if os.Getenv("MAILLINT_REQUIRE_ORACLES") == "1" {
			t.Fatal("git is required (MAILLINT_REQUIRE_ORACLES=1)")
		}
		return
	}
	tmp2 := stage(t, dir, inputs)
	cmd := exec.Command(git, "apply", "-p1", "--unsafe-paths", "-")
	cmd.Dir = tmp2
	cmd.Stdin = strings.NewReader(diff)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("git apply: %v\n%s", err, out)
	}
	for rel, b := range written {
		got, _ := os.ReadFile(filepath.Join(tmp2, rel))
		if !bytes.Equal(got, b) {
			t.Errorf("git apply of --diff and --write differ for %s", rel)
		}
	}
}
