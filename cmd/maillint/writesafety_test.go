//go:build unix

package main

// File safety of --write end to end (issue 8): each refusal exits 2,
// says why naming the file, and leaves the file byte-identical (and the
// folder without temporary files); what is written keeps mode and owner.

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"

	"github.com/spf13/afero"
)

// fixableConf has a safe fix (the SMTP host is iCloud's IMAP server).
const fixableConf = "account icloud\nhost imap.mail.me.com\nport 587\ntls on\nauth on\nfrom e@icloud.com\nuser e@icloud.com\npasswordeval \"pass show icloud\"\n"

// assertUntouched checks that path still holds want and that its folder
// holds only the names listed.
func assertUntouched(t *testing.T, path, want string, names ...string) {
	t.Helper()
	got, err := os.ReadFile(path)
	if err != nil || string(got) != want {
		t.Errorf("%s changed: %q (%v)", path, got, err)
	}
	ents, _ := os.ReadDir(filepath.Dir(path))
	var have []string
	for _, e := range ents {
		have = append(have, e.Name())
	}
	if strings.Join(have, " ") != strings.Join(names, " ") {
		t.Errorf("%s holds %v, want %v", filepath.Dir(path), have, names)
	}
}

func TestWriteRefusesHardLinkCLI(t *testing.T) {
	dir := t.TempDir()
	hWrite(t, dir, map[string]string{"d/msmtprc": fixableConf})
	if err := os.Link(filepath.Join(dir, "d/msmtprc"), filepath.Join(dir, "d/msmtprc.bak")); err != nil {
		t.Skip("no hard links:", err)
	}
	r := hRun(t, dir, nil, "--write", "d/msmtprc")
	hExpect(t, r, ExitError, "d/msmtprc: not written:", "more than one hard link")
	assertUntouched(t, filepath.Join(dir, "d/msmtprc"), fixableConf, "msmtprc", "msmtprc.bak")
	assertUntouched(t, filepath.Join(dir, "d/msmtprc.bak"), fixableConf, "msmtprc", "msmtprc.bak")
}

func TestWriteRefusesReadOnlyFileCLI(t *testing.T) {
	dir := t.TempDir()
	hWrite(t, dir, map[string]string{"d/msmtprc": fixableConf})
	p := filepath.Join(dir, "d/msmtprc")
	os.Chmod(p, 0o444)
	r := hRun(t, dir, nil, "--write", "d/msmtprc")
	hExpect(t, r, ExitError, "d/msmtprc: not written:", "read-only")
	assertUntouched(t, p, fixableConf, "msmtprc")
	if fi, _ := os.Stat(p); fi.Mode().Perm() != 0o444 {
		t.Errorf("mode %v", fi.Mode())
	}
	// The report does not claim the fix: the finding is still there.
	if !strings.Contains(r.stdout, "[smtp-host-is-imap]") {
		t.Errorf("the unwritten finding is not reported:\n%s", r.stdout)
	}
}

// TestWriteRefusesReadOnlyFolderCLI: the folder may not be written (as
// root that needs another user: the binary runs as nobody, owning the
// file but not the folder).
func TestWriteRefusesReadOnlyFolderCLI(t *testing.T) {
	dir := t.TempDir()
	hWrite(t, dir, map[string]string{"ro/msmtprc": fixableConf})
	p := filepath.Join(dir, "ro/msmtprc")
	if os.Geteuid() == 0 {
		os.Chown(p, nobody, nobody)
	} else {
		os.Chmod(filepath.Dir(p), 0o555)
		t.Cleanup(func() { os.Chmod(filepath.Dir(p), 0o755) })
	}
	code, _, stderr := runUnprivileged(t, dir, "--write", "ro/msmtprc")
	if code != ExitError || !strings.Contains(stderr, "ro/msmtprc: not written:") || !strings.Contains(stderr, "permission denied") {
		t.Errorf("exit %d, want 2 naming the file and why:\n%s", code, stderr)
	}
	assertUntouched(t, p, fixableConf, "msmtprc")
}

// changingFs lets another writer change path on the n-th time it is
// opened (1: maillint reads it; 2: --write reads it again to compare; 3:
// the writer re-reads it just before the rename).
type changingFs struct {
	afero.Fs
	path, now string
	n         int
	mu        sync.Mutex
	opens     int
}

func (c *changingFs) hit(name string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if testAbs(name) != c.path {
		return
	}
	if c.opens++; c.opens == c.n {
		os.WriteFile(c.path, []byte(c.now), 0o600)
	}
}

func (c *changingFs) Open(name string) (afero.File, error) {
	c.hit(name)
	return c.Fs.Open(name)
}

func (c *changingFs) OpenFile(name string, flag int, perm os.FileMode) (afero.File, error) {
	if flag&(os.O_WRONLY|os.O_RDWR|os.O_CREATE) == 0 {
		c.hit(name)
	}
	return c.Fs.OpenFile(name, flag, perm)
}

func TestWriteRefusesChangedFileCLI(t *testing.T) {
	other := strings.Replace(fixableConf, "port 587", "port 465", 1)
	for _, n := range []int{2, 3} {
		dir := t.TempDir()
		hWrite(t, dir, map[string]string{"d/msmtprc": fixableConf})
		p := filepath.Join(dir, "d/msmtprc")
		r := hRun(t, dir, &changingFs{Fs: afero.NewOsFs(), path: p, now: other, n: n}, "--write", "d/msmtprc")
		hExpect(t, r, ExitError, "d/msmtprc: not written:", "changed since it was read")
		assertUntouched(t, p, other, "msmtprc")
	}
}

// failingRename fails the rename of a temporary file over the original.
type failingRename struct{ afero.Fs }

func (failingRename) Rename(string, string) error { return errors.New("injected rename failure") }

func TestWriteFailureCLI(t *testing.T) {
	dir := t.TempDir()
	hWrite(t, dir, map[string]string{"d/msmtprc": fixableConf})
	p := filepath.Join(dir, "d/msmtprc")
	r := hRun(t, dir, failingRename{afero.NewOsFs()}, "--write", "d/msmtprc")
	hExpect(t, r, ExitError, "d/msmtprc: not written:", "injected rename failure")
	assertUntouched(t, p, fixableConf, "msmtprc")
}

// TestWriteKeepsModeAndOwnerCLI: what --write writes keeps the permission
// bits and, as root, the owner and group.
func TestWriteKeepsModeAndOwnerCLI(t *testing.T) {
	dir := t.TempDir()
	hWrite(t, dir, map[string]string{"d/msmtprc": fixableConf})
	p := filepath.Join(dir, "d/msmtprc")
	os.Chmod(p, 0o640)
	root := os.Geteuid() == 0
	if root {
		os.Chown(p, 1234, 5678)
	}
	hExpect(t, hRun(t, dir, nil, "--write", "d/msmtprc"), ExitClean)
	fi, err := os.Stat(p)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o640 {
		t.Errorf("mode %v, want 0640", fi.Mode().Perm())
	}
	if st := fi.Sys().(*syscall.Stat_t); root && (st.Uid != 1234 || st.Gid != 5678) {
		t.Errorf("owner %d:%d, want 1234:5678", st.Uid, st.Gid)
	}
	if b, _ := os.ReadFile(p); !strings.Contains(string(b), "host smtp.mail.me.com\n") {
		t.Errorf("not fixed:\n%s", b)
	}
}

// TestAlreadyFixed: a file two checked inputs fix is written (or printed)
// once when the fixes agree, and refused for the second when they differ.
func TestAlreadyFixed(t *testing.T) {
	r := &report{cmd: &Command{Wd: "/w"}}
	if done, err := r.alreadyFixed("dir/../account", []byte("a")); done || err != nil {
		t.Fatalf("first: %v %v", done, err)
	}
	r.recordFix("account", []byte("a"))
	if done, err := r.alreadyFixed("./account", []byte("a")); !done || err != nil {
		t.Errorf("same fix: %v %v", done, err)
	}
	if done, err := r.alreadyFixed("account", []byte("b")); done || err == nil {
		t.Errorf("other fix: %v %v", done, err)
	}
}
