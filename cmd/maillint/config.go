package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/BurntSushi/toml"
	"github.com/maillint/maillint/linters"
	"github.com/maillint/maillint/linters/providers"
)

// configName is the name of maillint's own configuration file.
const configName = ".maillint.toml"

// configFile is the schema of .maillint.toml. Unknown keys are errors.
type configFile struct {
	Select   []string            `toml:"select"`
	Ignore   []string            `toml:"ignore"`
	Exclude  []string            `toml:"exclude"`
	FailOn   string              `toml:"fail-on"`
	Severity map[string]string   `toml:"severity"`
	PerPath  []perPathFile       `toml:"per-path"`
	Type     map[string][]string `toml:"type"`
	// Provider tables are parsed by providers.ParseEmbedded.
	Provider []map[string]any `toml:"provider"`
}

type perPathFile struct {
	Paths    []string          `toml:"paths"`
	Ignore   []string          `toml:"ignore"`
	Severity map[string]string `toml:"severity"`
}

// config is a loaded .maillint.toml. The zero config (no file) selects
// every rule, fails on warnings and uses the built-in providers.
type config struct {
	path string // the file; "" when there is none
	dir  string // absolute folder globs are relative to

	selected map[string]bool // nil: every rule
	ignored  map[string]bool
	severity map[string]linters.Severity
	exclude  []*pathGlob
	perPath  []perPath
	types    []typeGlobs
	failOn   linters.Severity
	failSet  bool
	db       *providers.DB // nil: the built-in database
}

type perPath struct {
	globs    []*pathGlob
	ignore   map[string]bool // "*" ignores every rule
	severity map[string]linters.Severity
}

type typeGlobs struct {
	format linters.Format
	globs  []*pathGlob
}

// failNever is the fail-on level "never": above every severity.
const failNever = linters.Error + 1

func parseFailOn(s string) (linters.Severity, bool) {
	if s == "never" {
		return failNever, true
	}
	return linters.ParseSeverity(s)
}

// configError is one problem in a config file, with its line when known.
type configError struct {
	path string
	line int
	msg  string
}

func (e *configError) Error() string {
	if e.line > 0 {
		return fmt.Sprintf("%s:%d: %s", e.path, e.line, e.msg)
	}
	return fmt.Sprintf("%s: %s", e.path, e.msg)
}

// findConfig looks for .maillint.toml in the working directory and its
// parents.
func (c *Command) findConfig() string {
	dir := c.wd()
	for {
		p := filepath.Join(dir, configName)
		if fi, err := c.Fs.Stat(p); err == nil && fi.Mode().IsRegular() {
			return p
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return ""
		}
		dir = parent
	}
}

// loadConfig reads the config named by --config, else the nearest
// .maillint.toml, into o.fleet.cfg, and applies --fail-on.
func (c *Command) loadConfig(o *options) error {
	path := o.fleet.configPath
	if path == "" {
		path = c.findConfig()
	}
	cfg := &config{failOn: linters.Warning}
	if path != "" {
		data, _, err := c.readFile(path)
		if err != nil {
			return fmt.Errorf("%s: %s", c.displayPath(path), describe(err))
		}
		abs := path
		if !filepath.IsAbs(abs) {
			abs = filepath.Join(c.wd(), abs)
		}
		cfg, err = parseConfig(c.displayPath(path), filepath.Dir(abs), data)
		if err != nil {
			// One problem per line, each with the program's prefix.
			return errors.New(strings.ReplaceAll(err.Error(), "\n", "\nmaillint: "))
		}
	}
	if o.fleet.failOn != "" {
		sev, ok := parseFailOn(o.fleet.failOn)
		if !ok {
			return fmt.Errorf("unknown --fail-on %q (use error, warning, info or never)", o.fleet.failOn)
		}
		cfg.failOn, cfg.failSet = sev, true
	}
	o.fleet.cfg = cfg
	return nil
}

var tomlLineErr = regexp.MustCompile(`^toml: line (\d+)(?: \(last key "([^"]*)"\))?: (.*)$`)

// parseConfig parses a .maillint.toml; name is used in messages and dir is
// the absolute folder its globs are relative to. All problems are
// reported, joined, each with its line.
func parseConfig(name, dir string, data []byte) (*config, error) {
	var raw configFile
	var deep *providers.ParseError
	if errors.As(providers.CheckNesting(name, data), &deep) {
		return nil, &configError{name, deep.Line, deep.Msg}
	}
	md, err := toml.Decode(string(data), &raw)
	if err != nil {
		var pe toml.ParseError
		if errors.As(err, &pe) {
			return nil, &configError{name, pe.Position.Line, pe.Message}
		}
		if m := tomlLineErr.FindStringSubmatch(err.Error()); m != nil {
			line, _ := strconv.Atoi(m[1])
			msg := m[3]
			if m[2] != "" {
				msg = fmt.Sprintf("%s: %s", m[2], msg)
			}
			return nil, &configError{name, line, msg}
		}
		return nil, &configError{name, 0, strings.TrimPrefix(err.Error(), "toml: ")}
	}
	lines := providers.KeyLines(data)
	cfg := &config{dir: dir, path: name, failOn: linters.Warning}
	var errs []error
	count := map[string]int{}
	lineOf := func(key string) int {
		if ls := lines[key]; len(ls) > 0 {
			return ls[0]
		}
		return 0
	}
	errorf := func(line int, format string, args ...any) {
		errs = append(errs, &configError{name, line, fmt.Sprintf(format, args...)})
	}
	// The TOML decoder matches keys to fields in any case (FAIL-ON sets
	// fail-on) and so does not list them as undecoded; maillint's keys are
	// spelled one way, so another case is an unknown key. (Other unknown
	// keys are the decoder's undecoded ones, below.)
	exact := map[string]bool{"select": true, "ignore": true, "exclude": true, "fail-on": true, "severity": true, "per-path": true, "type": true, "provider": true}
	perPathKeys := map[string]bool{"paths": true, "ignore": true, "severity": true}
	seen := map[string]int{}
	for _, k := range md.Keys() {
		var bad string
		switch {
		case !exact[k[0]]:
			if len(k) == 1 && exact[strings.ToLower(k[0])] {
				bad = k[0]
			}
		case k[0] == "per-path" && len(k) == 2 && !perPathKeys[k[1]] && perPathKeys[strings.ToLower(k[1])]:
			bad = k.String()
		}
		if bad == "" {
			continue
		}
		i := seen[bad]
		seen[bad]++
		line := 0
		if ls := lines[bad]; i < len(ls) {
			line = ls[i]
		}
		errorf(line, "unknown key %q (keys are lower case: %s)", bad, strings.ToLower(bad))
	}
	if len(errs) > 0 {
		// The decoder read those keys' values into the fields: checking
		// the values would blame the lower-case key's line for them.
		return nil, errors.Join(errs...)
	}
	// Unknown keys (provider tables are checked by the provider parser).
	var lastUnknown string
	for _, k := range md.Undecoded() {
		s := k.String()
		if k[0] == "provider" || (lastUnknown != "" && strings.HasPrefix(s, lastUnknown+".")) {
			continue
		}
		lastUnknown = s
		i := count[s]
		count[s]++
		line := 0
		if ls := lines[s]; i < len(ls) {
			line = ls[i]
		}
		errorf(line, "unknown key %q", s)
	}
	ruleSet := func(key string, ids []string, star bool) map[string]bool {
		set := map[string]bool{}
		for _, id := range ids {
			if id == "*" && star {
				set[id] = true
				continue
			}
			if linters.Lookup(id) == nil {
				errorf(lineOf(key), "%s: unknown rule %q", key, id)
				continue
			}
			set[id] = true
		}
		return set
	}
	sevMap := func(key string, m map[string]string) map[string]linters.Severity {
		out := map[string]linters.Severity{}
		for _, id := range sortedStrings(m) {
			if linters.Lookup(id) == nil {
				errorf(lineOf(key+"."+toml.Key{id}.String()), "%s: unknown rule %q", key, id)
				continue
			}
			sev, ok := linters.ParseSeverity(m[id])
			if !ok || strings.ToLower(m[id]) != m[id] {
				errorf(lineOf(key+"."+toml.Key{id}.String()), "%s.%s: severity %q is not error, warning or info", key, id, m[id])
				continue
			}
			out[id] = sev
		}
		return out
	}
	globs := func(key string, line int, pats []string) []*pathGlob {
		var out []*pathGlob
		for _, p := range pats {
			g, err := compileGlob(p)
			if err != nil {
				errorf(line, "%s: %v", key, err)
				continue
			}
			out = append(out, g)
		}
		return out
	}
	if md.IsDefined("select") {
		cfg.selected = ruleSet("select", raw.Select, false)
	}
	cfg.ignored = ruleSet("ignore", raw.Ignore, false)
	cfg.severity = sevMap("severity", raw.Severity)
	cfg.exclude = globs("exclude", lineOf("exclude"), raw.Exclude)
	if raw.FailOn != "" {
		sev, ok := parseFailOn(raw.FailOn)
		if !ok {
			errorf(lineOf("fail-on"), "fail-on: %q is not error, warning, info or never", raw.FailOn)
		}
		cfg.failOn = sev
	}
	for i, pp := range raw.PerPath {
		line, next := 0, 1<<31-1
		if ls := lines["per-path"]; i < len(ls) {
			line = ls[i]
			if i+1 < len(ls) {
				next = ls[i+1]
			}
		}
		// keyLine is the line of key in this [[per-path]] table, else the
		// table's header line.
		keyLine := func(key string) int {
			for _, l := range lines["per-path."+key] {
				if l >= line && l < next {
					return l
				}
			}
			return line
		}
		what := fmt.Sprintf("per-path #%d", i+1)
		if len(pp.Paths) == 0 {
			errorf(line, "%s: paths is missing or empty", what)
		}
		p := perPath{globs: globs(what+": paths", line, pp.Paths), ignore: map[string]bool{}}
		for _, id := range pp.Ignore {
			if id != "*" && linters.Lookup(id) == nil {
				errorf(keyLine("ignore"), "%s: ignore: unknown rule %q", what, id)
				continue
			}
			p.ignore[id] = true
		}
		p.severity = map[string]linters.Severity{}
		for _, id := range sortedStrings(pp.Severity) {
			sev, ok := linters.ParseSeverity(pp.Severity[id])
			switch {
			case linters.Lookup(id) == nil:
				errorf(keyLine("severity."+toml.Key{id}.String()), "%s: severity: unknown rule %q", what, id)
			case !ok || strings.ToLower(pp.Severity[id]) != pp.Severity[id]:
				errorf(keyLine("severity."+toml.Key{id}.String()), "%s: severity.%s: %q is not error, warning or info", what, id, pp.Severity[id])
			default:
				p.severity[id] = sev
			}
		}
		cfg.perPath = append(cfg.perPath, p)
	}
	for _, name := range sortedStrings(raw.Type) {
		key := "type." + toml.Key{name}.String()
		f := formatByName(name)
		if f == nil {
			var names []string
			for _, f := range formats() {
				names = append(names, f.Name())
			}
			errorf(lineOf(key), "type: unknown format %q (formats: %s)", name, strings.Join(names, ", "))
			continue
		}
		cfg.types = append(cfg.types, typeGlobs{format: f, globs: globs(key, lineOf(key), raw.Type[name])})
	}
	if len(raw.Provider) > 0 {
		user, err := providers.ParseEmbedded(name, data)
		if j, ok := err.(interface{ Unwrap() []error }); ok {
			errs = append(errs, j.Unwrap()...)
		} else if err != nil {
			errs = append(errs, err)
		} else {
			cfg.db = providers.Builtin().Merge(user)
		}
	}
	if len(errs) > 0 {
		sort.SliceStable(errs, func(i, j int) bool { return errLine(errs[i]) < errLine(errs[j]) })
		return nil, errors.Join(errs...)
	}
	return cfg, nil
}

func errLine(err error) int {
	var ce *configError
	if errors.As(err, &ce) {
		return ce.line
	}
	var pe *providers.ParseError
	if errors.As(err, &pe) {
		return pe.Line
	}
	return 0
}

func sortedStrings[V any](m map[string]V) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

// rel returns path (as given on the command line or found by a walk)
// relative to the config's folder, in slash form, or ok=false when it lies
// outside.
func (cfg *config) rel(c *Command, path string) (string, bool) {
	if cfg == nil || cfg.dir == "" {
		return "", false
	}
	abs := path
	if !filepath.IsAbs(abs) {
		abs = filepath.Join(c.wd(), abs)
	}
	r, err := filepath.Rel(cfg.dir, abs)
	if err != nil || r == ".." || strings.HasPrefix(r, ".."+string(filepath.Separator)) {
		return "", false
	}
	return filepath.ToSlash(r), true
}

func anyMatch(gs []*pathGlob, rel string) bool {
	for _, g := range gs {
		if g.match(rel) {
			return true
		}
	}
	return false
}

// excluded reports whether the config's exclude patterns cover path. They
// apply to files named on the command line too, so a pre-commit hook that
// passes every staged file honours them.
func (cfg *config) excluded(c *Command, path string) bool {
	if cfg == nil || len(cfg.exclude) == 0 {
		return false
	}
	rel, ok := cfg.rel(c, path)
	return ok && rel != "." && anyMatch(cfg.exclude, rel)
}

// typeFor returns the format the config's [type] table assigns to path,
// or nil.
func (cfg *config) typeFor(c *Command, path string) linters.Format {
	if cfg == nil || len(cfg.types) == 0 {
		return nil
	}
	rel, ok := cfg.rel(c, path)
	if !ok {
		return nil
	}
	for _, t := range cfg.types {
		if anyMatch(t.globs, rel) {
			return t.format
		}
	}
	return nil
}

// enabled reports whether rule is reported for the file at path.
func (cfg *config) enabled(c *Command, path, rule string) bool {
	if cfg == nil {
		return true
	}
	if cfg.selected != nil && !cfg.selected[rule] || cfg.ignored[rule] {
		return false
	}
	if len(cfg.perPath) == 0 {
		return true
	}
	rel, ok := cfg.rel(c, path)
	if !ok {
		return true
	}
	for _, pp := range cfg.perPath {
		if (pp.ignore[rule] || pp.ignore["*"]) && anyMatch(pp.globs, rel) {
			return false
		}
	}
	return true
}

// severityOf returns the severity a finding of rule in path is reported
// with: the last matching per-path entry, else [severity], else sev.
func (cfg *config) severityOf(c *Command, path, rule string, sev linters.Severity) linters.Severity {
	if cfg == nil {
		return sev
	}
	if s, ok := cfg.severity[rule]; ok {
		sev = s
	}
	if len(cfg.perPath) == 0 {
		return sev
	}
	if rel, ok := cfg.rel(c, path); ok {
		for _, pp := range cfg.perPath {
			if s, ok := pp.severity[rule]; ok && anyMatch(pp.globs, rel) {
				sev = s
			}
		}
	}
	return sev
}

// ruleSeverity is a rule's default severity after [severity].
func (cfg *config) ruleSeverity(r *linters.Rule) linters.Severity {
	if cfg != nil {
		if s, ok := cfg.severity[r.ID]; ok {
			return s
		}
	}
	return r.Severity
}

// providerDB is the provider database rules use: the built-in one with the
// config's [[provider]] entries first.
func (cfg *config) providerDB() *providers.DB {
	if cfg == nil || cfg.db == nil {
		return providerDB()
	}
	return cfg.db
}

// failLevel is the lowest severity that makes the exit code 1.
func (cfg *config) failLevel() linters.Severity {
	if cfg == nil {
		return linters.Warning
	}
	return cfg.failOn
}

// postLint applies the configuration and the inline suppressions to the
// findings of one document. It runs inside the fix loop, so a finding that
// is ignored or suppressed is also not fixed.
func (c *Command) postLint(o *options, doc *linters.Document, fs []linters.Finding) []linters.Finding {
	cfg := o.fleet.cfg
	enabled := func(path, rule string) bool { return cfg.enabled(c, path, rule) }
	fs = linters.Suppress(doc, fs, enabled)
	if cfg == nil {
		return fs
	}
	out := fs[:0:0]
	for _, f := range fs {
		if !enabled(f.At.Path, f.Rule) {
			continue
		}
		f.Severity = cfg.severityOf(c, f.At.Path, f.Rule, f.Severity)
		out = append(out, f)
	}
	return out
}

// initTemplate is what `maillint init` writes.
const initTemplate = `# maillint configuration (https://github.com/maillint/maillint#configuration).
# maillint reads the nearest .maillint.toml from the working directory
# upwards, or the file given with --config. Unknown keys are errors.
# Path patterns are relative to this file's folder: "*" matches within a
# name, "**" any number of folders, a pattern without "/" matches a name at
# any depth, and a pattern that matches a folder covers everything in it.

# Exit with status 1 when a finding at or above this severity remains:
# "error", "warning" (the default), "info" or "never".
fail-on = "warning"

# Report only these rules (default: every rule; see "maillint rules").
# select = ["smtp-host-is-imap", "smtp-port", "tls-missing", "plaintext-password"]

# Never report these rules.
# ignore = ["undocumented-setting"]

# Files that are never checked, even when named on the command line (as
# pre-commit does).
# exclude = ["vendor/**", "*.example"]

# Change the severity of a rule: "error", "warning" or "info".
[severity]
# smtp-user-form = "error"

# Rules to ignore, or severities to change, in some files only.
# [[per-path]]
# paths = ["hosts/legacy-*/**"]
# ignore = ["tls-missing", "cert-check-disabled"]
# severity = { plaintext-password = "warning" }

# Files to read as a given format whatever their name (like --type).
[type]
# msmtp = ["relays/*.conf"]

# Your own mail providers, in the schema of the built-in database
# (linters/providers/providers.toml); they are matched before the built-in
# ones, and an entry with a built-in id replaces it.
# [[provider]]
# id = "acme"
# name = "ACME relay"
# domains = ["acme.example"]
# source = "https://wiki.acme.example/mail"
#   [[provider.smtp]]
#   host = "relay.acme.example"
#   auth_required = true
#   source = "https://wiki.acme.example/mail"
#   endpoints = [{ port = 2525, security = "starttls", documented = true }]
`

// initConfig writes a commented example .maillint.toml in the working
// directory, never over an existing file.
func (c *Command) initConfig(args []string) int {
	if len(args) > 0 {
		fmt.Fprintf(c.Stderr, "maillint: init takes no arguments\n")
		return ExitError
	}
	p := filepath.Join(c.wd(), configName)
	if _, err := c.Fs.Stat(p); err == nil {
		fmt.Fprintf(c.Stderr, "maillint: %s already exists; not overwritten\n", configName)
		return ExitError
	} else if !errors.Is(err, fs.ErrNotExist) {
		fmt.Fprintf(c.Stderr, "maillint: %s: %s\n", configName, describe(err))
		return ExitError
	}
	f, err := c.Fs.OpenFile(p, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		fmt.Fprintf(c.Stderr, "maillint: %s: %s\n", configName, describe(err))
		return ExitError
	}
	_, werr := f.Write([]byte(initTemplate))
	if cerr := f.Close(); werr == nil {
		werr = cerr
	}
	if werr != nil {
		fmt.Fprintf(c.Stderr, "maillint: %s: %s\n", configName, describe(werr))
		return ExitError
	}
	fmt.Fprintf(c.Stderr, "maillint: wrote %s\n", configName)
	return ExitClean
}
