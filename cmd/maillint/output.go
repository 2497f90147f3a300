package main

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/maillint/maillint/linters"
	"github.com/spf13/afero"
)

// inputErrors adds what collect could not check: errors, and notices for
// files a folder walk skipped.
func (r *report) inputErrors(errs []inputError) {
	for _, e := range errs {
		if e.notice {
			r.noticef(e.path, "%s", e.msg)
		} else {
			r.errorf(e.path, "%s", e.msg)
		}
	}
}

// configured applies the config's rule selection and severities to
// findings added after linting (--verify's). Findings of the checks went
// through postLint already; applying it again changes nothing.
func (r *report) configured(all []linters.Finding) []linters.Finding {
	cfg := r.opts.fleet.cfg
	if cfg == nil {
		return all
	}
	out := all[:0:0]
	for _, f := range all {
		if cfg.enabled(r.cmd, f.At.Path, f.Rule) {
			f.Severity = cfg.severityOf(r.cmd, f.At.Path, f.Rule, f.Severity)
			out = append(out, f)
		}
	}
	return out
}

// noticef records a file that was skipped; notices do not change the exit
// code.
func (r *report) noticef(path, format string, args ...any) {
	r.notices = append(r.notices, jsonError{Path: printable(r.cmd.displayPath(path)), Message: printable(fmt.Sprintf(format, args...))})
}

// printSummary prints the notices and, in text and github formats, one
// line counting files, findings by severity and fixable findings.
func (r *report) printSummary(all []linters.Finding) {
	c := r.cmd
	for _, n := range r.notices {
		fmt.Fprintf(c.Stderr, "maillint: %s: %s\n", n.Path, n.Message)
	}
	if r.opts.format != "text" && r.opts.format != "github" {
		return
	}
	fmt.Fprintf(c.Stderr, "maillint: %s\n", summaryLine(len(r.files), all))
}

// summaryLine is e.g. "3 files checked: 2 errors, 1 warning, 0 info; 2
// fixable with --write".
func summaryLine(files int, all []linters.Finding) string {
	var bySev [3]int
	safe, unsafe := 0, 0
	for _, f := range all {
		bySev[min(max(int(f.Severity), 0), 2)]++
		if f.Fix != nil {
			if f.Fix.Applicability == linters.Unsafe {
				unsafe++
			} else {
				safe++
			}
		}
	}
	s := fmt.Sprintf("%d %s checked: %d %s, %d %s, %d info", files, plural(files, "file"),
		bySev[linters.Error], plural(bySev[linters.Error], "error"),
		bySev[linters.Warning], plural(bySev[linters.Warning], "warning"), bySev[linters.Info])
	switch {
	case safe > 0 && unsafe > 0:
		s += fmt.Sprintf("; %d fixable with --write, %d more with --write --unsafe-fixes", safe, unsafe)
	case safe > 0:
		s += fmt.Sprintf("; %d fixable with --write", safe)
	case unsafe > 0:
		s += fmt.Sprintf("; %d fixable with --write --unsafe-fixes", unsafe)
	}
	return s
}

// writeOutputFile writes the report a second time, in --output-format, to
// --output-file. A failure is an input error (exit 2).
func (r *report) writeOutputFile(all []linters.Finding, docs map[string]*linters.SourceFile) {
	path := r.opts.fleet.outputFile
	if path == "" {
		return
	}
	// The file never gets colour, whatever stdout is.
	plain := *r.cmd
	plain.IsTerminal = func() bool { return false }
	fr := *r
	fr.cmd = &plain
	var b bytes.Buffer
	switch r.opts.fleet.outputFormat {
	case "json":
		fr.printJSON(&b, all)
	case "sarif":
		fr.printSARIF(&b, all, docs)
	case "github":
		fr.printGitHub(&b, all)
		fr.printTextLog(&b, all, docs)
	default:
		fr.printTextLog(&b, all, docs)
	}
	if err := afero.WriteFile(r.cmd.Fs, path, b.Bytes(), 0o644); err != nil {
		r.errorf(path, "cannot write the report: %s", describe(err))
	}
}

// printTextLog is the text report with its error and summary lines, as
// written to --output-file.
func (r *report) printTextLog(w io.Writer, all []linters.Finding, docs map[string]*linters.SourceFile) {
	r.printText(w, all, docs)
	for _, e := range r.errs {
		fmt.Fprintf(w, "maillint: %s: %s\n", e.Path, e.Message)
	}
	for _, n := range r.notices {
		fmt.Fprintf(w, "maillint: %s: %s\n", n.Path, n.Message)
	}
	fmt.Fprintf(w, "maillint: %s\n", summaryLine(len(r.files), all))
}

// codePointCol converts a 1-based byte column of line n of sf to a 1-based
// column in Unicode code points (SARIF's and GitHub's unit).
func codePointCol(sf *linters.SourceFile, n, col int) int {
	return codePointColIn(nil, sf, n, col)
}

// codePointColIn is codePointCol counting with ix, the runeIndex of sf
// (nil: count from the line start).
func codePointColIn(ix *runeIndex, sf *linters.SourceFile, n, col int) int {
	if sf == nil || sf.Index == nil || col <= 1 {
		return max(col, 1)
	}
	start, end, ok := sf.Index.LineBounds(sf.Src, n)
	if !ok {
		return col
	}
	// The column may point past the line's end (at the line terminator).
	stop := min(start+col-1, len(sf.Src))
	extra := 0
	if start+col-1 > end {
		stop, extra = end, start+col-1-end
	}
	if ix != nil {
		// A line starts after '\n', which is always a rune of its own.
		return ix.before(stop) - ix.before(start) + extra + 1
	}
	return utf8.RuneCount(sf.Src[start:stop]) + extra + 1
}

// printGitHub prints one GitHub Actions workflow command per finding
// (::error, ::warning, ::notice), errors first because GitHub shows only
// the first ten of each kind per step, then one per input error.
func (r *report) printGitHub(w io.Writer, all []linters.Finding) {
	docs := r.sourceFiles()
	for _, sev := range []linters.Severity{linters.Error, linters.Warning, linters.Info} {
		for _, f := range all {
			if f.Severity != sev {
				continue
			}
			cmd := map[linters.Severity]string{linters.Error: "error", linters.Warning: "warning", linters.Info: "notice"}[sev]
			sf := docs[f.At.Path]
			line := max(f.At.Start.Line, 1)
			col := r.cpCol(sf, line, f.At.Start.Col)
			endLine, endCol := f.At.End.Line, f.At.End.Col
			if endLine < line {
				endLine, endCol = line, f.At.Start.Col
			}
			endCol = r.cpCol(sf, endLine, endCol)
			fmt.Fprintf(w, "::%s file=%s,line=%d,col=%d,endLine=%d,endColumn=%d,title=%s::%s\n", cmd,
				ghProperty(printable(r.cmd.displayPath(f.At.Path))), line, col, endLine, endCol,
				ghProperty(f.Rule), ghData(printable(f.Message)+" ["+f.Rule+"]"))
		}
	}
	for _, e := range r.errs {
		fmt.Fprintf(w, "::error file=%s,title=maillint::%s\n", ghProperty(e.Path), ghData(e.Message))
	}
}

// sourceFiles maps every checked file's path to its source.
func (r *report) sourceFiles() map[string]*linters.SourceFile {
	docs := map[string]*linters.SourceFile{}
	for _, ck := range r.files {
		if ck.doc == nil {
			continue
		}
		for _, f := range ck.doc.Files {
			docs[f.Path] = f
		}
	}
	return docs
}

// ghData escapes the message of a workflow command as @actions/core does.
func ghData(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
}

// ghProperty escapes a property value of a workflow command.
func ghProperty(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(s)
}
