package providers

import (
	"errors"
	"os"
	"strings"
	"testing"
)

// FuzzParse: reading a provider database (the built-in one, or a user's
// [[provider]] tables in .maillint.toml) never panics, whatever the bytes;
// every problem is a *ParseError naming the file, at a line of it; a
// database that parses answers lookups, and merges over the built-in one.
func FuzzParse(f *testing.F) {
	if b, err := os.ReadFile("providers.toml"); err == nil {
		f.Add(b)
		// Each provider alone, so mutations stay small.
		for _, part := range strings.Split(string(b), "\n[[provider]]") {
			f.Add([]byte("[[provider]]" + part))
		}
	}
	f.Add([]byte("[[provider]]\nid = \"acme\"\ndomains = [\"acme.example\"]\nsource = \"https://wiki.acme.example/mail\"\n  [[provider.smtp]]\n  host = \"relay.acme.example\"\n  login = \"address\"\n  auth_required = true\n  source = \"https://wiki.acme.example/mail\"\n  endpoints = [{ port = 2525, security = \"starttls\", documented = true }]\n"))
	f.Add([]byte("[[provider]]\nid = 'x'\nhots = \"\"\"\nmulti\n\"\"\"\n[[provider.imap]]\nhost = \"*.x.example\"\nendpoints = [ { port = 993, security = \"tls\" }, ]\n"))
	f.Add([]byte("provider = [{id = \"a\", source = \"https://a.example\", domains = [\"A.EXAMPLE.\"]}]\n"))
	f.Fuzz(fuzzParse)
}

func fuzzParse(t *testing.T, data []byte) {
	lines := strings.Count(string(data), "\n") + 1
	for _, parse := range []func(string, []byte) (*DB, error){Parse, ParseEmbedded} {
		db, err := parse("f.toml", data)
		if err != nil {
			for _, e := range unjoin(err) {
				var pe *ParseError
				if !errors.As(e, &pe) {
					t.Fatalf("error %T %v is not a *ParseError", e, e)
				}
				if pe.Name != "f.toml" || pe.Line < 0 || pe.Line > lines+1 {
					t.Fatalf("error %q: name %q, line %d of %d", pe, pe.Name, pe.Line, lines)
				}
			}
			continue
		}
		for _, p := range db.Providers {
			db.ByID(p.ID)
			for _, d := range p.Domains {
				db.ByDomain(d)
				db.ByAddress("u@" + d)
			}
			for _, s := range append(append([]Server(nil), p.SMTP...), p.IMAP...) {
				db.ByHost(s.Host)
			}
		}
		Builtin().Merge(db).ByHost("smtp.gmail.com")
	}
}

// unjoin returns the errors errors.Join put together, or err alone.
func unjoin(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		return j.Unwrap()
	}
	return []error{err}
}
