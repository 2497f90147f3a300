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
	return fileID(uint64(st.Dev), uint64(st.Ino)), true
}

// sysDev returns the device of a file of the operating system.
func sysDev(fi fs.FileInfo) (uint64, bool) {
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok || st == nil {
		return 0, false
	}
	return uint64(st.Dev), true
}

// fileID is the identity of a file, as sysFileID gives it.
func fileID(dev, ino uint64) string {
	return strconv.FormatUint(dev, 10) + ":" + strconv.FormatUint(ino, 10)
}
