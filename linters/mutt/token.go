package mutt

import "bytes"

// span is where a byte of a value comes from: bytes [start, end) of the
// file with index file (in the order the resolver read the files).
type span struct{ file, start, end int32 }

// rstr is a string whose bytes remember where they come from. A NUL byte
// stands for an unknown part (the output of a command in backticks, an
// environment variable); why says what it is.
//
// For each byte i it knows:
//   - at(i): the file offset where the byte is shown: the byte itself, the
//     backslash of an escape, the '$' of a variable, the backtick of a
//     command;
//   - ex(i): whether the byte is the file's byte at(i) itself (no escape,
//     no variable), so it can be replaced in place;
//   - org(i): the source span the byte comes from;
//   - why(i): for a NUL byte, what the unknown part is.
//
// These are stored as runs (segs) rather than per byte: a run of bytes
// copied from the file shares one seg whose offsets step by one per byte,
// so a line costs a few small allocations whatever its length.
type rstr struct {
	b    []byte
	segs []seg
}

// seg describes bytes [start, next seg's start) of an rstr: the first
// byte's at and org, and whether they advance by one per byte (atStep,
// orgStep; org's start and end both advance) or stay the same.
type seg struct {
	start   int32
	at      int32
	org     span
	atStep  bool
	orgStep bool
	ex      bool
	why     string
}

func (o span) shift(d int32) span { return span{o.file, o.start + d, o.end + d} }

// last returns the at and org of byte k of the run that starts at s.start.
func (s *seg) get(k int) (int32, span) {
	d := int32(k) - s.start
	at, org := s.at, s.org
	if s.atStep {
		at += d
	}
	if s.orgStep {
		org = org.shift(d)
	}
	return at, org
}

func (r *rstr) len() int { return len(r.b) }

func (r *rstr) String() string { return string(r.b) }

// segOf returns the index of the seg that holds byte k (0 <= k < len).
func (r *rstr) segOf(k int) int {
	lo, hi := 0, len(r.segs)
	for hi-lo > 1 {
		m := int(uint(lo+hi) >> 1)
		if int(r.segs[m].start) <= k {
			lo = m
		} else {
			hi = m
		}
	}
	return lo
}

// end returns the index after the last byte of seg i.
func (r *rstr) end(i int) int {
	if i+1 < len(r.segs) {
		return int(r.segs[i+1].start)
	}
	return len(r.b)
}

func (r *rstr) atOf(k int) int32 {
	s := &r.segs[r.segOf(k)]
	at, _ := s.get(k)
	return at
}

func (r *rstr) orgOf(k int) span {
	s := &r.segs[r.segOf(k)]
	_, org := s.get(k)
	return org
}

func (r *rstr) exOf(k int) bool { return r.segs[r.segOf(k)].ex }

func (r *rstr) whyOf(k int) string { return r.segs[r.segOf(k)].why }

// mark records that bytes [n, len(r.b)), just appended, start at at and
// org and step as atStep and orgStep (which matter for two bytes or more).
func (r *rstr) mark(n int, at int32, org span, atStep, orgStep, ex bool, why string) {
	cnt := len(r.b) - n
	if cnt <= 0 {
		return
	}
	if k := len(r.segs); k > 0 {
		l := &r.segs[k-1]
		if l.ex == ex && l.why == why && org.file == l.org.file {
			prevAt, prevOrg := l.get(n - 1)
			aStep, oStep := at == prevAt+1, org == prevOrg.shift(1)
			aSame, oSame := at == prevAt, org == prevOrg
			single := n-1 == int(l.start)
			if (aStep || aSame) && (oStep || oSame) &&
				(single || (aStep == l.atStep && oStep == l.orgStep)) &&
				(cnt == 1 || (aStep == atStep && oStep == orgStep)) {
				l.atStep, l.orgStep = aStep, oStep
				return
			}
		}
	}
	r.segs = append(r.segs, seg{start: int32(n), at: at, org: org, atStep: atStep, orgStep: orgStep, ex: ex, why: why})
}

func (r *rstr) add(b byte, at int32, ex bool, org span, why string) {
	n := len(r.b)
	r.b = append(r.b, b)
	r.mark(n, at, org, false, false, ex, why)
}

// appendSrc appends bytes of the file itself, starting at file offset off.
func (r *rstr) appendSrc(text string, off int) {
	n := len(r.b)
	r.b = append(r.b, text...)
	o := int32(off)
	r.mark(n, o, span{0, o, o + 1}, true, true, true, "")
}

// copyByte appends byte i of s unchanged.
func (r *rstr) copyByte(s *rstr, i int) {
	r.copyRange(s, i, i+1)
}

// copyRange appends bytes [i, j) of s unchanged.
func (r *rstr) copyRange(s *rstr, i, j int) {
	for i < j {
		si := s.segOf(i)
		sg := &s.segs[si]
		e := min(j, s.end(si))
		at, org := sg.get(i)
		n := len(r.b)
		r.b = append(r.b, s.b[i:e]...)
		r.mark(n, at, org, sg.atStep, sg.orgStep, sg.ex, sg.why)
		i = e
	}
}

// setFile records the file index fi in the origins of every byte.
func (r *rstr) setFile(fi int32) {
	for k := range r.segs {
		r.segs[k].org.file = fi
	}
}

// slice returns bytes [i, j) of r.
func (r *rstr) slice(i, j int) *rstr {
	out := &rstr{}
	out.copyRange(r, i, j)
	return out
}

// dynamic reports whether r holds an unknown part, and the first reason.
func (r *rstr) dynamic(i, j int) (bool, string) {
	j = min(j, len(r.b))
	if i >= j {
		return false, ""
	}
	if k := bytes.IndexByte(r.b[i:j], 0); k >= 0 {
		return true, r.whyOf(i + k)
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
		if i > 0 && r.exOf(i-1) {
			p := int(r.atOf(i-1)) + 1
			return p, p, true
		}
		if i < len(r.b) && r.exOf(i) {
			p := int(r.atOf(i))
			return p, p, true
		}
		return 0, 0, false
	}
	var prev int32
	for k := i; k < j; {
		si := r.segOf(k)
		sg := &r.segs[si]
		e := min(j, r.end(si))
		if !sg.ex || (e-k > 1 && !sg.atStep) {
			return 0, 0, false
		}
		at, _ := sg.get(k)
		if k > i && at != prev+1 {
			return 0, 0, false
		}
		prev, _ = sg.get(e - 1)
		k = e
	}
	return int(r.atOf(i)), int(prev) + 1, true
}

// shownAt returns the file range where bytes [i, j) are shown.
func (r *rstr) shownAt(i, j int) (start, end int) {
	if len(r.b) == 0 {
		return 0, 0
	}
	if i >= len(r.b) {
		p := int(r.atOf(len(r.b)-1)) + 1
		return p, p
	}
	if j <= i {
		a := int(r.atOf(i))
		return a, a
	}
	a0 := int(r.atOf(i))
	start, end = a0, a0+1
	j = min(j, len(r.b))
	for k := i; k < j; {
		si := r.segOf(k)
		sg := &r.segs[si]
		e := min(j, r.end(si))
		for ; k < e; k++ {
			a, org := sg.get(k)
			en := int(a) + 1
			if r.b[k] == 0 && org.start == a {
				en = int(org.end) // a command in backticks, a $VARIABLE
			}
			start = min(start, int(a))
			end = max(end, en)
		}
	}
	return start, end
}

// origins returns the source spans bytes [i, j) came from, merged where
// they touch.
func (r *rstr) origins(i, j int) []span {
	var out []span
	j = min(j, len(r.b))
	for k := i; k < j; {
		si := r.segOf(k)
		sg := &r.segs[si]
		e := min(j, r.end(si))
		for ; k < e; k++ {
			if r.b[k] == 0 {
				continue
			}
			_, o := sg.get(k)
			if n := len(out); n > 0 && out[n-1].file == o.file && o.start <= out[n-1].end && o.end >= out[n-1].start {
				out[n-1].start = min(out[n-1].start, o.start)
				out[n-1].end = max(out[n-1].end, o.end)
				continue
			}
			out = append(out, o)
		}
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
	// novalue skips decoding the words' values (Word.Value decodes them
	// when asked): splitting a file only needs their extents.
	novalue bool
	// ar, when set, holds the bytes of the words' values.
	ar *arena
}

// arena hands out the backing arrays of word values from larger chunks:
// a value is built by appending to the free part of the chunk, which it
// then owns (its capacity is cut to its length), so reading a file takes a
// few allocations instead of several per word. One word at a time may be
// built from an arena.
type arena struct {
	b    []byte
	segs []seg
	// words and vals are slabs the cursor's words are taken from; cmds,
	// wptrs and cptrs those of splitCommands' commands and their lists;
	// args and cmdBuf are scratch space for lists being built.
	words  []Word
	vals   []wordVal
	cmds   []Command
	wptrs  []*Word
	cptrs  []*Command
	args   []*Word
	cmdBuf []*Command
}

// newCommand returns a zero Command from a slab.
func (a *arena) newCommand() *Command {
	if len(a.cmds) == cap(a.cmds) {
		a.cmds = make([]Command, 0, 16)
	}
	a.cmds = a.cmds[:len(a.cmds)+1]
	return &a.cmds[len(a.cmds)-1]
}

// wordList returns a copy of ws (nil when empty) from a slab.
func (a *arena) wordList(ws []*Word) []*Word {
	if len(ws) == 0 {
		return nil
	}
	if cap(a.wptrs)-len(a.wptrs) < len(ws) {
		a.wptrs = make([]*Word, 0, max(64, len(ws)))
	}
	n := len(a.wptrs)
	a.wptrs = append(a.wptrs, ws...)
	return a.wptrs[n:len(a.wptrs):len(a.wptrs)]
}

// cmdScratch returns cmds, the commands of the line so far, in the
// arena's scratch space, ready for one more.
func (a *arena) cmdScratch(cmds []*Command) []*Command {
	if len(cmds) == 0 {
		return a.cmdBuf[:0]
	}
	return cmds
}

// commandList returns a copy of cmds (nil when empty) from a slab and
// keeps the scratch space cmds used.
func (a *arena) commandList(cmds []*Command) []*Command {
	if len(cmds) == 0 {
		return nil
	}
	a.cmdBuf = cmds[:0]
	if cap(a.cptrs)-len(a.cptrs) < len(cmds) {
		a.cptrs = make([]*Command, 0, max(32, len(cmds)))
	}
	n := len(a.cptrs)
	a.cptrs = append(a.cptrs, cmds...)
	return a.cptrs[n:len(a.cptrs):len(a.cptrs)]
}

// newWord returns a zero Word from the slab.
func (a *arena) newWord() *Word {
	if len(a.words) == cap(a.words) {
		a.words = make([]Word, 0, 32)
	}
	a.words = a.words[:len(a.words)+1]
	return &a.words[len(a.words)-1]
}

// newWordVal returns a zero wordVal from the slab.
func (a *arena) newWordVal() *wordVal {
	if len(a.vals) == cap(a.vals) {
		a.vals = make([]wordVal, 0, 16)
	}
	a.vals = a.vals[:len(a.vals)+1]
	return &a.vals[len(a.vals)-1]
}

// start makes r's empty value slices point at the arena's free space.
func (a *arena) start(r *rstr) {
	if cap(a.b)-len(a.b) < 64 {
		a.b = make([]byte, 0, 2048)
	}
	if cap(a.segs)-len(a.segs) < 4 {
		a.segs = make([]seg, 0, 64)
	}
	r.b = a.b[len(a.b):len(a.b)]
	r.segs = a.segs[len(a.segs):len(a.segs)]
}

// finish hands the space r's value uses to r.
func (a *arena) finish(r *rstr) {
	claim(&a.b, &r.b)
	claim(&a.segs, &r.segs)
}

// claim moves the used part of the free space of pool to s, when s was
// built there (and not moved by a growing append).
func claim[T any](pool, s *[]T) {
	free := (*pool)[len(*pool):cap(*pool)]
	if cap(*s) > 0 && len(free) > 0 && &(*s)[:1][0] == &free[0] {
		*pool = (*pool)[:len(*pool)+len(*s)]
	}
	*s = (*s)[:len(*s):len(*s)]
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

// plain reports whether word reads ch, inside quote qc (or 0), as itself:
// not a quote, escape, command, variable or the end of the word.
func plain(ch, qc byte, flags int) bool {
	switch ch {
	case '\\', '`', '$', '\'', '"':
		return false
	}
	if qc == 0 && (ch == '#' || ch == ';' || (ch == '=' && flags&tokEqual != 0) || (isSpace(ch) && flags&tokSpace == 0)) {
		return false
	}
	return true
}

// derived appends a byte produced by the raw bytes [start, end) of s (an
// escape): shown at the escape, not replaceable in place.
func derived(out *rstr, b byte, s *rstr, start, end int) {
	o := s.orgOf(start)
	if last := s.orgOf(end - 1); last.file == o.file && last.end > o.end {
		o.end = last.end
	}
	out.add(b, s.atOf(start), false, o, "")
}

// wordVal is a Word and its value, allocated together.
type wordVal struct {
	w Word
	v rstr
}

// word reads one word, as mutt_extract_token with flags.
func (c *cursor) word(flags int) *Word {
	c.skipWS()
	var w *Word
	switch {
	case c.novalue:
		if c.ar != nil {
			w = c.ar.newWord()
		} else {
			w = &Word{}
		}
		w.Start, w.src, w.flags = c.i, c.s, flags
	case c.ar != nil:
		wv := c.ar.newWordVal()
		w = &wv.w
		w.Start, w.val = c.i, &wv.v
		c.ar.start(w.val)
		defer c.ar.finish(w.val)
	default:
		wv := &wordVal{}
		w = &wv.w
		w.Start, w.val = c.i, &wv.v
	}
	return c.read(w, flags)
}

// read reads the word w that starts at the cursor.
func (c *cursor) read(w *Word, flags int) *Word {
	s := c.s
	val := w.val // nil with novalue
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
			if val != nil {
				derived(val, out, s, start, c.i)
			}
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
			o := s.orgOf(start)
			if last := s.orgOf(pc); last.file == o.file && last.end > o.end {
				o.end = last.end
			}
			if val != nil {
				val.add(0, s.atOf(start), false, o, "the output of a command in backticks")
			}
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
				if val != nil {
					val.copyRange(s, start, c.i)
				}
				continue
			}
			v, why := c.exp(name)
			ref := s.orgOf(start)
			if last := s.orgOf(c.i - 1); last.file == ref.file && last.end > ref.end {
				ref.end = last.end
			}
			if v == nil {
				w.val.add(0, s.atOf(start), false, ref, why)
				continue
			}
			at := s.atOf(start)
			for k := 0; k < len(v.b); {
				si := v.segOf(k)
				sg := &v.segs[si]
				e := v.end(si)
				_, org := sg.get(k)
				n := len(w.val.b)
				w.val.b = append(w.val.b, v.b[k:e]...)
				w.val.mark(n, at, org, false, sg.orgStep, false, sg.why)
				k = e
			}
		default:
			// Copy this byte and the plain ones after it in one go.
			e := c.i
			for e < len(s.b) && plain(s.b[e], qc, flags) {
				e++
			}
			if val != nil {
				val.copyRange(s, start, e)
			}
			c.i = e
		}
	}
	w.Open = qc
	w.End = c.i
	c.skipWS()
	return w
}
