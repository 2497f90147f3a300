package msmtp

import (
	"fmt"
	"strconv"
	"strings"
)

// blockKind says what started a block of lines.
type blockKind int

const (
	blockImplicit blockKind = iota // commands before any account/defaults: msmtp's legacy account "default"
	blockDefaults
	blockAccount
)

// Block is a run of lines that belongs to one `defaults` or `account` line.
type Block struct {
	kind blockKind
	// Name is the account name ("" for defaults).
	Name string
	// Header is the index of the `defaults`/`account` line, -1 for the
	// implicit legacy account.
	Header int
	// Commands are the indexes of the block's command lines (header excluded).
	Commands []int
}

// Assignment is where an effective value was written.
type Assignment struct {
	// Key is the canonical command (tls_nocertcheck is tls_certcheck).
	Key string
	// Line is the index in File.Lines.
	Line int
	// Value is what msmtp uses, with an inline comment removed (what the
	// user meant); legacy switches give "off".
	Value string
	// Legacy is true for tls_nocertcheck / tls_nostarttls.
	Legacy bool
	// Block is the block the line is in.
	Block *Block
}

// Account is one msmtp account and its effective settings.
type Account struct {
	Name    string
	Block   *Block
	Parents []string
	// Values maps canonical commands to where their effective value comes from.
	Values map[string]*Assignment
	// own are the values set in this account's block or its parents'
	// (what a child account inherits with `account x : this`).
	own map[string]*Assignment
	// HasEval is true when an `eval` line may set more values.
	HasEval bool
	// sig sums up the connection settings (see signature).
	sig string
}

// Problem is a lexical or structural error found while resolving.
type Problem struct {
	Rule    string // syntax, unknown-key, inline-comment
	Line    int
	Start   int // byte offsets of the offending text
	End     int
	Message string
	// Fix holds replacement edits (offsets into the file) or nil.
	Fix *problemFix
}

type problemFix struct {
	message string
	unsafe  bool
	edits   []edit
	// renameTo is the command a misspelled one is renamed to.
	renameTo string
}

type edit struct {
	start, end int
	text       string
}

// Config is the resolved configuration: blocks, accounts, problems.
type Config struct {
	File     *File
	Blocks   []*Block
	Accounts []*Account
	Problems []Problem
	byName   map[string]*Account
	// usedBy, missingIn and crowded: see indexUsers.
	usedBy    map[*Assignment]string
	missingIn map[blockKey]string
	crowded   bool
	// readers lists, for a block, the accounts other than its own that
	// read it: children (account b : a, and theirs) and, for a defaults
	// block, the accounts after it.
	readers map[*Block][]*Account
}

// Account returns the named account or nil.
func (c *Config) Account(name string) *Account { return c.byName[name] }

func (c *Config) addAccount(a *Account) {
	c.Accounts = append(c.Accounts, a)
	c.byName[a.Name] = a
}

// boolWords maps spellings msmtp rejects to the on/off they mean.
var boolWords = map[string]string{"yes": "on", "true": "on", "1": "on", "on": "on", "no": "off", "false": "off", "0": "off", "off": "off"}

// maxLine is msmtp's LINEBUFSIZE - 1: a line of 500 or more bytes is fatal.
const maxLine = 500

// Intended returns the value of a command line as the user meant it: the
// argument without outer quotes and, when unquoted, without an inline
// "# comment" (which msmtp would keep). It also returns the byte range of
// that value in the file.
func Intended(l *Line) (value string, start, end int) {
	v := l.Value()
	start = l.ValueOffset()
	if !l.Quoted() {
		if i := inlineComment(v); i >= 0 {
			v = strings.TrimRight(v[:i], " \t")
		}
	}
	return v, start, start + len(v)
}

// inlineComment returns the index of a '#' preceded by a blank in v, or -1.
func inlineComment(v string) int {
	for i := 1; i < len(v); i++ {
		if v[i] == '#' && isBlank(v[i-1]) {
			return i
		}
	}
	return -1
}

// Resolve walks the file as msmtp does and returns the accounts with their
// effective values and every problem msmtp would reject or misread.
func Resolve(f *File) *Config {
	c := &Config{File: f, byName: map[string]*Account{}}
	defaults := map[string]*Assignment{}
	var cur *Block
	var curAcc *Account

	if f.BOM != "" {
		c.Problems = append(c.Problems, Problem{
			Rule: "syntax", Line: 0, Start: 0, End: len(f.BOM),
			Message: "file starts with a UTF-8 byte order mark; msmtp reads it as part of the first command and rejects the file",
			Fix:     &problemFix{message: "remove the byte order mark", edits: []edit{{0, len(f.BOM), ""}}},
		})
	}

	for i := range f.Lines {
		l := &f.Lines[i]
		if l.Len()-len(l.EOL) >= maxLine {
			c.Problems = append(c.Problems, Problem{Rule: "syntax", Line: i, Start: l.Offset, End: l.Offset + l.Len() - len(l.EOL),
				Message: fmt.Sprintf("line is %d characters long; msmtp rejects lines of %d characters or more", l.Len()-len(l.EOL), maxLine)})
		}
		if l.Kind != Command {
			continue
		}
		kind, known := commands[l.Cmd]
		if !known {
			if strayPassword(f.Lines, i) {
				c.Problems = append(c.Problems, Problem{Rule: "unknown-key", Line: i, Start: l.CmdOffset(), End: l.CmdOffset() + len(l.Cmd),
					Message: "this line follows a password command with no value, so it is probably the password; msmtp reads it as an unknown command and rejects the whole file: write the password on the password line"})
				continue
			}
			c.Problems = append(c.Problems, unknownCommand(l, i))
			continue
		}
		if kind != argAny && kind != argAccount {
			c.checkArg(l, i, kind)
		}
		if kind == argOnOff || kind == argAuth || kind == argPort || kind == argNone {
			c.checkInlineComment(l, i)
		} else if l.Cmd != "passwordeval" && l.Cmd != "eval" {
			c.checkInlineComment(l, i)
		}
		switch l.Cmd {
		case "defaults":
			cur = &Block{kind: blockDefaults, Header: i}
			c.Blocks = append(c.Blocks, cur)
			curAcc = nil
			continue
		case "account":
			name, parents, ok := c.parseAccount(l, i)
			cur = &Block{kind: blockAccount, Name: name, Header: i}
			c.Blocks = append(c.Blocks, cur)
			curAcc = nil
			if !ok {
				continue
			}
			acc := &Account{Name: name, Block: cur, Parents: parents, Values: map[string]*Assignment{}, own: map[string]*Assignment{}}
			for k, v := range defaults {
				acc.Values[k] = v
			}
			for _, p := range parents {
				pa := c.Account(p)
				for k, v := range pa.own {
					acc.Values[k] = v
					acc.own[k] = v
				}
				acc.HasEval = acc.HasEval || pa.HasEval
			}
			c.addAccount(acc)
			curAcc = acc
			continue
		}
		if cur == nil {
			cur = &Block{kind: blockImplicit, Name: "default", Header: -1}
			c.Blocks = append(c.Blocks, cur)
			curAcc = &Account{Name: "default", Block: cur, Values: map[string]*Assignment{}, own: map[string]*Assignment{}}
			c.addAccount(curAcc)
		}
		cur.Commands = append(cur.Commands, i)
		a := assignmentOf(l, i, cur)
		if l.Cmd == "eval" {
			if curAcc != nil {
				curAcc.HasEval = true
			}
			c.Problems = append(c.Problems, Problem{Rule: "dynamic-value", Line: i, Start: l.CmdOffset(), End: l.ArgOffset() + len(l.Arg),
				Message: "eval runs a command while msmtp reads the file; maillint never runs it, so the settings it makes are not checked"})
			continue
		}
		if curAcc != nil {
			curAcc.Values[a.Key] = a
			curAcc.own[a.Key] = a
		} else {
			defaults[a.Key] = a
		}
	}
	c.indexUsers()
	c.checkRenames()
	return c
}

// mixed marks a line used by accounts in different situations.
const mixed = "\x00mixed"

type blockKey struct {
	block *Block
	key   string
}

// maxVisible bounds the blocks an account reads from (its own, its parent
// accounts', the defaults blocks before it) that indexUsers follows; past
// it the file is crowded and writers offer no fix (they could not tell
// which accounts a line reaches).
const maxVisible = 64

// indexUsers records, for every line a writer may change, the situation of
// the accounts whose value it is (usedBy), and for every block and command,
// the situation of the accounts that read the block but set the command
// nowhere (missingIn): a line inserted there gives it to all of them, so a
// writer inserts there only when they are all in the account's situation
// — one signature, or mixed. Writers then need not scan every account per
// fix.
func (c *Config) indexUsers() {
	c.usedBy = map[*Assignment]string{}
	c.missingIn = map[blockKey]string{}
	c.readers = map[*Block][]*Account{}
	note := func(old string, had bool, sig string) string {
		if had && old != sig {
			return mixed
		}
		return sig
	}
	var defaults []*Block
	for _, b := range c.Blocks {
		if b.kind == blockDefaults {
			defaults = append(defaults, b)
		}
	}
	for _, a := range c.Accounts {
		a.sig = signature(a)
		var visible []*Block
		if !c.crowded {
			visible = c.visible(a, defaults)
			if len(visible) > maxVisible {
				c.crowded = true
			}
			for _, b := range visible[1:] {
				c.readers[b] = append(c.readers[b], a)
			}
		}
		for _, k := range writableKeys {
			if v := a.Values[k]; v != nil {
				old, had := c.usedBy[v]
				c.usedBy[v] = note(old, had, a.sig)
				continue
			}
			if c.crowded {
				continue
			}
			for _, b := range visible {
				bk := blockKey{b, k}
				old, had := c.missingIn[bk]
				c.missingIn[bk] = note(old, had, a.sig)
			}
		}
	}
}

// outranks reports whether, for account a, a value from block src wins
// over one written in block b: a's own block wins over all, a parent's
// over any defaults block, a later defaults block over an earlier one, and
// of two parents' chains the later named (msmtp copies the parents in
// order, each over the one before).
func (c *Config) outranks(a *Account, src, b *Block) bool {
	switch {
	case src == a.Block:
		return true
	case b == a.Block:
		return false
	case src.kind == blockDefaults && b.kind == blockDefaults:
		return src.Header > b.Header
	case src.kind == blockDefaults:
		return false
	case b.kind == blockDefaults:
		return true
	}
	order := c.parentOrder(a)
	return order[src] > order[b]
}

// parentOrder ranks the blocks of a's parents' chains in the order msmtp
// copies them (a parent's own parents before it; a later parent wins).
func (c *Config) parentOrder(a *Account) map[*Block]int {
	rank := map[*Block]int{}
	for i, b := range c.ancestors(a) {
		rank[b] = i + 1
	}
	return rank
}

// ancestors lists the blocks of a's parents' chains in the order msmtp
// copies them (a parent's own parents before it), each once, at most
// maxVisible+1 of them.
func (c *Config) ancestors(a *Account) []*Block {
	var out []*Block
	seen := map[*Account]bool{a: true}
	var walk func(names []string)
	walk = func(names []string) {
		for _, name := range names {
			p := c.Account(name)
			if p == nil || seen[p] || len(out) > maxVisible {
				continue
			}
			seen[p] = true
			walk(p.Parents)
			out = append(out, p.Block)
		}
	}
	walk(a.Parents)
	return out
}

// visible lists the blocks account a reads from: its own, its parents'
// (and theirs), and the defaults blocks before it; at most maxVisible+1.
func (c *Config) visible(a *Account, defaults []*Block) []*Block {
	out := append([]*Block{a.Block}, c.ancestors(a)...)
	for _, d := range defaults {
		if d.Header >= a.Block.Header || len(out) > maxVisible {
			break
		}
		out = append(out, d)
	}
	return out
}

// writableKeys are the commands a writer changes or inserts.
var writableKeys = []string{"host", "port", "tls", "tls_starttls", "tls_certcheck", "auth", "user"}

func assignmentOf(l *Line, i int, b *Block) *Assignment {
	v, _, _ := Intended(l)
	a := &Assignment{Key: l.Cmd, Line: i, Value: v, Block: b}
	switch l.Cmd {
	case "tls_nocertcheck":
		a.Key, a.Value, a.Legacy = "tls_certcheck", "off", true
	case "tls_nostarttls":
		a.Key, a.Value, a.Legacy = "tls_starttls", "off", true
	}
	return a
}

func unknownCommand(l *Line, i int) Problem {
	p := Problem{Rule: "unknown-key", Line: i, Start: l.CmdOffset(), End: l.CmdOffset() + len(l.Cmd)}
	if k := gluedSecret(l.Cmd); k >= 0 {
		// The word holds the password: never quote it.
		if sep := l.Cmd[k-1]; sep == '=' || sep == ':' {
			p.Message = fmt.Sprintf("unknown command %q: msmtp takes %s and its value separated by a space, not %q; it rejects the whole file",
				l.Cmd[:k]+"…", l.Cmd[:k-1], l.Cmd[k-1:k])
		} else {
			p.Message = fmt.Sprintf("unknown command %q: msmtp takes %s and its value separated by a space or a tab; it rejects the whole file",
				l.Cmd[:k]+"…", l.Cmd[:k])
		}
		return p
	}
	lower := strings.ToLower(l.Cmd)
	if _, ok := commands[lower]; ok {
		p.Message = fmt.Sprintf("unknown command %q: msmtp commands are case-sensitive; write %q", l.Cmd, lower)
		p.Fix = &problemFix{message: "write the command in lower case", edits: []edit{{p.Start, p.End, lower}}, renameTo: lower}
		return p
	}
	if near := nearestCommand(lower); near != "" {
		p.Message = fmt.Sprintf("unknown command %q (did you mean %q?); msmtp rejects the whole file", l.Cmd, near)
		p.Fix = &problemFix{message: "replace with " + near, unsafe: true, edits: []edit{{p.Start, p.End, near}}, renameTo: near}
		return p
	}
	p.Message = fmt.Sprintf("unknown command %q; msmtp rejects the whole file", l.Cmd)
	return p
}

// checkRenames warns about renaming a misspelled command to one its section
// (the lines from one account or defaults line to the next) already has,
// or that another misspelled line of the section is renamed to: msmtp then
// reads both and the later line wins, which may not be the value meant.
// Such a rename is never a safe fix. (A misspelled account or defaults line
// starts a section of its own: it is not checked.)
func (c *Config) checkRenames() {
	lines := c.File.Lines
	renamedTo := map[int]string{} // line → the command it is renamed to
	for _, p := range c.Problems {
		if p.Fix != nil && p.Fix.renameTo != "" {
			renamedTo[p.Line] = p.Fix.renameTo
		}
	}
	for k := range c.Problems {
		p := &c.Problems[k]
		to := ""
		if p.Fix != nil {
			to = p.Fix.renameTo
		}
		if to == "" || to == "account" || to == "defaults" {
			continue
		}
		// A section starts at an account or defaults line, also one
		// written in the wrong case (the fix makes it one).
		starts := func(i int) bool {
			return isSectionStart(&lines[i]) || renamedTo[i] == "account" || renamedTo[i] == "defaults"
		}
		first, last := p.Line, p.Line
		for first > 0 && !starts(first) {
			first--
		}
		for last+1 < len(lines) && !starts(last+1) {
			last++
		}
		for i := first; i <= last; i++ {
			if i == p.Line {
				continue
			}
			switch {
			case lines[i].Kind == Command && lines[i].Cmd == to:
				p.Message += fmt.Sprintf(" (%s is also set in this section, on line %d; after the rename the later line wins)", to, i+1)
			case renamedTo[i] == to:
				p.Message += fmt.Sprintf(" (line %d of this section is also renamed to %s; the later line wins)", i+1, to)
			default:
				continue
			}
			p.Fix.unsafe = true
			break
		}
	}
}

// isSectionStart reports whether a line starts an account or defaults
// section.
func isSectionStart(l *Line) bool {
	return l.Kind == Command && (l.Cmd == "account" || l.Cmd == "defaults")
}

func (c *Config) checkArg(l *Line, i int, kind argKind) {
	v, s, e := Intended(l)
	bad := func(msg string) {
		if s == e {
			s, e = l.CmdOffset(), l.CmdOffset()+len(l.Cmd)
		}
		c.Problems = append(c.Problems, Problem{Rule: "syntax", Line: i, Start: s, End: e, Message: msg})
	}
	switch kind {
	case argNone:
		if l.Arg != "" {
			bad(fmt.Sprintf("command %s takes no argument", l.Cmd))
		}
	case argOnOff:
		if v != "" && v != "on" && v != "off" {
			bad(fmt.Sprintf("invalid argument %q for command %s: msmtp accepts only on or off", v, l.Cmd))
			if want, ok := boolWords[strings.ToLower(v)]; ok && s != e {
				c.Problems[len(c.Problems)-1].Fix = &problemFix{message: "write " + want, edits: []edit{{s, e, want}}}
			}
		}
	case argAuth:
		if v != "" && v != "on" && v != "off" && !authMethods[v] {
			bad(fmt.Sprintf("invalid argument %q for command auth: use on, off or a method such as plain or xoauth2", v))
		}
	case argNonEmpty:
		if v == "" {
			bad(fmt.Sprintf("command %s needs an argument", l.Cmd))
		}
	case argPort:
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 65535 {
			bad(fmt.Sprintf("invalid port %q for command %s: use a number from 1 to 65535", v, l.Cmd))
		}
	}
}

func (c *Config) checkInlineComment(l *Line, i int) {
	if l.Quoted() {
		return
	}
	v := l.Value()
	k := inlineComment(v)
	if k < 0 {
		return
	}
	valStart := l.ValueOffset()
	kept := strings.TrimRight(v[:k], " \t")
	comment := v[k:]
	cutStart := valStart + len(kept)
	cutEnd := valStart + len(v)
	p := Problem{Rule: "inline-comment", Line: i, Start: valStart + k, End: cutEnd,
		Message: fmt.Sprintf("msmtp has no inline comments: %q is part of the value of %s", truncate(comment, 40), l.Cmd)}
	if l.Cmd == "password" {
		// The text may be part of a real password: never quote it, never guess.
		p.Message = "a \"#\" inside the password line is part of the password (msmtp has no inline comments)"
	} else {
		p.Fix = &problemFix{message: "move the comment to its own line above", edits: []edit{
			{l.Offset, l.Offset, l.Indent + comment + eolOr(l.EOL)},
			{cutStart, cutEnd, ""},
		}}
	}
	c.Problems = append(c.Problems, p)
}

func eolOr(eol string) string {
	if eol == "" {
		return "\n"
	}
	return eol
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

func (c *Config) parseAccount(l *Line, i int) (name string, parents []string, ok bool) {
	v, s, e := Intended(l)
	fail := func(msg string) (string, []string, bool) {
		if s == e {
			s, e = l.CmdOffset(), l.CmdOffset()+len(l.Cmd)
		}
		c.Problems = append(c.Problems, Problem{Rule: "syntax", Line: i, Start: s, End: e, Message: msg})
		return name, nil, false
	}
	name = v
	rest := ""
	if k := strings.IndexByte(v, ':'); k >= 0 {
		name, rest = v[:k], v[k+1:]
	}
	name = strings.Trim(name, " \t")
	if name == "" {
		return fail("account needs a name")
	}
	if strings.ContainsAny(name, ",") {
		return fail(fmt.Sprintf("account name %q must not contain ',' or ':'", name))
	}
	if c.Account(name) != nil {
		return fail(fmt.Sprintf("account %s was already defined; msmtp rejects the file", name))
	}
	if strings.TrimSpace(rest) != "" {
		for _, p := range strings.Split(rest, ",") {
			p = strings.Trim(p, " \t")
			if p == "" {
				return fail("empty account name in the list after ':'")
			}
			if c.Account(p) == nil {
				return fail(fmt.Sprintf("account %s not (yet) defined: parents must come before the account that names them", p))
			}
			parents = append(parents, p)
		}
	} else if rest != "" || strings.HasSuffix(v, ":") {
		return fail("no account names after ':'")
	}
	return name, parents, true
}
