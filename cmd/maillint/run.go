package main

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"sort"
	"strings"

	"github.com/maillint/maillint/fixers"
	"github.com/maillint/maillint/linters"
	"github.com/maillint/maillint/linters/providers"
	"github.com/spf13/afero"
)

// maxFixRounds bounds the lint → fix → lint loop.
const maxFixRounds = 10

// checked is what became of one input file.
type checked struct {
	in       input
	doc      *linters.Document // the document the findings refer to
	findings []linters.Finding
	// before and after hold every file's bytes before and after fixing.
	before, after map[string][]byte
	fixed         []linters.Finding
	converged     bool
	modes         map[string]fs.FileMode
	failedWrite   bool
	// verifyFailed lists the handshakes that failed for this file.
	verifyFailed []string
	// includes are the other files the document read (mutt source, git
	// include, Thunderbird user.js), as cleaned absolute paths.
	includes []string
}

// recordIncludes notes which files other than its own the document read,
// as abs (Command.abs) gives them: the key by which inputs and included
// files are compared.
func (ck *checked) recordIncludes(abs func(string) string) {
	if ck.doc == nil {
		return
	}
	for _, f := range ck.doc.Files[min(1, len(ck.doc.Files)):] {
		ck.includes = append(ck.includes, abs(f.Path))
	}
}

// dropIncluded removes the inputs that another input's document already
// read (an account file a muttrc sources): checked on its own it lacks the
// context it is read in, and its findings and fixes would come twice. Two
// files that include each other are both kept.
func dropIncluded(files []*checked, abs func(string) string) []*checked {
	includedBy := map[string][]string{}
	for _, ck := range files {
		for _, inc := range ck.includes {
			includedBy[inc] = append(includedBy[inc], abs(ck.in.path))
		}
	}
	if len(includedBy) == 0 {
		return files
	}
	mine := func(ck *checked, p string) bool {
		for _, inc := range ck.includes {
			if inc == p {
				return true
			}
		}
		return false
	}
	kept := files[:0]
	for _, ck := range files {
		self := abs(ck.in.path)
		drop := false
		for _, by := range includedBy[self] {
			if by != self && !mine(ck, by) {
				drop = true
			}
		}
		if !drop {
			kept = append(kept, ck)
		}
	}
	return kept
}

func (c *Command) run(o *options) int {
	ins, inErrs := c.collect(o)
	rep := &report{cmd: c, opts: o}
	rep.inputErrors(inErrs)
	db := o.fleet.cfg.providerDB()
	rules := linters.All()
	c.checkAll(rep, ins, db, rules)
	if o.verify.enabled {
		c.runVerify(rep)
	}
	if o.write {
		c.writeFixes(rep, db, rules)
	}
	return rep.finish()
}

// check parses and lints one input and, with --diff or --write, computes
// the fixed contents.
func (c *Command) check(in input, o *options, db *providers.DB, rules []*linters.Rule) (*checked, error) {
	data, mode, err := c.readFile(in.path)
	if errors.Is(err, errTooLarge) {
		return nil, err // a walk skips it with a notice
	}
	if err != nil {
		return nil, fmt.Errorf("%s", describe(err))
	}
	if bytes.IndexByte(data, 0) >= 0 {
		return nil, errNotText
	}
	ck := &checked{in: in, before: map[string][]byte{in.path: data}, modes: map[string]fs.FileMode{in.path: mode}}
	var last *linters.Document
	lint := func(srcs map[string][]byte) ([]linters.Finding, error) {
		read := func(p string) ([]byte, fs.FileMode, error) {
			if b, ok := srcs[p]; ok {
				return b, ck.modes[p], nil
			}
			b, m, err := c.readFile(p)
			if err == nil {
				srcs[p] = b
				ck.before[p] = b
				ck.modes[p] = m
			}
			return b, m, err
		}
		doc, err := in.format.Parse(in.path, srcs[in.path], ck.modes[in.path], &linters.Context{Read: read, Env: c.env()})
		if err != nil {
			return nil, err
		}
		last = doc
		return c.postLint(o, doc, linters.Run(doc, db, rules)), nil
	}
	if !o.diff && !o.write {
		fs, err := lint(map[string][]byte{in.path: data})
		if err != nil {
			return nil, err
		}
		ck.doc, ck.findings, ck.after, ck.converged = last, fs, ck.before, true
		ck.recordIncludes(c.abs)
		return ck, nil
	}
	allow := func(f *linters.Fix) bool { return f.Applicability == linters.Safe || o.unsafeFixes }
	out, err := fixers.Fixpoint(map[string][]byte{in.path: data}, lint, allow, maxFixRounds)
	if err != nil {
		return nil, err
	}
	ck.doc, ck.findings, ck.after, ck.fixed, ck.converged = last, out.Remaining, out.Files, out.Fixed, out.Converged
	ck.recordIncludes(c.abs)
	if o.diff {
		// The file is not changed: report what it holds now, minus what the
		// diff fixes, so every finding is either in the diff or on stderr.
		ck.findings = out.Remaining
	}
	return ck, nil
}

// writeFixes writes every changed file atomically.
func (c *Command) writeFixes(rep *report, db *providers.DB, rules []*linters.Rule) {
	w := c.writer()
	for _, ck := range rep.files {
		c.writeChecked(rep, w, ck)
		if !ck.failedWrite {
			continue
		}
		// Some of its files were not written: report what the files on
		// disk hold now, and claim no fix.
		check := *rep.opts
		check.write, check.diff = false, false
		if now, err := c.check(ck.in, &check, db, rules); err == nil {
			for _, f := range ck.findings {
				if f.Rule == linters.VerifyFailed.ID {
					now.findings = append(now.findings, f)
				}
			}
			ck.findings, ck.doc = now.findings, now.doc
		}
		ck.fixed = nil
	}
}

// writeChecked writes the changed files of one checked input.
func (c *Command) writeChecked(rep *report, w *fixers.Writer, ck *checked) {
	{
		var paths []string
		for p := range ck.after {
			if !bytes.Equal(ck.after[p], ck.before[p]) {
				paths = append(paths, p)
			}
		}
		sort.Strings(paths)
		if len(ck.verifyFailed) > 0 && len(paths) > 0 {
			fmt.Fprintf(c.Stderr, "maillint: %s: not written: the fixed settings did not verify: %s\n", c.displayPath(ck.in.path), strings.Join(ck.verifyFailed, "; "))
			ck.failedWrite = true
			return
		}
		guard, _ := ck.in.format.(linters.WriteGuard)
		for _, p := range paths {
			if done, err := rep.alreadyFixed(p, ck.after[p]); err != nil {
				rep.errorf(p, "not written: %v", err)
				ck.failedWrite = true
				continue
			} else if done {
				continue // another checked file wrote the same fix
			}
			if guard != nil && !rep.opts.force {
				if err := guard.CheckWrite(p, c.lstat); err != nil {
					rep.errorf(p, "not written: %v", err)
					ck.failedWrite = true
					continue
				}
			}
			snap, err := w.Read(p)
			if err != nil {
				rep.errorf(p, "not written: %v", err)
				ck.failedWrite = true
				continue
			}
			if !bytes.Equal(snap.Data, ck.before[p]) {
				rep.errorf(p, "not written: the file changed since it was read")
				ck.failedWrite = true
				continue
			}
			if err := w.Write(snap, ck.after[p]); err != nil {
				rep.errorf(p, "not written: %v", err)
				ck.failedWrite = true
				continue
			}
			rep.recordFix(p, ck.after[p])
			rep.written++
		}
	}
}

// lstat inspects a path without following a final symlink, where the file
// system can.
func (c *Command) lstat(p string) (fs.FileInfo, error) {
	if l, ok := c.Fs.(afero.Lstater); ok {
		fi, _, err := l.LstatIfPossible(p)
		return fi, err
	}
	return c.Fs.Stat(p)
}
