package gitconfig

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"testing"

	"github.com/maillint/maillint/linters"
)

func addSeeds(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join(corpusDir, "*"))
	more, _ := filepath.Glob("../../testdata/gitconfig/*/gitconfig*")
	for _, p := range append(append(files, sampleFiles...), more...) {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b)
		}
	}
	for _, s := range parserSnippets {
		f.Add([]byte(s))
	}
	f.Add([]byte("[sendemail]\r\n\tsmtpServer = smtp.gmail.com\r\n\tsmtpssl\r\n[include]\r\n\tpath = inc"))
	f.Add([]byte("[sendemail \"w\"] smtpserver = \"smtp.mail.me.com\" ; c\n[sendemail]smtpuser=x\\\n y\n"))
}

// fuzzRead serves one included file, "inc", and reports every other path
// as missing.
func fuzzRead(inc []byte) linters.ReadFunc {
	return func(p string) ([]byte, fs.FileMode, error) {
		if filepath.Base(p) == "inc" {
			return inc, 0o600, nil
		}
		return nil, 0, fs.ErrNotExist
	}
}

const fuzzInclude = "[sendemail]\n\tsmtpServerPort = 587\n\tsmtpEncryption = tls\n"

// FuzzParse: printing a parsed file gives back the input, the nodes tile
// it, and reading, resolving and mapping it to the model never panics and
// gives ranges inside the files.
func FuzzParse(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, src []byte) {
		pf, _ := Parse("f", src)
		if got := pf.Bytes(); !bytes.Equal(got, src) {
			t.Fatalf("round trip: got %q want %q", got, src)
		}
		checkTiling(t, pf)
		if bytes.IndexByte(src, 0) >= 0 {
			return
		}
		ctx := &linters.Context{Read: fuzzRead([]byte(fuzzInclude)), Env: linters.Env{Home: "/home/u"}}
		doc, err := Format{}.Parse("f", src, 0o600, ctx)
		if err != nil {
			t.Fatal(err)
		}
		sizes := map[string]int{}
		for _, sf := range doc.Files {
			sizes[sf.Path] = len(sf.Src)
		}
		inRange := func(what string, r linters.Range) {
			n, ok := sizes[r.Path]
			if !ok || r.Start.Offset < 0 || r.End.Offset < r.Start.Offset || r.End.Offset > n {
				t.Fatalf("%s out of range: %+v", what, r)
			}
		}
		for _, d := range doc.Diagnostics {
			inRange("diagnostic "+d.Rule, d.At)
			if d.Fix != nil {
				for _, e := range d.Fix.Edits {
					if n, ok := sizes[e.Path]; !ok || e.Start < 0 || e.End < e.Start || e.End > n {
						t.Fatalf("fix edit out of range: %+v", e)
					}
				}
			}
		}
		for _, sf := range doc.Files {
			for _, s := range sf.Secrets {
				inRange("secret", s)
			}
		}
		for _, a := range doc.Accounts {
			inRange("account", a.At)
			if a.SMTP != nil {
				inRange("host", a.SMTP.Host.At)
				inRange("port", a.SMTP.Port.At)
				inRange("security", a.SMTP.Security.At)
			}
		}
	})
}

// fuzzChanges are the changes FuzzFix asks every writer for, one at a time.
var fuzzChanges = []linters.Change{
	linters.SetHost("smtp.example.net"), linters.SetPort(587), linters.SetPort(2465),
	linters.SetSecurity(linters.SecurityStartTLS), linters.SetSecurity(linters.SecurityImplicitTLS),
	linters.SetCertCheck(true), linters.SetAuth(true), linters.SetUser("u@example.net"),
}

// FuzzFix: every writer's edits are in range and do not overlap, and the
// files they produce parse again with the changed value in effect.
func FuzzFix(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, src []byte) {
		if bytes.IndexByte(src, 0) >= 0 {
			return
		}
		files := map[string][]byte{"f": src, "inc": []byte(fuzzInclude)}
		parse := func(files map[string][]byte) (*Config, *linters.Document) {
			ctx := &linters.Context{Read: func(p string) ([]byte, fs.FileMode, error) {
				if b, ok := files[p]; ok {
					return b, 0o600, nil
				}
				return nil, 0, fs.ErrNotExist
			}}
			c := Read("f", files["f"], ctx)
			return c, document(c)
		}
		c, doc := parse(files)
		for ai, a := range doc.Accounts {
			if a.SMTP == nil {
				continue
			}
			for _, ch := range fuzzChanges {
				edits, err := a.SMTP.Writer.Edits(ch)
				if err != nil || len(edits) == 0 {
					continue
				}
				next, err := apply(files, edits)
				if err != nil {
					t.Fatalf("account %s, %+v: %v", a.Name, ch, err)
				}
				c2, doc2 := parse(next)
				if c2.Fatal && !c.Fatal {
					t.Fatalf("account %s, %+v: the fixed file no longer parses:\n%s", a.Name, ch, next["f"])
				}
				if c.Fatal || ai >= len(doc2.Accounts) || doc2.Accounts[ai].SMTP == nil {
					continue
				}
				checkChange(t, a, doc2.Accounts[ai], ch, next)
			}
		}
	})
}

// checkChange asserts that after the edits the endpoint has the value asked
// for, where nothing dynamic can hide it.
func checkChange(t *testing.T, before, after *linters.Account, ch linters.Change, files map[string][]byte) {
	t.Helper()
	ep := after.SMTP
	fail := func(got any) {
		t.Fatalf("account %s, %+v: got %v\nf:\n%s\ninc:\n%s", after.Name, ch, got, files["f"], files["inc"])
	}
	switch ch.Field {
	case linters.FieldHost:
		if !ep.Host.Dynamic && ep.Host.Val != ch.Text {
			fail(ep.Host.Val)
		}
	case linters.FieldPort:
		if !ep.Port.Dynamic && ep.Port.Val != ch.Port {
			fail(ep.Port.Val)
		}
	case linters.FieldSecurity:
		if !ep.Security.Dynamic && ep.Security.Val != ch.Security {
			fail(ep.Security.Val)
		}
		// The port stays what it was unless the change was about it.
		if !ep.Port.Dynamic && !before.SMTP.Port.Dynamic && ep.Port.Val != before.SMTP.Port.Val {
			fail(ep.Port.Val)
		}
	case linters.FieldCertCheck:
		if !ep.CertCheck.Dynamic && !ep.CertCheck.Val {
			fail(ep.CertCheck.Val)
		}
	case linters.FieldAuth:
		if !ep.Auth.Dynamic && !ep.Auth.Val {
			fail(ep.Auth.Val)
		}
	case linters.FieldUser:
		if !ep.User.Dynamic && ep.User.Val != ch.Text {
			fail(ep.User.Val)
		}
	}
}

// apply applies edits of several files as fixers.ApplyEdits does (sorted
// by start and end, insertions before a replacement at the same offset),
// rejecting overlaps and out-of-range edits.
func apply(files map[string][]byte, edits []linters.TextEdit) (map[string][]byte, error) {
	out := map[string][]byte{}
	for k, v := range files {
		out[k] = v
	}
	byPath := map[string][]linters.TextEdit{}
	for _, e := range edits {
		byPath[e.Path] = append(byPath[e.Path], e)
	}
	for p, es := range byPath {
		src, ok := files[p]
		if !ok {
			return nil, &fs.PathError{Op: "edit", Path: p, Err: fs.ErrNotExist}
		}
		sort.SliceStable(es, func(i, j int) bool {
			return es[i].Start < es[j].Start || es[i].Start == es[j].Start && es[i].End < es[j].End
		})
		var b []byte
		last := 0
		for _, e := range es {
			if e.Start < last || e.End < e.Start || e.End > len(src) {
				return nil, &fs.PathError{Op: "edit", Path: p, Err: fs.ErrInvalid}
			}
			b = append(b, src[last:e.Start]...)
			b = append(b, e.New...)
			last = e.End
		}
		out[p] = append(b, src[last:]...)
	}
	return out, nil
}
