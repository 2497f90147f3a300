//go:build linux

package main

import (
	"encoding/binary"
	"github.com/maillint/maillint/fixers"
	"io/fs"
	"syscall"
)

// The walk and the reads of a fleet of thousands of files are mostly
// system calls. On Linux, for the real file system, maillint makes fewer:
// a folder listing gives each name's inode (so a walked file needs no stat
// to be identified), and a file is read with open, fstat, read and close
// (os.Open would also try to add it to the network poller).

// haveFastIO says readDirFast and readFileFast are used for the real file
// system.
const haveFastIO = true

// fsListingInodesReliable reports whether folder p is on a file system
// whose listings give the inodes stat gives. FUSE (sshfs gives every entry
// the same inode), overlayfs over several file systems and network file
// systems are not trusted: their files are stat'ed.
func fsListingInodesReliable(p string) bool {
	var st syscall.Statfs_t
	if err := syscall.Statfs(p, &st); err != nil {
		return false
	}
	switch uint32(st.Type) {
	case 0xEF53, // ext2, ext3, ext4
		0x58465342, // XFS
		0x9123683E, // Btrfs
		0x01021994, // tmpfs
		0x858458F6, // ramfs
		0x2FC12FC1, // ZFS
		0xF2F52010, // F2FS
		0xCA451A4E: // bcachefs
		return true
	}
	return false
}

// readDirFast lists a folder with getdents64: names, type bits and inodes.
func readDirFast(path string) ([]entry, error) {
	fd, err := syscall.Open(path, syscall.O_RDONLY|syscall.O_DIRECTORY|syscall.O_CLOEXEC|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, &fs.PathError{Op: "open", Path: path, Err: err}
	}
	defer syscall.Close(fd)
	var out []entry
	buf := make([]byte, 8192)
	for {
		n, err := syscall.ReadDirent(fd, buf)
		if err == syscall.EINTR {
			continue
		}
		if err != nil {
			return out, &fs.PathError{Op: "readdirent", Path: path, Err: err}
		}
		if n <= 0 {
			return out, nil
		}
		out = parseDirents(buf[:n], out)
	}
}

// parseDirents appends the entries of a buffer of struct linux_dirent64
// records (ino u64, off s64, reclen u16, type u8, name NUL-terminated).
func parseDirents(b []byte, out []entry) []entry {
	for len(b) >= 19 {
		reclen := int(binary.NativeEndian.Uint16(b[16:18]))
		if reclen < 19 || reclen > len(b) {
			break
		}
		ino := binary.NativeEndian.Uint64(b[0:8])
		typ := b[18]
		name := b[19:reclen]
		for i, c := range name {
			if c == 0 {
				name = name[:i]
				break
			}
		}
		b = b[reclen:]
		if len(name) == 0 || string(name) == "." || string(name) == ".." || ino == 0 {
			continue
		}
		e := entry{name: string(name), ino: ino}
		switch typ {
		case syscall.DT_REG:
			e.mode = 0
		case syscall.DT_DIR:
			e.mode = fs.ModeDir
		case syscall.DT_LNK:
			e.mode = fs.ModeSymlink
		case syscall.DT_UNKNOWN:
			e.mode, e.ino = fs.ModeIrregular, 0 // the caller stats it
			e.unknown = true
		default:
			e.mode = fs.ModeIrregular
		}
		out = append(out, e)
	}
	return out
}

// readFileFast reads a regular file of at most limit bytes; see
// Command.readFile.
func readFileFast(path string, limit int64) ([]byte, fs.FileMode, error) {
	var fd int
	var err error
	for {
		fd, err = syscall.Open(path, syscall.O_RDONLY|syscall.O_NONBLOCK|syscall.O_CLOEXEC, 0)
		if err != syscall.EINTR {
			break
		}
	}
	if err != nil {
		return nil, 0, &fs.PathError{Op: "open", Path: path, Err: err}
	}
	defer syscall.Close(fd)
	var st syscall.Stat_t
	if err := syscall.Fstat(fd, &st); err != nil {
		return nil, 0, &fs.PathError{Op: "stat", Path: path, Err: err}
	}
	if st.Mode&syscall.S_IFMT != syscall.S_IFREG {
		return nil, 0, fixers.ErrNotRegular
	}
	perm := fs.FileMode(st.Mode & 0o777)
	if st.Size > limit {
		return nil, 0, errTooLarge
	}
	// Ask for the stat'ed size and one byte more. Reading stops once the
	// stat'ed size is in (usually one read) or at the end of the file: a
	// file that grew meanwhile may be read short; --write then re-reads it
	// and refuses it as changed since it was read.
	buf := make([]byte, st.Size+1)
	n := 0
	for {
		m, err := syscall.Read(fd, buf[n:])
		if err == syscall.EINTR {
			continue
		}
		if err != nil {
			return nil, 0, &fs.PathError{Op: "read", Path: path, Err: err}
		}
		n += m
		switch {
		case m == 0, int64(n) == st.Size:
			return buf[:n:n], perm, nil
		case int64(n) > limit:
			return nil, 0, errTooLarge
		case n == len(buf):
			buf = append(buf, make([]byte, len(buf))...)
		}
	}
}
