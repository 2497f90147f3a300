package msmtp

import (
	"bytes"
	"io/fs"
	"path/filepath"
	"strings"

	"github.com/maillint/maillint/linters"
)

// Name is the format's --type name.
const Name = "msmtp"

// Format is the msmtp adapter; it implements linters.Format.
type Format struct{}

// Name returns "msmtp".
func (Format) Name() string { return Name }

// Match recognises msmtp files by name and location: .msmtprc, msmtprc,
// /etc/msmtprc, msmtp/config (also ~/.config/msmtp/config), and their
// chezmoi source names (dot_msmtprc, private_dot_msmtprc,
// dot_config/private_msmtp/config; see linters.ChezmoiTarget).
func (Format) Match(path string) bool {
	p := filepath.ToSlash(path)
	base := linters.PlainName(filepathBase(p), true)
	if base == "msmtprc" || (strings.HasSuffix(base, ".msmtprc") && len(base) > len(".msmtprc")) {
		return true // also NAME.msmtprc (work.msmtprc)
	}
	dir := linters.PlainName(filepathBase(strings.TrimSuffix(p, "/"+filepathBase(p))), false)
	return base == "config" && dir == "msmtp"
}

func filepathBase(p string) string {
	if i := strings.LastIndexByte(p, '/'); i >= 0 {
		return p[i+1:]
	}
	return p
}

// DefaultPaths lists where msmtp looks: the system file, ~/.msmtprc and
// $XDG_CONFIG_HOME/msmtp/config (read only when ~/.msmtprc is missing).
func (Format) DefaultPaths(env linters.Env) []string {
	xdg := ""
	if env.Getenv != nil {
		xdg = env.Getenv("XDG_CONFIG_HOME")
	}
	if xdg == "" && env.Home != "" {
		xdg = filepath.Join(env.Home, ".config")
	}
	var out []string
	if env.GOOS != "windows" {
		out = append(out, "/etc/msmtprc")
	}
	if env.Home != "" {
		out = append(out, filepath.Join(env.Home, ".msmtprc"))
	}
	if xdg != "" {
		out = append(out, filepath.Join(xdg, "msmtp", "config"))
	}
	return out
}

// ErrBinary is returned for input that is not a text file.
var ErrBinary = linters.ErrBinary

// Parse builds the model of an msmtp file. Commands (eval, passwordeval)
// are never run.
func (Format) Parse(path string, src []byte, mode fs.FileMode, _ *linters.Context) (*linters.Document, error) {
	if bytes.IndexByte(src, 0) >= 0 {
		return nil, ErrBinary
	}
	f := Parse(path, src)
	doc := document(path, src, Resolve(f))
	doc.Files[0].Mode = mode
	return doc, nil
}
