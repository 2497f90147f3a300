package main

import (
	"sort"
	"unicode/utf8"

	"github.com/maillint/maillint/linters"
)

// runeStep is how many bytes apart runeIndex records a count.
const runeStep = 1024

// runeIndex counts the code points before a byte offset of a file (SARIF
// and GitHub count columns and offsets in code points) without reading the
// file from its start each time: it records the count at a rune boundary
// about every runeStep bytes, so a finding far into a long line, or a fix
// at the end of a big file, costs no more than one at its start.
type runeIndex struct {
	src   []byte
	pos   []int // rune boundaries of src, increasing, from 0
	count []int // code points in src[:pos[i]]
}

func newRuneIndex(src []byte) *runeIndex {
	ix := &runeIndex{src: src, pos: []int{0}, count: []int{0}}
	n := 0
	for i := 0; i < len(src); {
		if src[i] < utf8.RuneSelf {
			i++
		} else {
			_, size := utf8.DecodeRune(src[i:])
			i += size
		}
		n++
		if i-ix.pos[len(ix.pos)-1] >= runeStep {
			ix.pos = append(ix.pos, i)
			ix.count = append(ix.count, n)
		}
	}
	return ix
}

// before returns utf8.RuneCount(src[:off]).
func (ix *runeIndex) before(off int) int {
	off = min(max(off, 0), len(ix.src))
	j := sort.SearchInts(ix.pos, off+1) - 1
	return ix.count[j] + utf8.RuneCount(ix.src[ix.pos[j]:off])
}

// runesOf returns the runeIndex of sf, made once per report.
func (r *report) runesOf(sf *linters.SourceFile) *runeIndex {
	if sf == nil {
		return nil
	}
	if r.runes == nil {
		r.runes = map[*linters.SourceFile]*runeIndex{}
	}
	ix, ok := r.runes[sf]
	if !ok {
		ix = newRuneIndex(sf.Src)
		r.runes[sf] = ix
	}
	return ix
}

// cpCol is codePointCol with the file's runeIndex.
func (r *report) cpCol(sf *linters.SourceFile, n, col int) int {
	return codePointColIn(r.runesOf(sf), sf, n, col)
}
