package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/maillint/maillint/fixers"
	"github.com/maillint/maillint/linters"
)

// report collects what a run found and prints it in the chosen format.
type report struct {
	cmd     *Command
	opts    *options
	files   []*checked
	errs    []jsonError
	written int
	// endpoints are the --verify handshakes; nil without --verify.
	endpoints []jsonEndpoint
	// notices are files a folder walk skipped (too large, binary).
	notices []jsonError
	// runes are the files' rune indexes for SARIF and GitHub columns.
	runes map[*linters.SourceFile]*runeIndex
	// fixedTo holds, by absolute path, the fixed contents of a file that
	// one checked input already wrote (--write) or printed (--diff): two
	// inputs that source one file (two muttrcs, one account file) fix it
	// once; if their fixes differ, the second is refused.
	fixedTo map[string][]byte
}

// findingKey identifies a finding across the checked files: rule, place,
// severity and message.
type findingKey struct {
	rule, path, msg string
	start, end      int
	sev             linters.Severity
}

func (r *report) keyOf(f linters.Finding) findingKey {
	return findingKey{f.Rule, r.cmd.abs(f.At.Path), f.Message, f.At.Start.Offset, f.At.End.Offset, f.Severity}
}

// alreadyFixed reports whether file p was already written or printed with
// the fixed contents after, and fails when it was with other contents.
func (r *report) alreadyFixed(p string, after []byte) (bool, error) {
	prev, ok := r.fixedTo[r.cmd.abs(p)]
	switch {
	case !ok:
		return false, nil
	case bytes.Equal(prev, after):
		return true, nil
	}
	return false, errors.New("another checked file that reads it fixes it differently; run maillint again")
}

// recordFix notes that file p was written or printed fixed as after.
func (r *report) recordFix(p string, after []byte) {
	if r.fixedTo == nil {
		r.fixedTo = map[string][]byte{}
	}
	r.fixedTo[r.cmd.abs(p)] = after
}

func (r *report) errorf(path, format string, args ...any) {
	r.errs = append(r.errs, jsonError{Path: printable(r.cmd.displayPath(path)), Message: printable(fmt.Sprintf(format, args...))})
}

// printable makes text from a file (values in messages, paths, source
// lines) safe to print: invalid UTF-8 and control characters other than
// tab (escape sequences, carriage returns, bells) become U+FFFD, so a
// hostile file cannot rewrite the terminal or the CI log.
func printable(s string) string {
	clean := true
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 && c != '\t' || c >= 0x7f {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if unprintable(r, size) {
			b.WriteString("\uFFFD")
		} else {
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

// unprintable reports whether the rune r of size bytes (as decoded from
// UTF-8) must not reach a terminal: invalid UTF-8, a control character
// other than tab, or a bidirectional override that reorders what is shown.
func unprintable(r rune, size int) bool {
	return r == utf8.RuneError && size <= 1 || r != '\t' && (unicode.IsControl(r) || unicode.Is(unicode.Bidi_Control, r))
}

// finish prints everything and returns the exit code.
func (r *report) finish() int {
	c := r.cmd
	findingsOut := c.Stdout
	if r.opts.diff {
		for _, ck := range r.files {
			for _, p := range sortedKeys(ck.after) {
				if bytes.Equal(ck.before[p], ck.after[p]) {
					continue
				}
				if done, err := r.alreadyFixed(p, ck.after[p]); err != nil {
					r.errorf(p, "not in the diff: %v", err)
					continue
				} else if done {
					continue // the same patch is already printed
				}
				if d := fixers.Unified("a/"+c.displayPath(p), "b/"+c.displayPath(p), ck.before[p], ck.after[p]); d != "" {
					io.WriteString(c.Stdout, d)
				}
				r.recordFix(p, ck.after[p])
			}
		}
		findingsOut = c.Stderr
	}

	// Two checked files that source one file (two muttrcs, one account
	// file) both report its findings: each is kept once.
	var all []linters.Finding
	docs := map[string]*linters.SourceFile{}
	seen, fixedSeen := map[findingKey]bool{}, map[findingKey]bool{}
	fixedCount, nonConverged := 0, 0
	for _, ck := range r.files {
		for _, f := range ck.findings {
			if k := r.keyOf(f); !seen[k] {
				seen[k] = true
				all = append(all, f)
			}
		}
		for _, f := range ck.doc.Files {
			docs[f.Path] = f
		}
		for _, f := range ck.fixed {
			if k := r.keyOf(f); !fixedSeen[k] {
				fixedSeen[k] = true
				fixedCount++
			}
		}
		if !ck.converged {
			nonConverged++
			r.errorf(ck.in.path, "fixes did not settle after %d rounds; this is a bug in maillint, please report it", maxFixRounds)
		}
	}
	all = r.configured(all)
	linters.Sort(all)

	r.writeOutputFile(all, docs)
	switch r.opts.format {
	case "json":
		r.printJSON(findingsOut, all)
	case "sarif":
		r.printSARIF(findingsOut, all, docs)
	case "github":
		r.printGitHub(findingsOut, all)
		fallthrough
	default:
		r.printEndpoints()
		r.printText(findingsOut, all, docs)
		for _, e := range r.errs {
			fmt.Fprintf(c.Stderr, "maillint: %s: %s\n", e.Path, e.Message)
		}
	}
	if r.opts.write && fixedCount > 0 {
		fmt.Fprintf(c.Stderr, "maillint: fixed %d %s in %d %s\n", fixedCount, plural(fixedCount, "finding"), r.written, plural(r.written, "file"))
	}
	r.printSummary(all)
	if len(r.errs) > 0 {
		return ExitError
	}
	for _, f := range all {
		if f.Severity >= r.opts.fleet.cfg.failLevel() {
			return ExitFindings
		}
	}
	if r.opts.diff {
		for _, ck := range r.files {
			if len(ck.fixed) > 0 {
				return ExitFindings
			}
		}
	}
	return ExitClean
}

func plural(n int, w string) string {
	if n == 1 {
		return w
	}
	return w + "s"
}

func sortedKeys(m map[string][]byte) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	for i := 1; i < len(ks); i++ {
		for j := i; j > 0 && ks[j] < ks[j-1]; j-- {
			ks[j], ks[j-1] = ks[j-1], ks[j]
		}
	}
	return ks
}

// jsonFinding is one finding in --format json. Its fields are public API.
type jsonFinding struct {
	Path      string   `json:"path"`
	Line      int      `json:"line"`
	Column    int      `json:"column"`
	EndLine   int      `json:"end_line"`
	EndColumn int      `json:"end_column"`
	Rule      string   `json:"rule"`
	Severity  string   `json:"severity"`
	Message   string   `json:"message"`
	Fixable   bool     `json:"fixable"`
	Fix       *jsonFix `json:"fix"`
}

type jsonFix struct {
	Message       string `json:"message"`
	Applicability string `json:"applicability"`
}

type jsonError struct {
	Path    string `json:"path"`
	Message string `json:"message"`
}

type jsonReport struct {
	Findings  []jsonFinding  `json:"findings"`
	Errors    []jsonError    `json:"errors"`
	Endpoints []jsonEndpoint `json:"endpoints,omitempty"`
}

func (r *report) printJSON(w io.Writer, all []linters.Finding) {
	out := jsonReport{Findings: []jsonFinding{}, Errors: r.errs, Endpoints: r.endpoints}
	if out.Errors == nil {
		out.Errors = []jsonError{}
	}
	for _, f := range all {
		jf := jsonFinding{
			Path: r.cmd.displayPath(f.At.Path), Line: f.At.Start.Line, Column: f.At.Start.Col,
			EndLine: f.At.End.Line, EndColumn: f.At.End.Col,
			Rule: f.Rule, Severity: f.Severity.String(), Message: f.Message, Fixable: f.Fix != nil,
		}
		if f.Fix != nil {
			jf.Fix = &jsonFix{Message: f.Fix.Message, Applicability: f.Fix.Applicability.String()}
		}
		out.Findings = append(out.Findings, jf)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.Encode(out)
}

// colours used on a terminal.
const (
	cReset  = "\x1b[0m"
	cBold   = "\x1b[1m"
	cRed    = "\x1b[31m"
	cYellow = "\x1b[33m"
	cBlue   = "\x1b[34m"
	cDim    = "\x1b[2m"
)

func (r *report) colour(w io.Writer) bool {
	if r.cmd.Getenv("NO_COLOR") != "" {
		return false
	}
	if r.cmd.IsTerminal != nil {
		return r.cmd.IsTerminal()
	}
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

// printText prints findings as path:line:col: severity: message [rule],
// followed by the source line (secrets masked) and a marker.
func (r *report) printText(w io.Writer, all []linters.Finding, files map[string]*linters.SourceFile) {
	col := r.colour(w)
	paint := func(code, s string) string {
		if !col {
			return s
		}
		return code + s + cReset
	}
	// Each file's secrets, sorted and merged, and each shown line's, so
	// showing a line costs the same however many secrets and findings the
	// file holds.
	var secrets shownSecrets
	for _, f := range all {
		sevCode := cBlue
		switch f.Severity {
		case linters.Error:
			sevCode = cRed
		case linters.Warning:
			sevCode = cYellow
		}
		fmt.Fprintf(w, "%s: %s: %s %s\n",
			paint(cBold, fmt.Sprintf("%s:%d:%d", printable(r.cmd.displayPath(f.At.Path)), f.At.Start.Line, f.At.Start.Col)),
			paint(sevCode, f.Severity.String()), printable(f.Message), paint(cDim, "["+f.Rule+"]"))
		if sf := files[f.At.Path]; sf != nil {
			if line, col, ok := sourceLine(sf, secrets.forLine(sf, f.At.Start.Line), f.At); ok {
				num := fmt.Sprintf("%5d", f.At.Start.Line)
				fmt.Fprintf(w, "%s | %s\n", paint(cDim, num), line.text)
				start, end := col(f.At.Start.Offset), col(f.At.End.Offset)
				width := 1
				if f.At.End.Line == f.At.Start.Line && end > start {
					width = end - start
				}
				// Keep tabs so the marker lines up under tabbed text.
				pad := strings.Map(func(r rune) rune {
					if r == '\t' {
						return '\t'
					}
					return ' '
				}, line.text[:min(len(line.text), start)])
				fmt.Fprintf(w, "%s | %s%s\n", strings.Repeat(" ", len(num)), pad, paint(sevCode, "^"+strings.Repeat("~", max(0, min(width, 80)-1))))
			}
		}
		if f.Fix != nil {
			how := "--write"
			if f.Fix.Applicability == linters.Unsafe {
				how = "--write --unsafe-fixes"
			}
			fmt.Fprintf(w, "      = fix (%s): %s; apply with %s\n", f.Fix.Applicability, printable(f.Fix.Message), how)
		}
	}
}

// shownSecrets computes, for each line shown, the secrets to mask on it:
// withLikelySecrets, once per line.
type shownSecrets struct {
	recorded map[*linters.SourceFile][]linters.Range // sortedSecrets of each file's
	lines    map[lineOf][]linters.Range
}

type lineOf struct {
	sf *linters.SourceFile
	n  int
}

// forLine returns the secrets to mask when line n of sf is shown.
func (ss *shownSecrets) forLine(sf *linters.SourceFile, n int) []linters.Range {
	if ss.recorded == nil {
		ss.recorded, ss.lines = map[*linters.SourceFile][]linters.Range{}, map[lineOf][]linters.Range{}
	}
	rec, ok := ss.recorded[sf]
	if !ok {
		rec = sortedSecrets(sf.Secrets)
		ss.recorded[sf] = rec
	}
	key := lineOf{sf, n}
	out, ok := ss.lines[key]
	if !ok {
		out = withLikelySecrets(sf, rec, n)
		ss.lines[key] = out
	}
	return out
}

// withLikelySecrets returns the recorded secrets of sf (sorted) that may
// be shown on line n, with the ranges linters.LineSecrets finds on it
// besides: a password the adapter did not see as one (glued to its key, in
// a comment, on the line after its key). Where the adapter knows where a
// password ends, its range is shown as it is: a found range whose key lies
// inside a recorded secret (a password holding "secret") is dropped, and
// one that overlaps recorded secrets starts after them and the quotes,
// blanks, commas and brackets that follow (the closing quote of
// smtp_pass="x" stays; a second value, as in a broken "password", "x",
// "y", is masked) unless a comment (or prefs.js's closing ';') starts
// there: a comment is looked at on its own.
//
// The whole line is read once (shownSecrets keeps the result per line), in
// time linear in its length.
func withLikelySecrets(sf *linters.SourceFile, recorded []linters.Range, n int) []linters.Range {
	start, end, ok := sf.Index.LineBounds(sf.Src, n)
	if !ok {
		return nil
	}
	k := sort.Search(len(recorded), func(j int) bool { return recorded[j].End.Offset > start })
	var near []linters.Range
	for ; k < len(recorded) && recorded[k].Start.Offset < end; k++ {
		near = append(near, recorded[k])
	}
	var prev []byte
	if ps, pe, ok := sf.Index.LineBounds(sf.Src, n-1); ok && n > 1 {
		// The key and what ends it: blanks and separators of any length,
		// and 512 bytes before them (a key is shorter).
		t := pe
		for t > ps && strings.IndexByte(" \t\r\\=:\"'", sf.Src[t-1]) >= 0 {
			t--
		}
		prev = sf.Src[max(ps, t-512):pe]
	}
	found := linters.LineSecrets(string(prev), string(sf.Src[start:end]))
	// near is sorted and its ranges do not touch (sortedSecrets): the one
	// holding an offset is found by a binary search.
	holding := func(off int) (linters.Range, bool) {
		j := sort.Search(len(near), func(j int) bool { return near[j].End.Offset > off })
		if j < len(near) && near[j].Start.Offset <= off {
			return near[j], true
		}
		return linters.Range{}, false
	}
	inside := func(off int) bool { _, ok := holding(off); return ok }
	endsAt := func(off int) bool {
		j := sort.Search(len(near), func(j int) bool { return near[j].End.Offset >= off })
		return j < len(near) && near[j].End.Offset == off
	}
	out := slices.Clone(near)
	for _, l := range found {
		key, a, b := l.Key, start+l.Start, start+l.End
		if key >= 0 && inside(start+key) || key == -1 && inside(a) {
			continue
		}
		from := a
		for {
			moved := false
			if s, ok := holding(from); ok {
				from, moved = s.End.Offset, true
			} else if key == -1 && endsAt(from) {
				moved = true // a user:password@ range touching a recorded one: it is that one
				from = b
			}
			for from < b && strings.IndexByte(" \t\"',()[]", sf.Src[from]) >= 0 {
				from, moved = from+1, true
			}
			if !moved || from >= b {
				break
			}
		}
		if from != a && from < b && (sf.Src[from] == '#' || sf.Src[from] == ';' || bytes.HasPrefix(sf.Src[from:], []byte("//"))) {
			continue
		}
		if from < b {
			out = append(out, sf.Index.Range(from, b))
		}
	}
	return sortedSecrets(out)
}

// shownLine is a source line as printed.
type shownLine struct{ text string }

// sortedSecrets returns secrets sorted by start, overlapping or touching
// ones merged (one mask, not two side by side), so their ends are sorted
// too.
func sortedSecrets(secrets []linters.Range) []linters.Range {
	s := slices.Clone(secrets)
	sort.Slice(s, func(i, j int) bool { return s[i].Start.Offset < s[j].Start.Offset })
	out := s[:0]
	for _, x := range s {
		if n := len(out); n > 0 && x.Start.Offset <= out[n-1].End.Offset {
			if x.End.Offset > out[n-1].End.Offset {
				out[n-1].End = x.End
			}
			continue
		}
		out = append(out, x)
	}
	return out
}

// sourceLine returns the line of sf where at starts, with every secret
// (secrets: sortedSecrets of the file's) replaced by eight asterisks (so
// not even its length shows) and what is not printable replaced by U+FFFD,
// cut after 200 bytes, and a function that maps a byte offset of the file
// to the byte column of the printed line (0-based), so markers line up
// with what is shown and never reveal a secret's width. Only the part of
// the line that is shown is read: a line of megabytes with thousands of
// findings costs no more than a short one per finding.
func sourceLine(sf *linters.SourceFile, secrets []linters.Range, at linters.Range) (shownLine, func(int) int, bool) {
	start, end, ok := sf.Index.LineBounds(sf.Src, at.Start.Line)
	if !ok {
		return shownLine{}, nil, false
	}
	const maxShown = 200
	// marks[k]: file offsets from marks[k].off up to the next mark are
	// shown at column marks[k].col.
	type mark struct{ off, col int }
	var marks []mark
	var b strings.Builder
	k := sort.Search(len(secrets), func(j int) bool { return secrets[j].End.Offset > start })
	i := start
	for i < end && b.Len() <= maxShown {
		marks = append(marks, mark{i, b.Len()})
		for k < len(secrets) && secrets[k].End.Offset <= i {
			k++
		}
		if k < len(secrets) && secrets[k].Start.Offset <= i {
			b.WriteString("********")
			i = min(secrets[k].End.Offset, end)
			continue
		}
		r, size := utf8.DecodeRune(sf.Src[i:end])
		if k < len(secrets) && secrets[k].Start.Offset < i+size {
			// A secret starts inside this character (invalid UTF-8 before
			// it, or a range cut mid-character): show none of its bytes.
			b.WriteString("\uFFFD")
			i = secrets[k].Start.Offset
			continue
		}
		if unprintable(r, size) {
			b.WriteString("\uFFFD")
		} else {
			b.Write(sf.Src[i : i+size])
		}
		i += size
	}
	marks = append(marks, mark{i, b.Len()})
	text := b.String()
	if len(text) > maxShown {
		cut := maxShown
		for cut > 0 && !utf8.RuneStart(text[cut]) {
			cut--
		}
		text = text[:cut] + "…"
	}
	col := func(off int) int {
		j := sort.Search(len(marks), func(j int) bool { return marks[j].off > off }) - 1
		if j < 0 {
			return 0
		}
		return min(marks[j].col, maxShown)
	}
	return shownLine{text}, col, true
}
