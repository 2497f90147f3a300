//go:build unix

package fixers

import "syscall"

// canWrite reports an error when this process may not write the file at
// path (its permission bits, its owner, a read-only mount), as the
// kernel decides.
func canWrite(path string) error {
	const wOK = 2 // W_OK
	return syscall.Access(path, wOK)
}
