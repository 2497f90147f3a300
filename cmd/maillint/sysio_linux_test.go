//go:build linux

package main

import (
	"github.com/maillint/maillint/fixers"
	"strings"

	"encoding/binary"
	"errors"
	"github.com/spf13/afero"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"syscall"
	"testing"
)

// dirent encodes one struct linux_dirent64 record.
func dirent(ino uint64, typ byte, name string) []byte {
	reclen := (19 + len(name) + 1 + 7) &^ 7
	b := make([]byte, reclen)
	binary.NativeEndian.PutUint64(b[0:], ino)
	binary.NativeEndian.PutUint16(b[16:], uint16(reclen))
	b[18] = typ
	copy(b[19:], name)
	return b
}

func TestParseDirents(t *testing.T) {
	var buf []byte
	buf = append(buf, dirent(1, syscall.DT_DIR, ".")...)
	buf = append(buf, dirent(2, syscall.DT_DIR, "..")...)
	buf = append(buf, dirent(10, syscall.DT_REG, "msmtprc")...)
	buf = append(buf, dirent(11, syscall.DT_DIR, "mutt")...)
	buf = append(buf, dirent(12, syscall.DT_LNK, "link")...)
	buf = append(buf, dirent(13, syscall.DT_FIFO, "fifo")...)
	buf = append(buf, dirent(14, syscall.DT_UNKNOWN, "unknown")...)
	buf = append(buf, dirent(0, syscall.DT_REG, "deleted")...)
	got := parseDirents(buf, nil)
	want := []entry{
		{name: "msmtprc", ino: 10},
		{name: "mutt", mode: fs.ModeDir, ino: 11},
		{name: "link", mode: fs.ModeSymlink, ino: 12},
		{name: "fifo", mode: fs.ModeIrregular, ino: 13},
		{name: "unknown", mode: fs.ModeIrregular, unknown: true},
	}
	if len(got) != len(want) {
		t.Fatalf("got %+v, want %+v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("entry %d: got %+v, want %+v", i, got[i], want[i])
		}
	}
	// Damaged buffers end the listing; they never loop or panic.
	for _, bad := range [][]byte{
		buf[:5],
		buf[:len(buf)-3],
		append(dirent(20, syscall.DT_REG, "x")[:16], 0, 0, syscall.DT_REG), // reclen 0
		func() []byte {
			b := dirent(21, syscall.DT_REG, "y")
			binary.NativeEndian.PutUint16(b[16:], 60000)
			return b
		}(),
	} {
		parseDirents(bad, nil)
	}
}

// TestReadDirFast compares the listing with os.ReadDir and Lstat.
func TestReadDirFast(t *testing.T) {
	dir := t.TempDir()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(os.WriteFile(filepath.Join(dir, "msmtprc"), []byte("x"), 0o600))
	must(os.Mkdir(filepath.Join(dir, "mutt"), 0o700))
	must(os.Symlink("msmtprc", filepath.Join(dir, "link")))
	must(syscall.Mkfifo(filepath.Join(dir, "fifo"), 0o600))
	for i := range 300 { // more than one getdents64 buffer
		must(os.WriteFile(filepath.Join(dir, "f"+string(rune('a'+i%26))+string(rune('a'+i/26))), nil, 0o600))
	}
	got, err := readDirFast(dir)
	if err != nil {
		t.Fatal(err)
	}
	des, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(des) {
		t.Fatalf("%d entries, os.ReadDir %d", len(got), len(des))
	}
	sort.Slice(got, func(i, j int) bool { return got[i].name < got[j].name })
	for i, d := range des {
		e := got[i]
		if e.name != d.Name() {
			t.Fatalf("entry %d: %q, os.ReadDir %q", i, e.name, d.Name())
		}
		fi, err := os.Lstat(filepath.Join(dir, e.name))
		if err != nil {
			t.Fatal(err)
		}
		st := fi.Sys().(*syscall.Stat_t)
		if !e.unknown && (e.ino != st.Ino || e.mode.Type() != d.Type() && !(d.Type() == fs.ModeNamedPipe && e.mode == fs.ModeIrregular)) {
			t.Errorf("%s: ino %d mode %v, lstat ino %d mode %v", e.name, e.ino, e.mode, st.Ino, d.Type())
		}
	}
	if _, err := readDirFast(filepath.Join(dir, "missing")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("missing folder: %v", err)
	}
}

func TestReadFileFast(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "msmtprc")
	for _, content := range []string{"", "account a\n", string(make([]byte, 70000))} {
		if err := os.WriteFile(p, []byte(content), 0o640); err != nil {
			t.Fatal(err)
		}
		b, mode, err := readFileFast(p, 1<<20)
		if err != nil || string(b) != content || mode != 0o640 || cap(b) != len(b) {
			t.Errorf("%d bytes: got %d bytes (cap %d), mode %v, err %v", len(content), len(b), cap(b), mode, err)
		}
	}
	if _, _, err := readFileFast(p, 1000); !errors.Is(err, errTooLarge) {
		t.Errorf("over the limit: %v", err)
	}
	fifo := filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	if _, _, err := readFileFast(fifo, 1000); !errors.Is(err, fixers.ErrNotRegular) { // and does not block
		t.Errorf("fifo: %v", err)
	}
	if _, _, err := readFileFast(dir, 1000); !errors.Is(err, fixers.ErrNotRegular) {
		t.Errorf("folder: %v", err)
	}
	if _, _, err := readFileFast(filepath.Join(dir, "missing"), 1000); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("missing: %v", err)
	}
}

func TestListingInodesReliable(t *testing.T) {
	if fsListingInodesReliable("/proc") {
		t.Errorf("procfs is trusted")
	}
	if fsListingInodesReliable(filepath.Join(t.TempDir(), "missing")) {
		t.Errorf("a missing folder is trusted")
	}
	t.Logf("the temporary folder's file system is trusted: %v", fsListingInodesReliable(t.TempDir()))
}

// TestWalkUntrustedListing: whether the listing's inodes are trusted
// (ext4, tmpfs) or not (FUSE, overlay: each file is stat'ed instead), the
// walk finds the same files, tells hard links from distinct files, and
// reports no error. (That the untrusted path stats is not observed here.)
func TestWalkUntrustedListing(t *testing.T) {
	for _, trusted := range []bool{true, false} {
		old := listingInodesReliable
		listingInodesReliable = func(string) bool { return trusted }
		dir := t.TempDir()
		for _, p := range []string{"alice/.msmtprc", "bob/.msmtprc"} {
			if err := os.MkdirAll(filepath.Join(dir, filepath.Dir(p)), 0o700); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(dir, p), []byte("account a\nhost imap.mail.me.com\n"), 0o600); err != nil {
				t.Fatal(err)
			}
		}
		if err := os.Link(filepath.Join(dir, "bob/.msmtprc"), filepath.Join(dir, "bob/msmtprc")); err != nil {
			t.Fatal(err)
		}
		c := &Command{Fs: afero.NewOsFs(), Wd: dir}
		found, errs, _ := c.walkRoots([]string{dir}, c.matchFormat, func(string) bool { return false }, 2, nil)
		listingInodesReliable = old
		var paths []string
		for _, cd := range found {
			rel, _ := filepath.Rel(dir, cd.path)
			paths = append(paths, rel)
		}
		if want := []string{"alice/.msmtprc", "bob/.msmtprc"}; len(errs) != 0 || strings.Join(paths, " ") != strings.Join(want, " ") {
			t.Errorf("trusted=%v: found %v (errors %v), want %v", trusted, paths, errs, want)
		}
	}
}
