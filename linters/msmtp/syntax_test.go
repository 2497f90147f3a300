package msmtp

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// corpusDir holds real msmtp files from public dotfiles (../shared/corpus).
const corpusDir = "../../../shared/corpus/msmtp"

func corpusFiles(t testing.TB) []string {
	files, _ := filepath.Glob(filepath.Join(corpusDir, "*"))
	if len(files) == 0 {
		if os.Getenv("MAILLINT_REQUIRE_ORACLES") == "1" {
			t.Fatalf("no corpus files in %s", corpusDir)
		}
		t.Skipf("corpus %s not present", corpusDir)
	}
	return files
}

func TestRoundTripCorpus(t *testing.T) {
	files := corpusFiles(t)
	for _, p := range files {
		src, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		f := Parse(p, src)
		if got := f.Bytes(); !bytes.Equal(got, src) {
			t.Errorf("%s: round trip differs", filepath.Base(p))
		}
		Resolve(f) // must not panic
	}
	t.Logf("%d msmtp corpus files round-tripped", len(files))
}

func TestSplitLine(t *testing.T) {
	cases := []struct {
		in                           string
		kind                         LineKind
		indent, cmd, sep, arg, trail string
		eol                          string
	}{
		{"host smtp.example.org\n", Command, "", "host", " ", "smtp.example.org", "", "\n"},
		{"  \tport\t\t587  \r\n", Command, "  \t", "port", "\t\t", "587", "  ", "\r\n"},
		{"  # comment  \n", Comment, "  ", "", "", "# comment", "  ", "\n"},
		{"   \n", Blank, "   ", "", "", "", "", "\n"},
		{"tls", Command, "", "tls", "", "", "", ""},
		{"tls   ", Command, "", "tls", "", "", "   ", ""},
		{`from "a"b"@c"`, Command, "", "from", " ", `"a"b"@c"`, "", ""},
	}
	for _, c := range cases {
		f := Parse("x", []byte(c.in))
		if len(f.Lines) != 1 {
			t.Fatalf("%q: %d lines", c.in, len(f.Lines))
		}
		l := f.Lines[0]
		if l.Kind != c.kind || l.Indent != c.indent || l.Cmd != c.cmd || l.Sep != c.sep || l.Arg != c.arg || l.Trail != c.trail || l.EOL != c.eol {
			t.Errorf("%q: got %+v", c.in, l)
		}
		if string(f.Bytes()) != c.in {
			t.Errorf("%q: printed %q", c.in, f.Bytes())
		}
	}
}

func TestValueQuoting(t *testing.T) {
	cases := map[string]string{
		`from "a"b"@c"`:                   `a"b"@c`,
		`user "bob`:                       `"bob`,
		`password "  pass with spaces  "`: "  pass with spaces  ",
		`host smtp.x # comment`:           "smtp.x # comment",
	}
	for in, want := range cases {
		l := Parse("x", []byte(in)).Lines[0]
		if got := l.Value(); got != want {
			t.Errorf("%q: Value = %q, want %q", in, got, want)
		}
	}
	l := Parse("x", []byte("host smtp.x   # comment")).Lines[0]
	if v, s, e := Intended(&l); v != "smtp.x" || s != 5 || e != 11 {
		t.Errorf("Intended = %q %d %d", v, s, e)
	}
}

func TestResolveInheritance(t *testing.T) {
	src := "tls on\n" + // legacy implicit account "default"
		"defaults\nport 100\n" +
		"account a\nhost x\n" +
		"defaults\nport 200\n" +
		"account b : a\nfrom q@r\n"
	c := Resolve(Parse("f", []byte(src)))
	if len(c.Problems) != 0 {
		t.Fatalf("problems: %+v", c.Problems)
	}
	if len(c.Accounts) != 3 {
		t.Fatalf("accounts: %d", len(c.Accounts))
	}
	def, a, b := c.Accounts[0], c.Accounts[1], c.Accounts[2]
	if def.Name != "default" || def.Values["tls"] == nil {
		t.Errorf("implicit account: %+v", def)
	}
	if a.Values["tls"] != nil {
		t.Errorf("tls before defaults must not reach account a")
	}
	// msmtp 1.8.23 prints port = 200 for b: a parent passes on only what
	// its own block set, not what it took from defaults.
	if got := b.Values["port"].Value; got != "200" {
		t.Errorf("b port = %s, want 200", got)
	}
	if got := b.Values["host"].Value; got != "x" {
		t.Errorf("b host = %s, want x", got)
	}
}

func TestResolveProblems(t *testing.T) {
	cases := map[string]string{
		"tls yes\n":                              "syntax",
		"port abc\n":                             "syntax",
		"account a : b\n":                        "syntax",
		"account a\naccount a\n":                 "syntax",
		"Host x\n":                               "unknown-key",
		"tls_startls on\n":                       "unknown-key",
		"host x # comment\n":                     "inline-comment",
		"\xef\xbb\xbfhost x\n":                   "syntax",
		"defaults x\n":                           "syntax",
		"host " + string(make([]byte, 0)) + "\n": "syntax",
	}
	for in, rule := range cases {
		c := Resolve(Parse("f", []byte(in)))
		found := false
		for _, p := range c.Problems {
			if p.Rule == rule {
				found = true
			}
		}
		if !found {
			t.Errorf("%q: no %s problem in %+v", in, rule, c.Problems)
		}
	}
	long := "host " + string(bytes.Repeat([]byte("a"), 600)) + "\n"
	if c := Resolve(Parse("f", []byte(long))); len(c.Problems) == 0 {
		t.Errorf("600-character line not reported")
	}
	clean := "defaults\ntls on\naccount a\nhost smtp.example.org\nport 587\naccount default : a\n"
	if c := Resolve(Parse("f", []byte(clean))); len(c.Problems) != 0 {
		t.Errorf("clean file: %+v", c.Problems)
	}
}
