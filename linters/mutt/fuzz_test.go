package mutt

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"github.com/maillint/maillint/fixers"
	"github.com/maillint/maillint/linters"
)

func addSeeds(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join(corpusDir, "*"))
	more, _ := filepath.Glob("../../testdata/mutt/*/muttrc")
	more2, _ := filepath.Glob("../../testdata/mutt/*/accounts/*")
	for _, p := range append(append(files, more...), more2...) {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte("set smtp_url=\"smtps://u%40x.org:pw@[::1]:465/\" ; unset ssl_force_tls\r\nsource inc\n"))
	f.Add([]byte("account-hook . 'set folder=imap://h:993 smtp_url=\"smtp://a@b.c:25\"'\n# x \\\nset nossl_verify_host"))
	f.Add([]byte("set smtp_url=`x` my_a=$my_b folder=imaps://$HOME@h/\\\n\ttoggle ssl_force_tls\nset ssl_starttls=ask-no"))
}

// fuzzCtx serves "inc" with the fuzzed content itself (so sourcing,
// cycles and depth limits are exercised) and nothing else.
func fuzzCtx(src []byte) *linters.Context {
	return &linters.Context{Read: func(p string) ([]byte, fs.FileMode, error) {
		if filepath.Base(p) == "inc" {
			return src, 0o600, nil
		}
		return nil, 0, fs.ErrNotExist
	}, Env: linters.Env{Home: "/home/u"}}
}

func checkRange(t *testing.T, doc *linters.Document, r linters.Range, what string) {
	t.Helper()
	if r.IsZero() {
		return
	}
	sf := doc.File(r.Path)
	if sf == nil {
		t.Fatalf("%s: range in unknown file %q", what, r.Path)
	}
	if r.Start.Offset < 0 || r.End.Offset < r.Start.Offset || r.End.Offset > len(sf.Src) {
		t.Fatalf("%s: range %+v out of file of %d bytes", what, r, len(sf.Src))
	}
}

// FuzzParse: printing a parsed file gives back the input, and reading it
// (sources included) and linting it never panics; every range is in range.
func FuzzParse(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, src []byte) {
		if got := Parse("muttrc", src).Bytes(); !bytes.Equal(got, src) {
			t.Fatalf("round trip: got %q want %q", got, src)
		}
		doc, err := Format{}.Parse("muttrc", src, 0o600, fuzzCtx(src))
		if bytes.IndexByte(src, 0) >= 0 {
			if !errors.Is(err, ErrBinary) {
				t.Fatalf("NUL bytes: err = %v", err)
			}
			return
		}
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range linters.Run(doc, nil, linters.All()) {
			checkRange(t, doc, d.At, d.Rule)
			if d.Fix != nil {
				for _, e := range d.Fix.Edits {
					sf := doc.File(e.Path)
					if sf == nil || e.Start < 0 || e.End < e.Start || e.End > len(sf.Src) {
						t.Fatalf("%s: edit out of range: %+v", d.Rule, e)
					}
				}
			}
		}
		for _, sf := range doc.Files {
			for _, s := range sf.Secrets {
				checkRange(t, doc, s, "secret")
			}
		}
	})
}

// FuzzFix: every writer gives in-range, non-overlapping edits for a few
// changes; the result parses again and, where the endpoint is still read
// the same way, has the value asked for.
func FuzzFix(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, src []byte) {
		if bytes.IndexByte(src, 0) >= 0 {
			return
		}
		doc, err := Format{}.Parse("muttrc", src, 0o600, nil)
		if err != nil {
			t.Fatal(err)
		}
		// Apply every safe and unsafe fix of the findings, as --write does.
		fixed := map[string][]byte{"muttrc": src}
		var all []*linters.Fix
		for _, d := range linters.Run(doc, nil, linters.All()) {
			if d.Fix != nil {
				all = append(all, d.Fix)
			}
		}
		if out, _, _, err := fixers.ApplyFixes(fixed, all); err == nil {
			if _, err := (Format{}).Parse("muttrc", out["muttrc"], 0o600, nil); err != nil {
				t.Fatal(err)
			}
		}
		changes := []linters.Change{
			linters.SetHost("smtp.example.org"), linters.SetPort(587),
			linters.SetSecurity(linters.SecurityStartTLS), linters.SetSecurity(linters.SecurityImplicitTLS),
			linters.SetUser("u@example.org"), linters.SetCertCheck(true),
		}
		for ai, a := range doc.Accounts {
			for _, ep := range []*linters.Endpoint{a.SMTP, a.IMAP} {
				if ep == nil || ep.Writer == nil {
					continue
				}
				for _, ch := range changes {
					edits, err := ep.Writer.Edits(ch)
					if err != nil || len(edits) == 0 {
						continue
					}
					out, err := fixers.ApplyEdits(src, edits)
					if err != nil {
						t.Fatalf("%s: %v: %+v", ch.Field, err, edits)
					}
					doc2, err := Format{}.Parse("muttrc", out, 0o600, nil)
					if err != nil {
						t.Fatal(err)
					}
					if got := Parse("muttrc", out).Bytes(); !bytes.Equal(got, out) {
						t.Fatal("round trip after edit")
					}
					checkChange(t, doc, doc2, ai, ep.Protocol, ch, src, out)
				}
			}
		}
	})
}

// checkChange checks that the edited configuration has the value asked
// for, when it still has the same accounts.
func checkChange(t *testing.T, before, after *linters.Document, ai int, proto linters.Protocol, ch linters.Change, src, out []byte) {
	t.Helper()
	if len(after.Accounts) != len(before.Accounts) {
		return
	}
	a := after.Accounts[ai]
	ep := a.SMTP
	if proto == linters.IMAP {
		ep = a.IMAP
	}
	if ep == nil {
		t.Fatalf("%s change removed the %s endpoint:\n%q\n->\n%q", ch.Field, proto, src, out)
	}
	switch ch.Field {
	case linters.FieldHost:
		if !ep.Host.Dynamic && ep.Host.Val != ch.Text {
			t.Fatalf("host: got %q want %q:\n%q\n->\n%q", ep.Host.Val, ch.Text, src, out)
		}
	case linters.FieldPort:
		if !ep.Port.Dynamic && ep.Port.Val != ch.Port {
			t.Fatalf("port: got %d want %d:\n%q\n->\n%q", ep.Port.Val, ch.Port, src, out)
		}
	case linters.FieldSecurity:
		if !ep.Security.Dynamic && ep.Security.Val != ch.Security {
			t.Fatalf("security: got %v want %v:\n%q\n->\n%q", ep.Security.Val, ch.Security, src, out)
		}
	case linters.FieldUser:
		if !ep.User.Dynamic && ep.User.Val != ch.Text {
			t.Fatalf("user: got %q want %q:\n%q\n->\n%q", ep.User.Val, ch.Text, src, out)
		}
	case linters.FieldCertCheck:
		if !ep.CertCheck.Dynamic && !ep.CertCheck.Val {
			t.Fatalf("cert check still off:\n%q\n->\n%q", src, out)
		}
	}
}
