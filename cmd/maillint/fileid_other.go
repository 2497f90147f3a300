//go:build !unix

package main

import "io/fs"

// sysFileID is not known on this system; files are identified by their
// resolved path.
func sysFileID(fs.FileInfo) (string, bool) { return "", false }
