// Package gitconfig is maillint's adapter for the git configuration files
// that configure `git send-email`: ~/.gitconfig, ~/.config/git/config,
// /etc/gitconfig, a repository's .git/config, and every file they reach
// through [include] and [includeIf] (formats.md §4).
//
// The syntax tree is lossless: a File is a sequence of Nodes that tile the
// source bytes (section headers, key/value entries, and the trivia between
// them: blanks, comments, line terminators), so printing a parsed file gives
// back every byte. The parser follows git's config.c (git_parse_source,
// get_base_var, get_value, parse_value) character by character: CRLF reads
// as LF, a lone CR is a blank, '#' and ';' start comments outside quotes,
// quotes may appear anywhere in a value, the escapes \" \\ \n \t \b and a
// backslash-newline continuation are the only ones, section and key names
// are case-insensitive and subsection names case-sensitive (except in the
// deprecated [section.sub] form, which lower-cases them).
//
// Where git stops with "bad config line N", the parser records a Problem,
// keeps the rest of the physical line as a Bad node and goes on, so one
// mistake does not hide the rest of the file.
package gitconfig

import (
	"bytes"
	"strings"
)

// NodeKind classifies a node of the syntax tree.
type NodeKind int

// Kinds of nodes.
const (
	// Trivia is text git skips: blanks, comments, line terminators, a
	// leading byte order mark.
	Trivia NodeKind = iota
	// Header is a section header: [section], [section "sub"], [section.sub].
	Header
	// Entry is a variable: a key, optionally "=" and a value, and a trailing
	// comment up to (not including) the line terminator.
	Entry
	// Bad is text git rejects ("bad config line"), up to the end of its line.
	Bad
)

// Node is one piece of a file.
type Node struct {
	// Kind says what the node is.
	Kind NodeKind
	// Start and End are the byte offsets [Start, End) of the node in the file.
	Start, End int
	// Text is the node's bytes, Src[Start:End].
	Text string

	// Header fields.

	// Name is the section name as git stores it: lower-cased, and for the
	// dotted form [a.B] the whole "a.b".
	Name string
	// Sub is the decoded subsection of [section "sub"] (case kept).
	Sub string
	// Quoted is true for the [section "sub"] form.
	Quoted bool
	// NameStart and NameEnd delimit the section name in the source.
	NameStart, NameEnd int

	// Entry fields.

	// Hdr is the index in File.Nodes of the header the entry belongs to,
	// -1 for a variable before any header.
	Hdr int
	// Key is the lower-cased key name.
	Key string
	// KeyStart and KeyEnd delimit the key as written.
	KeyStart, KeyEnd int
	// Eq is the offset of '=', -1 for a bare key (which means true).
	Eq int
	// ValStart and ValEnd delimit the value as written, quotes and escapes
	// included, without surrounding blanks or a trailing comment. For an
	// empty value both are the offset just after '='.
	ValStart, ValEnd int
	// Value is the decoded value.
	Value string
	// Plain is true when the written value is its own decoding: no quotes,
	// escapes, continuations or runs of blanks that git would fold.
	Plain bool
	// QuotedValue is true when the written value is exactly one quoted
	// string without escapes: "...".
	QuotedValue bool
	// Comment is the offset of a trailing '#' or ';' comment, -1 if none.
	Comment int

	// Bad fields.

	// Err says why git rejects the text.
	Err string
}

// Bare reports whether an entry has no "=": git reads it as boolean true,
// and as a missing value where a string is expected.
func (n *Node) Bare() bool { return n.Kind == Entry && n.Eq < 0 }

// File is a parsed git config file.
type File struct {
	// Path is the file's path as given to Parse.
	Path string
	// Src is the file's content.
	Src []byte
	// Nodes tile Src in order.
	Nodes []Node
}

// Bytes prints the file back. For any input, Parse(p, x).Bytes() == x.
func (f *File) Bytes() []byte {
	var b bytes.Buffer
	for i := range f.Nodes {
		b.WriteString(f.Nodes[i].Text)
	}
	return b.Bytes()
}

// Prefix is the part of an entry's variable name before the key, as git
// builds it: "sendemail", "sendemail.work" (for [sendemail "work"] and
// [sendemail.work]), "" before any header.
func (f *File) Prefix(n *Node) string {
	if n.Hdr < 0 {
		return ""
	}
	h := &f.Nodes[n.Hdr]
	if h.Quoted {
		return h.Name + "." + h.Sub
	}
	return h.Name
}

// VarName is the full variable name of an entry: prefix and key joined by
// a dot, or the key alone before any header.
func (f *File) VarName(n *Node) string {
	if p := f.Prefix(n); p != "" || n.Hdr >= 0 {
		return p + "." + n.Key
	}
	return n.Key
}

// Section returns the base section name of an entry (before the first dot,
// lower case) and its subsection (case kept for the quoted form), and
// whether it has one.
func (f *File) Section(n *Node) (base, sub string, hasSub bool) {
	if n.Hdr < 0 {
		return "", "", false
	}
	h := &f.Nodes[n.Hdr]
	name := h.Name
	if i := strings.IndexByte(name, '.'); i >= 0 {
		base, sub, hasSub = name[:i], name[i+1:], true
		if h.Quoted {
			sub += "." + h.Sub
		}
		return base, sub, true
	}
	if h.Quoted {
		return name, h.Sub, true
	}
	return name, "", false
}

// LineStart returns the offset of the start of the line holding off.
func (f *File) LineStart(off int) int {
	return bytes.LastIndexByte(f.Src[:off], '\n') + 1
}

// LineEnd returns the offset of the line terminator ("\n" or "\r\n") at or
// after off, or len(Src).
func (f *File) LineEnd(off int) int {
	i := bytes.IndexByte(f.Src[off:], '\n')
	if i < 0 {
		return len(f.Src)
	}
	e := off + i
	if e > off && f.Src[e-1] == '\r' {
		e--
	}
	return e
}

// EOLAt returns the line terminator that starts at off ("\r\n", "\n"), or
// "" at the end of the file.
func (f *File) EOLAt(off int) string {
	switch {
	case off < len(f.Src) && f.Src[off] == '\n':
		return "\n"
	case off+1 < len(f.Src) && f.Src[off] == '\r' && f.Src[off+1] == '\n':
		return "\r\n"
	}
	return ""
}

// EOL returns the file's line terminator: that of its first line, or "\n".
func (f *File) EOL() string {
	if i := bytes.IndexByte(f.Src, '\n'); i > 0 && f.Src[i-1] == '\r' {
		return "\r\n"
	}
	return "\n"
}

// Problem is a place git rejects while parsing ("bad config line").
type Problem struct {
	// Start and End delimit the rejected text.
	Start, End int
	// Message says why git rejects it.
	Message string
}

const utf8BOM = "\xef\xbb\xbf"

// git's character classes (git-compat-util.h, ctype.c): only these four
// bytes are blanks; letters and digits are ASCII.
func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }
func isAlpha(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }
func isAlnum(c byte) bool { return isAlpha(c) || c >= '0' && c <= '9' }
func isKeyChar(c byte) bool {
	return isAlnum(c) || c == '-'
}
func lower(c byte) byte {
	if c >= 'A' && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// reader reads characters as git's get_next_char does: "\r\n" is one '\n',
// the end of input is an endless run of '\n' with eof set.
type reader struct {
	src  []byte
	pos  int
	last int // offset of the character returned last
	eof  bool
}

func (r *reader) next() byte {
	r.last = r.pos
	if r.pos >= len(r.src) {
		r.eof = true
		return '\n'
	}
	c := r.src[r.pos]
	r.pos++
	if c == '\r' && r.pos < len(r.src) && r.src[r.pos] == '\n' {
		r.pos++
		return '\n'
	}
	return c
}

type parser struct {
	r        reader
	f        *File
	problems []Problem
	hdr      int    // index in f.Nodes of the current header, -1
	off      int    // end of the last node added
	all      string // src as a string; the nodes' texts are substrings of it
}

// add appends a parsed node to the file, after a trivia node for the text
// since the previous one: the nodes tile the file.
func (p *parser) add(n Node) {
	if n.Start > p.off {
		p.f.Nodes = append(p.f.Nodes, Node{Kind: Trivia, Start: p.off, End: n.Start, Text: p.all[p.off:n.Start]})
	}
	if n.Kind == Header {
		p.hdr = len(p.f.Nodes)
	}
	n.Text = p.all[n.Start:n.End]
	p.f.Nodes = append(p.f.Nodes, n)
	p.off = n.End
}

// Parse splits src into nodes. It accepts any bytes and never fails; the
// places git rejects are returned as problems, in order.
func Parse(path string, src []byte) (*File, []Problem) {
	p := &parser{r: reader{src: src}, f: &File{Path: path, Src: src}, hdr: -1}
	if len(src) > 0 {
		// A line holds at most a node and the trivia before it, mostly.
		p.f.Nodes = make([]Node, 0, 2*bytes.Count(src, []byte{'\n'})+2)
		p.all = string(src)
	}
	if bytes.HasPrefix(src, []byte(utf8BOM)) {
		p.r.pos = len(utf8BOM)
	}
	p.run()
	if p.off < len(src) {
		p.f.Nodes = append(p.f.Nodes, Node{Kind: Trivia, Start: p.off, End: len(src), Text: p.all[p.off:]})
	}
	return p.f, p.problems
}

// run is git_parse_source.
func (p *parser) run() {
	r := &p.r
	comment := false
	for {
		start := r.pos
		c := r.next()
		if c == '\n' {
			if r.eof {
				return
			}
			comment = false
			continue
		}
		if comment || isSpace(c) {
			continue
		}
		if c == '#' || c == ';' {
			comment = true
			continue
		}
		if c == '[' {
			if !p.header(start) {
				// Entries after a broken header belong to no known section.
				p.hdr = -1
				p.bad(start, "invalid section header (write [section] or [section \"subsection\"])")
			}
			continue
		}
		if !isAlpha(c) {
			p.bad(start, "a line must be a section header, a key starting with a letter, or a comment")
			continue
		}
		p.entry(start, c)
	}
}

// bad records a problem and turns the text from start to the end of the
// line where the error was found into a Bad node. Parsing resumes on the
// next line.
func (p *parser) bad(start int, msg string) {
	end := p.f.LineEnd(min(p.r.last, len(p.r.src)))
	if end < start {
		end = start
	}
	p.add(Node{Kind: Bad, Start: start, End: end, Err: msg})
	p.problems = append(p.problems, Problem{Start: start, End: end, Message: msg})
	p.r.pos = end
	p.r.eof = false
}

// header is get_base_var and get_extended_base_var. start is the '['.
func (p *parser) header(start int) bool {
	r := &p.r
	n := Node{Kind: Header, Start: start, NameStart: r.pos}
	var name []byte
	for {
		c := r.next()
		if r.eof {
			return false
		}
		if c == ']' {
			n.NameEnd = r.last
			break
		}
		if isSpace(c) {
			n.NameEnd = r.last
			if !p.subsection(&n, c) {
				return false
			}
			break
		}
		if !isKeyChar(c) && c != '.' {
			return false
		}
		name = append(name, lower(c))
	}
	if len(name) == 0 && !n.Quoted {
		return false
	}
	n.Name = string(name)
	n.End = r.pos
	p.add(n) // sets p.hdr
	return true
}

func (p *parser) subsection(n *Node, c byte) bool {
	r := &p.r
	for {
		if c == '\n' {
			return false
		}
		c = r.next()
		if !isSpace(c) {
			break
		}
	}
	if c != '"' {
		return false
	}
	var sub []byte
	for {
		c := r.next()
		if c == '\n' {
			return false
		}
		if c == '"' {
			break
		}
		if c == '\\' {
			c = r.next()
			if c == '\n' {
				return false
			}
		}
		sub = append(sub, c)
	}
	if r.next() != ']' {
		return false
	}
	n.Quoted = true
	n.Sub = string(sub)
	return true
}

// entry is get_value and parse_value. c is the key's first letter at start.
func (p *parser) entry(start int, c byte) {
	r := &p.r
	n := Node{Kind: Entry, Start: start, KeyStart: start, Hdr: p.hdr, Eq: -1, Comment: -1}
	key := []byte{lower(c)}
	for {
		c = r.next()
		if r.eof || !isKeyChar(c) {
			break
		}
		key = append(key, lower(c))
	}
	n.Key = string(key)
	n.KeyEnd = r.last
	for c == ' ' || c == '\t' {
		c = r.next()
	}
	if c != '\n' {
		if c != '=' {
			p.bad(start, "invalid key name or junk after the key (a key is letters, digits and '-'; a bare key must end the line)")
			return
		}
		n.Eq = r.last
		if !p.value(&n) {
			return
		}
	}
	n.End = r.last
	if r.eof {
		n.End = len(r.src)
	}
	p.add(n)
}

// value is parse_value; it fills the value fields of n.
func (p *parser) value(n *Node) bool {
	r := &p.r
	quote, comment := false, false
	space := 0
	var val []byte
	n.ValStart, n.ValEnd = n.Eq+1, n.Eq+1
	started := false
	plain, toggles, escapes := true, 0, 0
	for {
		c := r.next()
		at := r.last
		if c == '\n' {
			if quote {
				p.bad(n.Start, "unterminated quoted value")
				return false
			}
			n.Value = string(val)
			raw := string(r.src[n.ValStart:n.ValEnd])
			n.Plain = plain && raw == n.Value
			n.QuotedValue = toggles == 2 && escapes == 0 && len(raw) >= 2 && raw[0] == '"' && raw[len(raw)-1] == '"'
			return true
		}
		if comment {
			continue
		}
		if isSpace(c) && !quote {
			if len(val) > 0 {
				space++
			}
			continue
		}
		if !quote && (c == ';' || c == '#') {
			comment = true
			n.Comment = at
			continue
		}
		for ; space > 0; space-- {
			val = append(val, ' ')
		}
		if c == '\\' {
			plain = false
			escapes++
			c = r.next()
			if c == '\n' {
				continue // a continuation: nothing is added
			}
			if !started {
				n.ValStart, started = at, true
			}
			switch c {
			case 't':
				c = '\t'
			case 'b':
				c = '\b'
			case 'n':
				c = '\n'
			case '\\', '"':
			default:
				p.bad(n.Start, "unknown escape sequence in value (git knows only \\\" \\\\ \\n \\t \\b and a backslash at the end of a line)")
				return false
			}
			val = append(val, c)
			n.ValEnd = r.pos
			continue
		}
		if !started {
			n.ValStart, started = at, true
		}
		if c == '"' {
			quote = !quote
			toggles++
			plain = false
			n.ValEnd = r.pos
			continue
		}
		val = append(val, c)
		n.ValEnd = r.pos
	}
}
