package thunderbird

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"

	"github.com/maillint/maillint/linters"
)

// Name is the format's --type name.
const Name = "thunderbird"

// Format is the Thunderbird adapter; it implements linters.Format and
// linters.WriteGuard.
type Format struct{}

// Name returns "thunderbird".
func (Format) Name() string { return Name }

// Match recognises prefs.js and user.js inside a folder that looks like
// Thunderbird's: a path with a component containing "thunderbird" or
// "icedove" (~/.thunderbird, ~/.mozilla-thunderbird, ~/Library/Thunderbird,
// %APPDATA%\Thunderbird, a dotfiles folder named thunderbird), or a
// "profiles" component outside a Firefox tree; and profiles.ini in a
// Thunderbird folder (not the "profiles" heuristic: Firefox has one too).
// chezmoi source names (private_user.js) count as the file they install.
// Other prefs.js files are checked when named with --type thunderbird.
func (Format) Match(path string) bool {
	parts := strings.FieldsFunc(strings.ToLower(path), func(r rune) bool { return r == '/' || r == '\\' })
	if len(parts) < 2 {
		return false
	}
	base := linters.PlainName(parts[len(parts)-1], true)
	if base == "profiles.ini" {
		for _, c := range parts[:len(parts)-1] {
			if strings.Contains(c, "thunderbird") || strings.Contains(c, "icedove") {
				return true
			}
		}
		return false
	}
	if base != "prefs.js" && base != "user.js" {
		return false
	}
	tb, profiles, firefox := false, false, false
	for _, c := range parts[:len(parts)-1] {
		switch {
		case strings.Contains(c, "thunderbird"), strings.Contains(c, "icedove"):
			tb = true
		case strings.Contains(c, "firefox"), strings.Contains(c, "librewolf"), strings.Contains(c, "waterfox"):
			firefox = true
		case c == "profiles":
			profiles = true
		}
	}
	return tb || profiles && !firefox
}

// DefaultPaths lists the profiles.ini files Thunderbird may use: on Linux
// ~/.thunderbird (and $XDG_CONFIG_HOME/thunderbird, the legacy
// ~/.mozilla-thunderbird, the Flatpak and Snap folders), on macOS
// ~/Library/Thunderbird, on Windows %APPDATA%\Thunderbird. Profile folders
// have random names, so the profiles.ini is returned and Parse reads the
// default profile's prefs.js (and user.js) through Context.Read.
func (Format) DefaultPaths(env linters.Env) []string {
	getenv := func(k string) string {
		if env.Getenv == nil {
			return ""
		}
		return env.Getenv(k)
	}
	var dirs []string
	switch env.GOOS {
	case "windows":
		appdata := getenv("APPDATA")
		if appdata == "" && env.Home != "" {
			appdata = filepath.Join(env.Home, "AppData", "Roaming")
		}
		if appdata != "" {
			dirs = append(dirs, filepath.Join(appdata, "Thunderbird"))
		}
	case "darwin":
		if env.Home != "" {
			dirs = append(dirs, filepath.Join(env.Home, "Library", "Thunderbird"))
		}
	default:
		xdg := getenv("XDG_CONFIG_HOME")
		if xdg == "" && env.Home != "" {
			xdg = filepath.Join(env.Home, ".config")
		}
		if env.Home != "" {
			dirs = append(dirs, filepath.Join(env.Home, ".thunderbird"))
		}
		if xdg != "" {
			dirs = append(dirs, filepath.Join(xdg, "thunderbird"))
		}
		if env.Home != "" {
			dirs = append(dirs,
				filepath.Join(env.Home, ".mozilla-thunderbird"),
				filepath.Join(env.Home, ".var", "app", "org.mozilla.Thunderbird", ".thunderbird"),
				filepath.Join(env.Home, "snap", "thunderbird", "common", ".thunderbird"))
		}
	}
	var out []string
	for _, d := range dirs {
		out = append(out, filepath.Join(d, "profiles.ini"))
	}
	return out
}

// ErrBinary is returned for input that is not a text file.
var ErrBinary = linters.ErrBinary

// Parse builds the model of a profile. For prefs.js it also reads user.js
// beside it through ctx.Read, and for user.js the prefs.js beside it:
// Thunderbird applies user.js over prefs.js, so a value user.js sets wins,
// and findings and fixes about it go to user.js. (Checking a whole profile
// folder gives the same findings from both files; the command reports each
// once.) A user.js with no prefs.js beside it is checked on its own. For profiles.ini
// it reads the default profile's prefs.js and user.js. Any other file is
// read as a prefs file alone.
func (Format) Parse(path string, src []byte, mode fs.FileMode, ctx *linters.Context) (*linters.Document, error) {
	if bytes.IndexByte(src, 0) >= 0 {
		return nil, ErrBinary
	}
	var read linters.ReadFunc
	if ctx != nil {
		read = ctx.Read
	}
	base := strings.ToLower(linters.PlainName(baseName(path), true))
	switch base {
	case "profiles.ini":
		return parseProfilesINI(path, src, mode, read)
	case "user.js":
		if read != nil {
			prefs := sibling(path, "prefs.js")
			if data, m, err := read(prefs); err == nil {
				// Thunderbird reads prefs.js, then user.js over it: the
				// profile is checked as one, user.js first among the
				// Document's files as the one named. (A walk that checks
				// both files reports each finding once.)
				doc, _ := profileDocument([]*File{Parse(prefs, data), Parse(path, src)}, []fs.FileMode{m, mode})
				if i := slices.IndexFunc(doc.Files, func(sf *linters.SourceFile) bool { return sf.Path == path }); i > 0 {
					named := doc.Files[i]
					copy(doc.Files[1:i+1], doc.Files[:i])
					doc.Files[0] = named
				}
				return doc, nil
			}
		}
		doc, _ := profileDocument([]*File{Parse(path, src)}, []fs.FileMode{mode})
		return doc, nil
	}
	files, modes := []*File{Parse(path, src)}, []fs.FileMode{mode}
	var upErr error
	if base == "prefs.js" && read != nil {
		up := sibling(path, "user.js")
		data, m, err := read(up)
		if err == nil {
			files, modes = append(files, Parse(up, data)), append(modes, m)
		}
		upErr = err
	}
	doc, _ := profileDocument(files, modes)
	userJSUnread(doc, path, upErr)
	return doc, nil
}

// userJSUnread adds a finding at the start of prefs.js when the user.js
// beside it exists but cannot be read (permissions, too large, not a
// regular file): the settings it holds win over prefs.js and are not
// checked. A missing user.js is the usual case and says nothing.
func userJSUnread(doc *linters.Document, prefs string, err error) {
	sf := doc.File(prefs)
	if err == nil || errors.Is(err, fs.ErrNotExist) || sf == nil {
		return
	}
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	doc.Diagnostics = append(doc.Diagnostics, linters.Finding{
		Rule: linters.IncludeMissing.ID, Severity: linters.Info, At: sf.Index.Range(0, 0),
		Message: fmt.Sprintf("%s cannot be read (%v); the settings in it, which Thunderbird applies over prefs.js, are not checked", sibling(prefs, "user.js"), err),
	})
}

// profileDocument resolves files (prefs.js, then user.js) and maps them.
func profileDocument(files []*File, modes []fs.FileMode, extra ...*linters.SourceFile) (*linters.Document, []*Server) {
	return document(Resolve(files...), modes, extra...)
}

// sibling returns the path of the file name in the folder of path.
func sibling(path, name string) string {
	return filepath.Join(filepath.Dir(path), name)
}

// probeWindowsLock reports whether parent.lock is held open: Thunderbird
// on Windows opens it without sharing while it runs and never deletes it,
// so only a failed open tells. A variable so tests can replace it.
var probeWindowsLock = func(path string) bool {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return !errors.Is(err, fs.ErrNotExist)
	}
	f.Close()
	return false
}

// goos is runtime.GOOS; tests replace it.
var goos = runtime.GOOS

// CheckWrite refuses to write a prefs.js while Thunderbird uses its
// profile: Thunderbird rewrites prefs.js from memory 500 ms after any pref
// change and when it exits, so the fixes would be lost. A running instance
// shows as the `lock` symlink in the profile folder (Linux and other
// Unixes; removed at exit, left behind by a crash), a `.parentlock` that is
// a symlink (macOS without fcntl locks), or on Windows a parent.lock that
// cannot be opened. A regular `.parentlock` file is not proof: it is never
// deleted. user.js is always allowed: Thunderbird only reads it, at start.
func (Format) CheckWrite(path string, lstat func(string) (fs.FileInfo, error)) error {
	if strings.EqualFold(baseName(path), "user.js") {
		return nil
	}
	dir := filepath.Dir(path)
	refuse := func(why string) error {
		return fmt.Errorf("Thunderbird is using this profile (%s) and rewrites prefs.js when it exits, which would undo the fixes; quit Thunderbird and run again, or put the settings in user.js instead (use --force if Thunderbird is not running and the lock is left from a crash)", why)
	}
	for _, name := range []string{"lock", ".parentlock"} {
		p := filepath.Join(dir, name)
		if fi, err := lstat(p); err == nil && fi.Mode()&fs.ModeSymlink != 0 {
			return refuse("the lock symlink " + p + " exists")
		}
	}
	if goos == "windows" {
		p := filepath.Join(dir, "parent.lock")
		if _, err := lstat(p); err == nil && probeWindowsLock(p) {
			return refuse(p + " is held open")
		}
	}
	return nil
}

var (
	_ linters.Format     = Format{}
	_ linters.WriteGuard = Format{}
)
