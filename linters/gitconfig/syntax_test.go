package gitconfig

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// corpusDir holds real git config files from public dotfiles.
const corpusDir = "../../../shared/corpus/gitconfig"

// sampleFiles are the reference samples of formats.md §4.
var sampleFiles = []string{
	"../../../shared/reference/samples/gitconfig-sendemail.sample",
	"../../../shared/reference/samples/gitconfig-extra.sample",
}

func corpusFiles(t testing.TB) []string {
	files, _ := filepath.Glob(filepath.Join(corpusDir, "*"))
	if len(files) == 0 {
		if os.Getenv("MAILLINT_REQUIRE_ORACLES") == "1" {
			t.Fatalf("no corpus files in %s", corpusDir)
		}
		t.Skipf("corpus %s not present", corpusDir)
	}
	for _, s := range sampleFiles {
		if _, err := os.Stat(s); err == nil {
			files = append(files, s)
		}
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
		f, _ := Parse(p, src)
		if got := f.Bytes(); !bytes.Equal(got, src) {
			t.Errorf("%s: round trip differs", filepath.Base(p))
		}
		checkTiling(t, f)
		if _, err := (Format{}).Parse(p, src, 0o600, nil); err != nil {
			t.Errorf("%s: %v", filepath.Base(p), err)
		}
	}
	t.Logf("%d gitconfig corpus files round-tripped", len(files))
}

// checkTiling asserts that the nodes cover the file in order, without gaps.
func checkTiling(t testing.TB, f *File) {
	t.Helper()
	off := 0
	for i, n := range f.Nodes {
		if n.Start != off || n.End < n.Start || n.Text != string(f.Src[n.Start:n.End]) {
			t.Fatalf("node %d [%d,%d) does not continue at %d", i, n.Start, n.End, off)
		}
		if n.Kind == Entry {
			if !(n.Start <= n.KeyStart && n.KeyStart < n.KeyEnd && n.KeyEnd <= n.End) {
				t.Fatalf("node %d: key [%d,%d) outside [%d,%d)", i, n.KeyStart, n.KeyEnd, n.Start, n.End)
			}
			if n.Eq >= 0 && !(n.Eq < n.ValStart || n.Eq+1 == n.ValStart) || n.ValStart > n.ValEnd || n.ValEnd > n.End {
				t.Fatalf("node %d: value [%d,%d) eq %d outside [%d,%d)", i, n.ValStart, n.ValEnd, n.Eq, n.Start, n.End)
			}
			if n.Hdr >= 0 && f.Nodes[n.Hdr].Kind != Header {
				t.Fatalf("node %d: header %d is not a header", i, n.Hdr)
			}
		}
		off = n.End
	}
	if off != len(f.Src) {
		t.Fatalf("nodes end at %d, file at %d", off, len(f.Src))
	}
}

func TestParseEntries(t *testing.T) {
	cases := []struct {
		src, name, value string
		bare, quoted     bool
		valText          string
	}{
		{"[sendemail]\n\tsmtpServer = smtp.example.org   ; comment\n", "sendemail.smtpserver", "smtp.example.org", false, false, "smtp.example.org"},
		{"[SendEmail \"Work\"]\nSMTPSERVER=x\n", "sendemail.Work.smtpserver", "x", false, false, "x"},
		{"[sendemail.Work]\nk = v\n", "sendemail.work.k", "v", false, false, "v"},
		{"[a]\nk\n", "a.k", "", true, false, ""},
		{"[a]\nk = \"p#ss;word\"   # c\n", "a.k", "p#ss;word", false, true, `"p#ss;word"`},
		{"[a]\nk = long.value\\\n.continued\n", "a.k", "long.value.continued", false, false, "long.value\\\n.continued"},
		{"[a]\r\n\tk = a\t\tb  \r\n", "a.k", "a  b", false, false, "a\t\tb"},
		{"[a \"x\\\"y\"] k = v", "a.x\"y.k", "v", false, false, "v"},
		{"[a]\nk =\n", "a.k", "", false, false, ""},
	}
	for _, c := range cases {
		f, probs := Parse("f", []byte(c.src))
		if len(probs) > 0 {
			t.Errorf("%q: problems %+v", c.src, probs)
			continue
		}
		var e *Node
		for i := range f.Nodes {
			if f.Nodes[i].Kind == Entry {
				e = &f.Nodes[i]
			}
		}
		if e == nil {
			t.Errorf("%q: no entry", c.src)
			continue
		}
		if got := f.VarName(e); got != c.name || e.Value != c.value || e.Bare() != c.bare || e.QuotedValue != c.quoted {
			t.Errorf("%q: got %s=%q bare=%v quoted=%v", c.src, got, e.Value, e.Bare(), e.QuotedValue)
		}
		if got := string(f.Src[e.ValStart:e.ValEnd]); got != c.valText {
			t.Errorf("%q: value text %q, want %q", c.src, got, c.valText)
		}
	}
}

func TestParseProblems(t *testing.T) {
	for _, src := range []string{
		"[a]\nk ; c\n", "[ a]\nk=v\n", "[]\n", "[a]\nk=\"v", "[a]\n1k=v\n", "[a]\nk_x=v\n",
		"[a_b]\nk=v\n", "[b \"x\" ]\n", "[a]\nk=\\q\n", "[a \"x\nk=v\n", "[a]\n-k=v\n", "[a]\n\fk\n",
	} {
		f, probs := Parse("f", []byte(src))
		if len(probs) == 0 {
			t.Errorf("%q: no problem", src)
		}
		if !bytes.Equal(f.Bytes(), []byte(src)) {
			t.Errorf("%q: round trip", src)
		}
		checkTiling(t, f)
	}
}

func TestMatch(t *testing.T) {
	yes := []string{"/home/u/.gitconfig", ".gitconfig", "/etc/gitconfig", "dot_gitconfig", "private_dot_gitconfig",
		"/home/u/.config/git/config", "dot_config/git/config", "repo/.git/config", ".gitconfig.local", ".gitconfig-work", "x/.git/config.worktree"}
	no := []string{"/home/u/.msmtprc", "config", "/home/u/.config/msmtp/config", ".gitconfig.m4", "dot_gitconfig.tmpl", "gitconfigs", "x/.gitignore"}
	for _, p := range yes {
		if !(Format{}).Match(p) {
			t.Errorf("Match(%q) = false", p)
		}
	}
	for _, p := range no {
		if (Format{}).Match(p) {
			t.Errorf("Match(%q) = true", p)
		}
	}
}
