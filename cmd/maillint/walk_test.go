package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/maillint/maillint/bench/fleet"
	"github.com/spf13/afero"
)

func genFleet(t *testing.T, hosts int) string {
	t.Helper()
	dir := t.TempDir()
	if err := fleet.Generate(dir, hosts); err != nil {
		t.Fatal(err)
	}
	return dir
}

func runCmd(t *testing.T, c *Command, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	c.Stdout, c.Stderr = &out, &errOut
	if c.Fs == nil {
		c.Fs = afero.NewOsFs()
	}
	if c.Getenv == nil {
		c.Getenv = func(string) string { return "" }
	}
	code := c.Main(args)
	return code, out.String(), errOut.String()
}

// TestWalkDeterministic: the report does not depend on --jobs or timing.
func TestWalkDeterministic(t *testing.T) {
	dir := genFleet(t, 60)
	for _, format := range []string{"text", "json", "sarif", "github"} {
		var first string
		for i, jobs := range []string{"1", "8", "3", "8"} {
			code, out, errOut := runCmd(t, &Command{Wd: dir}, "--format", format, "--jobs", jobs, dir)
			if code != ExitFindings {
				t.Fatalf("exit %d: %s", code, errOut)
			}
			if i == 0 {
				first = out
				continue
			}
			if out != first {
				t.Fatalf("--format %s --jobs %s differs from --jobs 1", format, jobs)
			}
		}
	}
	// Findings come sorted by path, then line.
	_, out, _ := runCmd(t, &Command{Wd: dir}, "--jobs", "8", dir)
	var last string
	for _, l := range strings.Split(out, "\n") {
		if strings.HasPrefix(l, " ") || l == "" {
			continue
		}
		p, rest, _ := strings.Cut(l, ":")
		n := 0
		fmt.Sscanf(rest, "%d", &n)
		key := fmt.Sprintf("%s\x00%08d", p, n)
		if key < last {
			t.Fatalf("not sorted: %q after %q", l, last)
		}
		last = key
	}
}

func TestWalkCountsFleet(t *testing.T) {
	dir := genFleet(t, 20)
	_, _, errOut := runCmd(t, &Command{Wd: dir}, "--type", "msmtp", dir)
	if !strings.Contains(errOut, "maillint: 20 files checked:") {
		t.Errorf("summary: %s", errOut)
	}
}

// TestWalkMemMapFs: without device and inode numbers, files are told
// apart by path, and a file named and found in a folder is checked once.
func TestWalkMemMapFs(t *testing.T) {
	fs := afero.NewMemMapFs()
	src := "account a\nhost imap.mail.me.com\nport 587\ntls on\nauth on\nfrom a@icloud.com\nuser a@icloud.com\npasswordeval \"x\"\n"
	for _, p := range []string{"/w/a/msmtprc", "/w/b/.msmtprc", "/w/.git/msmtprc", "/w/c/notes"} {
		afero.WriteFile(fs, p, []byte(src), 0o600)
	}
	code, out, errOut := runCmd(t, &Command{Fs: fs, Wd: "/w"}, "/w/a/msmtprc", "/w", "/w/a/msmtprc")
	if code != ExitFindings {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if n := strings.Count(out, "[smtp-host-is-imap]"); n != 2 {
		t.Errorf("%d findings, want 2 (a/msmtprc once, b/.msmtprc):\n%s", n, out)
	}
	if !strings.Contains(errOut, "2 files checked") {
		t.Errorf("summary: %s", errOut)
	}
}

func TestProgress(t *testing.T) {
	old := progressDelay
	progressDelay = 0
	defer func() { progressDelay = old }()
	dir := genFleet(t, 5)
	term := func() bool { return true }

	_, out, errOut := runCmd(t, &Command{Wd: dir, StderrIsTerminal: term}, "--type", "msmtp", dir)
	if !strings.Contains(errOut, "\r\x1b[2Kmaillint: [") || !strings.Contains(errOut, " files\r") {
		t.Errorf("no progress line on a terminal: %q", errOut)
	}
	if !strings.Contains(errOut, "\r\x1b[2Kmaillint: 5 files checked") {
		t.Errorf("the progress line is not erased before the summary: %q", errOut)
	}
	if strings.Contains(out, "\x1b") {
		t.Errorf("progress on stdout: %q", out)
	}
	for name, c := range map[string]*Command{
		"CI":           {Wd: dir, StderrIsTerminal: term, Getenv: func(k string) string { return map[string]string{"CI": "true"}[k] }},
		"dumb":         {Wd: dir, StderrIsTerminal: term, Getenv: func(k string) string { return map[string]string{"TERM": "dumb"}[k] }},
		"not terminal": {Wd: dir, StderrIsTerminal: func() bool { return false }},
	} {
		if _, _, errOut := runCmd(t, c, "--type", "msmtp", dir); strings.Contains(errOut, "files\r") || strings.Contains(errOut, "[=") || strings.Contains(errOut, "\x1b") {
			t.Errorf("%s: progress shown: %q", name, errOut)
		}
	}
	// A single named file is not a walk: no progress.
	f := filepath.Join(dir, "hosts", "host-00000", ".msmtprc")
	if _, _, errOut := runCmd(t, &Command{Wd: dir, StderrIsTerminal: term}, f); strings.Contains(errOut, "\x1b") {
		t.Errorf("progress for a named file: %q", errOut)
	}
}

func TestProgressDraw(t *testing.T) {
	var b bytes.Buffer
	p := &progress{w: &b}
	p.addFound(10)
	p.addDone(5)
	p.draw()
	if got := b.String(); got != "\r\x1b[2Kmaillint: [===============>              ] 5/10 files" {
		t.Errorf("draw = %q", got)
	}
	var nilp *progress
	nilp.addFound(1)
	nilp.addDone(1)
	nilp.finish()
}

// TestWalkSymlinkLoop: a loop of folder symlinks ends, and a symlinked
// file is reported by its real path.
func TestWalkSymlinkLoop(t *testing.T) {
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "a", "b"), 0o755)
	src := "account a\nhost imap.mail.me.com\nport 587\ntls on\nauth on\nfrom a@icloud.com\nuser a@icloud.com\npasswordeval \"x\"\n"
	os.WriteFile(filepath.Join(dir, "a", "b", "msmtprc"), []byte(src), 0o600)
	if err := os.Symlink("../..", filepath.Join(dir, "a", "b", "up")); err != nil {
		t.Skip("no symlinks:", err)
	}
	os.Symlink("b", filepath.Join(dir, "a", "again"))
	os.Symlink("b/msmtprc", filepath.Join(dir, "a", ".msmtprc"))
	t.Chdir(dir)
	code, out, errOut := runCmd(t, &Command{Wd: dir}, "--jobs", "4", ".")
	if code != ExitFindings {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if n := strings.Count(out, "[smtp-host-is-imap]"); n != 1 || !strings.HasPrefix(out, "a/b/msmtprc:2:6:") {
		t.Errorf("want one finding in a/b/msmtprc, got:\n%s", out)
	}
}
