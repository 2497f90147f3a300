//go:build !unix

package fixers

import "io/fs"

// owner is the ownership and link count of a file.
type owner struct {
	uid, gid int
	nlink    uint64
}

// ownerOf reports that ownership is unknown on this platform.
func ownerOf(fs.FileInfo) (owner, bool) {
	return owner{}, false
}
