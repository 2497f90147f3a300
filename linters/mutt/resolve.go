package mutt

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/maillint/maillint/linters"
)

// maxDepth bounds nested source commands, maxRuns the files read in all
// (a file sourcing two others at each level would otherwise take 2^depth
// reads), maxLines the lines run in all (hooks run their commands again).
const (
	maxDepth = 16
	maxRuns  = 256
	maxLines = 200000
)

// op says how an assignment was written, so the writer can flip it.
type op int

const (
	opValue  op = iota // set x=value
	opBare             // set x (a boolean or quadoption turned on)
	opNo               // set nox
	opInv              // set invx
	opUnset            // unset x
	opToggle           // toggle x
	opReset            // reset x, set &x
)

// setCmd is one set/unset/toggle/reset command, shared by its assignments.
type setCmd struct {
	n int // number of variables it names
}

// assign records where and how a variable got its value.
type assign struct {
	name    string // canonical name
	written string // the name as written, without prefix
	file    int
	src     *rstr // the text the command was read from
	op      op
	cmdW    [2]int // raw span of the command word in src
	prefix  [2]int // raw span of a no/inv/& prefix
	nameW   [2]int // raw span of the variable name
	valW    [2]int // raw span of the value word
	cmd     *setCmd
	inHook  bool
	logical *Logical // the logical line (nil inside a hook's command)
}

// value is the current value of a variable.
type value struct {
	typ  varType
	on   bool   // booleans
	quad string // quadoptions: yes, no, ask-yes, ask-no
	s    *rstr  // strings and numbers
	asg  *assign
	// dyn is non-empty when the whole value is unknown; it says why.
	dyn string
	// dynAt is where the unknown value comes from when asg is nil.
	dynAt *linters.Range
}

// str returns the value as a string, as $NAME expands it.
func (v *value) str() string {
	switch v.typ {
	case varBool:
		if v.on {
			return "yes"
		}
		return "no"
	case varQuad:
		return v.quad
	}
	if v.s == nil {
		return ""
	}
	return v.s.String()
}

// pipedVars are the variables a `source "command|"` is taken to set when
// they are not set after it: credentials and the account's identity, which
// people keep in encrypted files. TLS settings are not: their defaults stay.
var pipedVars = words(`smtp_url smtp_pass smtp_user imap_user imap_login imap_pass
pop_user pop_pass from real_name folder spool_file sendmail`)

// defaults are the compile-time defaults of the variables the model reads.
var defaults = map[string]string{
	"ssl_force_tls": "yes", "ssl_starttls": "yes", "ssl_verify_host": "yes", "ssl_verify_dates": "yes",
	"smtp_url": "", "smtp_pass": "", "smtp_user": "", "smtp_authenticators": "", "imap_pass": "",
	"imap_authenticators": "", "folder": "~/Mail", "sendmail": "/usr/sbin/sendmail -oem -oi",
	"from": "", "spool_file": "",
}

// state is the set of variables at one point of reading.
type state struct {
	vars map[string]*value
	// unknown is non-empty after a `source "command|"`: a variable not set
	// since then may have any value. It says why.
	unknown   string
	unknownAt linters.Range
	// touched are the variables assigned since the state was cloned.
	touched map[string]bool
}

func newState() *state { return &state{vars: map[string]*value{}, touched: map[string]bool{}} }

func (st *state) clone() *state {
	n := &state{vars: make(map[string]*value, len(st.vars)), unknown: st.unknown, unknownAt: st.unknownAt, touched: map[string]bool{}}
	for k, v := range st.vars {
		n.vars[k] = v
	}
	return n
}

// get returns the value of a canonical variable: written, unknown, or the
// default.
func (st *state) get(name string) *value {
	if v := st.vars[name]; v != nil {
		return v
	}
	typ := typeOf(name)
	if st.unknown != "" && pipedVars[name] {
		at := st.unknownAt
		return &value{typ: typ, dyn: st.unknown, dynAt: &at}
	}
	def, ok := defaults[name]
	if !ok {
		return &value{typ: typ, dyn: "the default of $" + name}
	}
	v := &value{typ: typ}
	switch typ {
	case varBool:
		v.on = def == "yes"
	case varQuad:
		v.quad = def
	default:
		v.s = &rstr{}
		for k := 0; k < len(def); k++ {
			v.s.add(def[k], -1, false, span{-1, 0, 0}, "")
		}
	}
	return v
}

func (st *state) set(name string, v *value) {
	st.vars[name] = v
	st.touched[name] = true
}

// hookDef is a hook whose command may set variables later.
type hookDef struct {
	kind    string
	not     bool
	pattern string
	body    *rstr
	file    int
	at      linters.Range
}

// srcFile is one file read.
type srcFile struct {
	file *File
	sf   *linters.SourceFile
}

// evaluator reads a configuration and the files it sources.
type evaluator struct {
	ctx    *linters.Context
	files  []*srcFile
	byPath map[string]int
	stack  []int
	hooks  []*hookDef
	diags  []linters.Finding
	seen   map[string]bool
	// states are the accounts' states, in the order of Document.Accounts.
	states []acctState
	// runs and lines count the work done, bounded by maxRuns and maxLines.
	runs, lines int
	// ar holds the values of the words read.
	ar arena
	// secrets and passwords hold the ranges recorded, as file, start and
	// end, so that recording thousands of them stays linear.
	secrets, passwords map[[3]int]bool
	// assigned holds the variables a set, unset, toggle or reset names
	// anywhere; renames the fixes that rename a misspelled variable, which
	// settleRenames withdraws when the right name is assigned too.
	assigned map[string]bool
	renames  []rename
}

// rename is a finding (an index in evaluator.diags) whose fix renames a
// misspelled variable to the name to.
type rename struct {
	diag int
	to   string
}

// settleRenames withdraws the fix of a misspelled variable when the
// configuration also sets the right name: renaming would set it twice,
// and which value was meant is not clear.
func (e *evaluator) settleRenames() {
	targets := map[string]int{}
	for _, r := range e.renames {
		targets[r.to]++
	}
	for _, r := range e.renames {
		d := &e.diags[r.diag]
		switch {
		case e.assigned[r.to]:
			d.Message += fmt.Sprintf(" (%s is also set, so maillint does not rename it)", r.to)
		case targets[r.to] > 1:
			d.Message += fmt.Sprintf(" (another misspelled variable would also become %s, so maillint renames neither)", r.to)
		default:
			continue
		}
		d.Fix = nil
	}
	e.renames = nil
}

// diag records a parser finding once.
func (e *evaluator) diag(rule string, sev linters.Severity, at linters.Range, fix *linters.Fix, format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	key := fmt.Sprintf("%s|%s|%d|%d|%s", rule, at.Path, at.Start.Offset, at.End.Offset, msg)
	if e.seen[key] {
		return
	}
	e.seen[key] = true
	e.diags = append(e.diags, linters.Finding{Rule: rule, Severity: sev, Message: msg, At: at, Fix: fix})
}

// rangeOf returns the Range of file offsets [start, end) in file fi.
func (e *evaluator) rangeOf(fi, start, end int) linters.Range {
	if fi < 0 || fi >= len(e.files) {
		return linters.Range{}
	}
	return e.files[fi].sf.Index.Range(start, end)
}

// shown returns the Range where bytes [i, j) of s are shown.
func (e *evaluator) shown(fi int, s *rstr, i, j int) linters.Range {
	a, b := s.shownAt(i, j)
	return e.rangeOf(fi, a, b)
}

// edit returns a TextEdit replacing bytes [i, j) of s, or false when they
// are not verbatim file bytes.
func (e *evaluator) edit(fi int, s *rstr, i, j int, text string) (linters.TextEdit, bool) {
	a, b, ok := s.fileRange(i, j)
	if !ok || fi < 0 || fi >= len(e.files) {
		return linters.TextEdit{}, false
	}
	return linters.TextEdit{Path: e.files[fi].sf.Path, Start: a, End: b, New: text}, true
}

// addFile registers a file read and reports its lexical problems.
func (e *evaluator) addFile(path string, src []byte, mode fs.FileMode) int {
	fi := len(e.files)
	f := Parse(path, src)
	f.setFile(fi)
	sf := &linters.SourceFile{Path: path, Src: src, Index: linters.NewLineIndex(path, src)}
	sf.Mode = mode
	e.files = append(e.files, &srcFile{file: f, sf: sf})
	e.byPath[filepath.Clean(path)] = fi
	e.lexical(fi)
	maskURLPasswords(f, func(start, end int) { e.secret(fi, start, end) })
	return fi
}

// setFile records the file index in the origins of every byte.
func (f *File) setFile(fi int) {
	for _, lg := range f.Logical {
		lg.text.setFile(int32(fi))
	}
}

const utf8BOM = "\xef\xbb\xbf"

// lexical reports the problems of a file that do not depend on values:
// a byte order mark, a comment that swallows the next line, a quote or
// backtick left open.
func (e *evaluator) lexical(fi int) {
	f := e.files[fi].file
	path := f.Path
	if bytes.HasPrefix(f.Src, []byte(utf8BOM)) {
		e.diag("syntax", linters.Error, e.rangeOf(fi, 0, len(utf8BOM)),
			&linters.Fix{Message: "remove the byte order mark", Edits: []linters.TextEdit{{Path: path, Start: 0, End: len(utf8BOM)}}},
			"the file starts with a UTF-8 byte order mark; mutt reads it as part of the first command, which it then rejects")
	}
	for _, lg := range f.Logical {
		if lg.Comment >= 0 && lg.Last > lg.First {
			commentAt := lg.Offset(lg.Comment)
			for i := lg.First; i < lg.Last; i++ {
				l := f.Lines[i]
				bs := l.Offset + len(l.Text) - 1
				if bs < commentAt {
					continue
				}
				next := f.Lines[i+1]
				cut := bs
				for cut > commentAt && (f.Src[cut-1] == ' ' || f.Src[cut-1] == '\t') {
					cut--
				}
				fix := &linters.Fix{Message: "remove the backslash", Applicability: linters.Unsafe,
					Edits: []linters.TextEdit{{Path: path, Start: cut, End: bs + 1}}}
				e.diag("syntax", linters.Error, e.rangeOf(fi, bs, bs+1), fix,
					"this comment ends in a backslash, so mutt reads the next line (line %d) as part of the comment and ignores it",
					e.rangeOf(fi, next.Offset, next.Offset).Start.Line)
				break
			}
		}
		for _, c := range lg.Commands {
			for _, w := range append([]*Word{c.Name}, c.Args...) {
				if w.Open != 0 {
					at := lg.Offset(w.OpenAt)
					e.diag("syntax", linters.Error, e.rangeOf(fi, at, at+1), nil,
						"the %s opened here is not closed; mutt reads the rest of the line into this value", quoteName(w.Open))
				}
				if w.Err != "" {
					at := lg.Offset(w.ErrAt)
					e.diag("syntax", linters.Error, e.rangeOf(fi, at, at+1), nil, "%s; mutt rejects the rest of this command", w.Err)
				}
			}
		}
	}
}

func quoteName(q byte) string {
	if q == '\'' {
		return "single quote (')"
	}
	return "double quote (\")"
}

// read reads a sourced file (once) and returns its index.
func (e *evaluator) read(path string) (int, error) {
	if fi, ok := e.byPath[filepath.Clean(path)]; ok {
		return fi, nil
	}
	data, mode, err := e.ctx.Read(path)
	if err != nil {
		return -1, err
	}
	if bytes.IndexByte(data, 0) >= 0 {
		return -1, ErrBinary
	}
	return e.addFile(path, data, mode), nil
}

// runFile reads the commands of file fi into st.
func (e *evaluator) runFile(st *state, fi, depth int) {
	e.runs++
	e.stack = append(e.stack, fi)
	defer func() { e.stack = e.stack[:len(e.stack)-1] }()
	for _, lg := range e.files[fi].file.Logical {
		if !e.runLine(st, fi, lg.text, lg, false, depth) {
			return // finish
		}
	}
}

// runLine runs the commands of one logical line (or of a hook's command)
// as mutt_parse_rc_buffer does. It returns false after `finish`.
func (e *evaluator) runLine(st *state, fi int, src *rstr, lg *Logical, inHook bool, depth int) bool {
	if e.lines++; e.lines > maxLines {
		return false
	}
	c := &cursor{s: src, exp: e.expander(st, fi), ar: &e.ar}
	c.skipWS()
	for c.i < len(src.b) {
		switch src.b[c.i] {
		case '#':
			return true
		case ';':
			c.i++
			c.skipWS()
			continue
		}
		w := c.word(0)
		if w.End == w.Start {
			c.i++ // nothing read (cannot happen after skipWS); never loop
			continue
		}
		name := w.val.String()
		r, more := e.command(st, fi, src, lg, c, w, name, inHook, depth)
		if !r {
			return true // an error: mutt ignores the rest of the line
		}
		if !more {
			return false
		}
	}
	return true
}

// command runs one command. ok is false after an error (the rest of the
// line is ignored); more is false after `finish`.
func (e *evaluator) command(st *state, fi int, src *rstr, lg *Logical, c *cursor, w *Word, name string, inHook bool, depth int) (ok, more bool) {
	switch name {
	case "set", "unset", "toggle", "reset":
		return e.parseSet(st, fi, src, lg, c, w, name, inHook), true
	case "source":
		return e.parseSource(st, fi, src, c, w, inHook, depth), true
	case "finish":
		return true, false
	case "run":
		body := c.word(0)
		if c.moreArgs() {
			e.diag("syntax", linters.Error, e.shown(fi, src, w.Start, c.i), nil, "run takes one command; quote it (mutt rejects this line)")
			return false, true
		}
		if depth < maxDepth {
			e.runLine(st, fi, body.val, nil, true, depth+1)
		}
		return true, true
	case "ifdef", "ifndef":
		sym := c.word(0)
		if !c.moreArgs() {
			return false, true
		}
		body := c.word(tokSpace)
		s := sym.val.String()
		known := typeOf(s) != varUnknown || knownCommand(s)
		if known == (name == "ifdef") && depth < maxDepth {
			e.runLine(st, fi, body.val, nil, true, depth+1)
		}
		return true, true
	}
	if hookCommands[name] {
		return e.parseHook(st, fi, src, c, w, name, inHook), true
	}
	if strings.IndexByte(name, 0) >= 0 {
		// The command name comes from a command in backticks: unknown.
		for c.moreArgs() {
			c.word(0)
		}
		return true, true
	}
	if !knownCommand(name) {
		if isSecretVar(strings.ToLower(name)) {
			// "smtp_pass = x" without set: the rest is a password.
			e.maskRest(c)
		}
		at := e.shown(fi, src, w.Start, w.End)
		if strings.HasPrefix(name, utf8BOM) && at.Start.Offset == 0 {
			return false, true // reported as the byte order mark
		}
		var fix *linters.Fix
		msg := fmt.Sprintf("unknown command %q; mutt ignores the rest of the line", name)
		if !safeName(name) {
			msg = "unknown command (this word is not a command name); mutt ignores the rest of the line"
		}
		if s, exact := suggest(name, []map[string]bool{commandNames}); s != "" && safeName(name) {
			if te, ok := e.edit(fi, src, w.Start, w.End, s); ok {
				fix = &linters.Fix{Message: "write " + s, Edits: []linters.TextEdit{te}}
				if !exact {
					fix.Applicability = linters.Unsafe
				}
			}
			if exact {
				msg = fmt.Sprintf("unknown command %q: commands are case-sensitive; write %q", name, s)
			} else {
				msg = fmt.Sprintf("unknown command %q (did you mean %q?); mutt ignores the rest of the line", name, s)
			}
		}
		e.diag("unknown-key", linters.Error, at, fix, "%s", msg)
		return false, true
	}
	for c.moreArgs() {
		c.word(0)
	}
	return true, true
}

// parseSet is mutt's parse_set.
func (e *evaluator) parseSet(st *state, fi int, src *rstr, lg *Logical, c *cursor, cw *Word, cmdName string, inHook bool) bool {
	group := &setCmd{}
	for c.moreArgs() {
		query, unset, inv, reset := false, cmdName == "unset", cmdName == "toggle", cmdName == "reset"
		pStart := c.i
		prefixOp := op(-1)
		switch {
		case c.peek() == '?':
			query = true
			c.i++
		case c.hasPrefix("no"):
			c.i += 2
			unset = !unset
			prefixOp = opNo
		case c.hasPrefix("inv"):
			c.i += 3
			inv = !inv
			prefixOp = opInv
		case c.peek() == '&':
			reset = true
			c.i++
			prefixOp = opReset
		}
		pEnd := c.i
		nw := c.word(tokEqual)
		written := nw.val.String()
		myvar := strings.HasPrefix(written, "my_")
		typ := typeOf(written)
		if !myvar && typ == varUnknown && !(reset && written == "all") {
			e.unknownVar(fi, src, pStart, pEnd, nw, written)
			if isSecretVar(written) {
				// A misspelled password variable still holds a password:
				// mask the rest of the command (mutt ignores it).
				e.maskRest(c)
			}
			return false
		}
		name := canonical(written)
		if !query {
			e.assigned[name] = true
		}
		group.n++
		a := &assign{name: name, written: written, file: fi, src: src, cmdW: [2]int{cw.Start, cw.End},
			prefix: [2]int{pStart, pEnd}, nameW: [2]int{nw.Start, nw.End}, cmd: group, inHook: inHook, logical: lg}
		switch {
		case cmdName == "unset":
			a.op = opUnset
		case cmdName == "toggle":
			a.op = opToggle
		case cmdName == "reset":
			a.op = opReset
		default:
			a.op = opBare
		}
		if prefixOp >= 0 {
			a.op = prefixOp
		}
		c.skipWS()
		if reset {
			if query || unset || inv || c.peek() == '=' {
				e.diag("syntax", linters.Error, e.shown(fi, src, pStart, nw.End), nil, "reset takes a variable name only")
				return false
			}
			if written == "all" {
				for k := range st.vars {
					if !strings.HasPrefix(k, "my_") {
						delete(st.vars, k)
					}
				}
				st.unknown = ""
				return true
			}
			if myvar {
				delete(st.vars, name)
				continue
			}
			def := newState().get(name)
			def.asg = a
			st.set(name, def)
			continue
		}
		switch {
		case !myvar && typ == varBool:
			v := &value{typ: varBool, asg: a}
			if c.peek() == '=' {
				if unset || inv || query {
					e.diag("syntax", linters.Error, e.shown(fi, src, pStart, nw.End), nil, "a prefix (no, inv, ?) cannot be combined with =value")
					return false
				}
				c.i++
				vw := c.word(0)
				a.op, a.valW = opValue, [2]int{vw.Start, vw.End}
				val := vw.val.String()
				switch {
				case strings.EqualFold(val, "yes"):
					unset = false
				case strings.EqualFold(val, "no"):
					unset = true
				default:
					if d, _ := vw.val.dynamic(0, vw.val.len()); d {
						v.dyn = "a value mutt reads from " + dynWhy(vw.val)
						st.set(name, v)
						continue
					}
					e.badBool(fi, src, vw, written, []string{"yes", "no"})
					return false
				}
			}
			if query {
				return true
			}
			switch {
			case unset:
				v.on = false
			case inv:
				cur := st.get(name)
				v.on, v.dyn = !cur.on, cur.dyn
			default:
				v.on = true
			}
			st.set(name, v)
		case myvar || typ == varString:
			if unset {
				if myvar {
					delete(st.vars, name)
					continue
				}
				st.set(name, &value{typ: varString, s: &rstr{}, asg: a})
				continue
			}
			if query || c.peek() != '=' {
				if !query && c.moreArgs() {
					e.missingEquals(fi, src, c, nw, written)
					return false
				}
				return true // a query: mutt stops reading this set command
			}
			c.i++
			vw := c.word(0)
			a.op, a.valW = opValue, [2]int{vw.Start, vw.End}
			val := vw.val
			if isSecretVar(name) {
				e.secretOf(val, 0, val.len())
				if d, _ := val.dynamic(0, val.len()); !d && val.len() > 0 {
					e.passwordOf(val, 0, val.len())
				}
			} else if bytes.Contains(val.b, []byte("://")) {
				// A password in a URL (smtp_url, folder, a my_ variable) is
				// recorded where it is written, also when a later set
				// overrides the variable: the secret is still in the file.
				if u, ok := parseMailURL(val); ok && u.hasPass && u.pass[0] < u.pass[1] {
					e.secretOf(val, u.pass[0], u.pass[1])
					if d, _ := val.dynamic(u.pass[0], u.pass[1]); !d {
						e.passwordOf(val, u.pass[0], u.pass[1])
					}
				}
			}
			if name == "folder" || name == "spool_file" {
				val = e.expandTilde(val)
			}
			st.set(name, &value{typ: varString, s: val, asg: a})
		case typ == varNumber:
			if query || c.peek() != '=' {
				return true
			}
			c.i++
			vw := c.word(0)
			a.op, a.valW = opValue, [2]int{vw.Start, vw.End}
			val := strings.TrimSpace(vw.val.String())
			if d, _ := vw.val.dynamic(0, vw.val.len()); !d {
				if _, err := strconv.ParseInt(val, 10, 16); err != nil {
					e.diag("syntax", linters.Error, e.shown(fi, src, vw.Start, vw.End), nil, "%s is a number; mutt rejects this value and the rest of the line", written)
					return false
				}
			}
			st.set(name, &value{typ: varNumber, s: vw.val, asg: a})
		case typ == varQuad:
			if query {
				return true
			}
			v := &value{typ: varQuad, asg: a}
			if c.peek() == '=' {
				c.i++
				vw := c.word(0)
				a.op, a.valW = opValue, [2]int{vw.Start, vw.End}
				val := strings.ToLower(vw.val.String())
				switch val {
				case "yes", "no", "ask-yes", "ask-no":
					v.quad = val
				default:
					if d, _ := vw.val.dynamic(0, vw.val.len()); d {
						v.dyn = "a value mutt reads from " + dynWhy(vw.val)
						st.set(name, v)
						continue
					}
					e.badBool(fi, src, vw, written, []string{"yes", "no", "ask-yes", "ask-no"})
					return false
				}
			} else {
				switch {
				case inv:
					cur := st.get(name)
					v.dyn = cur.dyn
					v.quad = map[string]string{"yes": "no", "no": "yes", "ask-yes": "ask-no", "ask-no": "ask-yes"}[cur.quad]
				case unset:
					v.quad = "no"
				default:
					v.quad = "yes"
				}
			}
			st.set(name, v)
		}
	}
	return true
}

// maskRest records the words from the cursor to the end of the command
// as secrets (and passwords where they are written out): they follow a
// password variable's name in a command mutt rejects. The cursor does not
// move.
func (e *evaluator) maskRest(c *cursor) {
	save := c.i
	for n := 0; n < 64 && c.moreArgs(); n++ {
		c.skipWS()
		if c.i < len(c.s.b) && c.s.b[c.i] == '=' {
			c.i++
			continue
		}
		w := c.word(0)
		if w.End <= w.Start {
			break
		}
		if w.val.len() == 0 {
			continue
		}
		e.secretOf(w.val, 0, w.val.len())
		if d, _ := w.val.dynamic(0, w.val.len()); !d {
			e.passwordOf(w.val, 0, w.val.len())
		}
	}
	c.i = save
}

// missingEquals reports "set NAME VALUE": mutt reads NAME as a query and
// VALUE as a command, which it rejects. The value is never quoted in the
// message (it may be a password) and is masked when it is one.
func (e *evaluator) missingEquals(fi int, src *rstr, c *cursor, nw *Word, name string) {
	save := c.i
	vw := c.word(0)
	c.i = save
	if isSecretVar(canonical(name)) || bytes.Contains(vw.val.b, []byte("://")) {
		e.secretOf(vw.val, 0, vw.val.len())
		for _, o := range src.origins(vw.Start, vw.End) {
			e.secret(int(o.file), int(o.start), int(o.end))
		}
	}
	var fix *linters.Fix
	if te, ok := e.edit(fi, src, nw.End, nw.End, " ="); ok {
		fix = &linters.Fix{Message: "write = before the value", Applicability: linters.Unsafe, Edits: []linters.TextEdit{te}}
	}
	e.diag("syntax", linters.Error, e.shown(fi, src, nw.Start, nw.End), fix,
		"%s is followed by a value without \"=\"; mutt reads the value as a command and rejects it", name)
}

// safeName reports whether a name read from the file may be quoted in a
// message: a plausible command or variable name, not a stray value.
func safeName(s string) bool {
	if s == "" || len(s) > 40 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(isAlnum(c) || c == '_' || c == '-') {
			return false
		}
	}
	return true
}

// dynWhy returns the reason of the first unknown part of s.
func dynWhy(s *rstr) string {
	_, why := s.dynamic(0, s.len())
	if why == "" {
		why = "something maillint does not know"
	}
	return why
}

// unknownVar reports a set of a variable neither mutt nor neomutt knows.
func (e *evaluator) unknownVar(fi int, src *rstr, pStart, pEnd int, nw *Word, written string) {
	at := e.shown(fi, src, pStart, nw.End)
	full := string(src.b[pStart:pEnd]) + written
	if strings.IndexByte(written, 0) >= 0 {
		return // the name comes from a command: unknown, not wrong
	}
	var fix *linters.Fix
	msg := fmt.Sprintf("unknown variable %q; mutt ignores the rest of the line", full)
	if !safeName(full) {
		msg = "unknown variable (this word is not a variable name); mutt ignores the rest of the line"
	}
	s, exact := suggest(written, allVars)
	if s != "" && safeName(full) {
		if te, ok := e.edit(fi, src, nw.Start, nw.End, s); ok {
			fix = &linters.Fix{Message: "write " + s, Edits: []linters.TextEdit{te}}
			if !exact {
				fix.Applicability = linters.Unsafe
			}
		}
		if exact {
			msg = fmt.Sprintf("unknown variable %q: variable names are case-sensitive; write %q", written, s)
		} else {
			msg = fmt.Sprintf("unknown variable %q (did you mean %q?); mutt ignores the rest of the line", written, s)
		}
	}
	n := len(e.diags)
	e.diag("unknown-key", linters.Error, at, fix, "%s", msg)
	if fix != nil && len(e.diags) > n {
		e.renames = append(e.renames, rename{diag: n, to: canonical(s)})
	}
}

// badBool reports a boolean or quadoption value mutt rejects, with a fix
// when the intent is clear (on, off, true, false, 1, 0).
func (e *evaluator) badBool(fi int, src *rstr, vw *Word, name string, allowed []string) {
	val := vw.val.String()
	want := ""
	switch strings.ToLower(strings.TrimSpace(val)) {
	case "on", "true", "1", "y", "enable", "enabled":
		want = "yes"
	case "off", "false", "0", "n", "disable", "disabled", "none":
		want = "no"
	}
	var fix *linters.Fix
	if want != "" {
		if te, ok := e.edit(fi, src, vw.Start, vw.End, want); ok {
			fix = &linters.Fix{Message: "write " + want, Edits: []linters.TextEdit{te}}
		}
	}
	shown := val
	if len(shown) > 20 || strings.ContainsAny(shown, "\x00\n") {
		shown = "this value"
	} else {
		shown = strconv.Quote(shown)
	}
	e.diag("syntax", linters.Error, e.shown(fi, src, vw.Start, vw.End), fix,
		"%s takes %s, not %s; mutt rejects this value and ignores the rest of the line", name, orList(allowed), shown)
}

func orList(ws []string) string {
	if len(ws) <= 1 {
		return strings.Join(ws, "")
	}
	return strings.Join(ws[:len(ws)-1], ", ") + " or " + ws[len(ws)-1]
}

// expandTilde expands a leading ~/ of a path value with the home folder.
func (e *evaluator) expandTilde(v *rstr) *rstr {
	if e.ctx == nil || e.ctx.Env.Home == "" || v.len() == 0 || v.b[0] != '~' || (v.len() > 1 && v.b[1] != '/') {
		return v
	}
	out := &rstr{}
	at, org := v.atOf(0), v.orgOf(0)
	for k := 0; k < len(e.ctx.Env.Home); k++ {
		out.add(e.ctx.Env.Home[k], at, false, org, "")
	}
	out.copyRange(v, 1, v.len())
	return out
}

// expander returns the function that expands $NAME in file fi with the
// variables of st. Environment variables are unknown, except HOME and
// XDG_CONFIG_HOME in source paths (see parseSource).
func (e *evaluator) expander(st *state, fi int) expander {
	return func(name string) (*rstr, string) {
		if strings.HasPrefix(name, "my_") {
			if v := st.vars[name]; v != nil && v.dyn == "" {
				return v.s, ""
			}
			if st.unknown != "" {
				return nil, "$" + name + ", which " + st.unknown
			}
			return nil, "$" + name + ", which no file read sets"
		}
		if typeOf(name) != varUnknown {
			v := st.get(canonical(name))
			if v.dyn != "" {
				return nil, "$" + name + ", which depends on " + v.dyn
			}
			if v.typ == varString || v.typ == varNumber {
				return v.s, ""
			}
			s := v.str()
			out := &rstr{}
			for k := 0; k < len(s); k++ {
				out.add(s[k], -1, false, span{-1, 0, 0}, "")
			}
			return out, ""
		}
		return nil, "the environment variable $" + name
	}
}

// parseSource follows `source FILE`; a file ending in '|' is a command and
// is never run.
func (e *evaluator) parseSource(st *state, fi int, src *rstr, c *cursor, cw *Word, inHook bool, depth int) bool {
	// Paths may use $HOME and $XDG_CONFIG_HOME, which the linter knows.
	c.exp = e.pathExpander(st, fi)
	w := c.word(0)
	c.exp = e.expander(st, fi)
	if c.moreArgs() {
		e.diag("syntax", linters.Error, e.shown(fi, src, cw.Start, c.i), nil, "source takes one file name; mutt rejects this line")
		return false
	}
	at := e.shown(fi, src, w.Start, w.End)
	stmt := e.shown(fi, src, cw.Start, w.End)
	p := w.val.String()
	if strings.HasSuffix(strings.TrimRight(p, " \t"), "|") {
		st.unknown = fmt.Sprintf("may be set by the command of the source on line %d of %s, which maillint never runs", stmt.Start.Line, filepath.Base(e.files[fi].sf.Path))
		st.unknownAt = stmt
		return true
	}
	if d, why := w.val.dynamic(0, w.val.len()); d {
		e.diag("dynamic-value", linters.Info, at, nil, "the file name depends on %s; maillint does not follow this source", why)
		st.unknown = fmt.Sprintf("may be set by the file of the source on line %d of %s, which maillint could not follow", stmt.Start.Line, filepath.Base(e.files[fi].sf.Path))
		st.unknownAt = stmt
		return true
	}
	if p == "" {
		e.diag("syntax", linters.Error, stmt, nil, "source needs a file name")
		return false
	}
	shownName := p
	if strings.HasPrefix(p, "~") {
		if p != "~" && !strings.HasPrefix(p, "~/") {
			e.diag("include-missing", linters.Info, at, nil, "%s is not followed: maillint expands only ~/ (not ~user)", shownName)
			return true
		}
		if e.ctx == nil || e.ctx.Env.Home == "" {
			e.diag("include-missing", linters.Info, at, nil, "%s is not followed: the home folder is not known", shownName)
			return true
		}
		p = filepath.Join(e.ctx.Env.Home, strings.TrimPrefix(p[1:], "/"))
	}
	if e.ctx == nil || e.ctx.Read == nil {
		e.diag("include-missing", linters.Info, at, nil, "%s is not followed: reading sourced files is off", shownName)
		return true
	}
	if depth >= maxDepth {
		e.diag("include-missing", linters.Info, at, nil, "%s is not followed: more than %d nested source commands", shownName, maxDepth)
		return true
	}
	if e.runs >= maxRuns || e.lines >= maxLines {
		e.diag("include-missing", linters.Info, at, nil, "%s is not followed: the configuration sources more than %d files", shownName, maxRuns)
		return true
	}
	// neomutt resolves a relative path against the folder of the file that
	// sources it, mutt against the working directory: try both.
	var cands []string
	if filepath.IsAbs(p) {
		cands = []string{filepath.Clean(p)}
	} else {
		cands = []string{filepath.Join(filepath.Dir(e.files[fi].sf.Path), p)}
		if alt := filepath.Clean(p); alt != cands[0] {
			cands = append(cands, alt)
		}
	}
	var lastErr error
	for _, cand := range cands {
		if nfi, ok := e.byPath[filepath.Clean(cand)]; ok {
			for _, s := range e.stack {
				if s == nfi {
					e.diag("syntax", linters.Error, at, nil,
						"%s sources itself (a cycle): neomutt refuses it, mutt repeats it until it runs out of open files", shownName)
					return false
				}
			}
		}
		nfi, err := e.read(cand)
		if err != nil {
			// A file that exists but cannot be read says more than a
			// second candidate that does not exist.
			if lastErr == nil || isNotExist(lastErr) {
				lastErr = err
			}
			continue
		}
		e.runFile(st, nfi, depth+1)
		return true
	}
	why := "it does not exist"
	if lastErr != nil && !isNotExist(lastErr) {
		why = describeErr(lastErr)
	}
	e.diag("include-missing", linters.Info, at, nil, "%s is not followed: %s; settings in it are not checked", shownName, why)
	return true
}

// pathExpander expands variables in a source path: $HOME and
// $XDG_CONFIG_HOME from the linter's environment, others as in values.
func (e *evaluator) pathExpander(st *state, fi int) expander {
	base := e.expander(st, fi)
	return func(name string) (*rstr, string) {
		if e.ctx != nil && (name == "HOME" || name == "XDG_CONFIG_HOME") {
			v := ""
			if e.ctx.Env.Getenv != nil {
				v = e.ctx.Env.Getenv(name)
			}
			if v == "" && name == "HOME" {
				v = e.ctx.Env.Home
			}
			if v == "" && name == "XDG_CONFIG_HOME" && e.ctx.Env.Home != "" {
				v = filepath.Join(e.ctx.Env.Home, ".config")
			}
			if v != "" {
				out := &rstr{}
				for k := 0; k < len(v); k++ {
					out.add(v[k], -1, false, span{-1, 0, 0}, "")
				}
				return out, ""
			}
		}
		return base(name)
	}
}

// parseHook records a hook whose command runs later.
func (e *evaluator) parseHook(st *state, fi int, src *rstr, c *cursor, cw *Word, kind string, inHook bool) bool {
	not := false
	if c.peek() == '!' {
		c.i++
		c.skipWS()
		not = true
	}
	pw := c.word(0)
	if !c.moreArgs() {
		e.diag("syntax", linters.Error, e.shown(fi, src, cw.Start, pw.End), nil, "%s needs a pattern and a command; mutt rejects this line", kind)
		return false
	}
	bw := c.word(tokSpace)
	if c.moreArgs() {
		e.diag("syntax", linters.Error, e.shown(fi, src, cw.Start, c.i), nil,
			"%s takes a pattern and one command; quote the command (mutt rejects this line)", kind)
		return false
	}
	if !inHook {
		e.hooks = append(e.hooks, &hookDef{kind: kind, not: not, pattern: pw.val.String(), body: bw.val, file: fi,
			at: e.shown(fi, src, cw.Start, bw.End)})
	}
	return true
}

// secret records bytes [start, end) of file fi as a secret printers mask.
func (e *evaluator) secret(fi, start, end int) {
	if fi < 0 || fi >= len(e.files) || start >= end {
		return
	}
	key := [3]int{fi, start, end}
	if e.secrets[key] {
		return
	}
	if e.secrets == nil {
		e.secrets = map[[3]int]bool{}
	}
	e.secrets[key] = true
	sf := e.files[fi].sf
	sf.Secrets = append(sf.Secrets, sf.Index.Range(start, end))
}

// passwordOf records the file bytes value bytes [i, j) came from as a
// password written in clear text.
func (e *evaluator) passwordOf(v *rstr, i, j int) {
	for _, o := range v.origins(i, j) {
		fi := int(o.file)
		if fi < 0 || fi >= len(e.files) || o.start >= o.end {
			continue
		}
		key := [3]int{fi, int(o.start), int(o.end)}
		if e.passwords[key] {
			continue
		}
		if e.passwords == nil {
			e.passwords = map[[3]int]bool{}
		}
		e.passwords[key] = true
		sf := e.files[fi].sf
		sf.Passwords = append(sf.Passwords, sf.Index.Range(int(o.start), int(o.end)))
	}
}

// secretOf records the file bytes value bytes [i, j) came from as secrets.
func (e *evaluator) secretOf(v *rstr, i, j int) {
	for _, o := range v.origins(i, j) {
		e.secret(int(o.file), int(o.start), int(o.end))
	}
}

// ErrBinary is returned for input that is not a text file.
var ErrBinary = linters.ErrBinary

func isNotExist(err error) bool { return errors.Is(err, fs.ErrNotExist) }

// describeErr words a read error without the path (messages name it).
func describeErr(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	switch {
	case errors.Is(err, fs.ErrPermission):
		return "permission denied"
	case errors.Is(err, ErrBinary):
		return "it is not a text file"
	}
	return err.Error()
}

// isSecretVar reports whether a variable holds a password: mutt's *_pass
// variables and my_ variables named like one.
func isSecretVar(name string) bool {
	switch name {
	case "smtp_pass", "imap_pass", "pop_pass", "nntp_pass":
		return true
	}
	if typeOf(name) == varUnknown && linters.SecretLike(name, "smtp_pass", "imap_pass", "pop_pass", "nntp_pass") {
		return true // smtp_passs, smtp_pas, imap_password: masked like the real thing
	}
	if strings.HasPrefix(name, "my_") {
		n := strings.ToLower(name)
		for _, w := range []string{"pass", "pw", "secret", "token"} {
			if strings.Contains(n, w) {
				return true
			}
		}
	}
	return false
}
