package main

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"

	"github.com/maillint/maillint/linters"
	"github.com/spf13/afero"
)

// input is one file to check and the format to read it as.
type input struct {
	path   string // as shown to the user
	format linters.Format
}

// inputError is a file or path that cannot be checked.
type inputError struct {
	path string
	msg  string
}

// skipDirs are never walked.
var skipDirs = map[string]bool{".git": true, "node_modules": true, ".hg": true, ".svn": true}

// collect turns the command line's paths into inputs. With no paths it
// looks at every format's default locations and says which exist.
func (c *Command) collect(o *options) ([]input, []inputError) {
	var ins []input
	var errs []inputError
	forced := formatByName(o.typ)
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
	seen := map[string]bool{}
	add := func(p string, f linters.Format) {
		key := filepath.Clean(p)
		if seen[key] {
			return
		}
		seen[key] = true
		ins = append(ins, input{path: p, format: f})
	}
	for _, p := range o.paths {
		fi, err := c.Fs.Stat(p)
		if err != nil {
			errs = append(errs, inputError{p, describe(err)})
			continue
		}
		if !fi.IsDir() {
			f := forced
			if f == nil {
				f = matchFormat(p)
			}
			if f == nil {
				errs = append(errs, inputError{p, "cannot tell which client this file configures; name it with --type (msmtp)"})
				continue
			}
			add(p, f)
			continue
		}
		var found []input
		walkErr := afero.Walk(c.Fs, p, func(path string, info fs.FileInfo, err error) error {
			if err != nil {
				errs = append(errs, inputError{path, describe(err)})
				if info != nil && info.IsDir() {
					return filepath.SkipDir
				}
				return nil
			}
			if info.IsDir() {
				if path != p && skipDirs[info.Name()] {
					return filepath.SkipDir
				}
				return nil
			}
			if !info.Mode().IsRegular() {
				return nil
			}
			var f linters.Format
			if forced != nil {
				if forced.Match(path) {
					f = forced
				}
			} else {
				f = matchFormat(path)
			}
			if f != nil {
				found = append(found, input{path: path, format: f})
			}
			return nil
		})
		if walkErr != nil {
			errs = append(errs, inputError{p, describe(walkErr)})
		}
		sort.Slice(found, func(i, j int) bool { return found[i].path < found[j].path })
		for _, in := range found {
			add(in.path, in.format)
		}
	}
	return ins, errs
}

func matchFormat(path string) linters.Format {
	for _, f := range formats() {
		if f.Match(path) {
			return f
		}
	}
	return nil
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

// readFile reads a file for the linter and returns its bytes and mode.
func (c *Command) readFile(path string) ([]byte, fs.FileMode, error) {
	fi, err := c.Fs.Stat(path)
	if err != nil {
		return nil, 0, err
	}
	if !fi.Mode().IsRegular() {
		return nil, 0, fmt.Errorf("not a regular file")
	}
	data, err := afero.ReadFile(c.Fs, path)
	if err != nil {
		return nil, 0, err
	}
	return data, fi.Mode().Perm(), nil
}

var _ = os.Getwd
