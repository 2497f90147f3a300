package main

import (
	"math/rand"
	"testing"
	"unicode/utf8"
)

// TestRuneIndex: the index counts exactly what utf8.RuneCount counts, for
// any offset of any bytes (valid UTF-8, invalid sequences, cut runes).
func TestRuneIndex(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	pieces := []string{"a", "\n", "é", "€", "𝄞", "\xe2\x82", "\xff", "\x80", "\xf0\x9d", "\t"}
	for range 50 {
		var b []byte
		for range rng.Intn(5000) {
			b = append(b, pieces[rng.Intn(len(pieces))]...)
		}
		ix := newRuneIndex(b)
		for off := 0; off <= len(b); off += 1 + rng.Intn(7) {
			if got, want := ix.before(off), utf8.RuneCount(b[:off]); got != want {
				t.Fatalf("before(%d) = %d, want %d", off, got, want)
			}
		}
	}
}
