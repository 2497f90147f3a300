package mutt

import (
	"bytes"
	"io/fs"
	"path/filepath"
	"strings"

	"github.com/maillint/maillint/linters"
)

// Name is the format's --type name.
const Name = "mutt"

// Format is the mutt/neomutt adapter; it implements linters.Format.
type Format struct{}

// Name returns "mutt".
func (Format) Name() string { return Name }

// muttDirs are the folders whose files are mutt configuration.
var muttDirs = map[string]bool{"mutt": true, "neomutt": true}

// Match recognises mutt and neomutt files by name and location: muttrc,
// .muttrc, neomuttrc, .neomuttrc, Muttrc, muttrc-VERSION, NAME.muttrc and
// NAME.neomuttrc; *.rc and *rc files and account files under a mutt or
// neomutt folder (~/.mutt/accounts/work, ~/.config/neomutt/accounts/NAME);
// and the chezmoi spellings (dot_muttrc, private_dot_config/mutt/...).
func (Format) Match(path string) bool {
	p := filepath.ToSlash(path)
	parts := strings.Split(p, "/")
	base := strip(parts[len(parts)-1], true)
	switch {
	case base == "muttrc", base == "neomuttrc", base == "Muttrc", base == "Neomuttrc":
		return true
	case strings.HasPrefix(base, "muttrc-"), strings.HasPrefix(base, "neomuttrc-"):
		return true
	case strings.HasSuffix(base, ".muttrc"), strings.HasSuffix(base, ".neomuttrc"):
		return true
	}
	// Under a mutt folder: account files and *.rc files.
	for i := len(parts) - 2; i >= 0; i-- {
		d := strip(parts[i], false)
		if !muttDirs[d] {
			continue
		}
		rest := parts[i+1:]
		for _, r := range rest[:len(rest)-1] {
			switch strip(r, false) {
			case "cache", "tmp", "temp", "signatures", "mail", "certificates":
				return false
			}
		}
		raw := parts[len(parts)-1]
		if strings.HasPrefix(raw, ".") || strings.HasSuffix(raw, "~") || strings.HasSuffix(raw, ".swp") || strings.Contains(base, "msmtp") {
			return false
		}
		if len(rest) >= 2 && strings.HasPrefix(strip(rest[len(rest)-2], false), "account") {
			return true
		}
		return strings.HasSuffix(base, ".rc") || (strings.HasSuffix(base, "rc") && !strings.Contains(base, "."))
	}
	return false
}

// strip returns the plain name of a file (isFile) or folder name: chezmoi's
// prefixes undone and a leading dot removed.
func strip(s string, isFile bool) string { return linters.PlainName(s, isFile) }

// DefaultPaths lists where mutt and neomutt look for their configuration:
// ~/.muttrc, ~/.mutt/muttrc, $XDG_CONFIG_HOME/mutt/muttrc, ~/.neomuttrc,
// ~/.neomutt/neomuttrc and $XDG_CONFIG_HOME/neomutt/neomuttrc. Each client
// reads only the first it finds; maillint checks every one that exists.
func (Format) DefaultPaths(env linters.Env) []string {
	xdg := ""
	if env.Getenv != nil {
		xdg = env.Getenv("XDG_CONFIG_HOME")
	}
	if xdg == "" && env.Home != "" {
		xdg = filepath.Join(env.Home, ".config")
	}
	var out []string
	if env.Home != "" {
		out = append(out, filepath.Join(env.Home, ".muttrc"), filepath.Join(env.Home, ".mutt", "muttrc"))
	}
	if xdg != "" {
		out = append(out, filepath.Join(xdg, "mutt", "muttrc"))
	}
	if env.Home != "" {
		out = append(out, filepath.Join(env.Home, ".neomuttrc"), filepath.Join(env.Home, ".neomutt", "neomuttrc"))
	}
	if xdg != "" {
		out = append(out, filepath.Join(xdg, "neomutt", "neomuttrc"))
	}
	return out
}

// newEvaluator returns an evaluator that reads files through ctx.
func newEvaluator(ctx *linters.Context) *evaluator {
	return &evaluator{ctx: ctx, byPath: map[string]int{}, seen: map[string]bool{}, assigned: map[string]bool{}}
}

// Parse builds the model of a mutt file and of the files it sources (read
// through ctx.Read). Nothing the file names is ever run: commands in
// backticks and `source "command|"` make the values they set unknown.
func (Format) Parse(path string, src []byte, mode fs.FileMode, ctx *linters.Context) (*linters.Document, error) {
	if bytes.IndexByte(src, 0) >= 0 {
		return nil, ErrBinary
	}
	if ctx == nil {
		ctx = &linters.Context{}
	}
	e := newEvaluator(ctx)
	fi := e.addFile(path, src, mode)
	st := newState()
	e.runFile(st, fi, 0)
	return e.document(st), nil
}
