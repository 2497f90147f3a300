package thunderbird

import (
	"fmt"
	"strconv"
	"strings"
)

// Assign is one accepted statement and the file it is in.
type Assign struct {
	// File is the file the statement is in.
	File *File
	// Pref is the statement.
	Pref *Pref
	// Seq is the statement's place in load order (prefs.js, then user.js).
	Seq int
}

// Entry collects the statements that set one pref name.
type Entry struct {
	// Name is the pref name.
	Name string
	// User is the last user_pref; Default the last pref, sticky_pref or
	// lockPref. Locked is set by a lockPref.
	User, Default *Assign
	// Locked is set when a lockPref sets the name.
	Locked bool
	// All are every statement for the name, in load order.
	All []*Assign
}

// Effective returns the statement whose value Thunderbird uses: a locked
// pref's default, else the user value, else the default.
func (e *Entry) Effective() *Assign {
	if e.Locked && e.Default != nil {
		return e.Default
	}
	if e.User != nil {
		return e.User
	}
	return e.Default
}

// Families of server prefs: mail.smtpserver.<key>.<attr> (outgoing) and
// mail.server.<key>.<attr> (incoming). The key "default" holds the values
// every server of the family falls back to.
const (
	famSMTP   = "mail.smtpserver."
	famServer = "mail.server."
)

// attrKind is the pref type Thunderbird reads an attribute as.
type attrKind int

const (
	kindString attrKind = iota
	kindInt
	kindBool
)

// modelled are the attributes the model reads, per family, with their types.
var modelled = map[string]map[string]attrKind{
	famSMTP: {
		"hostname": kindString, "port": kindInt, "try_ssl": kindInt,
		"authMethod": kindInt, "username": kindString,
	},
	famServer: {
		"hostname": kindString, "port": kindInt, "socketType": kindInt,
		"authMethod": kindInt, "userName": kindString, "type": kindString,
		"isSecure": kindBool,
	},
}

// swapped maps the other family's name for a setting to this family's: the
// TLS mode is try_ssl for outgoing servers and socketType for incoming ones.
var swapped = map[string]map[string]string{
	famSMTP:   {"socketType": "try_ssl"},
	famServer: {"try_ssl": "socketType"},
}

// linkPrefs are the string prefs that tie accounts, identities and servers
// together, as patterns with * for a key.
var linkPrefs = []string{
	"mail.smtpservers", "mail.smtp.defaultserver", "mail.accountmanager.accounts",
	"mail.account.*.server", "mail.account.*.identities",
	"mail.identity.*.smtpServer", "mail.identity.*.useremail",
}

// Profile is the merged view of a profile's prefs.js and user.js.
type Profile struct {
	// Files in load order: prefs.js, then user.js.
	Files   []*File
	entries map[string]*Entry
	// names in the order they first appear.
	names []string
	// keys lists the server keys of each family in first-seen order, and
	// attrs the attribute names written for each family+key.
	keys  map[string][]string
	attrs map[string][]string
	// broken maps a pref name to the last statement for it that libpref
	// drops only because of its value (see Problem.BadValue).
	broken map[string]*Broken
	diags  []diag
	// written holds what the writer looks up in each file (see
	// writeIndex), made when first needed.
	written map[*File]*writeIndex
}

// Broken is a statement libpref drops because of its value alone.
type Broken struct {
	// File is the file the statement is in.
	File *File
	// Tok is the index of the bad value token.
	Tok int
}

// diag is a finding of the parser or the resolver.
type diag struct {
	rule       string
	file       *File
	start, end int
	msg        string
	fix        *diagFix
}

type diagFix struct {
	msg    string
	unsafe bool
	edits  []edit
}

type edit struct {
	file       *File
	start, end int
	text       string
}

// Resolve merges files (prefs.js first, then user.js) as Thunderbird loads
// them and checks what libpref and Thunderbird would reject or ignore. It
// indexes the mail.* prefs only: every pref the model and the checks read
// is one, and a profile sets many more (browser.*, extensions.*...).
func Resolve(files ...*File) *Profile { return resolve(indexed, files...) }

// resolve is Resolve indexing the names keep accepts (tests compare every
// pref with what JavaScript reads).
func resolve(keep func(name string) bool, files ...*File) *Profile {
	total := 0
	for _, f := range files {
		for i := range f.Prefs {
			if keep(f.Prefs[i].Name) {
				total++
			}
		}
	}
	p := &Profile{Files: files, entries: make(map[string]*Entry, total), keys: map[string][]string{}, attrs: map[string][]string{},
		names: make([]string, 0, total)}
	// The statements, entries and first All of each entry are allocated
	// together: a prefs.js sets hundreds of prefs, each once.
	assigns := make([]Assign, total)
	entries := make([]Entry, 0, total)
	firsts := make([]*Assign, total)
	seq := 0
	for _, f := range files {
		for i := range f.Prefs {
			pr := &f.Prefs[i]
			if !keep(pr.Name) {
				continue
			}
			a := &assigns[seq]
			*a = Assign{File: f, Pref: pr, Seq: seq}
			e := p.entries[pr.Name]
			if e == nil {
				entries = append(entries, Entry{Name: pr.Name})
				e = &entries[len(entries)-1]
				p.entries[pr.Name] = e
				p.names = append(p.names, pr.Name)
				p.index(pr.Name)
				firsts[seq] = a
				e.All = firsts[seq : seq+1 : seq+1]
			} else {
				e.All = append(e.All, a)
			}
			seq++
			if pr.User() {
				e.User = a
			} else {
				e.Default = a
				if pr.Spec == "lockPref" {
					e.Locked = true
				}
			}
		}
	}
	p.broken = map[string]*Broken{}
	for _, f := range files {
		p.parseProblems(f)
		for _, pr := range f.Problems {
			if pr.BadValue >= 0 {
				p.broken[pr.Name] = &Broken{File: f, Tok: pr.BadValue}
			}
		}
	}
	p.checkNames()
	p.checkTypes()
	return p
}

// indexed reports whether Resolve indexes a pref name.
func indexed(name string) bool { return strings.HasPrefix(name, "mail.") }

// splitServer splits "mail.smtpserver.smtp1.try_ssl" into its family, key
// and attribute.
func splitServer(name string) (fam, key, attr string, ok bool) {
	for _, fm := range []string{famSMTP, famServer} {
		if rest, found := strings.CutPrefix(name, fm); found {
			k, a, found := strings.Cut(rest, ".")
			if !found || k == "" || a == "" {
				return "", "", "", false
			}
			return fm, k, a, true
		}
	}
	return "", "", "", false
}

func (p *Profile) index(name string) {
	fam, key, attr, ok := splitServer(name)
	if !ok {
		return
	}
	fk := name[:len(fam)+len(key)] // fam + key
	if _, seen := p.attrs[fk]; !seen {
		p.keys[fam] = append(p.keys[fam], key)
	}
	p.attrs[fk] = append(p.attrs[fk], attr)
}

// Entry returns the statements for a pref name, or nil.
func (p *Profile) Entry(name string) *Entry { return p.entries[name] }

// Effective returns the statement whose value Thunderbird uses, or nil.
func (p *Profile) Effective(name string) *Assign {
	if e := p.entries[name]; e != nil {
		return e.Effective()
	}
	return nil
}

// canonical says which modelled attribute a written attribute stands for:
// itself, a spelling that differs only in case, or the other family's name.
func canonical(fam, attr string) (canon string, ok bool) {
	m := modelled[fam]
	if _, ok := m[attr]; ok {
		return attr, true
	}
	if c, ok := swapped[fam][attr]; ok {
		return c, true
	}
	for _, c := range modelledNames[fam] {
		if strings.EqualFold(c, attr) {
			return c, true
		}
	}
	return "", false
}

// modelledNames lists the keys of modelled per family (a slice is faster
// to walk than a map; no two names of a family differ only in case).
var modelledNames = func() map[string][]string {
	out := map[string][]string{}
	for fam, m := range modelled {
		for c := range m {
			out[fam] = append(out[fam], c)
		}
	}
	return out
}()

// nearMiss returns the statement of a misspelled attribute that stands for
// canon (the last in load order), when the correct name is not set.
func (p *Profile) nearMiss(fam, key, canon string) (*Assign, string) {
	if p.entries[fam+key+"."+canon] != nil {
		return nil, ""
	}
	var best *Assign
	bestName := ""
	for _, attr := range p.attrs[fam+key] {
		if attr == canon {
			continue
		}
		if c, ok := canonical(fam, attr); !ok || c != canon {
			continue
		}
		name := fam + key + "." + attr
		if a := p.Effective(name); a != nil && (best == nil || a.Seq > best.Seq) {
			best, bestName = a, name
		}
	}
	return best, bestName
}

// attr returns the statement that gives key's attribute canon its value:
// the correctly named pref, else a misspelling of it (what the user meant).
func (p *Profile) attr(fam, key, canon string) *Assign {
	if a := p.Effective(fam + key + "." + canon); a != nil {
		return a
	}
	a, _ := p.nearMiss(fam, key, canon)
	return a
}

// parseProblems turns libpref's parse errors into syntax findings.
func (p *Profile) parseProblems(f *File) {
	for _, pr := range f.Problems {
		start, end := f.Size(), f.Size()
		if pr.Tok >= 0 {
			start, end = f.Tokens[pr.Tok].Offset, f.Tokens[pr.Tok].End()
		}
		what := "Thunderbird skips to the next ';' and loses every pref in between"
		if baseName(f.Path) == "prefs.js" {
			what += " (it keeps the file as Invalidprefs.js and rewrites prefs.js without them)"
		}
		d := diag{rule: "syntax", file: f, start: start, end: end,
			msg: fmt.Sprintf("prefs parse error: %s; %s", pr.Message, what)}
		if pr.MissingSemicolon {
			d.msg = "missing ';' after this pref; libpref then skips to the next ';', so Thunderbird also loses the pref that follows"
			d.fix = &diagFix{msg: "add the missing ';'", edits: []edit{{f, end, end, ";"}}}
		}
		p.diags = append(p.diags, d)
	}
}

// checkNames reports misspelled names of the attributes the model reads.
func (p *Profile) checkNames() {
	for _, name := range p.names {
		fam, key, attr, ok := splitServer(name)
		if !ok {
			continue
		}
		canon, ok := canonical(fam, attr)
		if !ok || canon == attr {
			continue
		}
		a := p.Effective(name)
		f := a.File
		s, e := f.StringRange(a.Pref.NameTok)
		right := fam + key + "." + canon
		var msg string
		if _, isSwap := swapped[fam][attr]; isSwap {
			msg = fmt.Sprintf("unknown pref %q: %s is the name for %s servers; %s servers read %s, so Thunderbird ignores this line",
				name, attr, famWords(otherFam(fam)), famWords(fam), right)
		} else {
			msg = fmt.Sprintf("unknown pref %q: pref names are case-sensitive; Thunderbird reads %s and ignores this line", name, right)
		}
		d := diag{rule: "unknown-key", file: f, start: s, end: e, msg: msg}
		if best, _ := p.nearMiss(fam, key, canon); best == a {
			d.fix = &diagFix{msg: "rename to " + right, edits: []edit{{f, s, e, escape(right, quoteOf(f, a.Pref.NameTok))}}}
		} else if p.entries[right] != nil {
			d.msg += fmt.Sprintf(" (%s is also set)", right)
		}
		p.diags = append(p.diags, d)
	}
}

func famWords(fam string) string {
	if fam == famSMTP {
		return "outgoing (SMTP)"
	}
	return "incoming"
}

func otherFam(fam string) string {
	if fam == famSMTP {
		return famServer
	}
	return famSMTP
}

// checkTypes reports values of the wrong type: Thunderbird's typed getters
// fail on them and it silently uses its default instead.
func (p *Profile) checkTypes() {
	for _, name := range p.names {
		want, ok := kindOf(name)
		if !ok {
			continue
		}
		a := p.Effective(name)
		v := a.Pref.Value
		have := kindOfType(v.Type)
		if have == want {
			continue
		}
		f := a.File
		s, e := f.ValueRange(a.Pref)
		wantWords := map[attrKind]string{kindString: "a string", kindInt: "an integer", kindBool: "true or false"}[want]
		d := diag{rule: "syntax", file: f, start: s, end: e}
		if want == kindInt && v.Type == TypeString {
			if n, ok := parseInt(v.Str); ok {
				d.msg = fmt.Sprintf("%s is written as the string %q; Thunderbird reads it only as an integer, so it ignores the string and uses its default", name, v.Str)
				d.fix = &diagFix{msg: fmt.Sprintf("write the integer %d", n), edits: []edit{{f, s, e, strconv.FormatInt(n, 10)}}}
				p.diags = append(p.diags, d)
				continue
			}
		}
		d.msg = fmt.Sprintf("%s is %s; Thunderbird reads it only as %s and ignores it", name, describeValue(v), wantWords)
		p.diags = append(p.diags, d)
	}
}

// kindOfType is the attrKind of a value type (kindString for an unknown one).
func kindOfType(t ValueType) attrKind {
	switch t {
	case TypeInt:
		return kindInt
	case TypeBool:
		return kindBool
	}
	return kindString
}

// kindOf returns the type Thunderbird reads a pref as, for the prefs the
// model uses (misspelled names included).
func kindOf(name string) (attrKind, bool) {
	if !strings.HasPrefix(name, "mail.") {
		return 0, false // every modelled and link pref is a mail. pref
	}
	if fam, _, attr, ok := splitServer(name); ok {
		if c, ok := canonical(fam, attr); ok {
			return modelled[fam][c], true
		}
		return 0, false
	}
	for _, pat := range linkPrefs {
		if matchPattern(pat, name) {
			return kindString, true
		}
	}
	return 0, false
}

// matchPattern matches a dotted name against a pattern whose "*" stands for
// one non-empty key without dots.
func matchPattern(pat, name string) bool {
	before, after, star := strings.Cut(pat, "*")
	if !star {
		return pat == name
	}
	if !strings.HasPrefix(name, before) || !strings.HasSuffix(name, after) || len(name) <= len(before)+len(after) {
		return false
	}
	key := name[len(before) : len(name)-len(after)]
	return !strings.Contains(key, ".")
}

func describeValue(v Value) string {
	switch v.Type {
	case TypeInt:
		return fmt.Sprintf("the integer %d", v.Int)
	case TypeBool:
		return fmt.Sprintf("the boolean %t", v.Bool)
	}
	return fmt.Sprintf("the string %q", truncate(v.Str, 40))
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

// parseInt accepts what a user means by an integer in a string: an
// optional sign and decimal digits, in int32 range.
func parseInt(s string) (int64, bool) {
	if s == "" || len(s) > 11 {
		return 0, false
	}
	digits := strings.TrimLeft(s, "+-")
	if len(s)-len(digits) > 1 || digits == "" {
		return 0, false
	}
	for i := 0; i < len(digits); i++ {
		if !isDigit(digits[i]) {
			return 0, false
		}
	}
	n, err := strconv.ParseInt(s, 10, 32)
	return n, err == nil
}

// readInt returns an attribute's integer: the value Thunderbird reads, or
// what a numeric string means (reported by checkTypes). ok is false when
// Thunderbird cannot read the value.
func readInt(a *Assign) (int64, bool) {
	if a == nil {
		return 0, false
	}
	switch v := a.Pref.Value; v.Type {
	case TypeInt:
		return v.Int, true
	case TypeString:
		return parseInt(v.Str)
	}
	return 0, false
}

// readString returns a string attribute; ok is false when it is not a string.
func readString(a *Assign) (string, bool) {
	if a == nil || a.Pref.Value.Type != TypeString {
		return "", false
	}
	return a.Pref.Value.Str, true
}

// list splits a comma-separated pref (account, identity and server keys).
func list(s string) []string {
	var out []string
	for _, k := range strings.Split(s, ",") {
		if k = strings.TrimSpace(k); k != "" {
			out = append(out, k)
		}
	}
	return out
}

// str returns the string value of a pref, or "".
func (p *Profile) str(name string) string {
	s, _ := readString(p.Effective(name))
	return s
}

// quoteOf returns the quote character of a string token.
func quoteOf(f *File, tok int) byte {
	if t := f.Text(tok); len(t) > 0 {
		return t[0]
	}
	return '"'
}

// escape writes s as the inside of a libpref string literal quoted with q,
// in a way JavaScript reads the same.
func escape(s string, q byte) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '\\' || c == q:
			b.WriteByte('\\')
			b.WriteByte(c)
		case c == '\n':
			b.WriteString(`\n`)
		case c == '\r':
			b.WriteString(`\r`)
		case c < 0x20 || c == 0x7f:
			if c == 0 {
				continue // libpref has no way to write NUL
			}
			fmt.Fprintf(&b, `\x%02x`, c)
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

func baseName(p string) string {
	if i := strings.LastIndexAny(p, `/\`); i >= 0 {
		return p[i+1:]
	}
	return p
}
