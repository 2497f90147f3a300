//go:build !linux

package main

import "io/fs"

// readDirFast and readFileFast exist on Linux only (see sysio_linux.go);
// elsewhere the portable paths are used.
const haveFastIO = false

func readDirFast(string) ([]entry, error) { panic("unreachable") }

func fsListingInodesReliable(string) bool { return false }

func readFileFast(string, int64) ([]byte, fs.FileMode, error) { panic("unreachable") }
