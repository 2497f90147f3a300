package gitconfig

import (
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"strings"

	"github.com/maillint/maillint/linters"
)

// maxIncludeDepth is git's MAX_INCLUDE_DEPTH: deeper nesting (which is what
// a cycle gives) makes git stop with "exceeded maximum include depth".
const maxIncludeDepth = 10

// maxIncludes bounds the included files read in all, maxVars the
// assignments: a file including another fifty times, which includes the
// next fifty times, and so on ten deep, would otherwise take 50^10 reads.
// Git has no such limit; past it the include is reported as not followed.
const (
	maxIncludes = 256
	maxVars     = 200000
)

// Var is one assignment of a variable, in the order git reads them.
type Var struct {
	// Name is the full variable name as git stores it: the section in
	// lower case, the subsection as written, the key in lower case
	// ("sendemail.Work.smtpserver").
	Name string
	// Prefix is Name without the key ("sendemail.Work").
	Prefix string
	// Key is the key in lower case ("smtpserver").
	Key string
	// Base and Sub are the section (lower case) and the subsection.
	Base, Sub string
	// HasSub tells an empty subsection from none.
	HasSub bool
	// File is the file the assignment is written in.
	File *File
	// Node is the entry in File.Nodes.
	Node *Node
	// Cond is true when the file was included by an includeIf whose
	// condition maillint does not evaluate: git may or may not read it.
	Cond bool
	// Opaque marks an include that was not followed: it may set anything.
	// Only Cond and Opaque are meaningful on such a Var.
	Opaque bool
}

// Diag is a finding the reader makes (syntax, unknown keys, includes).
type Diag struct {
	// Rule is the id of a parser-reported rule in the registry.
	Rule string
	// Severity is the finding's severity (not always the rule's default).
	Severity linters.Severity
	// File is where the finding is shown.
	File *File
	// Start and End are the byte offsets of the text it is about.
	Start, End int
	// Message never contains a password.
	Message string
	// Fix is nil when none is offered.
	Fix *linters.Fix
}

// Config is a git configuration as git reads it: the files, every
// assignment in reading order, and what the reader found.
type Config struct {
	// Files are the files read; Files[0] is the one named. Each file
	// appears once even when it is included several times.
	Files []*File
	// Modes holds the permission bits Context.Read reported per file.
	Modes map[*File]fs.FileMode
	// Vars are the assignments in the order git reads them.
	Vars []*Var
	// Diags are what the reader found, in the order found.
	Diags []Diag
	// Fatal is true when git stops reading this configuration (a bad
	// line, an include without a value, an include cycle, an included
	// file it cannot read): `git config` then exits with status 128.
	Fatal bool

	ctx      *linters.Context
	included int       // included files read
	idx      *varIndex // for last; rebuilt when Vars grows
}

// Read parses the file at path and every file it includes, in git's order.
// Included files are read only through ctx.Read; nothing is ever run.
func Read(path string, src []byte, ctx *linters.Context) *Config {
	c := &Config{Modes: map[*File]fs.FileMode{}, ctx: ctx}
	f := c.parse(path, src, false)
	c.read(f, false, []string{filepath.Clean(path)})
	c.check()
	return c
}

// parse parses a file once and records git's parse errors; cond says
// whether git reads the file only under an includeIf condition.
func (c *Config) parse(path string, src []byte, cond bool) *File {
	f, problems := Parse(path, src)
	c.Files = append(c.Files, f)
	for _, p := range problems {
		c.Fatal = c.Fatal || !cond
		c.diag(linters.Syntax.ID, linters.Error, f, p.Start, p.End, nil,
			"git stops reading the configuration here (\"bad config line\"): %s", p.Message)
	}
	return f
}

func (c *Config) file(path string) *File {
	for _, f := range c.Files {
		if f.Path == path {
			return f
		}
	}
	return nil
}

func (c *Config) diag(rule string, sev linters.Severity, f *File, start, end int, fix *linters.Fix, format string, args ...any) {
	c.Diags = append(c.Diags, Diag{Rule: rule, Severity: sev, File: f, Start: start, End: end, Fix: fix, Message: fmt.Sprintf(format, args...)})
}

// read appends the assignments of f, following includes where git does.
// chain holds the files being read, outermost first.
func (c *Config) read(f *File, cond bool, chain []string) {
	for i := range f.Nodes {
		n := &f.Nodes[i]
		if n.Kind != Entry {
			continue
		}
		base, sub, hasSub := f.Section(n)
		v := &Var{Name: f.VarName(n), Prefix: f.Prefix(n), Key: n.Key, Base: base, Sub: sub, HasSub: hasSub, File: f, Node: n, Cond: cond}
		c.Vars = append(c.Vars, v)
		switch {
		case base == "include" && !hasSub && n.Key == "path":
			c.include(v, "", cond, chain)
		case base == "includeif" && hasSub && n.Key == "path":
			c.include(v, sub, cond, chain)
		}
	}
}

// conditions are the includeIf conditions git knows; all of them depend on
// the repository git runs in (or on its remotes), which maillint does not
// know.
var conditions = []string{"gitdir:", "gitdir/i:", "onbranch:", "hasconfig:remote.*.url:"}

// include follows one include.path or includeIf.<cond>.path.
func (c *Config) include(v *Var, cond string, inCond bool, chain []string) {
	n, f := v.Node, v.File
	vs, ve := valueSpan(n)
	if n.Bare() {
		c.Fatal = c.Fatal || !inCond && cond == ""
		c.diag(linters.Syntax.ID, linters.Error, f, n.KeyStart, n.KeyEnd, nil,
			"path has no value; git stops with \"missing value for '%s'\"%s", v.Name, condNote(inCond || cond != ""))
		return
	}
	target := n.Value
	if target == "" {
		return // git ignores an empty include path
	}
	if cond != "" {
		known := false
		for _, p := range conditions {
			if strings.HasPrefix(cond, p) {
				known = true
			}
		}
		if !known {
			c.diag(linters.Syntax.ID, linters.Warning, f, vs, ve, nil,
				"unknown includeIf condition %q: git never includes %s (conditions are gitdir:, gitdir/i:, onbranch: and hasconfig:remote.*.url:)", cond, target)
			return
		}
		inCond = true
	}
	where := ""
	if cond != "" {
		where = fmt.Sprintf(" (included where %q holds)", cond)
	}
	opaque := func(why string) {
		c.diag(linters.IncludeMissing.ID, linters.Info, f, vs, ve, nil, "%s%s is not followed: %s; settings it may change are not judged", target, where, why)
		c.Vars = append(c.Vars, &Var{File: f, Node: n, Cond: inCond, Opaque: true})
	}
	p := target
	home := ""
	if c.ctx != nil {
		home = c.ctx.Env.Home
	}
	switch {
	case p == "~" || strings.HasPrefix(p, "~/"):
		if home == "" {
			opaque("~ cannot be expanded because the home folder is not known")
			return
		}
		p = filepath.Join(home, p[1:])
	case strings.HasPrefix(p, "~"):
		opaque("maillint does not expand ~user")
		return
	case strings.HasPrefix(p, "%(prefix)/"):
		opaque("maillint does not know git's installation prefix")
		return
	}
	if !filepath.IsAbs(p) {
		p = filepath.Join(filepath.Dir(f.Path), p)
	}
	p = filepath.Clean(p)
	for i, q := range chain {
		if q == p {
			cycle := strings.Join(append(append([]string(nil), chain[i:]...), p), " → ")
			c.diag(linters.IncludeMissing.ID, includeSeverity(inCond), f, vs, ve, nil,
				"include cycle %s: git stops with \"exceeded maximum include depth (%d)\"%s", cycle, maxIncludeDepth, condNote(inCond))
			c.Fatal = c.Fatal || !inCond
			return
		}
	}
	if len(chain) > maxIncludeDepth {
		c.diag(linters.IncludeMissing.ID, includeSeverity(inCond), f, vs, ve, nil,
			"includes nest more than %d deep: git stops with \"exceeded maximum include depth\"%s", maxIncludeDepth, condNote(inCond))
		c.Fatal = c.Fatal || !inCond
		return
	}
	if c.ctx == nil || c.ctx.Read == nil {
		opaque("maillint was not given a way to read included files")
		return
	}
	if c.included >= maxIncludes || len(c.Vars) >= maxVars {
		opaque(fmt.Sprintf("the configuration includes more than %d files or %d settings", maxIncludes, maxVars))
		return
	}
	c.included++
	g := c.file(p)
	if g == nil {
		data, mode, err := c.ctx.Read(p)
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				c.diag(linters.IncludeMissing.ID, linters.Info, f, vs, ve, nil,
					"%s%s does not exist; git skips it silently", p, where)
				return
			}
			c.diag(linters.IncludeMissing.ID, includeSeverity(inCond), f, vs, ve, nil,
				"%s cannot be read (%s); git stops%s", p, describe(err), condNote(inCond))
			c.Fatal = c.Fatal || !inCond
			return
		}
		g = c.parse(p, data, inCond)
		c.Modes[g] = mode
	}
	if cond != "" {
		c.diag(linters.DynamicValue.ID, linters.Info, f, vs, ve, nil,
			"git includes %s only where the condition %q holds, which depends on the repository; maillint does not evaluate it, so the settings it may change are not judged", p, cond)
	}
	c.read(g, inCond, append(chain, p))
}

func includeSeverity(cond bool) linters.Severity {
	if cond {
		return linters.Warning
	}
	return linters.Error
}

func condNote(cond bool) string {
	if cond {
		return " where the includeIf condition holds"
	}
	return ""
}

func describe(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	if errors.Is(err, fs.ErrPermission) {
		return "permission denied"
	}
	return err.Error()
}

// valueSpan is where findings about an entry's value are shown: the value
// as written, or the key when the value is empty or missing.
func valueSpan(n *Node) (int, int) {
	if n.Bare() || n.ValStart == n.ValEnd {
		return n.KeyStart, n.KeyEnd
	}
	return n.ValStart, n.ValEnd
}

// last returns the assignment of name that git uses (the last one) among
// those read for certain, skipping the vars in skip. maybe is true when a
// file git may or may not read (an includeIf, an include not followed)
// could set name after it.
func (c *Config) last(name string, skip map[*Var]bool) (win *Var, maybe bool) {
	ix := c.index()
	winAt := -1
	for _, i := range ix.byName[name] {
		v := c.Vars[i]
		if skip[v] {
			continue
		}
		if v.Cond {
			maybe = true
			continue
		}
		win, winAt, maybe = v, i, false
	}
	if n := len(ix.opaque); n > 0 && ix.opaque[n-1] > winAt {
		maybe = true // an include not followed comes after the winner
	}
	return win, maybe
}

// varIndex lists, per name, the positions in Vars of its assignments, and
// the positions of opaque vars, so that looking up every setting of
// thousands of identities does not read every var each time.
type varIndex struct {
	n        int // len(Vars) when built
	byName   map[string][]int
	byPrefix map[string][]int
	opaque   []int
	// ids and idHeader cache Identities (nil until asked).
	ids      []Identity
	idHeader map[string]*Var
}

func (c *Config) index() *varIndex {
	if c.idx != nil && c.idx.n == len(c.Vars) {
		return c.idx
	}
	ix := &varIndex{n: len(c.Vars), byName: map[string][]int{}, byPrefix: map[string][]int{}}
	for i, v := range c.Vars {
		if v.Opaque {
			ix.opaque = append(ix.opaque, i)
			continue
		}
		ix.byName[v.Name] = append(ix.byName[v.Name], i)
		ix.byPrefix[v.Prefix] = append(ix.byPrefix[v.Prefix], i)
	}
	c.idx = ix
	return ix
}
