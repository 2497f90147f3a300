package providers

import (
	"errors"
	"fmt"
	"net/url"
	"path"
	"strings"

	"github.com/BurntSushi/toml"
)

// ParseError is one problem Parse found in a database file.
type ParseError struct {
	Name string // file name given to Parse
	Line int    // 1-based line; 0 when unknown
	Msg  string
}

// Error formats the problem as "name:line: message".
func (e *ParseError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", e.Name, e.Line, e.Msg)
	}
	return fmt.Sprintf("%s: %s", e.Name, e.Msg)
}

// Parse reads a provider database in the providers.toml schema; name is used
// in error messages. It is strict: TOML syntax errors, unknown keys (a typo
// such as "hots"), a missing id or source, bad security, login or role
// values, duplicate ids, domains or endpoints are errors. All problems are
// reported, joined, each a *ParseError with the line where it was found.
// Host names, patterns and domains are stored in lower case without a
// trailing dot; a missing login defaults to LoginAny and a missing name to
// the id.
func Parse(name string, data []byte) (*DB, error) { return parse(name, data, false) }

func parse(name string, data []byte, embedded bool) (*DB, error) {
	var raw struct {
		Provider []*Provider `toml:"provider"`
	}
	if err := CheckNesting(name, data); err != nil {
		return nil, err
	}
	md, err := toml.Decode(string(data), &raw)
	if err != nil {
		var pe toml.ParseError
		if errors.As(err, &pe) {
			return nil, &ParseError{Name: name, Line: pe.Position.Line, Msg: pe.Message}
		}
		return nil, &ParseError{Name: name, Msg: strings.TrimPrefix(err.Error(), "toml: ")}
	}
	v := &validator{name: name, lines: keyLines(data)}
	keys := md.Undecoded()
	if embedded {
		keys = providerKeys(keys)
	}
	v.unknownKeys(keys)
	db := &DB{Providers: raw.Provider}
	v.check(db)
	if len(v.errs) > 0 {
		return nil, errors.Join(v.errs...)
	}
	return db, nil
}

type validator struct {
	name  string
	lines map[string][]int // key path -> line of each occurrence
	errs  []error
}

func (v *validator) errorf(line int, format string, args ...any) {
	v.errs = append(v.errs, &ParseError{Name: v.name, Line: line, Msg: fmt.Sprintf(format, args...)})
}

// line returns the line of the i-th occurrence of a key path, 0 if unknown.
func (v *validator) line(key string, i int) int {
	if ls := v.lines[key]; i < len(ls) {
		return ls[i]
	}
	return 0
}

// unknownKeys reports every key the schema does not know. Keys below an
// unknown table are not reported again.
func (v *validator) unknownKeys(keys []toml.Key) {
	seen := map[string]int{}
	var last string
	for _, k := range keys {
		s := k.String()
		i := seen[s]
		seen[s]++
		if last != "" && strings.HasPrefix(s, last+".") {
			continue
		}
		last = s
		v.errorf(v.line(s, i), "unknown key %q", s)
	}
}

func validURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "https" || u.Scheme == "http") && u.Host != ""
}

func (v *validator) source(line int, what, src string) {
	switch {
	case src == "":
		v.errorf(line, "%s: missing source", what)
	case !validURL(src):
		v.errorf(line, "%s: source %q is not an http(s) URL", what, src)
	}
}

func (v *validator) check(db *DB) {
	ids := map[string]int{}        // id -> header line
	domains := map[string]string{} // domain -> provider id
	count := map[string]int{}      // table path -> occurrences so far
	header := func(key string, fallback int) int {
		i := count[key]
		count[key]++
		if l := v.line(key, i); l > 0 {
			return l
		}
		return fallback
	}
	for pi, p := range db.Providers {
		pl := header("provider", 0)
		what := fmt.Sprintf("provider %d", pi+1)
		if p.ID == "" {
			v.errorf(pl, "%s: missing id", what)
		} else {
			what = fmt.Sprintf("provider %q", p.ID)
			if first, dup := ids[p.ID]; dup {
				v.errorf(pl, "duplicate provider id %q (first defined at line %d)", p.ID, first)
			} else {
				ids[p.ID] = pl
			}
		}
		if p.Name == "" {
			p.Name = p.ID
		}
		v.source(pl, what, p.Source)
		for i, d := range p.Domains {
			d = normHost(d)
			p.Domains[i] = d
			if d == "" || strings.ContainsAny(d, "@ /") || strings.Contains(strings.TrimPrefix(d, "*."), "*") {
				v.errorf(pl, "%s: bad domain %q", what, d)
				continue
			}
			if other, dup := domains[d]; dup {
				v.errorf(pl, "%s: domain %q is already served by provider %q", what, d, other)
				continue
			}
			domains[d] = p.ID
		}
		for _, role := range []Role{RoleSMTP, RoleIMAP} {
			srvs := p.Servers(role)
			for i := range srvs {
				v.server(header("provider."+string(role), pl), what, role, &srvs[i])
			}
		}
		for i := range p.Legacy {
			l := &p.Legacy[i]
			ll := header("provider.legacy", pl)
			l.Host = normHost(l.Host)
			l.Replacement = normHost(l.Replacement)
			lwhat := fmt.Sprintf("%s legacy host %q", what, l.Host)
			if l.Host == "" {
				v.errorf(ll, "%s: legacy entry without host", what)
			}
			switch {
			case l.Role == "":
				v.errorf(ll, "%s: missing role", lwhat)
			case !l.Role.Valid():
				v.errorf(ll, "%s: bad role %q (want smtp, imap, pop, web or any)", lwhat, l.Role)
			}
			v.source(ll, lwhat, l.Source)
		}
	}
}

func (v *validator) server(line int, what string, role Role, s *Server) {
	s.Host = normHost(s.Host)
	what = fmt.Sprintf("%s %s server %q", what, role, s.Host)
	if s.Host == "" {
		v.errorf(line, "%s: missing host", what)
	}
	for i, p := range s.Patterns {
		p = normHost(p)
		s.Patterns[i] = p
		if _, err := path.Match(p, ""); err != nil || p == "" {
			v.errorf(line, "%s: bad pattern %q", what, p)
		}
	}
	switch {
	case s.Login == "":
		s.Login = LoginAny
	case !s.Login.Valid():
		v.errorf(line, "%s: bad login %q (want address, localpart or any)", what, s.Login)
	}
	v.source(line, what, s.Source)
	if len(s.Endpoints) == 0 {
		v.errorf(line, "%s: no endpoints", what)
	}
	seen := map[Endpoint]bool{}
	for i, e := range s.Endpoints {
		ewhat := fmt.Sprintf("%s endpoint %d", what, i+1)
		if e.Port < 1 || e.Port > 65535 {
			v.errorf(line, "%s: bad port %d", ewhat, e.Port)
		}
		switch {
		case e.Security == "":
			v.errorf(line, "%s: missing security", ewhat)
		case !e.Security.Valid():
			v.errorf(line, "%s: bad security %q (want tls, starttls or none)", ewhat, e.Security)
		}
		k := Endpoint{Port: e.Port, Security: e.Security}
		if seen[k] {
			v.errorf(line, "%s: port %d with %s is listed twice", ewhat, e.Port, e.Security)
		}
		seen[k] = true
	}
}
