package mutt

import "bytes"

// span is where a byte of a value comes from: bytes [start, end) of the
// file with index file (in the order the resolver read the files).
type span struct{ file, start, end int32 }

// rstr is a string whose bytes remember where they come from. A NUL byte
// stands for an unknown part (the output of a command in backticks, an
// environment variable); why says what it is.
type rstr struct {
	b []byte
	// at is the file offset where each byte is shown: the byte itself, the
	// backslash of an escape, the '$' of a variable, the backtick of a command.
	at []int32
	// ex is true where the byte is the file's byte at[i] itself (no escape,
	// no variable), so it can be replaced in place.
	ex  []bool
	org []span
	why map[int]string
}

func (r *rstr) len() int { return len(r.b) }

func (r *rstr) String() string { return string(r.b) }

func (r *rstr) add(b byte, at int32, ex bool, org span, why string) {
	if b == 0 {
		if r.why == nil {
			r.why = map[int]string{}
		}
		r.why[len(r.b)] = why
	}
	r.b = append(r.b, b)
	r.at = append(r.at, at)
	r.ex = append(r.ex, ex)
	r.org = append(r.org, org)
}

// appendSrc appends bytes of the file itself, starting at file offset off.
func (r *rstr) appendSrc(text string, off int) {
	for k := 0; k < len(text); k++ {
		o := int32(off + k)
		r.add(text[k], o, true, span{0, o, o + 1}, "")
	}
}

// copyByte appends byte i of s unchanged.
func (r *rstr) copyByte(s *rstr, i int) {
	r.add(s.b[i], s.at[i], s.ex[i], s.org[i], s.why[i])
}

// slice returns bytes [i, j) of r.
func (r *rstr) slice(i, j int) *rstr {
	out := &rstr{}
	for k := i; k < j; k++ {
		out.copyByte(r, k)
	}
	return out
}

// dynamic reports whether r holds an unknown part, and the first reason.
func (r *rstr) dynamic(i, j int) (bool, string) {
	for k := i; k < j && k < len(r.b); k++ {
		if r.b[k] == 0 {
			return true, r.why[k]
		}
	}
	return false, ""
}

// fileRange returns the file range of bytes [i, j) when they are a verbatim
// copy of contiguous file bytes (so the writer may replace them). For an
// empty range it returns the insertion point between bytes i-1 and i.
func (r *rstr) fileRange(i, j int) (start, end int, ok bool) {
	if i < 0 || j > len(r.b) || i > j {
		return 0, 0, false
	}
	if i == j {
		if i > 0 && r.ex[i-1] {
			p := int(r.at[i-1]) + 1
			return p, p, true
		}
		if i < len(r.b) && r.ex[i] {
			p := int(r.at[i])
			return p, p, true
		}
		return 0, 0, false
	}
	for k := i; k < j; k++ {
		if !r.ex[k] || (k > i && r.at[k] != r.at[k-1]+1) {
			return 0, 0, false
		}
	}
	return int(r.at[i]), int(r.at[j-1]) + 1, true
}

// shownAt returns the file range where bytes [i, j) are shown.
func (r *rstr) shownAt(i, j int) (start, end int) {
	if len(r.at) == 0 {
		return 0, 0
	}
	if i >= len(r.at) {
		p := int(r.at[len(r.at)-1]) + 1
		return p, p
	}
	if j <= i {
		return int(r.at[i]), int(r.at[i])
	}
	start, end = int(r.at[i]), int(r.at[i])+1
	for k := i; k < j && k < len(r.at); k++ {
		e := int(r.at[k]) + 1
		if r.b[k] == 0 && r.org[k].start == r.at[k] {
			e = int(r.org[k].end) // a command in backticks, a $VARIABLE
		}
		if int(r.at[k]) < start {
			start = int(r.at[k])
		}
		if e > end {
			end = e
		}
	}
	return start, end
}

// origins returns the source spans bytes [i, j) came from, merged where
// they touch.
func (r *rstr) origins(i, j int) []span {
	var out []span
	for k := i; k < j && k < len(r.org); k++ {
		if r.b[k] == 0 {
			continue
		}
		o := r.org[k]
		if n := len(out); n > 0 && out[n-1].file == o.file && o.start <= out[n-1].end && o.end >= out[n-1].start {
			out[n-1].start = min(out[n-1].start, o.start)
			out[n-1].end = max(out[n-1].end, o.end)
			continue
		}
		out = append(out, o)
	}
	return out
}

// Flags of cursor.word, as mutt_extract_token's.
const (
	tokEqual = 1 << iota // '=' ends the word (a variable name)
	tokSpace             // blanks do not end the word (a hook's command)
)

// expander resolves $NAME while reading a word; it returns nil for an
// unknown value. start and end are the raw span of the reference.
type expander func(name string) (*rstr, string)

// cursor reads words from a logical line (or a hook's command) the way
// mutt_extract_token does, without ever running anything.
type cursor struct {
	s *rstr
	i int
	// exp expands variables; nil keeps "$NAME" literally.
	exp expander
}

func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

func isAlpha(c byte) bool { return ('a' <= c && c <= 'z') || ('A' <= c && c <= 'Z') }

func isAlnum(c byte) bool { return isAlpha(c) || isDigit(c) }

func (c *cursor) skipWS() {
	for c.i < len(c.s.b) && isSpace(c.s.b[c.i]) {
		c.i++
	}
}

// moreArgs is mutt's MoreArgs: the command has another word.
func (c *cursor) moreArgs() bool {
	return c.i < len(c.s.b) && c.s.b[c.i] != ';' && c.s.b[c.i] != '#'
}

// peek returns the byte at the cursor, or 0 at the end.
func (c *cursor) peek() byte {
	if c.i < len(c.s.b) {
		return c.s.b[c.i]
	}
	return 0
}

// hasPrefix reports whether the text at the cursor starts with p.
func (c *cursor) hasPrefix(p string) bool {
	return bytes.HasPrefix(c.s.b[c.i:], []byte(p))
}

// derived appends a byte produced by the raw bytes [start, end) of s (an
// escape): shown at the escape, not replaceable in place.
func derived(out *rstr, b byte, s *rstr, start, end int) {
	o := s.org[start]
	if last := s.org[end-1]; last.file == o.file && last.end > o.end {
		o.end = last.end
	}
	out.add(b, s.at[start], false, o, "")
}

// word reads one word, as mutt_extract_token with flags.
func (c *cursor) word(flags int) *Word {
	s := c.s
	c.skipWS()
	w := &Word{Start: c.i, val: &rstr{}}
	var qc byte
	fail := func(msg string, at int) *Word {
		w.Err, w.ErrAt, w.End = msg, at, c.i
		return w
	}
	for c.i < len(s.b) {
		ch := s.b[c.i]
		if qc == 0 && ((isSpace(ch) && flags&tokSpace == 0) || ch == '#' || (ch == '=' && flags&tokEqual != 0) || ch == ';') {
			break
		}
		start := c.i
		c.i++
		switch {
		case qc != 0 && ch == qc:
			qc = 0
		case qc == 0 && (ch == '\'' || ch == '"'):
			qc = ch
			w.OpenAt = start
			if w.Quote == 0 {
				w.Quote = ch
			}
		case ch == '\\' && qc != '\'':
			if c.i >= len(s.b) {
				return fail("a backslash ends the line", start)
			}
			e := s.b[c.i]
			c.i++
			out := e
			switch e {
			case 'c', 'C':
				if c.i >= len(s.b) {
					return fail("a backslash ends the line", start)
				}
				x := s.b[c.i]
				if 'a' <= x && x <= 'z' {
					x -= 'a' - 'A'
				}
				out = (x - '@') & 0x7f
				c.i++
			case 'r':
				out = '\r'
			case 'n':
				out = '\n'
			case 't':
				out = '\t'
			case 'f':
				out = '\f'
			case 'e':
				out = 033
			default:
				if isDigit(e) && c.i+1 < len(s.b) && isDigit(s.b[c.i]) && isDigit(s.b[c.i+1]) {
					out = byte(int(e)<<6 + int(s.b[c.i])<<3 + int(s.b[c.i+1]) - 3504)
					c.i += 2
				}
			}
			if out == 0 {
				out = ' ' // mutt's C strings end at NUL; keep the model free of NULs
			}
			derived(w.val, out, s, start, c.i)
		case ch == '`' && (qc == 0 || qc == '"'):
			pc := c.i
			for pc < len(s.b) && s.b[pc] != '`' {
				if s.b[pc] == '\\' {
					if pc+1 >= len(s.b) {
						pc = len(s.b)
						break
					}
					pc += 2
					continue
				}
				pc++
			}
			if pc >= len(s.b) {
				return fail("a backtick is not closed", start)
			}
			w.Backticks = append(w.Backticks, [2]int{start, pc + 1})
			o := s.org[start]
			if last := s.org[pc]; last.file == o.file && last.end > o.end {
				o.end = last.end
			}
			w.val.add(0, s.at[start], false, o, "the output of a command in backticks")
			c.i = pc + 1
		case ch == '$' && (qc == 0 || qc == '"') && c.i < len(s.b) && (s.b[c.i] == '{' || isAlpha(s.b[c.i])):
			var name string
			ok := false
			if s.b[c.i] == '{' {
				c.i++
				if j := bytes.IndexByte(s.b[c.i:], '}'); j >= 0 {
					name, ok = string(s.b[c.i:c.i+j]), true
					c.i += j + 1
				}
			} else {
				j := c.i
				for j < len(s.b) && (isAlnum(s.b[j]) || s.b[j] == '_') {
					j++
				}
				name, ok = string(s.b[c.i:j]), true
				c.i = j
			}
			if !ok {
				continue
			}
			if c.exp == nil {
				for k := start; k < c.i; k++ {
					w.val.copyByte(s, k)
				}
				continue
			}
			v, why := c.exp(name)
			ref := s.org[start]
			if last := s.org[c.i-1]; last.file == ref.file && last.end > ref.end {
				ref.end = last.end
			}
			if v == nil {
				w.val.add(0, s.at[start], false, ref, why)
				continue
			}
			for k := range v.b {
				w.val.add(v.b[k], s.at[start], false, v.org[k], v.why[k])
			}
		default:
			w.val.copyByte(s, start)
		}
	}
	w.Open = qc
	w.End = c.i
	c.skipWS()
	return w
}
