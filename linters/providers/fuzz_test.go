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
		// What the validator promises of a database it accepts, and what
		// the lookups promise of it.
		for _, p := range db.Providers {
			if p.ID == "" || !strings.HasPrefix(strings.ToLower(p.Source), "http") {
				t.Fatalf("accepted provider %+v: no id or source", p)
			}
			if got := db.ByID(p.ID); got != p {
				t.Fatalf("ByID(%q) = %v, want the provider itself (ids are unique)", p.ID, got)
			}
			for _, d := range p.Domains {
				if got := db.ByDomain(d); got != p {
					t.Fatalf("ByDomain(%q) = %v, want %q (a domain has one provider)", d, got, p.ID)
				}
				if got := db.ByAddress("u@" + d); got != p {
					t.Fatalf("ByAddress(u@%s) = %v, want %q", d, got, p.ID)
				}
			}
			for _, s := range append(append([]Server(nil), p.SMTP...), p.IMAP...) {
				if s.Host == "" || len(s.Endpoints) == 0 {
					t.Fatalf("accepted server %+v: no host or no endpoints", s)
				}
				for _, e := range s.Endpoints {
					if e.Port < 1 || e.Port > 65535 || (e.Security != SecurityNone && e.Security != SecuritySTARTTLS && e.Security != SecurityTLS) {
						t.Fatalf("accepted endpoint %+v of %s", e, s.Host)
					}
				}
				db.ByHost(s.Host)
			}
		}
		// A user database merged over the built-in one: its providers win
		// by id, the built-in ones stay reachable otherwise.
		merged := Builtin().Merge(db)
		for _, p := range db.Providers {
			if got := merged.ByID(p.ID); got != p {
				t.Fatalf("merged ByID(%q) = %v, want the user's", p.ID, got)
			}
		}
		if db.ByID("gmail") == nil && merged.ByID("gmail") == nil {
			t.Fatal("merging a user database lost the built-in gmail")
		}
		merged.ByHost("smtp.gmail.com")
	}
}

// unjoin returns the errors errors.Join put together, or err alone.
func unjoin(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		return j.Unwrap()
	}
	return []error{err}
}
