package linters

import (
	"bytes"
	"fmt"
	"sort"
)

// Pos is a position in a source file: a byte offset and the 1-based line and
// column (in bytes) it falls on.
type Pos struct {
	Offset int
	Line   int
	Col    int
}

// Range is a half-open byte range [Start, End) in one file.
type Range struct {
	Path  string
	Start Pos
	End   Pos
}

// IsZero reports whether r is the zero Range (no location known).
func (r Range) IsZero() bool { return r.Path == "" && r.Start.Line == 0 }

// String formats r as path:line:col.
func (r Range) String() string { return fmt.Sprintf("%s:%d:%d", r.Path, r.Start.Line, r.Start.Col) }

// LineIndex maps byte offsets of one file to line and column numbers.
type LineIndex struct {
	path   string
	starts []int // byte offset at which each line starts
	size   int
}

// NewLineIndex indexes src, the content of the file at path.
func NewLineIndex(path string, src []byte) *LineIndex {
	starts := make([]int, 1, bytes.Count(src, []byte{'\n'})+1)
	for off := 0; ; {
		i := bytes.IndexByte(src[off:], '\n')
		if i < 0 {
			break
		}
		off += i + 1
		starts = append(starts, off)
	}
	return &LineIndex{path: path, starts: starts, size: len(src)}
}

// Pos returns the position of byte offset off (clamped to the file).
func (ix *LineIndex) Pos(off int) Pos {
	if off < 0 {
		off = 0
	}
	if off > ix.size {
		off = ix.size
	}
	i := sort.Search(len(ix.starts), func(i int) bool { return ix.starts[i] > off }) - 1
	return Pos{Offset: off, Line: i + 1, Col: off - ix.starts[i] + 1}
}

// Range returns the Range of bytes [start, end).
func (ix *LineIndex) Range(start, end int) Range {
	return Range{Path: ix.path, Start: ix.Pos(start), End: ix.Pos(end)}
}

// LineBounds returns the byte range of 1-based line n without its line
// terminator, or ok=false when the file has no such line.
func (ix *LineIndex) LineBounds(src []byte, n int) (start, end int, ok bool) {
	if n < 1 || n > len(ix.starts) {
		return 0, 0, false
	}
	start = ix.starts[n-1]
	end = len(src)
	if n < len(ix.starts) {
		end = ix.starts[n] - 1
	}
	if end > start && src[end-1] == '\r' {
		end--
	}
	return start, end, true
}
