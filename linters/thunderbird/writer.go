package thunderbird

import (
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/maillint/maillint/linters"
)

// writer implements linters.Writer for one server of a profile. It edits
// the literal of the statement that gives a value (in user.js when user.js
// sets it), or inserts a user_pref line beside the server's other prefs.
type writer struct {
	p   *Profile
	srv *Server
}

// want is one attribute to write.
type want struct {
	attr string
	val  Value
}

func strVal(s string) Value { return Value{Type: TypeString, Str: s} }
func intVal(n int) Value    { return Value{Type: TypeInt, Int: int64(n)} }

// tryValue is the try_ssl / socketType number of a security mode.
func tryValue(s linters.Security) (int, bool) {
	switch s {
	case linters.SecurityNone:
		return 0, true
	case linters.SecurityStartTLSOptional, linters.SecurityStartTLS:
		// 1 ("STARTTLS if available") is deprecated: enforce STARTTLS.
		return 2, true
	case linters.SecurityImplicitTLS:
		return 3, true
	}
	return 0, false
}

// Edits returns the edits that give the server the changed values.
func (w *writer) Edits(changes ...linters.Change) ([]linters.TextEdit, error) {
	ep := w.srv.Endpoint
	smtp := w.srv.Family == famSMTP
	secAttr, userAttr := "try_ssl", "username"
	if !smtp {
		secAttr, userAttr = "socketType", "userName"
	}
	var wants []want
	sec := ep.Security.Val
	secChanged := false
	var port *int
	for _, ch := range changes {
		switch ch.Field {
		case linters.FieldHost:
			if !ep.Host.Set || ep.Host.Val != ch.Text {
				wants = append(wants, want{"hostname", strVal(ch.Text)})
			}
		case linters.FieldUser:
			if !ep.User.Set || ep.User.Val != ch.Text {
				wants = append(wants, want{userAttr, strVal(ch.Text)})
			}
		case linters.FieldPort:
			n := ch.Port
			port = &n
		case linters.FieldSecurity:
			n, ok := tryValue(ch.Security)
			if !ok {
				return nil, fmt.Errorf("thunderbird: cannot write security %v", ch.Security)
			}
			if securityOf(int64(n)) != ep.Security.Val {
				sec, secChanged = securityOf(int64(n)), true
				wants = append(wants, want{secAttr, intVal(n)})
			}
		case linters.FieldAuth:
			if ch.On == ep.Auth.Val {
				continue
			}
			if !smtp {
				return nil, fmt.Errorf("thunderbird: an IMAP server always logs in")
			}
			n := 1 // none
			if ch.On {
				n = 3 // normal password, Thunderbird's default
			}
			wants = append(wants, want{"authMethod", intVal(n)})
		default:
			return nil, fmt.Errorf("thunderbird: cannot write %s", ch.Field)
		}
	}
	// An unset port follows the TLS mode (465/587, 993/143): write the port
	// when the wanted one is not what the new mode gives, and keep the
	// current one when only the mode changes.
	def := defaultPort(ep.Protocol, sec)
	switch {
	case port != nil && ep.Port.Set && *port != ep.Port.Val,
		port != nil && !ep.Port.Set && *port != def:
		wants = append(wants, want{"port", intVal(*port)})
	case port == nil && secChanged && !ep.Port.Set && ep.Port.Val != def:
		wants = append(wants, want{"port", intVal(ep.Port.Val)})
	}
	sort.Slice(wants, func(i, j int) bool { return wants[i].attr < wants[j].attr })

	var edits []linters.TextEdit
	type spot struct {
		f   *File
		off int
	}
	inserted := map[spot]int{}
	for _, wt := range wants {
		if a := w.p.attr(w.srv.Family, w.srv.Key, wt.attr); a != nil {
			s, e := a.File.ValueRange(a.Pref)
			q := byte('"')
			if a.Pref.Value.Type == TypeString {
				q = quoteOf(a.File, a.Pref.ValLast)
			}
			edits = append(edits, linters.TextEdit{Path: a.File.Path, Start: s, End: e, New: literal(wt.val, q)})
			continue
		}
		if bad := w.p.broken[w.srv.Prefix()+wt.attr]; bad != nil {
			// The statement exists but libpref drops it for its value:
			// writing a good literal there repairs it.
			t := &bad.File.Tokens[bad.Tok]
			edits = append(edits, linters.TextEdit{Path: bad.File.Path, Start: t.Offset, End: t.End(), New: literal(wt.val, '"')})
			continue
		}
		f, off, text, err := w.insertion(wt)
		if err != nil {
			return nil, err
		}
		if i, ok := inserted[spot{f, off}]; ok {
			edits[i].New += text
			continue
		}
		inserted[spot{f, off}] = len(edits)
		edits = append(edits, linters.TextEdit{Path: f.Path, Start: off, End: off, New: text})
	}
	return edits, nil
}

// literal writes a value as libpref (and JavaScript) reads it.
func literal(v Value, q byte) string {
	switch v.Type {
	case TypeInt:
		return strconv.FormatInt(v.Int, 10)
	case TypeBool:
		return strconv.FormatBool(v.Bool)
	}
	return string(q) + escape(v.Str, q) + string(q)
}

// insertion returns where and what to insert for an attribute the server
// does not set: a user_pref line in the file that holds the server's host
// (else its first pref), after the server's pref whose name sorts just
// before the new one (Thunderbird writes prefs.js sorted), else before the
// server's first pref, with that line's indentation and line end.
func (w *writer) insertion(wt want) (*File, int, string, error) {
	prefix := w.srv.Prefix()
	var f *File
	if a := w.p.attr(w.srv.Family, w.srv.Key, "hostname"); a != nil {
		f = a.File
	} else {
		for _, pf := range w.p.Files {
			if len(w.p.withPrefix(pf, prefix)) > 0 {
				f = pf
				break
			}
		}
	}
	if f == nil {
		return nil, 0, "", fmt.Errorf("thunderbird: server %s has no prefs to insert beside", w.srv.Key)
	}
	fileEOL := w.p.writeIndexOf(f).eol
	name := prefix + wt.attr
	stmt := "user_pref(" + literal(strVal(name), '"') + ", " + literal(wt.val, '"') + ");"
	// Among the server's prefs: the first in the file, and the one whose
	// name sorts last before the new one (the later of equal names).
	var after, first *Pref
	block := w.p.withPrefix(f, prefix)
	if len(block) > 0 {
		first = &f.Prefs[slices.Min(block)]
	}
	if j := sort.Search(len(block), func(j int) bool { return f.Prefs[block[j]].Name >= name }); j > 0 {
		after = &f.Prefs[block[j-1]]
	}
	if after != nil {
		indent := f.indentOf(f.PrefStart(after))
		off, eol, ok := f.lineEndAfter(after.Last)
		switch {
		case ok:
			return f, off, indent + stmt + eol, nil
		case off == f.Size():
			return f, off, fileEOL + indent + stmt, nil
		}
		return f, f.PrefEnd(after), fileEOL + indent + stmt, nil
	}
	start := f.PrefStart(first)
	ls := f.lineStart(start)
	if f.safeAt(ls) && strings.Trim(f.src[ls:start], " \t") == "" {
		return f, ls, f.src[ls:start] + stmt + fileEOL, nil
	}
	return f, start, stmt + fileEOL + f.indentOf(start), nil
}

// EOL returns the file's line terminator: its first one, or "\n".
func (f *File) EOL() string {
	for i := range f.Tokens {
		t := &f.Tokens[i]
		if t.Kind != TokSpace {
			continue
		}
		text := f.Text(i)
		if k := strings.IndexAny(text, "\r\n"); k >= 0 {
			if text[k] == '\r' && k+1 < len(text) && text[k+1] == '\n' {
				return "\r\n"
			}
			return text[k : k+1]
		}
	}
	return "\n"
}

// lineStart returns the offset of the start of the line holding off.
func (f *File) lineStart(off int) int {
	src := f.src
	for off > 0 && src[off-1] != '\n' && src[off-1] != '\r' {
		off--
	}
	return off
}

// safeAt reports whether text may be inserted at off without landing
// inside a string or a comment: off is a token boundary or inside blanks.
func (f *File) safeAt(off int) bool {
	// The first token that starts at or after off, or holds it: tokens
	// tile the file in order, so a binary search finds it.
	i := sort.Search(len(f.Tokens), func(i int) bool {
		t := &f.Tokens[i]
		return off <= t.Offset || off < t.End()
	})
	if i == len(f.Tokens) || off <= f.Tokens[i].Offset {
		return true
	}
	return f.Tokens[i].Kind == TokSpace
}

// writeIndex is what the writer looks up in a file, made once per file so
// that fixing thousands of servers does not read the file each time.
type writeIndex struct {
	byName []int  // indexes of the prefs sorted by name (file order among equal names)
	eol    string // f.EOL()
}

func (p *Profile) writeIndexOf(f *File) *writeIndex {
	if wi, ok := p.written[f]; ok {
		return wi
	}
	wi := &writeIndex{byName: make([]int, len(f.Prefs)), eol: f.EOL()}
	for i := range wi.byName {
		wi.byName[i] = i
	}
	sort.SliceStable(wi.byName, func(a, b int) bool { return f.Prefs[wi.byName[a]].Name < f.Prefs[wi.byName[b]].Name })
	if p.written == nil {
		p.written = map[*File]*writeIndex{}
	}
	p.written[f] = wi
	return wi
}

// withPrefix returns the indexes of f's prefs whose names start with
// prefix, sorted by name (file order among equal names).
func (p *Profile) withPrefix(f *File, prefix string) []int {
	idx := p.writeIndexOf(f).byName
	// Names with the prefix sort together, from the first one >= prefix.
	lo := sort.Search(len(idx), func(i int) bool { return f.Prefs[idx[i]].Name >= prefix })
	n := sort.Search(len(idx)-lo, func(i int) bool { return !strings.HasPrefix(f.Prefs[idx[lo+i]].Name, prefix) })
	return idx[lo : lo+n]
}

// indentOf returns the blanks between the start of the line holding off
// and off, or "" when something else is there.
func (f *File) indentOf(off int) string {
	// Walk back over blanks only: a line of megabytes costs its indent.
	ls := off
	for ls > 0 && (f.src[ls-1] == ' ' || f.src[ls-1] == '\t') {
		ls--
	}
	if ls > 0 && f.src[ls-1] != '\n' && f.src[ls-1] != '\r' || !f.safeAt(ls) {
		return ""
	}
	return f.src[ls:off]
}

// lineEndAfter finds the end of the line a statement ends on: it skips
// blanks and line comments after token last and returns the offset just
// after the first line end, and that line end. ok is false when another
// token (or a comment spanning lines) comes first, or the file ends; off is
// then the file size when only blanks and comments follow.
func (f *File) lineEndAfter(last int) (off int, eol string, ok bool) {
	for i := last + 1; i < len(f.Tokens); i++ {
		t := &f.Tokens[i]
		text := f.Text(i)
		switch t.Kind {
		case TokSpace:
			if k := strings.IndexAny(text, "\r\n"); k >= 0 {
				n := 1
				if text[k] == '\r' && k+1 < len(text) && text[k+1] == '\n' {
					n = 2
				}
				return t.Offset + k + n, text[k : k+n], true
			}
		case TokComment:
			if strings.HasPrefix(text, "/*") && strings.ContainsAny(text, "\r\n") {
				return -1, "", false
			}
		default:
			return -1, "", false
		}
	}
	return f.Size(), "", false
}
