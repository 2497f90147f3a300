package gitconfig

import (
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/maillint/maillint/linters"
)

// writer implements linters.Writer for the SMTP endpoint of one identity.
// It edits the value of the assignment git send-email uses, wherever it is
// written (an identity subsection, [sendemail], an included file), keeping
// the key's spelling, the indentation, the quoting and a trailing comment;
// a missing key is inserted into the section that holds the server.
type writer struct {
	cfg *Config
	id  string
}

// anchors says after which keys a missing key is best inserted.
var anchors = map[string][]string{
	"smtpserverport":  {"smtpserver"},
	"smtpencryption":  {"smtpserverport", "smtpserver"},
	"smtpsslcertpath": {"smtpencryption", "smtpserverport", "smtpserver"},
	"smtpuser":        {"smtpencryption", "smtpserverport", "smtpserver"},
	"smtpauth":        {"smtpuser", "smtpencryption", "smtpserverport", "smtpserver"},
}

type kv struct{ key, val string }

// keyOrder is the order of keys inserted at one place.
var keyOrder = map[string]int{"smtpserver": 0, "smtpserverport": 1, "smtpencryption": 2, "smtpsslcertpath": 3, "smtpuser": 4, "smtpauth": 5}

// errNoLogin is returned when authentication is to be turned on but no
// login is configured: git authenticates only with smtpUser, and guessing
// the login is a different (unsafe) change.
var errNoLogin = errors.New("gitconfig: git send-email authenticates only when smtpUser is set")

// Edits returns the edits that give the endpoint the changed values.
func (w *writer) Edits(changes ...linters.Change) ([]linters.TextEdit, error) {
	var want []kv
	var deletes []*Var
	portChanged := false
	for _, ch := range changes {
		if ch.Field == linters.FieldPort {
			portChanged = true
		}
	}
	for _, ch := range changes {
		switch ch.Field {
		case linters.FieldHost:
			want = append(want, kv{"smtpserver", ch.Text})
		case linters.FieldPort:
			want = append(want, kv{"smtpserverport", strconv.Itoa(ch.Port)})
		case linters.FieldSecurity:
			var val string
			switch ch.Security {
			case linters.SecurityImplicitTLS:
				val = "ssl"
			case linters.SecurityStartTLS, linters.SecurityStartTLSOptional:
				val = "tls"
			default:
				return nil, fmt.Errorf("gitconfig: cannot write security %v", ch.Security)
			}
			want = append(want, kv{"smtpencryption", val})
			// The default port follows the encryption (465 for ssl, else
			// 25): keep the port the endpoint has unless it changes too.
			port := w.cfg.Setting(w.id, "smtpserverport", nil)
			if _, zero, _ := parsePort(port.Value()); !portChanged && (port.Var == nil || zero) {
				old := w.cfg.Setting(w.id, "smtpencryption", nil).Value()
				if (old == "ssl") != (val == "ssl") {
					want = append(want, kv{"smtpserverport", strconv.Itoa(defaultPort(old))})
				}
			}
		case linters.FieldCertCheck:
			if !ch.On {
				want = append(want, kv{"smtpsslcertpath", ""})
				continue
			}
			// An empty smtpSSLCertPath turns verification off; without it
			// git uses the system's certificates. Remove empty values until
			// the one git uses is a real path or none is left.
			deletes = append(deletes, w.peel("smtpsslcertpath", func(v string) bool { return v == "" })...)
		case linters.FieldAuth:
			if !ch.On {
				want = append(want, kv{"smtpauth", "none"})
				continue
			}
			if w.cfg.Setting(w.id, "smtpuser", nil).Var == nil {
				return nil, errNoLogin
			}
			deletes = append(deletes, w.peel("smtpauth", func(v string) bool { return v == "none" })...)
		case linters.FieldUser:
			want = append(want, kv{"smtpuser", ch.Text})
		default:
			return nil, fmt.Errorf("gitconfig: cannot write %s", ch.Field)
		}
	}

	var edits []linters.TextEdit
	add := func(e linters.TextEdit) {
		for i := range edits {
			if edits[i].Path == e.Path && edits[i].Start == e.Start && edits[i].End == e.End && e.Start == e.End && edits[i].New != e.New {
				edits[i].New += e.New // two insertions at one place, in order
				return
			}
			if edits[i] == e {
				return
			}
		}
		edits = append(edits, e)
	}
	var inserts []linters.TextEdit
	for _, v := range deletes {
		if !v.HasSub {
			w.keepOthers(v.Key, add, &inserts)
		}
		add(deleteEdit(v))
	}
	// New lines at one place come in the usual order: server, port,
	// encryption, certificates, login.
	sort.SliceStable(want, func(i, j int) bool { return keyOrder[want[i].key] < keyOrder[want[j].key] })
	// Values of existing lines change first, then new lines are added: at
	// the end of a file without a final newline both edits fall at the
	// same offset, and the value belongs before the new line.
	done := map[string]bool{}
	for _, s := range want {
		if done[s.key] {
			continue
		}
		done[s.key] = true
		a := w.cfg.Setting(w.id, s.key, nil)
		if a.Var != nil && a.Var.Node.Value == s.val {
			continue
		}
		// A value an identity with its own server takes from [sendemail]
		// is overridden in the identity's section: the plain value serves
		// other servers too.
		if a.Var != nil && (a.Var.HasSub || w.target().Prefix == a.Var.Prefix) {
			if !a.Var.HasSub {
				w.keepOthers(s.key, add, &inserts)
			}
			add(valueEdit(a.Var.File, a.Var.Node, s.val))
			continue
		}
		if t := w.target(); t != nil && !t.HasSub {
			w.keepOthers(s.key, add, &inserts)
		}
		es, newLine := w.insertion(s)
		for _, e := range es {
			if newLine {
				inserts = append(inserts, e)
			} else {
				add(e)
			}
		}
	}
	for _, e := range inserts {
		add(e)
	}
	return edits, nil
}

// keepOthers is called before key is written in the plain [sendemail]
// section, which every identity that does not set key itself reads: each
// such identity with another server keeps the value it has now, written in
// its own section (git send-email falls back to [sendemail] for what an
// identity leaves out). The port, the encryption, smtpAuth and
// smtpSSLCertPath are kept this way (also before a line of theirs is
// removed from [sendemail]); the defaults of the first two are written as
// 25 or 465 and "none" (git reads any value but ssl and tls as no
// encryption).
func (w *writer) keepOthers(key string, add func(linters.TextEdit), inserts *[]linters.TextEdit) {
	switch key {
	case "smtpserverport", "smtpencryption", "smtpauth", "smtpsslcertpath":
	default:
		return
	}
	mine := w.cfg.Setting(w.id, "smtpserver", nil).Value()
	for _, id := range w.cfg.Identities() {
		if id.ID == w.id || id.ID == "" {
			continue
		}
		if own, _ := w.cfg.last("sendemail."+id.ID+"."+key, nil); own != nil {
			// Set in the identity's section: not reached. (A key there
			// with no value is ignored by git, and reported with its own
			// fix, which gives it the identity's value.)
			continue
		}
		srv := w.cfg.Setting(id.ID, "smtpserver", nil)
		if srv.Var == nil || !srv.Var.HasSub || srv.Value() == mine {
			continue // the same server, or no section of its own to write in
		}
		var keep string
		cur := w.cfg.Setting(id.ID, key, nil)
		switch {
		case key == "smtpencryption" && cur.Var != nil && cur.Value() != "ssl" && cur.Value() != "tls":
			keep = "none" // what git makes of any other value, spelled plainly
		case cur.Var != nil:
			keep = cur.Value()
		case key == "smtpencryption":
			keep = "none"
		case key == "smtpserverport":
			keep = strconv.Itoa(defaultPort(w.cfg.Setting(id.ID, "smtpencryption", nil).Value()))
		default:
			continue // no auth or certificate setting: git's default stays
		}
		other := &writer{cfg: w.cfg, id: id.ID}
		es, newLine := other.insertion(kv{key, keep})
		for _, e := range es {
			if newLine {
				*inserts = append(*inserts, e)
			} else {
				add(e)
			}
		}
	}
}

// continues reports whether entry n, which ends the file at end, ends in
// a dangling continuation backslash (git reads `smtpServer=\` at the end
// of a file as an empty value; the parser leaves the backslash out of the
// value's span).
func continues(f *File, n *Node, end int) bool {
	return n.Kind == Entry && n.Eq >= 0 && n.ValEnd <= end &&
		strings.TrimLeft(string(f.Src[n.ValEnd:end]), " \t") == "\\"
}

func defaultPort(enc string) int {
	if enc == "ssl" {
		return 465
	}
	return 25
}

// peel returns the assignments to remove so that the effective value of
// key no longer satisfies bad.
func (w *writer) peel(key string, bad func(string) bool) []*Var {
	skip := map[*Var]bool{}
	var out []*Var
	for {
		a := w.cfg.Setting(w.id, key, skip)
		if a.Var == nil || !bad(a.Var.Node.Value) {
			return out
		}
		skip[a.Var] = true
		out = append(out, a.Var)
	}
}

// target returns the var whose section receives a missing key: for an
// identity with a section of its own, that section (what it takes from
// [sendemail] serves the plain identity and the others too); else the
// section that sets the server (connection settings belong with it), else
// the identity's first var.
func (w *writer) target() *Var {
	header := w.cfg.identityHeader(w.id)
	if w.id != "" && header != nil && header.HasSub {
		if a := w.cfg.Setting(w.id, "smtpserver", nil); a.Var != nil && a.Var.HasSub {
			return a.Var
		}
		return header
	}
	if a := w.cfg.Setting(w.id, "smtpserver", nil); a.Var != nil {
		return a.Var
	}
	return header
}

// insertion returns the edits that add key = val to the target section,
// and whether they add a new line (rather than complete an existing one).
func (w *writer) insertion(s kv) ([]linters.TextEdit, bool) {
	t := w.target()
	f := t.File
	// A key without a value as the last one of its section would still be
	// the one send-email reads (and ignores): give it the value instead.
	// (First: fixing a misspelling above it would change nothing.)
	if last, _ := w.cfg.last(t.Prefix+"."+s.key, nil); last != nil && last.Node.Bare() && last.File == f {
		return []linters.TextEdit{valueEdit(f, last.Node, s.val)}, false
	}
	// An ignored misspelling of the key in the same section (smtpssl for
	// smtpEncryption, smtpServerPor) becomes the key, as the unknown-key
	// fix for it does: a second line would be redundant.
	var old *Var
	for _, i := range w.cfg.index().byPrefix[t.Prefix] {
		if v := w.cfg.Vars[i]; !v.Opaque && !v.Cond && v.Prefix == t.Prefix && v.File == f && misspells(v, s.key) {
			old = v
		}
	}
	if old != nil {
		n := old.Node
		return []linters.TextEdit{{Path: f.Path, Start: n.KeyStart, End: n.KeyEnd, New: keyFor(s.key, camelCase(f, n.Hdr))}, valueEdit(f, n, s.val)}, false
	}
	hdr := t.Node.Hdr
	// The section instance runs from its header to the next header.
	var anchor, lastEntry *Node
	for i := hdr + 1; i < len(f.Nodes); i++ {
		n := &f.Nodes[i]
		if n.Kind == Header {
			break
		}
		if n.Kind != Entry {
			continue
		}
		lastEntry = n
	}
	for _, k := range anchors[s.key] {
		for i := hdr + 1; i < len(f.Nodes); i++ {
			n := &f.Nodes[i]
			if n.Kind == Header {
				break
			}
			if n.Kind == Entry && n.Key == k {
				anchor = n
			}
		}
		if anchor != nil {
			break
		}
	}
	if anchor == nil {
		anchor = lastEntry
	}
	ref := anchor
	if ref == nil {
		ref = t.Node
	}
	key := keyFor(s.key, camelCase(f, hdr))
	indent, sep := w.style(f, hdr, ref, key)
	text := indent + key + sep + encode(s.val, false)
	end := 0
	switch {
	case anchor != nil:
		end = f.LineEnd(anchor.End)
	case hdr >= 0:
		end = f.LineEnd(f.Nodes[hdr].End)
	}
	eol := f.EOLAt(end)
	if eol == "" {
		lead := f.EOL()
		if anchor != nil && continues(f, anchor, end) {
			// The last value ends in a continuation backslash (git reads
			// it as "" at the end of the file): a new line after it would
			// join the value. An empty line ends the value first.
			lead += f.EOL()
		}
		return []linters.TextEdit{{Path: f.Path, Start: end, End: end, New: lead + text}}, true
	}
	at := end + len(eol)
	return []linters.TextEdit{{Path: f.Path, Start: at, End: at, New: text + eol}}, true
}

// style returns the indentation and the key/value separator of a new line
// for key in the section of header hdr, copied from ref or another entry
// there.
func (w *writer) style(f *File, hdr int, ref *Node, key string) (indent, sep string) {
	lineIndent := func(n *Node) (string, bool) {
		ls := f.LineStart(n.KeyStart)
		in := string(f.Src[ls:n.KeyStart])
		return in, strings.Trim(in, " \t") == ""
	}
	indent, sep = "\t", " = "
	found := false
	if in, ok := lineIndent(ref); ok {
		indent, found = in, true
	}
	if !found {
		for i := hdr + 1; i < len(f.Nodes); i++ {
			n := &f.Nodes[i]
			if n.Kind == Header {
				break
			}
			if n.Kind == Entry {
				if in, ok := lineIndent(n); ok {
					indent = in
					break
				}
			}
		}
	}
	if !ref.Bare() && ref.Eq >= 0 {
		before := string(f.Src[ref.KeyEnd:ref.Eq])
		after := ""
		if ref.ValStart > ref.Eq+1 {
			after = string(f.Src[ref.Eq+1 : ref.ValStart])
		} else if ref.ValStart == ref.ValEnd && ref.Eq+1 < len(f.Src) && (f.Src[ref.Eq+1] == ' ' || f.Src[ref.Eq+1] == '\t') {
			after = " "
		}
		if strings.Trim(before+after, " \t") == "" {
			// Runs of spaces before "=" align it (smtpServer     = ...):
			// keep the column for the new key.
			if len(before) > 1 && strings.Trim(before, " ") == "" {
				before = strings.Repeat(" ", max(1, ref.Eq-ref.KeyStart-len(key)))
			}
			sep = before + "=" + after
		}
	}
	return indent, sep
}

// valueEdit returns the edit that gives entry n the value val, keeping the
// key, the quoting style and a trailing comment.
func valueEdit(f *File, n *Node, val string) linters.TextEdit {
	end := n.ValEnd
	if !n.Bare() {
		// A value that ends the file in a dangling continuation backslash
		// (git reads it and the blanks before it as part of the value):
		// the new value replaces them too.
		if le := f.LineEnd(n.ValEnd); le == len(f.Src) && continues(f, n, le) {
			end = le
		}
	}
	switch {
	case n.Bare():
		return linters.TextEdit{Path: f.Path, Start: n.KeyEnd, End: n.KeyEnd, New: " = " + encode(val, false)}
	case n.ValStart == n.ValEnd:
		return linters.TextEdit{Path: f.Path, Start: n.ValStart, End: end, New: " " + encode(val, false)}
	}
	return linters.TextEdit{Path: f.Path, Start: n.ValStart, End: end, New: encode(val, n.QuotedValue)}
}

// deleteEdit removes an assignment: its whole line when it has one, else
// the entry alone (a key on a header's line).
func deleteEdit(v *Var) linters.TextEdit {
	f, n := v.File, v.Node
	ls := f.LineStart(n.KeyStart)
	start := n.KeyStart
	if strings.Trim(string(f.Src[ls:n.KeyStart]), " \t") == "" {
		start = ls
	} else {
		for start > ls && (f.Src[start-1] == ' ' || f.Src[start-1] == '\t') {
			start--
		}
		return linters.TextEdit{Path: f.Path, Start: start, End: n.End, New: ""}
	}
	end := f.LineEnd(n.End)
	if eol := f.EOLAt(end); eol != "" {
		end += len(eol)
	} else if start > 0 {
		// The last line has no terminator: remove the one before it.
		start--
		if start > 0 && f.Src[start-1] == '\r' {
			start--
		}
	}
	return linters.TextEdit{Path: f.Path, Start: start, End: end, New: ""}
}

// encode writes val as a git config value: quoted when git would
// otherwise change it, or when quoted is true.
func encode(val string, quoted bool) string {
	need := val == "" || strings.ContainsAny(val, "#;\"\\\n\t\b\r") || strings.HasPrefix(val, " ") || strings.HasSuffix(val, " ") || strings.Contains(val, "  ")
	if !need && !quoted {
		return val
	}
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`, "\t", `\t`, "\b", `\b`)
	return `"` + r.Replace(val) + `"`
}
