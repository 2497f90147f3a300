package fixers

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/afero"
)

// Errors wrapped by Writer; test with errors.Is.
var (
	// ErrChanged means the file no longer holds the bytes it held when it
	// was read, so writing would lose someone else's change.
	ErrChanged = errors.New("file changed since it was read")
	// ErrHardLinked means the file has several hard links; replacing it with
	// a new file would split the link.
	ErrHardLinked = errors.New("file has more than one hard link; replacing it would split the link")
	// ErrNotRegular means the path does not lead to a regular file.
	ErrNotRegular = errors.New("not a regular file")
	// ErrReadOnly means the file is read-only: its owner may not write it
	// (someone made it so on purpose), or this process may not.
	ErrReadOnly = errors.New("the file is read-only")
	// ErrOwner means the new file could not be given the owner and group
	// of the old one (an ordinary user cannot give files away).
	ErrOwner = errors.New("the file's owner and group could not be kept")
)

// maxLinkHops is how many symbolic links Read follows before giving up.
const maxLinkHops = 40

// Writer reads configuration files and replaces them atomically: the new
// contents go to a temporary file in the same folder, which is then renamed
// over the original, so a crash leaves either the old or the new file.
// Symbolic links are kept (their target is replaced), as are the permission
// bits and, when the process may, the owner. Other metadata (hard links,
// extended attributes, ACLs, SELinux labels) would be lost by the rename;
// hard-linked files are therefore refused.
type Writer struct {
	// Fs is the file system to work on; nil means afero.NewOsFs().
	Fs afero.Fs
}

// Snapshot is what Read saw of a file; Write uses it to detect concurrent
// changes and to restore the metadata.
type Snapshot struct {
	// Path is the path as the user gave it; error messages name it.
	Path string
	// Real is Path with every symbolic link resolved: the file written.
	Real string
	// Data holds the bytes read.
	Data []byte
	// Mode holds the permission bits of the file.
	Mode fs.FileMode
	// Size and ModTime are the file's size and modification time when read.
	Size    int64
	ModTime time.Time
	// HasOwner reports whether UID and GID (the file's owner) are known.
	HasOwner bool
	// UID and GID are the numeric owner and group of the file.
	UID, GID int
}

// fs returns the file system to use.
func (w *Writer) fs() afero.Fs {
	if w == nil || w.Fs == nil {
		return afero.NewOsFs()
	}
	return w.Fs
}

// isOsFs reports whether fsys is the real operating system file system.
func isOsFs(fsys afero.Fs) bool {
	_, ok := fsys.(*afero.OsFs)
	return ok
}

// Read resolves the symbolic links of path, checks that it leads to a
// regular file and reads it.
func (w *Writer) Read(path string) (*Snapshot, error) {
	fsys := w.fs()
	real, err := resolve(fsys, path)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	fi, err := lstat(fsys, real)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("%s: %w (%s)", path, ErrNotRegular, fi.Mode().Type())
	}
	data, err := readFile(fsys, real)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if int64(len(data)) != fi.Size() {
		return nil, fmt.Errorf("%s: %w (size changed while reading)", path, ErrChanged)
	}
	s := &Snapshot{
		Path:    path,
		Real:    real,
		Data:    data,
		Mode:    fi.Mode().Perm(),
		Size:    fi.Size(),
		ModTime: fi.ModTime(),
	}
	if o, ok := ownerOf(fi); ok {
		s.HasOwner, s.UID, s.GID = true, o.uid, o.gid
	}
	return s, nil
}

// Write atomically replaces the file s was read from with data, keeping its
// permission bits and (on the OS file system) its owner and group.
//
// It refuses with an error wrapping ErrChanged when the file no longer holds
// s.Data, ErrNotRegular when it is no longer a regular file, ErrReadOnly
// when its owner may not write it (or, on the OS file system, this
// process may not), and, on the OS file system, ErrHardLinked when the
// file has several hard links and ErrOwner when the new file could not get
// its owner and group. On any error the file is left as it was and no
// temporary file remains.
func (w *Writer) Write(s *Snapshot, data []byte) error {
	if s == nil {
		return errors.New("fixers: Write called with a nil Snapshot")
	}
	name := s.Path
	real := s.Real
	if real == "" {
		real = s.Path
	}
	if name == "" {
		name = real
	}
	fsys := w.fs()
	osfs := isOsFs(fsys)

	fi, err := lstat(fsys, real)
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	if !fi.Mode().IsRegular() {
		return fmt.Errorf("%s: %w: %w (%s)", name, ErrChanged, ErrNotRegular, fi.Mode().Type())
	}
	if o, ok := ownerOf(fi); ok && osfs && o.nlink > 1 {
		return fmt.Errorf("%s: %w (%d links)", name, ErrHardLinked, o.nlink)
	}
	if fi.Size() != int64(len(s.Data)) {
		return fmt.Errorf("%s: %w", name, ErrChanged)
	}
	// Replacing the file needs only a writable folder, so a read-only
	// file would be replaced all the same: refuse it instead.
	if fi.Mode().Perm()&0o200 == 0 {
		return fmt.Errorf("%s: %w (mode %04o); make it writable to let maillint fix it", name, ErrReadOnly, fi.Mode().Perm())
	}
	if osfs {
		if err := canWrite(real); err != nil {
			return fmt.Errorf("%s: %w (%v)", name, ErrReadOnly, err)
		}
	}

	dir, base := filepath.Split(real)
	if dir == "" {
		dir = "."
	}
	tmp, err := afero.TempFile(fsys, dir, "."+strings.ReplaceAll(base, "*", "")+".maillint-*")
	if err != nil {
		return fmt.Errorf("%s: create temporary file: %w", name, err)
	}
	tmpName := tmp.Name()
	open, renamed := true, false
	defer func() {
		if open {
			_ = tmp.Close()
		}
		if !renamed {
			_ = fsys.Remove(tmpName)
		}
	}()

	n, err := tmp.Write(data)
	if err == nil && n != len(data) {
		err = io.ErrShortWrite
	}
	if err != nil {
		return fmt.Errorf("%s: write temporary file: %w", name, err)
	}
	if err := tmp.Sync(); err != nil {
		return fmt.Errorf("%s: sync temporary file: %w", name, err)
	}
	open = false
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("%s: close temporary file: %w", name, err)
	}
	if err := fsys.Chmod(tmpName, s.Mode.Perm()); err != nil {
		return fmt.Errorf("%s: set permissions: %w", name, err)
	}
	if osfs && s.HasOwner {
		if err := chownTemp(fsys, tmpName, s.UID, s.GID); err != nil {
			return fmt.Errorf("%s: set owner: %w", name, err)
		}
	}

	cur, err := readFile(fsys, real)
	if err != nil {
		return fmt.Errorf("%s: re-read before replacing: %w", name, err)
	}
	if !bytes.Equal(cur, s.Data) {
		return fmt.Errorf("%s: %w", name, ErrChanged)
	}
	if err := fsys.Rename(tmpName, real); err != nil {
		return fmt.Errorf("%s: replace file: %w", name, err)
	}
	renamed = true
	if osfs {
		syncDir(dir)
	}
	return nil
}

// chownTemp gives the temporary file the original owner when it differs
// from the one it was created with. When that is not allowed (an ordinary
// user cannot give files away, nor to a group it is not in), the file is
// not replaced: its owner would change.
func chownTemp(fsys afero.Fs, tmpName string, uid, gid int) error {
	fi, err := fsys.Stat(tmpName)
	if err != nil {
		return err
	}
	if o, ok := ownerOf(fi); ok && o.uid == uid && o.gid == gid {
		return nil
	}
	if err := fsys.Chown(tmpName, uid, gid); err != nil {
		if errors.Is(err, fs.ErrPermission) {
			return fmt.Errorf("%w (%d:%d): %v", ErrOwner, uid, gid, err)
		}
		return err
	}
	return nil
}

// syncDir flushes the folder entry of a rename to disk, best effort.
func syncDir(dir string) {
	d, err := os.Open(dir)
	if err != nil {
		return
	}
	_ = d.Sync()
	_ = d.Close()
}

// readFile reads the whole file name from fsys.
func readFile(fsys afero.Fs, name string) ([]byte, error) {
	f, err := fsys.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(f)
}

// lstat returns the FileInfo of name without following a final symbolic
// link when fsys supports links, and follows it otherwise.
func lstat(fsys afero.Fs, name string) (fs.FileInfo, error) {
	if l, ok := fsys.(afero.Lstater); ok {
		fi, _, err := l.LstatIfPossible(name)
		return fi, err
	}
	return fsys.Stat(name)
}

// resolve returns path with every symbolic link resolved, component by
// component, the way the kernel does: a relative link target is read
// against the (already resolved) folder of the link. When fsys does not
// support symbolic links it returns path unchanged.
func resolve(fsys afero.Fs, path string) (string, error) {
	lst, ok1 := fsys.(afero.Lstater)
	rdl, ok2 := fsys.(afero.LinkReader)
	if !ok1 || !ok2 || path == "" {
		return path, nil
	}
	if _, supported, err := lst.LstatIfPossible(path); !supported {
		if err != nil {
			return "", err
		}
		return path, nil
	}
	sep := string(filepath.Separator)
	dest, rest := splitRoot(path)
	hops := 0
	for rest != "" {
		comp := rest
		if i := strings.IndexAny(rest, `/`+sep); i >= 0 {
			comp, rest = rest[:i], rest[i+1:]
		} else {
			rest = ""
		}
		switch comp {
		case "", ".":
			continue
		case "..":
			// dest holds no links, so its parent is found lexically.
			if dest == "" || dest == ".." || strings.HasSuffix(dest, sep+"..") {
				dest = filepath.Join(dest, "..")
			} else if dest = filepath.Dir(dest); dest == "." {
				dest = ""
			}
			continue
		}
		next := filepath.Join(dest, comp)
		fi, _, err := lst.LstatIfPossible(next)
		if err != nil {
			return "", err
		}
		if fi.Mode()&fs.ModeSymlink == 0 {
			dest = next
			continue
		}
		if hops++; hops > maxLinkHops {
			return "", fmt.Errorf("too many levels of symbolic links")
		}
		target, err := rdl.ReadlinkIfPossible(next)
		if err != nil {
			return "", err
		}
		if target == "" {
			return "", fmt.Errorf("empty symbolic link %s", next)
		}
		if rest != "" {
			target += sep + rest
		}
		if filepath.IsAbs(target) {
			dest, rest = splitRoot(target)
		} else {
			rest = target
		}
	}
	if dest == "" {
		dest = "."
	}
	return dest, nil
}

// splitRoot splits p into its root (volume and leading separator, "" for
// a relative path) and the rest.
func splitRoot(p string) (root, rest string) {
	vol := filepath.VolumeName(p)
	rest = p[len(vol):]
	if rest != "" && os.IsPathSeparator(rest[0]) {
		return vol + string(filepath.Separator), strings.TrimLeft(rest, `/`+string(filepath.Separator))
	}
	return vol, rest
}
