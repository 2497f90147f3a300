//go:build unix

package main

import (
	"io/fs"
	"strconv"
	"syscall"
)

// sysFileID returns "dev:ino" for a file of the operating system.
func sysFileID(fi fs.FileInfo) (string, bool) {
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok || st == nil {
		return "", false
	}
	return strconv.FormatUint(uint64(st.Dev), 10) + ":" + strconv.FormatUint(uint64(st.Ino), 10), true
}
