//go:build !unix

package main

import "io/fs"

// sysFileID is not known on this system; files are identified by their
// resolved path.
func sysFileID(fs.FileInfo) (string, bool) { return "", false }

// sysDev is not known on this system.
func sysDev(fs.FileInfo) (uint64, bool) { return 0, false }

// fileID is never called where sysDev fails.
func fileID(dev, ino uint64) string { return "" }
