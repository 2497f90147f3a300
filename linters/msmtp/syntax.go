// Package msmtp is maillint's adapter for msmtp configuration files
// (~/.msmtprc, ~/.config/msmtp/config, /etc/msmtprc).
//
// The syntax tree is lossless: a File is a list of Lines, each split into
// the exact bytes of its indentation, command, separator, argument, trailing
// blanks and line terminator, so printing a parsed file gives back every byte.
// Semantics follow msmtp's conf.c as described in formats.md §1: one command
// per line, whole-line '#' comments only (an inline "# …" is part of the
// argument), one pair of outer quotes removed, no escapes, no continuation.
package msmtp

import (
	"bytes"

	"github.com/maillint/maillint/linters"
)

// LineKind classifies a line.
type LineKind int

// Kinds of lines.
const (
	Blank   LineKind = iota // only blanks
	Comment                 // first non-blank character is '#'
	Command                 // a command and its argument
)

// Line is one physical line of an msmtp file. Concatenating Indent, Cmd,
// Sep, Arg, Trail and EOL gives the line's bytes exactly. For Blank and
// Comment lines everything but the terminator is in Indent and Arg.
type Line struct {
	Kind LineKind
	// Offset is the byte offset of the line's first byte in the file.
	Offset int
	Indent string
	Cmd    string
	Sep    string
	// Arg is the argument as written (quotes included), without the
	// surrounding blanks. For a Comment line it is the comment text.
	Arg   string
	Trail string
	// EOL is "\n", "\r\n" or "" (last line without a terminator).
	EOL string
}

// ArgOffset is the byte offset where Arg starts.
func (l *Line) ArgOffset() int { return l.Offset + len(l.Indent) + len(l.Cmd) + len(l.Sep) }

// CmdOffset is the byte offset where Cmd starts.
func (l *Line) CmdOffset() int { return l.Offset + len(l.Indent) }

// Len is the number of bytes of the line including its terminator.
func (l *Line) Len() int {
	return len(l.Indent) + len(l.Cmd) + len(l.Sep) + len(l.Arg) + len(l.Trail) + len(l.EOL)
}

// Quoted reports whether Arg is enclosed in one pair of double quotes,
// which msmtp removes.
func (l *Line) Quoted() bool {
	return len(l.Arg) >= 2 && l.Arg[0] == '"' && l.Arg[len(l.Arg)-1] == '"'
}

// Value returns the argument as msmtp reads it: outer quotes removed.
func (l *Line) Value() string {
	if l.Quoted() {
		return l.Arg[1 : len(l.Arg)-1]
	}
	return l.Arg
}

// ValueOffset is the byte offset where Value starts.
func (l *Line) ValueOffset() int {
	if l.Quoted() {
		return l.ArgOffset() + 1
	}
	return l.ArgOffset()
}

// File is a parsed msmtp configuration.
type File struct {
	Path string
	// BOM is a UTF-8 byte order mark that preceded the first line, if any.
	BOM   string
	Lines []Line
}

const utf8BOM = "\xef\xbb\xbf"

func isBlank(c byte) bool { return c == ' ' || c == '\t' }

// Parse splits src into lines. It accepts any bytes and never fails.
func Parse(path string, src []byte) *File {
	f := &File{Path: path}
	off := 0
	if bytes.HasPrefix(src, []byte(utf8BOM)) {
		f.BOM = utf8BOM
		off = len(utf8BOM)
	}
	if off < len(src) {
		f.Lines = make([]Line, 0, bytes.Count(src[off:], []byte{'\n'})+1)
	}
	all := string(src) // one copy; the lines are substrings of it
	for off < len(src) {
		text, eol, next := linters.NextLine(all, off)
		f.Lines = append(f.Lines, splitLine(off, text, eol))
		off = next
	}
	return f
}

func splitLine(off int, text, eol string) Line {
	l := Line{Offset: off, EOL: eol}
	i := 0
	for i < len(text) && isBlank(text[i]) {
		i++
	}
	l.Indent = text[:i]
	rest := text[i:]
	if rest == "" {
		l.Kind = Blank
		return l
	}
	// Trailing blanks belong to Trail.
	j := len(rest)
	for j > 0 && isBlank(rest[j-1]) {
		j--
	}
	body := rest[:j]
	l.Trail = rest[j:]
	if body[0] == '#' {
		l.Kind = Comment
		l.Arg = body
		return l
	}
	l.Kind = Command
	k := 0
	for k < len(body) && !isBlank(body[k]) {
		k++
	}
	l.Cmd = body[:k]
	s := k
	for s < len(body) && isBlank(body[s]) {
		s++
	}
	l.Sep = body[k:s]
	l.Arg = body[s:]
	return l
}

// Bytes prints the file back. For any input, Bytes(Parse(x)) == x.
func (f *File) Bytes() []byte {
	var b bytes.Buffer
	b.WriteString(f.BOM)
	for i := range f.Lines {
		l := &f.Lines[i]
		b.WriteString(l.Indent)
		b.WriteString(l.Cmd)
		b.WriteString(l.Sep)
		b.WriteString(l.Arg)
		b.WriteString(l.Trail)
		b.WriteString(l.EOL)
	}
	return b.Bytes()
}

// EOL returns the file's line terminator: that of its first terminated line,
// or "\n".
func (f *File) EOL() string {
	for i := range f.Lines {
		if f.Lines[i].EOL != "" {
			return f.Lines[i].EOL
		}
	}
	return "\n"
}
