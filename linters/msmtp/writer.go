package msmtp

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/maillint/maillint/linters"
)

// writer implements linters.Writer for the SMTP endpoint of one account.
type writer struct {
	path string
	file *File
	cfg  *Config
	acc  *Account
}

// defaults of the on/off commands a writer changes.
var onOffDefault = map[string]string{"tls": "off", "tls_starttls": "on", "tls_certcheck": "on", "auth": "off"}

// anchors says after which command a missing command is best inserted.
var anchors = map[string][]string{
	"host":          {"account"},
	"port":          {"host"},
	"tls":           {"port", "host"},
	"tls_starttls":  {"tls", "port", "host"},
	"tls_certcheck": {"tls_starttls", "tls"},
	"auth":          {"tls", "port", "host"},
	"user":          {"from", "auth"},
}

type setting struct{ key, val string }

// errCrowded is returned for a file whose inheritance is too deep to fix
// safely (see maxVisible).
var errCrowded = errors.New("msmtp: an account reads more than 64 defaults or parent blocks; maillint does not fix such a file")

// Edits returns the edits that give the account the changed values.
func (w *writer) Edits(changes ...linters.Change) ([]linters.TextEdit, error) {
	var want []setting
	for _, ch := range changes {
		switch ch.Field {
		case linters.FieldHost:
			want = append(want, setting{"host", ch.Text})
		case linters.FieldPort:
			want = append(want, setting{"port", strconv.Itoa(ch.Port)})
		case linters.FieldSecurity:
			switch ch.Security {
			case linters.SecurityNone:
				want = append(want, setting{"tls", "off"})
			case linters.SecurityStartTLS, linters.SecurityStartTLSOptional:
				want = append(want, setting{"tls", "on"}, setting{"tls_starttls", "on"})
			case linters.SecurityImplicitTLS:
				want = append(want, setting{"tls", "on"}, setting{"tls_starttls", "off"})
			default:
				return nil, fmt.Errorf("msmtp: cannot write security %v", ch.Security)
			}
		case linters.FieldCertCheck:
			want = append(want, setting{"tls_certcheck", onOff(ch.On)})
		case linters.FieldAuth:
			if cur := w.current("auth"); ch.On && cur != "off" {
				continue // on or a method already
			}
			want = append(want, setting{"auth", onOff(ch.On)})
		case linters.FieldUser:
			want = append(want, setting{"user", ch.Text})
		default:
			return nil, fmt.Errorf("msmtp: cannot write %s", ch.Field)
		}
	}

	if w.cfg.crowded {
		// The accounts a line would reach are not indexed (more than
		// maxVisible blocks behind one account): no fix, rather than one
		// that may change another account.
		return nil, errCrowded
	}
	var edits []linters.TextEdit
	insertAt := map[int]int{} // insertion offset -> index in edits
	for _, s := range want {
		if w.current(s.key) == s.val {
			continue
		}
		var b *Block
		if a := w.acc.Values[s.key]; a != nil && (w.cfg.usedBy[a] == w.acc.sig || a.Block == w.acc.Block) {
			// A line only accounts in this situation use, or the
			// account's own line, is rewritten.
			b = a.Block
			edits = append(edits, w.replace(a, s))
		} else {
			// A missing command goes where it serves every account that
			// reads it alike (insertion); a shared line used by accounts
			// in another situation stays, and the account gets its own.
			b = w.acc.Block
			if a == nil {
				b = w.insertion(s)
			}
			off, text := w.insertInto(b, s)
			edits = w.appendInsert(edits, insertAt, off, text)
		}
		// Accounts in another situation that read the changed block and
		// whose value came from it or from a block it outranks for them
		// (a child of the account, an account after a defaults block) keep
		// what they had: their current value on a line of their own.
		for _, x := range w.cfg.readers[b] {
			if x == w.acc || x.sig == w.acc.sig {
				continue
			}
			if src := x.Values[s.key]; src != nil && src.Block != b && w.cfg.outranks(x, src.Block, b) {
				continue // x's value comes from a block that wins over the changed one
			}
			if keep, ok := currentOf(x, s.key); ok {
				off, text := w.insertInto(x.Block, setting{s.key, keep})
				edits = w.appendInsert(edits, insertAt, off, text)
			}
		}
	}
	return edits, nil
}

// currentOf is the value account x has for key: what its line says, or
// when it sets it nowhere, msmtp's default (for port, 465 with TLS and no STARTTLS, else 25; an
// empty user: none). ok is false for host, which has no default to write.
func currentOf(x *Account, key string) (string, bool) {
	if a := x.Values[key]; a != nil {
		if _, onOff := onOffDefault[key]; onOff && a.Value == "" {
			return "on", true
		}
		return a.Value, true
	}
	on := func(k string) bool {
		if a := x.Values[k]; a != nil {
			return a.Value == "" || a.Value == "on"
		}
		return onOffDefault[k] == "on"
	}
	switch key {
	case "port":
		if on("tls") && !on("tls_starttls") {
			return "465", true
		}
		return "25", true
	case "user":
		return "", true
	case "host":
		return "", false
	}
	v, ok := onOffDefault[key]
	return v, ok
}

// appendInsert adds an insertion; two lines inserted at the same place
// become one insertion, in order.
func (w *writer) appendInsert(edits []linters.TextEdit, insertAt map[int]int, off int, text string) []linters.TextEdit {
	if i, ok := insertAt[off]; ok {
		edits[i].New += text
		return edits
	}
	insertAt[off] = len(edits)
	return append(edits, linters.TextEdit{Path: w.path, Start: off, End: off, New: text})
}

func onOff(b bool) string {
	if b {
		return "on"
	}
	return "off"
}

// current is the effective value of key, with msmtp's default for the
// on/off commands; "" for a port, user or host the account does not set.
func (w *writer) current(key string) string {
	if w.acc.Values[key] == nil {
		if _, onOff := onOffDefault[key]; !onOff {
			return ""
		}
	}
	v, _ := currentOf(w.acc, key)
	return v
}

// replace rewrites the value of an existing line, keeping its quoting.
func (w *writer) replace(a *Assignment, s setting) linters.TextEdit {
	l := &w.file.Lines[a.Line]
	if a.Legacy {
		// tls_nocertcheck / tls_nostarttls: write the modern command.
		return linters.TextEdit{Path: w.path, Start: l.CmdOffset(), End: l.ArgOffset() + len(l.Arg), New: s.key + " " + s.val}
	}
	if l.Arg == "" {
		at := l.CmdOffset() + len(l.Cmd)
		return linters.TextEdit{Path: w.path, Start: at, End: at, New: " " + s.val}
	}
	_, start, end := Intended(l)
	return linters.TextEdit{Path: w.path, Start: start, End: end, New: s.val}
}

// target is the block that receives a missing command: the block that
// defines the value the command belongs with (the host for connection
// settings, the From address for the login), else the account's own block.
func (w *writer) target(key string) *Block {
	switch key {
	case "user":
		if a := w.acc.Values["from"]; a != nil {
			return a.Block
		}
	default:
		if a := w.acc.Values["host"]; a != nil {
			return a.Block
		}
	}
	return w.acc.Block
}

// signature sums up what the connection settings of an account depend on.
func signature(a *Account) string {
	var b strings.Builder
	for _, k := range []string{"host", "port", "tls", "tls_starttls", "tls_certcheck", "auth"} {
		if v := a.Values[k]; v != nil {
			b.WriteString(v.Value)
		}
		b.WriteByte(0)
	}
	return b.String()
}

// insertion returns the block to insert a missing command in: the
// block that defines the related value when every account that reads that
// block and sets the command nowhere is in the same situation (the line
// reaches all of them: accounts after a defaults block, children of an
// account), else in the account's own block.
func (w *writer) insertion(s setting) *Block {
	b := w.target(s.key)
	if b != w.acc.Block && (w.cfg.crowded || w.cfg.missingIn[blockKey{b, s.key}] != w.acc.sig) {
		b = w.acc.Block
	}
	return b
}

// insertInto returns where and what to insert for a missing command in block b.
func (w *writer) insertInto(b *Block, s setting) (int, string) {
	after := -1
	for _, k := range anchors[s.key] {
		for _, i := range b.Commands {
			if w.file.Lines[i].Cmd == k || (k == "tls_starttls" && w.file.Lines[i].Cmd == "tls_nostarttls") {
				after = i
			}
		}
		if after >= 0 {
			break
		}
	}
	ref := after
	if after < 0 {
		if n := len(b.Commands); n > 0 {
			after = b.Commands[n-1]
			ref = after
		} else {
			after = b.Header
		}
	}
	if ref < 0 && len(b.Commands) > 0 {
		ref = b.Commands[0]
	}
	if after < 0 {
		after = 0
	}
	indent, sep := "", " "
	if ref >= 0 {
		r := &w.file.Lines[ref]
		indent = r.Indent
		sep = separator(r, s.key)
	}
	text := indent + s.key + sep + s.val
	if s.val == "" {
		text = indent + s.key // "user" alone unsets it
	}
	l := &w.file.Lines[after]
	off := l.Offset + l.Len()
	if l.EOL == "" {
		return off, w.file.EOL() + text
	}
	return off, text + l.EOL
}

// separator chooses the blanks between key and value so the new line's value
// lines up with the reference line's.
func separator(ref *Line, key string) string {
	if ref.Sep == "" || ref.Sep == " " {
		return " "
	}
	col := visualWidth(ref.Indent+ref.Cmd+ref.Sep, 0)
	start := visualWidth(ref.Indent+key, 0)
	if strings.Contains(ref.Sep, "\t") {
		var b strings.Builder
		for c := start; c < col; c = (c/8 + 1) * 8 {
			b.WriteByte('\t')
		}
		if b.Len() == 0 {
			return "\t"
		}
		return b.String()
	}
	if pad := col - start; pad > 0 {
		return strings.Repeat(" ", pad)
	}
	return " "
}

func visualWidth(s string, col int) int {
	for i := 0; i < len(s); i++ {
		if s[i] == '\t' {
			col = (col/8 + 1) * 8
		} else {
			col++
		}
	}
	return col
}
