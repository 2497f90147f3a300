//go:build unix

package fixers

// File safety of --write (issue 8): read-only files and files this
// process may not write are refused; an owner that cannot be kept is
// refused; a failure or a crash at any step leaves the old file or the
// new one, never a partial one.

import (
	"errors"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/spf13/afero"
)

func TestWriteRefusesReadOnlyFile(t *testing.T) {
	for _, perm := range []fs.FileMode{0o444, 0o400, 0o555, 0o044} {
		for _, base := range []string{"os", "mem"} {
			t.Run(perm.String()+"/"+base, func(t *testing.T) {
				var fsys afero.Fs = afero.NewMemMapFs()
				dir := "/home/u"
				if base == "os" {
					fsys, dir = afero.NewOsFs(), t.TempDir()
				}
				p := filepath.Join(dir, "msmtprc")
				if err := afero.WriteFile(fsys, p, []byte(oldConf), perm); err != nil {
					t.Fatal(err)
				}
				fsys.Chmod(p, perm)
				err := rewrite(&Writer{Fs: fsys}, p, newConf)
				if !errors.Is(err, ErrReadOnly) || !strings.Contains(err.Error(), p) {
					t.Errorf("err = %v, want ErrReadOnly naming %s", err, p)
				}
				if got, _ := afero.ReadFile(fsys, p); string(got) != oldConf {
					t.Errorf("the file changed: %q", got)
				}
				if fi, _ := fsys.Stat(p); fi.Mode().Perm() != perm {
					t.Errorf("mode %v, want %v", fi.Mode().Perm(), perm)
				}
				assertEntries(t, fsys, dir, "msmtprc")
			})
		}
	}
}

// unprivilegedSetup makes dir/d/rc holding oldConf with mode perm, owned
// by fileUID:fileGID, in a folder d owned by dirUID (0755). Root only.
func unprivilegedSetup(t *testing.T, perm fs.FileMode, dirUID, fileUID, fileGID int) string {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("needs root to give files to other users")
	}
	d := filepath.Join(t.TempDir(), "d")
	if err := os.Mkdir(d, 0o755); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(d, "rc")
	mustWrite(t, p, oldConf, perm)
	if err := os.Chown(d, dirUID, dirUID); err != nil {
		t.Fatal(err)
	}
	if err := os.Chown(p, fileUID, fileGID); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestWriteRefusesFileOfOthers: a file this process may not write, in a
// folder it may write, would be replaced by the rename (and change owner):
// it is refused.
func TestWriteRefusesFileOfOthers(t *testing.T) {
	p := unprivilegedSetup(t, 0o664, 65534, 0, 0)
	msg := writeAsUnprivileged(t, p, newConf)
	if !strings.Contains(msg, ErrReadOnly.Error()) || !strings.Contains(msg, p) {
		t.Errorf("error %q, want ErrReadOnly naming %s", msg, p)
	}
	assertFile(t, p, oldConf)
	assertEntries(t, afero.NewOsFs(), filepath.Dir(p), "rc")
	if fi, err := os.Stat(p); err != nil {
		t.Fatal(err)
	} else if o, _ := ownerOf(fi); o.uid != 0 {
		t.Errorf("owner changed to %d", o.uid)
	}
}

// TestWriteRefusesOwnerChange: the process may write the file, but the
// new file cannot get its group (a group the user is not in): refused,
// rather than silently changing the group.
func TestWriteRefusesOwnerChange(t *testing.T) {
	p := unprivilegedSetup(t, 0o664, 65534, 65534, 0)
	msg := writeAsUnprivileged(t, p, newConf)
	if !strings.Contains(msg, ErrOwner.Error()) || !strings.Contains(msg, p) {
		t.Errorf("error %q, want ErrOwner naming %s", msg, p)
	}
	assertFile(t, p, oldConf)
	assertEntries(t, afero.NewOsFs(), filepath.Dir(p), "rc")
}

// reReadFault fails the second open of the file written (Write's re-read
// before the rename).
type reReadFault struct {
	afero.Fs
	opens atomic.Int32
}

func (f *reReadFault) Open(name string) (afero.File, error) {
	if !isTemp(name) && f.opens.Add(1) == 2 {
		return nil, errInjected
	}
	return f.Fs.Open(name)
}

// TestWriteFaultReRead completes TestWriteFaults: the re-read before the
// rename fails.
func TestWriteFaultReRead(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "msmtprc")
	mustWrite(t, p, oldConf, 0o600)
	err := rewrite(&Writer{Fs: &reReadFault{Fs: afero.NewOsFs()}}, p, newConf)
	if !errors.Is(err, errInjected) || !strings.Contains(err.Error(), p) {
		t.Fatalf("err = %v, want the injected fault naming %s", err, p)
	}
	assertFile(t, p, oldConf)
	assertEntries(t, afero.NewOsFs(), dir, "msmtprc")
}

// crashFs kills the process at one step of Write, as a power cut or a
// kill -9 would: no deferred clean-up runs.
type crashFs struct {
	afero.Fs
	step  string
	opens atomic.Int32
}

const crashCode = 7

func (c *crashFs) at(step string) {
	if c.step == step {
		os.Exit(crashCode)
	}
}

func (c *crashFs) Open(name string) (afero.File, error) {
	if !isTemp(name) && c.opens.Add(1) == 2 {
		c.at("reread")
	}
	return c.Fs.Open(name)
}

func (c *crashFs) OpenFile(name string, flag int, perm os.FileMode) (afero.File, error) {
	if !isTemp(name) {
		return c.Fs.OpenFile(name, flag, perm)
	}
	c.at("create")
	f, err := c.Fs.OpenFile(name, flag, perm)
	if err != nil {
		return nil, err
	}
	return &crashFile{File: f, c: c}, nil
}

func (c *crashFs) Chmod(name string, mode os.FileMode) error {
	c.at("chmod")
	return c.Fs.Chmod(name, mode)
}

func (c *crashFs) Rename(oldname, newname string) error {
	c.at("rename")
	err := c.Fs.Rename(oldname, newname)
	c.at("renamed")
	return err
}

type crashFile struct {
	afero.File
	c *crashFs
}

func (f *crashFile) Write(p []byte) (int, error) {
	if f.c.step == "write" {
		f.File.Write(p[:len(p)/2])
		f.c.at("write")
	}
	return f.File.Write(p)
}

func (f *crashFile) Sync() error {
	f.c.at("sync")
	return f.File.Sync()
}

func (f *crashFile) Close() error {
	f.c.at("close")
	return f.File.Close()
}

const crashEnv = "MAILLINT_FIXERS_CRASH"

// TestWriteCrashHelper is the process TestWriteCrash kills; it does
// nothing in a normal test run.
func TestWriteCrashHelper(t *testing.T) {
	step, path, ok := strings.Cut(os.Getenv(crashEnv), "=")
	if !ok {
		return
	}
	if err := rewrite(&Writer{Fs: &crashFs{Fs: afero.NewOsFs(), step: step}}, path, newConf); err != nil {
		t.Fatal(err)
	}
}

// TestWriteCrash: the process dies at each step of Write; the file then
// holds the old bytes (before the rename) or the new ones (after), never
// a mix, and is never missing. A crash may leave the temporary file.
func TestWriteCrash(t *testing.T) {
	for _, step := range []string{"create", "write", "sync", "close", "chmod", "reread", "rename", "renamed"} {
		t.Run(step, func(t *testing.T) {
			dir := t.TempDir()
			p := filepath.Join(dir, "msmtprc")
			mustWrite(t, p, oldConf, 0o640)
			cmd := exec.Command(os.Args[0], "-test.run=^TestWriteCrashHelper$", "-test.count=1")
			cmd.Env = append(os.Environ(), crashEnv+"="+step+"="+p)
			out, err := cmd.CombinedOutput()
			var ee *exec.ExitError
			if !errors.As(err, &ee) || ee.ExitCode() != crashCode {
				t.Fatalf("the helper did not crash at %s: %v\n%s", step, err, out)
			}
			want := oldConf
			if step == "renamed" {
				want = newConf
			}
			assertFile(t, p, want)
			if fi, err := os.Lstat(p); err != nil || !fi.Mode().IsRegular() {
				t.Fatalf("after the crash: %v %v", fi, err)
			}
			ents, _ := os.ReadDir(dir)
			for _, e := range ents {
				if e.Name() != "msmtprc" && !isTemp(e.Name()) {
					t.Errorf("unexpected file %s", e.Name())
				}
			}
		})
	}
}
