package fixers

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// numbered returns n lines "line 1\n" … "line n\n".
func numbered(n int) string {
	var b strings.Builder
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&b, "line %d\n", i)
	}
	return b.String()
}

// replaceLine returns s with its n-th line (1-based) replaced by repl.
func replaceLine(s string, n int, repl string) string {
	lines := strings.SplitAfter(s, "\n")
	lines[n-1] = repl
	return strings.Join(lines, "")
}

// diffCases is the matrix every diff must survive under git apply and patch.
var diffCases = []struct {
	name     string
	old, new string
}{
	{"mid-file change", numbered(9), replaceLine(numbered(9), 5, "five\n")},
	{"change at line 1", numbered(9), replaceLine(numbered(9), 1, "first\n")},
	{"last line changed", numbered(5), replaceLine(numbered(5), 5, "last\n")},
	{"last line changed without final newline", "a\nb\nc", "a\nb\nC"},
	{"last line changed, newline dropped", "a\nb\nc\n", "a\nb\nC"},
	{"final newline added", "a\nb\nc", "a\nb\nc\n"},
	{"final newline removed", "a\nb\nc\n", "a\nb\nc"},
	{"crlf file", "a\r\nb\r\nc\r\nd\r\n", "a\r\nB\r\nc\r\nd\r\ne\r\n"},
	{"crlf to lf on one line", "a\r\nb\r\nc\r\n", "a\r\nb\nc\r\n"},
	{"crlf without final newline", "a\r\nb\r\nc", "a\r\nb\r\nC"},
	{"bom kept", "\ufeffa\nb\n", "\ufeffa\nB\n"},
	{"empty to content", "", "account default\nport 587\n"},
	{"empty to line without newline", "", "x"},
	{"content to empty", "account default\nport 25\n", ""},
	{"line without newline to empty", "x", ""},
	{"two distant hunks", numbered(30), replaceLine(replaceLine(numbered(30), 3, "three\n"), 27, "twenty-seven\n")},
	{"adjacent hunks merged (gap 6)", numbered(20), replaceLine(replaceLine(numbered(20), 5, "five\n"), 12, "twelve\n")},
	{"adjacent hunks split (gap 7)", numbered(20), replaceLine(replaceLine(numbered(20), 5, "five\n"), 13, "thirteen\n")},
	{"insertion at head", numbered(5), "# header\n" + numbered(5)},
	{"append at end", numbered(5), numbered(5) + "extra\n"},
	{"deletion block", numbered(12), strings.Replace(numbered(12), "line 4\nline 5\nline 6\n", "", 1)},
	{"12 lines, only line 11 changes", numbered(12), replaceLine(numbered(12), 11, "LINE 11\n")},
	{"diff-looking content", "--- a\n+++ b\n@@ -1 +1 @@\n\\ x\n", "--- a\n+++ c\n@@ -1 +1 @@\n\\ y\n"},
	{"blank lines and whitespace", "a\n\n\n  \nb\n", "a\n\n \n  \nb\n\n"},
	{"everything replaced", "a\nb\n", "c\nd\ne"},
}

func TestUnifiedGolden(t *testing.T) {
	tests := []struct {
		name, old, new, want string
	}{
		{"equal", "a\nb\n", "a\nb\n", ""},
		{"one line", "a\nb\nc\n", "a\nB\nc\n",
			"--- a/f\n+++ b/f\n@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n"},
		{"no final newline", "a\nb", "a\nc",
			"--- a/f\n+++ b/f\n@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+c\n\\ No newline at end of file\n"},
		{"final newline added", "a\nb", "a\nb\n",
			"--- a/f\n+++ b/f\n@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+b\n"},
		{"crlf", "a\r\nb\r\n", "a\r\nB\r\n",
			"--- a/f\n+++ b/f\n@@ -1,2 +1,2 @@\n a\r\n-b\r\n+B\r\n"},
		{"from empty", "", "x\ny\n",
			"--- a/f\n+++ b/f\n@@ -0,0 +1,2 @@\n+x\n+y\n"},
		{"to empty", "x\n", "",
			"--- a/f\n+++ b/f\n@@ -1,1 +0,0 @@\n-x\n"},
		{"12 lines, line 11", numbered(12), replaceLine(numbered(12), 11, "LINE 11\n"),
			"--- a/f\n+++ b/f\n@@ -8,5 +8,5 @@\n line 8\n line 9\n line 10\n-line 11\n+LINE 11\n line 12\n"},
		{"pure deletion mid-file", numbered(9), strings.Replace(numbered(9), "line 5\n", "", 1),
			"--- a/f\n+++ b/f\n@@ -2,7 +2,6 @@\n line 2\n line 3\n line 4\n-line 5\n line 6\n line 7\n line 8\n"},
		{"two hunks", numbered(20), replaceLine(replaceLine(numbered(20), 2, "two\n"), 19, "nineteen\n"),
			"--- a/f\n+++ b/f\n" +
				"@@ -1,5 +1,5 @@\n line 1\n-line 2\n+two\n line 3\n line 4\n line 5\n" +
				"@@ -16,5 +16,5 @@\n line 16\n line 17\n line 18\n-line 19\n+nineteen\n line 20\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Unified("a/f", "b/f", []byte(tt.old), []byte(tt.new))
			if got != tt.want {
				t.Errorf("got:\n%s\nwant:\n%s", got, tt.want)
			}
		})
	}
}

func TestUnifiedHunkMerging(t *testing.T) {
	for _, tt := range []struct {
		second, hunks int
	}{
		{11, 1}, // 5 unchanged lines between the changes
		{12, 1}, // 6: the contexts touch, one hunk
		{13, 2}, // 7: two hunks
	} {
		d := Unified("a/f", "b/f", []byte(numbered(20)), []byte(replaceLine(replaceLine(numbered(20), 5, "x\n"), tt.second, "y\n")))
		if got := strings.Count(d, "\n@@ "); got != tt.hunks {
			t.Errorf("changes at 5 and %d: %d hunks, want %d:\n%s", tt.second, got, tt.hunks, d)
		}
	}
}

func TestUnifiedMatrixSelfCheck(t *testing.T) {
	for _, tc := range diffCases {
		d := Unified("a/f", "b/f", []byte(tc.old), []byte(tc.new))
		got, err := applyUnified([]byte(tc.old), d)
		if err != nil {
			t.Errorf("%s: %v\n%s", tc.name, err, d)
			continue
		}
		if string(got) != tc.new {
			t.Errorf("%s: applying the diff gives %q, want %q", tc.name, got, tc.new)
		}
	}
}

func TestCoarseDiff(t *testing.T) {
	for _, tc := range diffCases {
		var b strings.Builder
		b.WriteString("--- a/f\n+++ b/f\n")
		writeHunks(&b, coarseDiff(splitLines(tc.old), splitLines(tc.new)))
		got, err := applyUnified([]byte(tc.old), b.String())
		if err != nil {
			t.Errorf("%s: %v\n%s", tc.name, err, b.String())
			continue
		}
		if string(got) != tc.new {
			t.Errorf("%s: coarse diff gives %q, want %q", tc.name, got, tc.new)
		}
	}
}

func TestUnifiedHugeInputUsesCoarseDiff(t *testing.T) {
	if testing.Short() {
		t.Skip("large input")
	}
	old := strings.Repeat("x\n", maxDiffLines)
	mid := len(old) / 2
	new := old[:mid] + "changed\n" + old[mid+2:]
	d := Unified("a/f", "b/f", []byte(old), []byte(new))
	if got := strings.Count(d, "\n@@ "); got != 1 {
		t.Fatalf("%d hunks, want 1", got)
	}
	got, err := applyUnified([]byte(old), d)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != new {
		t.Fatal("applying the diff does not give new")
	}
}

// oracle returns the path of an external program, skipping the test when it
// is missing unless MAILLINT_REQUIRE_ORACLES=1.
func oracle(t *testing.T, name string, versionMust string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err == nil && versionMust != "" {
		out, verr := exec.Command(p, "--version").CombinedOutput()
		if verr != nil || !strings.Contains(string(out), versionMust) {
			err = fmt.Errorf("%s --version does not mention %q", p, versionMust)
		}
	}
	if err != nil {
		if os.Getenv("MAILLINT_REQUIRE_ORACLES") == "1" {
			t.Fatalf("%s required (MAILLINT_REQUIRE_ORACLES=1): %v", name, err)
		}
		t.Skipf("%s not available: %v", name, err)
	}
	return p
}

// runOracle applies diff to a file f holding old in a fresh folder with the
// command built by mkCmd and returns the contents of f afterwards.
func runOracle(t *testing.T, old []byte, diff string, setup func(dir string), mkCmd func(dir, patch string) *exec.Cmd) []byte {
	t.Helper()
	dir := t.TempDir()
	patch := filepath.Join(t.TempDir(), "fix.diff")
	if err := os.WriteFile(patch, []byte(diff), 0o644); err != nil {
		t.Fatal(err)
	}
	if setup != nil {
		setup(dir)
	}
	if err := os.WriteFile(filepath.Join(dir, "f"), old, 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := mkCmd(dir, patch)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GIT_CONFIG_NOSYSTEM=1", "GIT_CONFIG_GLOBAL="+os.DevNull, "HOME="+dir, "LC_ALL=C")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%v: %v\n%s\npatch:\n%s", cmd.Args, err, out, diff)
	}
	got, err := os.ReadFile(filepath.Join(dir, "f"))
	if err != nil {
		t.Fatalf("after %v: %v\npatch:\n%s", cmd.Args, err, diff)
	}
	return got
}

func TestUnifiedGitApply(t *testing.T) {
	git := oracle(t, "git", "git version")
	for _, tc := range diffCases {
		t.Run(tc.name, func(t *testing.T) {
			d := Unified("a/f", "b/f", []byte(tc.old), []byte(tc.new))
			got := runOracle(t, []byte(tc.old), d,
				func(dir string) {
					if out, err := exec.Command(git, "init", "-q", dir).CombinedOutput(); err != nil {
						t.Fatalf("git init: %v\n%s", err, out)
					}
				},
				func(dir, patch string) *exec.Cmd {
					return exec.Command(git, "apply", "--whitespace=nowarn", patch)
				})
			if string(got) != tc.new {
				t.Errorf("git apply gives %q, want %q\npatch:\n%s", got, tc.new, d)
			}
		})
	}
}

func TestUnifiedPatch(t *testing.T) {
	patchBin := oracle(t, "patch", "GNU patch")
	for _, tc := range diffCases {
		t.Run(tc.name, func(t *testing.T) {
			d := Unified("a/f", "b/f", []byte(tc.old), []byte(tc.new))
			got := runOracle(t, []byte(tc.old), d, nil,
				func(dir, patch string) *exec.Cmd {
					return exec.Command(patchBin, "-p1", "--batch", "--no-backup-if-mismatch", "-i", patch)
				})
			if string(got) != tc.new {
				t.Errorf("patch -p1 gives %q, want %q\npatch:\n%s", got, tc.new, d)
			}
		})
	}
}
