package main

import (
	"errors"
	"sync"
	"sync/atomic"

	"github.com/maillint/maillint/linters"
	"github.com/maillint/maillint/linters/providers"
)

// checkAll checks ins with --jobs workers and adds the results to rep in
// the order of ins, so the report does not depend on which worker finished
// first.
func (c *Command) checkAll(rep *report, ins []input, db *providers.DB, rules []*linters.Rule) {
	o := rep.opts
	type result struct {
		ck  *checked
		err error
	}
	res := make([]result, len(ins))
	jobs := min(max(o.jobs, 1), max(len(ins), 1))
	var next atomic.Int64
	var wg sync.WaitGroup
	for range jobs {
		wg.Go(func() {
			for {
				i := int(next.Add(1)) - 1
				if i >= len(ins) {
					return
				}
				ck, err := c.check(ins[i], o, db, rules)
				res[i] = result{slim(ck, o), err}
				o.fleet.progress.addDone(1)
			}
		})
	}
	wg.Wait()
	o.fleet.progress.finish()
	defer func() { rep.files = dropIncluded(rep.files, c.abs) }()
	for i, r := range res {
		switch {
		case r.err == nil:
			rep.files = append(rep.files, r.ck)
		case ins[i].walked && (errors.Is(r.err, errNotText) || errors.Is(r.err, errTooLarge)):
			rep.noticef(ins[i].path, "skipped: %v", r.err)
		default:
			rep.errorf(ins[i].path, "%v", r.err)
		}
	}
}

// slim drops what the report will not need of a checked file, so a fleet
// of thousands of files fits in little memory: the model (accounts and
// their writers, which hold the syntax tree) unless --verify connects to
// its endpoints, and the sources of files without findings or fixes.
func slim(ck *checked, o *options) *checked {
	if ck == nil || o.verify.enabled || ck.doc == nil {
		return ck
	}
	if !o.diff && !o.write {
		ck.before, ck.after, ck.modes = nil, nil, nil
	}
	if len(ck.findings) > 0 || len(ck.fixed) > 0 || !ck.converged {
		var files []*linters.SourceFile
		if showsSource(o) {
			files = ck.doc.Files
		}
		ck.doc = &linters.Document{Format: ck.doc.Format, Files: files}
		return ck
	}
	ck.doc = emptyDoc(ck.doc.Format)
	return ck
}

// showsSource reports whether the run's outputs need the files' contents:
// text and GitHub output show source lines, SARIF and GitHub count columns
// in code points, --diff and --write print or write the files. A run that
// only writes JSON keeps none of them, so a fleet's report fits in little
// memory however many files have findings.
func showsSource(o *options) bool {
	return o.format != "json" || o.fleet.outputFile != "" && o.fleet.outputFormat != "json" || o.diff || o.write
}

// emptyDocs holds one shared, never modified, empty Document per format
// for the files that need nothing but a count in the report.
var emptyDocs sync.Map

func emptyDoc(format string) *linters.Document {
	if d, ok := emptyDocs.Load(format); ok {
		return d.(*linters.Document)
	}
	d, _ := emptyDocs.LoadOrStore(format, &linters.Document{Format: format})
	return d.(*linters.Document)
}
