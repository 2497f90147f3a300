// Package fixers merges the fixes that rules suggest, applies them to file
// contents, renders the result as a unified diff and writes it back to disk
// atomically.
//
// The merge model is the one of golang.org/x/tools/go/analysis: every fix is
// a set of byte-range edits proposed independently against the same original
// file contents. Fixes are taken in order; a fix that conflicts with one
// already taken is dropped whole (re-running the linter on the fixed file
// offers it again), and an edit proposed identically by two fixes is applied
// once.
package fixers
