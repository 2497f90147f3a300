package msmtp

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/maillint/maillint/fixers"
	"github.com/maillint/maillint/linters"
)

func addSeeds(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join(corpusDir, "*"))
	more, _ := filepath.Glob("../../testdata/msmtp/*/msmtprc")
	for _, p := range append(files, more...) {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte("account a\r\nhost \"x\"\r\ntls\r\n"))
	f.Add([]byte("\xef\xbb\xbfdefaults\nport 0\naccount b : \n"))
}

// FuzzParse: printing a parsed file gives back the input, and resolving
// and mapping it to the model never panics.
func FuzzParse(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, src []byte) {
		pf := Parse("f", src)
		if got := pf.Bytes(); !bytes.Equal(got, src) {
			t.Fatalf("round trip: got %q want %q", got, src)
		}
		if bytes.IndexByte(src, 0) >= 0 {
			return
		}
		doc, err := Format{}.Parse("f", src, 0o600, nil)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range doc.Diagnostics {
			if d.At.Start.Offset > len(src) || d.At.End.Offset > len(src) {
				t.Fatalf("diagnostic out of range: %+v", d)
			}
		}
		// Every writer produces in-range edits for every change.
		for _, a := range doc.Accounts {
			edits, err := a.SMTP.Writer.Edits(linters.SetHost("h.example"), linters.SetPort(587),
				linters.SetSecurity(linters.SecurityStartTLS), linters.SetAuth(true),
				linters.SetCertCheck(true), linters.SetUser("u@h.example"))
			if err != nil {
				t.Fatal(err)
			}
			for _, e := range edits {
				if e.Start < 0 || e.End < e.Start || e.End > len(src) {
					t.Fatalf("edit out of range: %+v (len %d)", e, len(src))
				}
			}
		}
	})
}

// FuzzFix: applying every fix (safe and unsafe) until nothing changes
// settles, the result parses and prints back, and a second run proposes
// nothing.
func FuzzFix(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, src []byte) {
		if bytes.IndexByte(src, 0) >= 0 || len(src) > 1<<16 {
			return
		}
		fix := func(in []byte) *fixers.Outcome {
			lint := func(srcs map[string][]byte) ([]linters.Finding, error) {
				doc, err := Format{}.Parse("f", srcs["f"], 0o600, nil)
				if err != nil {
					return nil, err
				}
				return linters.Run(doc, nil, linters.All()), nil
			}
			out, err := fixers.Fixpoint(map[string][]byte{"f": in}, lint, func(*linters.Fix) bool { return true }, 10)
			if err != nil {
				t.Fatal(err)
			}
			return out
		}
		first := fix(src)
		if !first.Converged {
			t.Fatalf("fixes did not settle for %q:\n%s", src, first.Files["f"])
		}
		fixed := first.Files["f"]
		if got := Parse("f", fixed).Bytes(); !bytes.Equal(got, fixed) {
			t.Fatalf("fixed output does not round-trip")
		}
		second := fix(fixed)
		if !bytes.Equal(second.Files["f"], fixed) || len(second.Fixed) != 0 {
			t.Fatalf("second run changed the file:\n%q\n->\n%q", fixed, second.Files["f"])
		}
	})
}
