package thunderbird

import (
	"io/fs"
	"path/filepath"
	"strings"
	"testing"

	"github.com/maillint/maillint/linters"
)

// FuzzProfilesINI: reading a profiles.ini never panics; the profile it
// names is read through Context.Read only (a prefs.js and user.js beside
// each other, whatever Path= says), and the Document's ranges are inside
// its files.
func FuzzProfilesINI(f *testing.F) {
	f.Add([]byte("[General]\nStartWithLastProfile=1\n\n[Profile0]\nName=default\nIsRelative=1\nPath=abc.default\nDefault=1\n"), []byte("user_pref(\"mail.smtpserver.s.hostname\", \"smtp.gmail.com\");\n"))
	f.Add([]byte("\xef\xbb\xbf[Install4F96D1932A9F858E]\r\nDefault=Profiles/x.default-release\r\nLocked=1\r\n[Profile1]\r\nPath=/abs/p\r\nIsRelative=0\r\n[Profile0]\r\nPath=Profiles/x.default-release\r\n"), []byte(""))
	f.Add([]byte("[Profile0\nPath=..\\..\\p\n[ProfileX]\nDefault=1\nPath=\n;c\n#c\n=\n"), []byte("\x00"))
	f.Fuzz(func(t *testing.T, ini, prefs []byte) {
		p := ParseProfilesINI(ini)
		dir := p.DefaultProfile("/home/u/.thunderbird")
		var reads []string
		read := func(path string) ([]byte, fs.FileMode, error) {
			reads = append(reads, path)
			switch filepath.Base(path) {
			case "prefs.js":
				return prefs, 0o600, nil
			case "user.js":
				if len(prefs) > 0 && prefs[0] == 'u' {
					return prefs[1:], 0o600, nil
				}
				return nil, 0, fs.ErrPermission
			}
			return nil, 0, fs.ErrNotExist
		}
		doc, err := Format{}.Parse("/home/u/.thunderbird/profiles.ini", ini, 0o644, &linters.Context{Read: read})
		if err != nil {
			if dir != "" && !strings.Contains(err.Error(), "prefs.js") && !strings.Contains(err.Error(), "not a text file") {
				t.Fatalf("unexpected error %v", err)
			}
			return
		}
		for _, r := range reads {
			if b := filepath.Base(r); b != "prefs.js" && b != "user.js" || filepath.Dir(r) != filepath.Dir(reads[0]) {
				t.Fatalf("read %s; want only prefs.js and user.js of one profile folder (reads: %q)", r, reads)
			}
		}
		for _, d := range append(doc.Diagnostics, linters.Run(doc, nil, linters.All())...) {
			sf := doc.File(d.At.Path)
			if d.At.Path == "" {
				continue
			}
			if sf == nil {
				t.Fatalf("finding %+v names %s, which is no file of the document", d, d.At.Path)
			}
			if d.At.Start.Offset < 0 || d.At.End.Offset < d.At.Start.Offset || d.At.End.Offset > len(sf.Src) {
				t.Fatalf("finding %+v outside %s (%d bytes)", d, d.At.Path, len(sf.Src))
			}
		}
	})
}
