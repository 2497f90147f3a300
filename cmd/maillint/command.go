package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"

	"github.com/maillint/maillint/fixers"
	"github.com/maillint/maillint/linters"
	"github.com/maillint/maillint/linters/gitconfig"
	"github.com/maillint/maillint/linters/msmtp"
	"github.com/maillint/maillint/linters/mutt"
	"github.com/maillint/maillint/linters/providers"
	"github.com/maillint/maillint/linters/thunderbird"
	"github.com/spf13/afero"
)

// Exit codes. They are public API.
const (
	ExitClean    = 0 // no findings of severity warning or error
	ExitFindings = 1 // findings remain
	ExitError    = 2 // usage or input error
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "dev"

// Command is one run of maillint with its own streams and file system, so
// tests can run it in process.
type Command struct {
	Stdin  io.Reader
	Stdout io.Writer
	Stderr io.Writer
	// Fs is where files are read and written.
	Fs afero.Fs
	// Getenv reads the environment (HOME, XDG_CONFIG_HOME, NO_COLOR).
	Getenv func(string) string
	// Wd is the working directory used to print relative paths; "" means os.Getwd.
	Wd string
	// IsTerminal reports whether Stdout is a terminal (for colour); nil means
	// inspect Stdout.
	IsTerminal func() bool
	// StderrIsTerminal reports whether Stderr is a terminal (for progress
	// lines); nil means inspect Stderr.
	StderrIsTerminal func() bool

	// cwd caches os.Getwd when Wd is "" (it costs two stats, and a walk
	// asks for every file); Main sets it, and copies of the Command share
	// it.
	cwd *cwdCache
}

// cwdCache is the working directory, read once.
type cwdCache struct {
	once sync.Once
	dir  string
}

// formats lists every format adapter, in --type order.
func formats() []linters.Format {
	return []linters.Format{msmtp.Format{}, mutt.Format{}, gitconfig.Format{}, thunderbird.Format{}}
}

func formatByName(name string) linters.Format {
	for _, f := range formats() {
		if f.Name() == name {
			return f
		}
	}
	return nil
}

type options struct {
	typ         string
	format      string
	diff        bool
	write       bool
	unsafeFixes bool
	force       bool
	version     bool
	verify      verifyOptions
	jobs        int
	fleet       fleetOptions
	paths       []string
}

var errUsage = errors.New("usage")

func (c *Command) flagSet(o *options) *flag.FlagSet {
	fs := flag.NewFlagSet("maillint", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	names := []string{}
	for _, f := range formats() {
		names = append(names, f.Name())
	}
	fs.StringVar(&o.typ, "type", "", "parse the named files as this format: "+strings.Join(names, "|"))
	fs.StringVar(&o.format, "format", "text", "output format: "+strings.Join(outputFormats, "|"))
	fs.BoolVar(&o.diff, "diff", false, "print the fixes as a unified diff; write nothing")
	fs.BoolVar(&o.write, "write", false, "apply safe fixes in place")
	fs.BoolVar(&o.write, "w", false, "shorthand for --write")
	fs.BoolVar(&o.unsafeFixes, "unsafe-fixes", false, "also apply (or show) fixes marked unsafe")
	fs.BoolVar(&o.force, "force", false, "write even when the client may overwrite the file (a running Thunderbird)")
	fs.IntVar(&o.jobs, "jobs", runtime.NumCPU(), "how many files or endpoints to check at once")
	o.verify.register(fs)
	o.fleet.register(fs)
	fs.BoolVar(&o.version, "version", false, "print the version and exit")
	return fs
}

// parseArgs parses flags that may come before or after paths.
func (c *Command) parseArgs(args []string) (*options, error) {
	o := &options{}
	fs := c.flagSet(o)
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		rest := fs.Args()
		if len(rest) == 0 {
			break
		}
		if consumed := len(args) - len(rest); consumed > 0 && args[consumed-1] == "--" {
			o.paths = append(o.paths, rest...)
			break
		}
		o.paths = append(o.paths, rest[0])
		args = rest[1:]
	}
	if err := validFormat("--format", o.format); err != nil {
		return nil, err
	}
	if err := validFormat("--output-format", o.fleet.outputFormat); err != nil {
		return nil, err
	}
	if o.typ != "" && formatByName(o.typ) == nil {
		var names []string
		for _, f := range formats() {
			names = append(names, f.Name())
		}
		return nil, fmt.Errorf("unknown --type %q (use %s)", o.typ, strings.Join(names, ", "))
	}
	if o.diff && o.write {
		return nil, fmt.Errorf("--diff and --write exclude each other")
	}
	switch {
	case o.jobs < 1:
		return nil, fmt.Errorf("--jobs must be at least 1")
	case o.verify.auth && !o.verify.enabled:
		return nil, fmt.Errorf("--verify-auth needs --verify")
	case o.verify.allowExec && !o.verify.auth:
		return nil, fmt.Errorf("--allow-exec needs --verify-auth (it only serves to get a password for the login)")
	}
	return o, nil
}

func (c *Command) usage(w io.Writer) {
	o := &options{}
	fs := c.flagSet(o)
	fmt.Fprintf(w, "Usage: maillint [flags] [PATH...]\n       maillint rules\n       maillint explain RULE\n       maillint init\n\n")
	fmt.Fprintf(w, "Checks mail client configs (msmtp, mutt, Thunderbird, git send-email); with no PATH, the current user's.\n\nFlags:\n")
	fs.VisitAll(func(f *flag.Flag) {
		if f.Name == "w" {
			return
		}
		name := "--" + f.Name
		if f.Name == "write" {
			name = "-w, --write"
		}
		usage := f.Usage
		if d := f.DefValue; d != "" && d != "false" && d != "0" {
			usage += " (default " + d + ")"
		}
		fmt.Fprintf(w, "  %-18s %s\n", name, usage)
	})
	fmt.Fprintf(w, "\nExit status: 0 clean, 1 findings, 2 usage or input error.\n")
}

// Main runs maillint with args (without the program name) and returns the
// exit code.
func (c *Command) Main(args []string) int {
	if c.Fs == nil {
		c.Fs = afero.NewOsFs()
	}
	if c.Getenv == nil {
		c.Getenv = func(string) string { return "" }
	}
	if c.cwd == nil {
		c.cwd = &cwdCache{}
	}
	if len(args) > 0 {
		switch args[0] {
		case "rules":
			return c.listRules(args[1:])
		case "explain":
			return c.explain(args[1:])
		case "init":
			return c.initConfig(args[1:])
		case "help", "-h", "-help", "--help":
			c.usage(c.Stdout)
			return ExitClean
		}
	}
	o, err := c.parseArgs(args)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			c.usage(c.Stdout)
			return ExitClean
		}
		msg := err.Error()
		// The flag package names flags with one dash; maillint's help and
		// README use two.
		if name, ok := strings.CutPrefix(msg, "flag provided but not defined: -"); ok {
			msg = "unknown flag --" + strings.TrimPrefix(name, "-")
		}
		if strings.Contains(msg, "flag -timeout") {
			msg += " (use a duration such as 10s or 1m)"
		}
		fmt.Fprintf(c.Stderr, "maillint: %s\n", msg)
		fmt.Fprintf(c.Stderr, "Run 'maillint --help' for usage.\n")
		return ExitError
	}
	if o.version {
		fmt.Fprintf(c.Stdout, "maillint %s\n", version)
		return ExitClean
	}
	if err := c.loadConfig(o); err != nil {
		fmt.Fprintf(c.Stderr, "maillint: %v\n", err)
		return ExitError
	}
	return c.run(o)
}

func (c *Command) wd() string {
	if c.Wd != "" {
		return c.Wd
	}
	if c.cwd == nil {
		wd, _ := os.Getwd() // not from Main: not cached
		return wd
	}
	c.cwd.once.Do(func() { c.cwd.dir, _ = os.Getwd() })
	return c.cwd.dir
}

// abs returns path as a cleaned absolute path, relative paths taken from
// the working directory.
func (c *Command) abs(path string) string {
	if filepath.IsAbs(path) {
		return filepath.Clean(path)
	}
	return filepath.Join(c.wd(), path)
}

// displayPath is how a path is shown: relative to the working directory
// when it lies below it (also when written from outside it, as
// ../here/msmtprc), else as given.
func (c *Command) displayPath(p string) string {
	clean := filepath.Clean(p)
	if filepath.IsLocal(clean) {
		return filepath.ToSlash(clean)
	}
	if rel, ok := below(c.wd(), c.abs(clean)); ok {
		return rel
	}
	return filepath.ToSlash(clean)
}

func (c *Command) env() linters.Env {
	home := c.Getenv("HOME")
	return linters.Env{Home: home, Getenv: c.Getenv, GOOS: runtime.GOOS}
}

func (c *Command) listRules(args []string) int {
	if len(args) > 0 {
		fmt.Fprintf(c.Stderr, "maillint: rules takes no arguments\n")
		return ExitError
	}
	rules := linters.All()
	w := len("RULE")
	for _, r := range rules {
		w = max(w, len(r.ID))
	}
	fmt.Fprintf(c.Stdout, "%-*s %-8s %-12s %s\n", w, "RULE", "SEVERITY", "FIXABLE", "SUMMARY")
	for _, r := range rules {
		fmt.Fprintf(c.Stdout, "%-*s %-8s %-12s %s\n", w, r.ID, r.Severity, r.Fixable, r.Summary)
	}
	return ExitClean
}

func (c *Command) explain(args []string) int {
	if len(args) != 1 {
		fmt.Fprintf(c.Stderr, "maillint: usage: maillint explain RULE\n")
		return ExitError
	}
	r := linters.Lookup(args[0])
	if r == nil {
		var ids []string
		for _, r := range linters.All() {
			ids = append(ids, r.ID)
		}
		sort.Strings(ids)
		fmt.Fprintf(c.Stderr, "maillint: unknown rule %q; rules are: %s\n", args[0], strings.Join(ids, ", "))
		return ExitError
	}
	fmt.Fprintf(c.Stdout, "%s (%s, fixable: %s)\n\n%s\n\n%s\n", r.ID, r.Severity, r.Fixable, r.Summary, r.Doc)
	for _, ex := range r.Examples {
		fmt.Fprintf(c.Stdout, "\nBad (%s):\n%s\nGood (%s):\n%s", ex.Format, indent(ex.Bad), ex.Format, indent(ex.Good))
	}
	return ExitClean
}

func indent(s string) string {
	var b strings.Builder
	for _, l := range strings.SplitAfter(s, "\n") {
		if l == "" {
			continue
		}
		b.WriteString("    " + l)
	}
	if !strings.HasSuffix(b.String(), "\n") {
		b.WriteString("\n")
	}
	return b.String()
}

// providerDB is the provider database rules use.
func providerDB() *providers.DB { return providers.Builtin() }

// writer is the file writer for --write.
func (c *Command) writer() *fixers.Writer { return &fixers.Writer{Fs: c.Fs} }
