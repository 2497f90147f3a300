//go:build unix

package fixers

import (
	"io/fs"
	"syscall"
)

// owner is the ownership and link count of a file.
type owner struct {
	uid, gid int
	nlink    uint64
}

// ownerOf returns the owner and link count recorded in fi, when the file
// system provides them.
func ownerOf(fi fs.FileInfo) (owner, bool) {
	if fi == nil {
		return owner{}, false
	}
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok || st == nil {
		return owner{}, false
	}
	return owner{uid: int(st.Uid), gid: int(st.Gid), nlink: uint64(st.Nlink)}, true
}
