package fixers

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/spf13/afero"
)

const (
	oldConf = "\ufeffaccount default\r\nhost smtp.example.org\r\nport 25\r\npassword s3cret"
	newConf = "\ufeffaccount default\r\nhost smtp.example.org\r\nport 587\r\npassword s3cret"
)

// mustWrite creates name with data and exactly the permission bits perm.
func mustWrite(t *testing.T, name, data string, perm fs.FileMode) {
	t.Helper()
	if err := os.WriteFile(name, []byte(data), perm); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(name, perm); err != nil { // umask-proof
		t.Fatal(err)
	}
}

// assertFile checks the contents of name.
func assertFile(t *testing.T, name, want string) {
	t.Helper()
	got, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != want {
		t.Errorf("%s holds %q, want %q", name, got, want)
	}
}

// assertEntries checks the names in dir (hidden temporary files included).
func assertEntries(t *testing.T, fsys afero.Fs, dir string, want ...string) {
	t.Helper()
	infos, err := afero.ReadDir(fsys, dir)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, fi := range infos {
		got = append(got, fi.Name())
	}
	sort.Strings(want)
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("%s holds %q, want %q", dir, got, want)
	}
}

// rewrite reads path with w and writes data back.
func rewrite(w *Writer, path, data string) error {
	s, err := w.Read(path)
	if err != nil {
		return err
	}
	return w.Write(s, []byte(data))
}

func TestWriteExactBytesAndMode(t *testing.T) {
	for _, perm := range []fs.FileMode{0o600, 0o640, 0o664} { // read-only files are refused: write_safety_test.go
		t.Run(perm.String(), func(t *testing.T) {
			dir := t.TempDir()
			p := filepath.Join(dir, "msmtprc")
			mustWrite(t, p, oldConf, perm)
			w := &Writer{Fs: afero.NewOsFs()}
			s, err := w.Read(p)
			if err != nil {
				t.Fatal(err)
			}
			if string(s.Data) != oldConf || s.Mode != perm || s.Real != p || s.Path != p || s.Size != int64(len(oldConf)) {
				t.Fatalf("snapshot = %+v", s)
			}
			if err := w.Write(s, []byte(newConf)); err != nil {
				t.Fatal(err)
			}
			assertFile(t, p, newConf)
			fi, err := os.Stat(p)
			if err != nil {
				t.Fatal(err)
			}
			if fi.Mode() != perm {
				t.Errorf("mode %v, want %v", fi.Mode(), perm)
			}
			assertEntries(t, afero.NewOsFs(), dir, "msmtprc")
		})
	}
}

func TestWriteNilFsIsOsFs(t *testing.T) {
	p := filepath.Join(t.TempDir(), "rc")
	mustWrite(t, p, "a\n", 0o600)
	var w Writer
	if err := rewrite(&w, p, "b\n"); err != nil {
		t.Fatal(err)
	}
	assertFile(t, p, "b\n")
}

func TestWriteKeepsSymlink(t *testing.T) {
	dir := t.TempDir()
	// dotfiles/mail/msmtprc is the real file; home/.msmtprc -> link chain.
	real := filepath.Join(dir, "dotfiles", "mail", "msmtprc")
	if err := os.MkdirAll(filepath.Dir(real), 0o755); err != nil {
		t.Fatal(err)
	}
	mustWrite(t, real, oldConf, 0o600)
	home := filepath.Join(dir, "home")
	if err := os.MkdirAll(home, 0o755); err != nil {
		t.Fatal(err)
	}
	// home/cfg -> ../dotfiles/mail (a folder link),
	// dotfiles/mail/msmtprc-link -> msmtprc,
	// home/.msmtprc -> cfg/msmtprc-link: a chain of three links.
	mustLink := func(target, name string) {
		t.Helper()
		if err := os.Symlink(target, name); err != nil {
			t.Skipf("symlinks unavailable: %v", err)
		}
	}
	mustLink("../dotfiles/mail", filepath.Join(home, "cfg"))
	mustLink("msmtprc", filepath.Join(real+"-link"))
	mustLink("cfg/msmtprc-link", filepath.Join(home, ".msmtprc"))
	// A relative "../" target inside a linked folder is read against the
	// physical folder: home/cfg/msmtprc-up -> ../mail/msmtprc is
	// dotfiles/mail/msmtprc, not home/mail/msmtprc. The same holds for "..".
	mustLink("../mail/msmtprc", filepath.Join(real+"-up"))

	w := &Writer{Fs: afero.NewOsFs()}
	for _, link := range []string{
		filepath.Join(home, ".msmtprc"),
		filepath.Join(home, "cfg", "msmtprc-up"),
		home + "/cfg/../mail/msmtprc", // not cleaned: ".." follows the link
	} {
		s, err := w.Read(link)
		if err != nil {
			t.Fatal(err)
		}
		wantReal, err := filepath.EvalSymlinks(link)
		if err != nil {
			t.Fatal(err)
		}
		if s.Real != wantReal || s.Path != link {
			t.Errorf("Read(%s): Real = %s, Path = %s; want Real %s", link, s.Real, s.Path, wantReal)
		}
	}
	link := filepath.Join(home, ".msmtprc")
	if err := rewrite(w, link, newConf); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Lstat(link)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode()&fs.ModeSymlink == 0 {
		t.Errorf("%s is no longer a symlink: %v", link, fi.Mode())
	}
	if target, _ := os.Readlink(link); target != "cfg/msmtprc-link" {
		t.Errorf("link target changed to %q", target)
	}
	assertFile(t, real, newConf)
	if fi, _ := os.Lstat(real); !fi.Mode().IsRegular() || fi.Mode().Perm() != 0o600 {
		t.Errorf("target mode %v, want regular 0600", fi.Mode())
	}
	assertEntries(t, afero.NewOsFs(), filepath.Dir(real), "msmtprc", "msmtprc-link", "msmtprc-up")
}

func TestReadSymlinkLoopAndDangling(t *testing.T) {
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a"), filepath.Join(dir, "b")
	if err := os.Symlink("b", a); err != nil {
		t.Skipf("symlinks unavailable: %v", err)
	}
	if err := os.Symlink("a", b); err != nil {
		t.Fatal(err)
	}
	w := &Writer{}
	if _, err := w.Read(a); err == nil || !strings.Contains(err.Error(), a) {
		t.Errorf("loop: err = %v, want an error naming %s", err, a)
	}
	d := filepath.Join(dir, "dangling")
	if err := os.Symlink("missing", d); err != nil {
		t.Fatal(err)
	}
	if _, err := w.Read(d); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("dangling: err = %v, want ErrNotExist", err)
	}
}

func TestReadNotRegular(t *testing.T) {
	dir := t.TempDir()
	w := &Writer{}
	if _, err := w.Read(dir); !errors.Is(err, ErrNotRegular) || !strings.Contains(err.Error(), dir) {
		t.Errorf("Read(folder): err = %v, want ErrNotRegular naming it", err)
	}
	link := filepath.Join(dir, "to-dir")
	if err := os.Symlink(".", link); err != nil {
		t.Skipf("symlinks unavailable: %v", err)
	}
	if _, err := w.Read(link); !errors.Is(err, ErrNotRegular) {
		t.Errorf("Read(link to folder): err = %v, want ErrNotRegular", err)
	}
}

func TestWriteRefusesChangedFile(t *testing.T) {
	for _, change := range []string{
		"\ufeffaccount default\r\nhost smtp.example.org\r\nport 26\r\npassword s3cret", // same size
		oldConf + "\r\n", // grown
	} {
		dir := t.TempDir()
		p := filepath.Join(dir, "rc")
		mustWrite(t, p, oldConf, 0o600)
		w := &Writer{Fs: afero.NewOsFs()}
		s, err := w.Read(p)
		if err != nil {
			t.Fatal(err)
		}
		mustWrite(t, p, change, 0o600)
		err = w.Write(s, []byte(newConf))
		if !errors.Is(err, ErrChanged) || !strings.Contains(err.Error(), p) {
			t.Errorf("err = %v, want ErrChanged naming %s", err, p)
		}
		assertFile(t, p, change)
		assertEntries(t, afero.NewOsFs(), dir, "rc")
	}
}

func TestWriteRefusesReplacedByFolder(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "rc")
	mustWrite(t, p, oldConf, 0o600)
	w := &Writer{}
	s, err := w.Read(p)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(p); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(p, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := w.Write(s, []byte(newConf)); !errors.Is(err, ErrChanged) || !errors.Is(err, ErrNotRegular) {
		t.Errorf("err = %v, want ErrChanged and ErrNotRegular", err)
	}
	if fi, err := os.Stat(p); err != nil || !fi.IsDir() {
		t.Errorf("folder replaced: %v %v", fi, err)
	}
}

func TestWriteRefusesHardLink(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "rc")
	mustWrite(t, p, oldConf, 0o600)
	if err := os.Link(p, filepath.Join(dir, "rc.bak")); err != nil {
		t.Skipf("hard links unavailable: %v", err)
	}
	err := rewrite(&Writer{Fs: afero.NewOsFs()}, p, newConf)
	if !errors.Is(err, ErrHardLinked) || !strings.Contains(err.Error(), p) || !strings.Contains(err.Error(), "split") {
		t.Errorf("err = %v, want ErrHardLinked naming %s", err, p)
	}
	assertFile(t, p, oldConf)
	assertFile(t, filepath.Join(dir, "rc.bak"), oldConf)
	assertEntries(t, afero.NewOsFs(), dir, "rc", "rc.bak")
}

func TestWriteMemMapFs(t *testing.T) {
	mem := afero.NewMemMapFs()
	p := "/home/u/.config/msmtp/config"
	if err := afero.WriteFile(mem, p, []byte(oldConf), 0o640); err != nil {
		t.Fatal(err)
	}
	w := &Writer{Fs: mem}
	s, err := w.Read(p)
	if err != nil {
		t.Fatal(err)
	}
	if s.Real != p || string(s.Data) != oldConf || s.Mode != 0o640 {
		t.Fatalf("snapshot = %+v", s)
	}
	if err := w.Write(s, []byte(newConf)); err != nil {
		t.Fatal(err)
	}
	got, err := afero.ReadFile(mem, p)
	if err != nil || string(got) != newConf {
		t.Fatalf("got %q, %v", got, err)
	}
	if fi, err := mem.Stat(p); err != nil || fi.Mode().Perm() != 0o640 {
		t.Errorf("mode %v (%v), want 0640", fi.Mode(), err)
	}
	assertEntries(t, mem, filepath.Dir(p), "config")

	// A second write from the stale snapshot is refused.
	if err := w.Write(s, []byte("other")); !errors.Is(err, ErrChanged) {
		t.Errorf("stale snapshot: err = %v, want ErrChanged", err)
	}
	if got, _ := afero.ReadFile(mem, p); string(got) != newConf {
		t.Errorf("stale write changed the file: %q", got)
	}
	assertEntries(t, mem, filepath.Dir(p), "config")

	if _, err := w.Read(filepath.Dir(p)); !errors.Is(err, ErrNotRegular) {
		t.Errorf("Read(folder) on MemMapFs: err = %v, want ErrNotRegular", err)
	}
}

func TestWriteNilSnapshot(t *testing.T) {
	if err := (&Writer{Fs: afero.NewMemMapFs()}).Write(nil, nil); err == nil {
		t.Error("Write(nil) succeeded")
	}
}

// errInjected is the failure faultFs produces.
var errInjected = errors.New("injected fault")

// faultFs wraps a file system and fails one step of writing a temporary
// file (a name containing ".maillint-").
type faultFs struct {
	afero.Fs
	step string
}

func isTemp(name string) bool { return strings.Contains(filepath.Base(name), ".maillint-") }

func (f *faultFs) OpenFile(name string, flag int, perm os.FileMode) (afero.File, error) {
	if !isTemp(name) {
		return f.Fs.OpenFile(name, flag, perm)
	}
	if f.step == "create" {
		return nil, errInjected
	}
	file, err := f.Fs.OpenFile(name, flag, perm)
	if err != nil {
		return nil, err
	}
	return &faultFile{File: file, step: f.step}, nil
}

func (f *faultFs) Chmod(name string, mode os.FileMode) error {
	if f.step == "chmod" && isTemp(name) {
		return errInjected
	}
	return f.Fs.Chmod(name, mode)
}

func (f *faultFs) Rename(oldname, newname string) error {
	if f.step == "rename" {
		return errInjected
	}
	return f.Fs.Rename(oldname, newname)
}

// faultFile is a temporary file failing at Write, Sync or Close.
type faultFile struct {
	afero.File
	step string
}

func (f *faultFile) Write(p []byte) (int, error) {
	switch f.step {
	case "write":
		n, _ := f.File.Write(p[:len(p)/2])
		return n, errInjected
	case "short write":
		return f.File.Write(p[:len(p)/2])
	}
	return f.File.Write(p)
}

func (f *faultFile) Sync() error {
	if f.step == "sync" {
		return errInjected
	}
	return f.File.Sync()
}

func (f *faultFile) Close() error {
	err := f.File.Close()
	if f.step == "close" {
		return errInjected
	}
	return err
}

func TestWriteFaults(t *testing.T) {
	for _, step := range []string{"create", "write", "short write", "sync", "close", "chmod", "rename"} {
		for _, base := range []string{"os", "mem"} {
			t.Run(step+"/"+base, func(t *testing.T) {
				var inner afero.Fs
				var dir string
				if base == "os" {
					inner, dir = afero.NewOsFs(), t.TempDir()
				} else {
					inner, dir = afero.NewMemMapFs(), "/etc"
				}
				p := filepath.Join(dir, "msmtprc")
				if err := afero.WriteFile(inner, p, []byte(oldConf), 0o600); err != nil {
					t.Fatal(err)
				}
				w := &Writer{Fs: &faultFs{Fs: inner, step: step}}
				err := rewrite(w, p, newConf)
				if err == nil || !strings.Contains(err.Error(), p) {
					t.Fatalf("err = %v, want an error naming %s", err, p)
				}
				if step != "short write" && !errors.Is(err, errInjected) {
					t.Errorf("err = %v, want the injected fault", err)
				}
				got, rerr := afero.ReadFile(inner, p)
				if rerr != nil || string(got) != oldConf {
					t.Errorf("original changed: %q, %v", got, rerr)
				}
				assertEntries(t, inner, dir, "msmtprc")
			})
		}
	}
}
