package gitconfig

import (
	"bytes"
	"io/fs"
	"path/filepath"
	"strings"

	"github.com/maillint/maillint/linters"
)

// Name is the format's --type name.
const Name = "gitconfig"

// Format is the git config adapter; it implements linters.Format.
type Format struct{}

// Name returns "gitconfig".
func (Format) Name() string { return Name }

// templateSuffixes mark templates and copies, which are not read by git.
var templateSuffixes = []string{".tmpl", ".m4", ".in", ".sample", ".example", ".orig", ".bak", ".dist"}

// Match recognises git config files by name and location: .gitconfig and
// gitconfig (also /etc/gitconfig) with an optional suffix such as
// .gitconfig.local or .gitconfig-work, git/config (~/.config/git/config),
// .git/config and .git/config.worktree, and the chezmoi spellings
// (dot_gitconfig, private_dot_gitconfig, dot_config/git/config).
// Templates (.tmpl, .m4, .sample ...) are left to --type.
func (Format) Match(path string) bool {
	p := filepath.ToSlash(path)
	parts := strings.Split(p, "/")
	base := linters.PlainName(parts[len(parts)-1], true)
	for _, s := range templateSuffixes {
		if strings.HasSuffix(base, s) {
			return false
		}
	}
	if base == "gitconfig" {
		return true
	}
	if rest, ok := strings.CutPrefix(base, "gitconfig"); ok && rest != "" && strings.ContainsRune(".-_", rune(rest[0])) {
		return true
	}
	if len(parts) < 2 {
		return false
	}
	dir := parts[len(parts)-2]
	switch {
	case linters.PlainName(dir, false) == "git" && base == "config":
		return true
	case dir == ".git" && (base == "config" || base == "config.worktree"):
		return true
	}
	return false
}

// DefaultPaths lists the files git reads for every repository, in git's
// order (later ones win): the system file, $XDG_CONFIG_HOME/git/config and
// ~/.gitconfig. GIT_CONFIG_SYSTEM, GIT_CONFIG_NOSYSTEM and GIT_CONFIG_GLOBAL
// are honoured as git does.
func (Format) DefaultPaths(env linters.Env) []string {
	get := func(k string) string {
		if env.Getenv == nil {
			return ""
		}
		return env.Getenv(k)
	}
	var out []string
	if ns := get("GIT_CONFIG_NOSYSTEM"); ns == "" || ns == "0" || strings.EqualFold(ns, "false") {
		switch {
		case get("GIT_CONFIG_SYSTEM") != "":
			out = append(out, get("GIT_CONFIG_SYSTEM"))
		case env.GOOS != "windows":
			out = append(out, "/etc/gitconfig")
		}
	}
	if g := get("GIT_CONFIG_GLOBAL"); g != "" {
		return append(out, g)
	}
	xdg := get("XDG_CONFIG_HOME")
	if xdg == "" && env.Home != "" {
		xdg = filepath.Join(env.Home, ".config")
	}
	if xdg != "" {
		out = append(out, filepath.Join(xdg, "git", "config"))
	}
	if env.Home != "" {
		out = append(out, filepath.Join(env.Home, ".gitconfig"))
	}
	return out
}

// ErrBinary is returned for input that is not a text file.
var ErrBinary = linters.ErrBinary

// Parse builds the model of a git config file and the files it includes
// (read through ctx.Read). A file without send-email settings gives a
// Document without accounts. Nothing the file names is ever run.
func (Format) Parse(path string, src []byte, mode fs.FileMode, ctx *linters.Context) (*linters.Document, error) {
	if bytes.IndexByte(src, 0) >= 0 {
		return nil, ErrBinary
	}
	c := Read(path, src, ctx)
	c.Modes[c.Files[0]] = mode
	return document(c), nil
}
