//go:build !unix

package main

// openNonblock: see open_unix.go; there are no FIFOs to fear here.
const openNonblock = 0
