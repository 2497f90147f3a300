package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/maillint/maillint/linters"
	"github.com/rogpeppe/go-internal/txtar"
	"github.com/spf13/afero"
)

// FuzzConfig: reading a .maillint.toml (a file of the repository being
// checked, so anything) never panics: it is a config or an error naming
// the file; a config answers every question the run asks of it for any
// path; path patterns compile or fail, and match any path without panic.
func FuzzConfig(f *testing.F) {
	f.Add([]byte(initTemplate), "hosts/web/msmtprc")
	if b, err := os.ReadFile(filepath.Join("..", "..", "README.md")); err == nil {
		if m := regexp.MustCompile("(?s)```toml\n(.*?)```").FindSubmatch(b); m != nil {
			f.Add(m[1], "vendor/x/muttrc")
		}
	}
	scripts, _ := filepath.Glob(filepath.Join("..", "..", "testdata", "script", "*.txtar"))
	for _, s := range scripts {
		a, err := txtar.ParseFile(s)
		if err != nil {
			continue
		}
		for _, file := range a.Files {
			if strings.HasSuffix(file.Name, ".toml") {
				f.Add(file.Data, "relays/smtp.conf")
			}
		}
	}
	f.Add([]byte("exclude = [\"[!a-z]*\", \"**/x/**\", \"a/**\", \"[\", \"**x\"]\n[type]\nmutt = [\"*.rc\"]\n"), "a/b/c.rc")
	f.Add([]byte("[[per-path]]\npaths = [\"*\"]\nignore = [\"*\"]\nseverity = { smtp-port = \"info\" }\n"), "x")
	f.Fuzz(func(t *testing.T, data []byte, path string) {
		cfg, err := parseConfig(".maillint.toml", "/work", data)
		if err != nil {
			if !strings.HasPrefix(err.Error(), ".maillint.toml") {
				t.Fatalf("error does not name the file: %v", err)
			}
		} else {
			c := &Command{Wd: "/work", Fs: afero.NewMemMapFs(), Getenv: func(string) string { return "" }}
			for _, p := range []string{"/work/" + path, path, "/elsewhere/" + path} {
				cfg.excluded(c, p)
				cfg.typeFor(c, p)
				for _, r := range linters.All() {
					cfg.enabled(c, p, r.ID)
					cfg.severityOf(c, p, r.ID, r.Severity)
					cfg.ruleSeverity(r)
				}
			}
			cfg.providerDB().ByHost("smtp.gmail.com")
			cfg.failLevel()
		}
		if g, err := compileGlob(path); err == nil {
			g.match(path)
			g.match("a/" + path + "/b")
		}
	})
}
