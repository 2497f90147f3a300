package main

import (
	"bytes"
	"errors"
	"fmt"
	"github.com/maillint/maillint/fixers"
	"github.com/spf13/afero"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/maillint/maillint/linters"
)

// input is one file to check and the format to read it as.
type input struct {
	path   string // as shown to the user
	format linters.Format
	// walked is true for a file found in a folder (not named on the
	// command line): a binary file there is skipped with a notice.
	walked bool
}

// inputError is a file or path that cannot be checked.
type inputError struct {
	path string
	msg  string
	// notice is true for a file that was skipped rather than failed (too
	// large or binary, found in a folder walk): it does not change the exit
	// code.
	notice bool
}

// skipDirs are never walked.
var skipDirs = map[string]bool{".git": true, "node_modules": true, ".hg": true, ".svn": true}

// collect turns the command line's paths into inputs. With no paths it
// looks at every format's default locations and says which exist. Files
// named on the command line come first, in order, then the files found in
// folders, sorted by path; each file (by device and inode) once. The
// config's exclude patterns apply to both.
func (c *Command) collect(o *options) ([]input, []inputError) {
	var ins []input
	var errs []inputError
	forced := formatByName(o.typ)
	cfg := o.fleet.cfg
	if len(o.paths) == 0 {
		var looked, found []string
		for _, f := range formats() {
			if forced != nil && f != forced {
				continue
			}
			for _, p := range f.DefaultPaths(c.env()) {
				looked = append(looked, p)
				if fi, err := c.Fs.Stat(p); err == nil && fi.Mode().IsRegular() {
					ins = append(ins, input{path: p, format: f})
					found = append(found, p)
				}
			}
		}
		if len(found) == 0 {
			fmt.Fprintf(c.Stderr, "maillint: no mail client config found; looked at: %s\n", join(looked))
		} else {
			fmt.Fprintf(c.Stderr, "maillint: checking %s\n", join(found))
		}
		return ins, nil
	}
	// One input per file: of several paths to it, the first that is not a
	// symlink (as the walk's dedupe does), in the place of the first given.
	seen := map[string]int{}
	viaLink := map[int]bool{}
	add := func(p, key string, f linters.Format, walked, link bool) {
		if i, ok := seen[key]; ok {
			if viaLink[i] && !link {
				// The real path is shown; how the file was given (named,
				// with its --type, or walked) stays the first path's.
				ins[i].path, viaLink[i] = p, false
			}
			return
		}
		seen[key] = len(ins)
		viaLink[len(ins)] = link
		ins = append(ins, input{path: p, format: f, walked: walked})
	}
	var roots []string
	for _, p := range o.paths {
		fi, err := c.Fs.Stat(p)
		if err != nil {
			errs = append(errs, inputError{path: p, msg: describe(err)})
			continue
		}
		if cfg.excluded(c, p) {
			continue
		}
		if fi.IsDir() {
			roots = append(roots, p)
			continue
		}
		f := forced
		if f == nil {
			f = cfg.typeFor(c, p)
		}
		if f == nil {
			f = c.matchFormat(p)
		}
		if f == nil && o.fleet.ignoreUnknown {
			continue
		}
		if f == nil {
			errs = append(errs, inputError{path: p, msg: "cannot tell which client this file configures; name it with --type (" + formatNames() + ")"})
			continue
		}
		if fi.Mode().IsRegular() && fi.Size() > maxFileSize {
			errs = append(errs, inputError{path: p, msg: fmt.Sprintf("larger than the %d MiB limit", maxFileSize>>20)})
			continue
		}
		add(p, c.fileKey(p, fi), f, false, c.isSymlink(p))
	}
	if len(roots) == 0 {
		return ins, errs
	}
	match := func(p string) linters.Format {
		t := cfg.typeFor(c, p)
		switch {
		case forced != nil && (t == forced || t == nil && c.matches(forced, p)):
			return forced
		case forced != nil:
			return nil
		case t != nil:
			return t
		}
		return c.matchFormat(p)
	}
	skip := func(p string) bool { return cfg.excluded(c, p) }
	o.fleet.progress = c.startProgress()
	found, walkErrs, notices := c.walkRoots(roots, match, skip, o.jobs, o.fleet.progress)
	errs = append(errs, walkErrs...)
	for _, n := range notices {
		n.notice = true
		errs = append(errs, n)
	}
	for _, cd := range found {
		add(cd.path, cd.key, cd.format, true, cd.link)
	}
	return ins, errs
}

// isSymlink reports whether path itself is a symbolic link.
func (c *Command) isSymlink(path string) bool {
	ls, ok := c.Fs.(afero.Lstater)
	if !ok {
		return false
	}
	fi, _, err := ls.LstatIfPossible(path)
	return err == nil && fi.Mode()&fs.ModeSymlink != 0
}

func formatNames() string {
	var names []string
	for _, f := range formats() {
		names = append(names, f.Name())
	}
	return strings.Join(names, ", ")
}

func (c *Command) matchFormat(path string) linters.Format {
	for _, f := range formats() {
		if c.matches(f, path) {
			return f
		}
	}
	return nil
}

// matches asks a format about a path as given and, when it is relative,
// as an absolute path too: a prefs.js named from inside its profile folder,
// or a walk started there, is still below ~/.thunderbird.
func (c *Command) matches(f linters.Format, path string) bool {
	if f.Match(path) {
		return true
	}
	return !filepath.IsAbs(path) && f.Match(c.abs(path))
}

func describe(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return "no such file or directory"
	case errors.Is(err, fs.ErrPermission):
		return "permission denied"
	}
	return err.Error()
}

func join(ps []string) string {
	var b bytes.Buffer
	for i, p := range ps {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(p)
	}
	return b.String()
}

// readFile reads a file for the linter and returns its bytes and mode. It
// opens the file once and refuses files over maxFileSize.
func (c *Command) readFile(path string) ([]byte, fs.FileMode, error) {
	if _, ok := c.Fs.(*afero.OsFs); ok && haveFastIO {
		return readFileFast(path, maxFileSize)
	}
	f, err := c.Fs.OpenFile(path, os.O_RDONLY|openNonblock, 0)
	if err != nil {
		return nil, 0, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, 0, err
	}
	if !fi.Mode().IsRegular() {
		return nil, 0, fixers.ErrNotRegular
	}
	if fi.Size() > maxFileSize {
		return nil, 0, errTooLarge
	}
	// Read exactly the stat'ed size (the bytes are kept for the report, so
	// no slack); one byte more tells a file that grew meanwhile.
	buf := make([]byte, fi.Size()+1)
	// Usually one read: a regular file gives what it holds, so reading
	// exactly the stat'ed size when one byte more was asked for is the
	// whole file (a file that grew gives the extra byte).
	n, err := f.Read(buf)
	if err == nil && n > 0 && int64(n) == fi.Size() {
		return buf[:n:n], fi.Mode().Perm(), nil
	}
	if err != nil && err != io.EOF {
		return nil, 0, err
	}
	m, err := io.ReadFull(f, buf[n:])
	n += m
	switch {
	case err == io.ErrUnexpectedEOF || err == io.EOF:
		return buf[:n:n], fi.Mode().Perm(), nil
	case err != nil:
		return nil, 0, err
	}
	rest, err := io.ReadAll(io.LimitReader(f, maxFileSize+1-int64(n)))
	if err != nil {
		return nil, 0, err
	}
	data := append(buf, rest...)
	if len(data) > maxFileSize {
		return nil, 0, errTooLarge
	}
	return data, fi.Mode().Perm(), nil
}

// errTooLarge and errNotText are input errors that a folder walk turns
// into notices.
var (
	errTooLarge = fmt.Errorf("larger than the %d MiB limit", maxFileSize>>20)
	errNotText  = errors.New("not a text file (it contains NUL bytes)")
)
