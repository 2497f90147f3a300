//go:build unix

package main

import "syscall"

// openNonblock is added to the flags files are opened for reading with:
// opening a FIFO blocks until a writer comes, so a FIFO named like a config
// (or sourced by one) would hang maillint. With O_NONBLOCK the open
// returns at once, and the file is then refused as not a regular file; it
// changes nothing for regular files.
const openNonblock = syscall.O_NONBLOCK
