package thunderbird

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/maillint/maillint/fixers"
	"github.com/maillint/maillint/linters"
)

func seeds() [][]byte {
	var out [][]byte
	files, _ := corpusFilesNoSkip()
	for _, p := range append(files, goldenInputs()...) {
		if b, err := os.ReadFile(p); err == nil {
			// Large seeds make every mutation slow to minimize: keep the
			// first 4 KB, cut at a line end.
			if len(b) > 4096 {
				b = b[:bytes.LastIndexByte(b[:4096], '\n')+1]
			}
			out = append(out, b)
		}
	}
	return append(out,
		[]byte("user_pref(\"mail.smtpserver.s.hostname\", 'smtp.gmail.com')\r\nuser_pref(\"mail.smtpserver.s.port\", \"465\");"),
		[]byte("# c\n/* x */ lockPref(\"mail.server.a.type\", \"imap\"); pref(\"mail.server.a.Hostname\", \"h\\u00e9\"); user_pref(\"mail.server.a.try_ssl\", -1);"),
		[]byte("user_pref(\"mail.smtpserver.s.try_ssl\", SSL);\nuser_pref(\"mail.smtpservers\", \"s,,t\");\nuser_pref(\"mail.smtpserver.t.socketType\", 3); /* open"),
	)
}

// corpusFilesNoSkip lists the corpus without skipping (fuzz seeds are optional).
func corpusFilesNoSkip() ([]string, error) {
	var out []string
	for _, p := range []string{corpusDir + "/*", samplePath} {
		m, err := globAll(p)
		if err != nil {
			return nil, err
		}
		out = append(out, m...)
	}
	return out, nil
}

// FuzzParse: printing a parsed file gives back the input, the tokens tile
// it, and resolving and mapping it to the model never panics.
func FuzzParse(f *testing.F) {
	for _, s := range seeds() {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		pf := Parse("prefs.js", src)
		checkTiling(t, pf, src)
		for _, p := range pf.Problems {
			if p.Tok >= len(pf.Tokens) || p.BadValue >= len(pf.Tokens) {
				t.Fatalf("problem out of range: %+v", p)
			}
		}
		if bytes.IndexByte(src, 0) >= 0 {
			return
		}
		doc, err := Format{}.Parse("prefs.js", src, 0o600, nil)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range doc.Diagnostics {
			if d.At.Start.Offset > len(src) || d.At.End.Offset > len(src) || d.At.Start.Offset > d.At.End.Offset {
				t.Fatalf("diagnostic out of range: %+v", d)
			}
			if d.Fix != nil {
				if _, err := fixers.ApplyEdits(src, d.Fix.Edits); err != nil {
					t.Fatalf("fix of %q does not apply: %v", d.Message, err)
				}
			}
		}
	})
}

// FuzzFix: for a prefs.js and a user.js, every server's Writer gives edits
// inside the files that apply without overlap; the result parses, and when
// the input had no parse errors the server then has the values asked for.
func FuzzFix(f *testing.F) {
	ss := seeds()
	for i, s := range ss {
		f.Add(s, ss[(i+3)%len(ss)])
		f.Add(s, []byte{})
	}
	f.Fuzz(func(t *testing.T, prefs, user []byte) {
		if bytes.IndexByte(prefs, 0) >= 0 || bytes.IndexByte(user, 0) >= 0 {
			return
		}
		srcs := map[string][]byte{"prefs.js": prefs, "user.js": user}
		parse := func(srcs map[string][]byte) (*linters.Document, []*Server, bool) {
			files := []*File{Parse("prefs.js", srcs["prefs.js"]), Parse("user.js", srcs["user.js"])}
			clean := len(files[0].Problems)+len(files[1].Problems) == 0
			doc, servers := profileDocument(files, nil)
			return doc, servers, clean
		}
		_, servers, clean := parse(srcs)
		for _, s := range servers {
			changes := []linters.Change{linters.SetHost("h.example"), linters.SetPort(587),
				linters.SetSecurity(linters.SecurityStartTLS), linters.SetUser("u@h.example")}
			if s.Family == famSMTP {
				changes = append(changes, linters.SetAuth(true))
			}
			edits, err := s.Endpoint.Writer.Edits(changes...)
			if err != nil {
				// Only a server without any pref of its own has nowhere to write.
				continue
			}
			byPath := map[string][]linters.TextEdit{}
			for _, e := range edits {
				src, ok := srcs[e.Path]
				if !ok {
					t.Fatalf("edit for unknown file: %+v", e)
				}
				if e.Start < 0 || e.End < e.Start || e.End > len(src) {
					t.Fatalf("edit out of range: %+v (len %d)", e, len(src))
				}
				byPath[e.Path] = append(byPath[e.Path], e)
			}
			out := map[string][]byte{"prefs.js": prefs, "user.js": user}
			for p, es := range byPath {
				b, err := fixers.ApplyEdits(srcs[p], es)
				if err != nil {
					t.Fatalf("edits %+v: %v", es, err)
				}
				out[p] = b
			}
			_, after, _ := parse(out)
			if !clean {
				continue
			}
			var got *Server
			for _, a := range after {
				if a.Family == s.Family && a.Key == s.Key {
					got = a
				}
			}
			if got == nil {
				t.Fatalf("server %s%s gone after the edits:\n%s\n---\n%s", s.Family, s.Key, out["prefs.js"], out["user.js"])
			}
			ep := got.Endpoint
			if ep.Host.Val != "h.example" || ep.Port.Val != 587 || ep.Security.Val != linters.SecurityStartTLS ||
				ep.User.Val != "u@h.example" || !ep.Auth.Val {
				t.Fatalf("server %s%s after the edits: host %q port %d security %v user %q auth %v\nedits %+v\nprefs.js:\n%s\nuser.js:\n%s",
					s.Family, s.Key, ep.Host.Val, ep.Port.Val, ep.Security.Val, ep.User.Val, ep.Auth.Val, edits, out["prefs.js"], out["user.js"])
			}
		}
	})
}

func globAll(pattern string) ([]string, error) { return filepath.Glob(pattern) }
