package linters

import (
	"bytes"
	"fmt"
	"strings"
	"unicode"
)

// commentSyntax is how a format writes comments, as far as inline
// suppressions need to know it.
type commentSyntax struct {
	// leaders start a comment.
	leaders []string
	// trailing is true when a comment may follow a setting on the same line.
	trailing bool
}

// commentSyntaxes is keyed by Document.Format. msmtp has no trailing
// comments ("tls on # x" makes "on # x" the value), so a suppression
// there only works on its own line.
var commentSyntaxes = map[string]commentSyntax{
	"msmtp":       {leaders: []string{"#"}},
	"mutt":        {leaders: []string{"#"}, trailing: true},
	"gitconfig":   {leaders: []string{"#", ";"}, trailing: true},
	"thunderbird": {leaders: []string{"//"}, trailing: true},
}

// suppressionMarker starts an inline suppression after a comment leader.
const suppressionMarker = "maillint:"

// Suppression is one inline "maillint: ignore[rule,...] reason" comment.
type Suppression struct {
	// At is the range of the marker, from "maillint:" to the closing "]".
	At Range
	// Line is the line whose findings it suppresses: its own line for a
	// trailing comment, else the next line that is neither blank nor a
	// comment.
	Line int
	// Rules are the rule ids between the brackets; "*" means every rule.
	Rules []SuppressedRule
	// Reason is the text after the closing bracket, trimmed.
	Reason string
	// Malformed is set for a "maillint: ignore" comment that is not of the
	// form ignore[rule,...] (no brackets, or no closing one): it
	// suppresses nothing and is reported.
	Malformed bool
}

// SuppressedRule is one rule id of a Suppression and where it is written.
type SuppressedRule struct {
	ID string
	At Range
}

// FindSuppressions returns the inline suppressions of file sf, a file of a
// Document of the given format. Formats without a comment syntax have
// none.
func FindSuppressions(format string, sf *SourceFile) []Suppression {
	syn, ok := commentSyntaxes[format]
	if !ok || !bytes.Contains(sf.Src, []byte(suppressionMarker)) {
		return nil
	}
	ix := sf.Index
	if ix == nil {
		ix = NewLineIndex(sf.Path, sf.Src)
	}
	var out []Suppression
	var waiting []Suppression
	for n := 1; ; n++ {
		start, end, ok := ix.LineBounds(sf.Src, n)
		if !ok {
			break
		}
		line := sf.Src[start:end]
		trimmed := bytes.TrimSpace(line)
		if len(trimmed) == 0 {
			continue
		}
		comment := ""
		for _, l := range syn.leaders {
			if bytes.HasPrefix(trimmed, []byte(l)) {
				comment = l
				break
			}
		}
		if comment == "" {
			// A line of code: own-line suppressions above apply to it.
			for _, s := range waiting {
				s.Line = n
				out = append(out, s)
			}
			waiting = waiting[:0]
		}
		s, own, found := parseSuppression(syn, line, start, ix)
		if !found {
			continue
		}
		if own {
			waiting = append(waiting, s)
			continue
		}
		if comment == "" && syn.trailing {
			s.Line = n
			out = append(out, s)
		}
	}
	// Own-line suppressions at the end of the file apply to nothing; they
	// are kept (with Line 0) so they are reported as unused.
	out = append(out, waiting...)
	return out
}

// parseSuppression finds a suppression marker in line (which starts at byte
// offset base of the file). own is true when the comment holding it is the
// whole line.
func parseSuppression(syn commentSyntax, line []byte, base int, ix *LineIndex) (s Suppression, own, ok bool) {
	i := bytes.Index(line, []byte(suppressionMarker))
	if i < 0 {
		return s, false, false
	}
	before := bytes.TrimRight(line[:i], " \t")
	leader := ""
	for _, l := range syn.leaders {
		if bytes.HasSuffix(before, []byte(l)) {
			leader = l
			break
		}
	}
	if leader == "" {
		return s, false, false
	}
	own = len(bytes.TrimSpace(before[:len(before)-len(leader)])) == 0
	rest := line[i+len(suppressionMarker):]
	j := len(rest) - len(bytes.TrimLeft(rest, " \t"))
	malformed := func() (Suppression, bool, bool) {
		end := len(bytes.TrimRight(line, " \t\r\n"))
		return Suppression{At: ix.Range(base+i, base+max(end, i+len(suppressionMarker))), Malformed: true}, own, true
	}
	if !bytes.HasPrefix(rest[j:], []byte("ignore[")) {
		// The word "ignore" in another form (IGNORE(...), ignore x,
		// ignore-next-line) is a suppression written wrong; a note that
		// only starts with those letters ("ignored here because ...") is
		// not a suppression at all.
		word := rest[j:]
		if k := bytes.IndexFunc(word, func(r rune) bool { return !unicode.IsLetter(r) }); k >= 0 {
			word = word[:k]
		}
		if bytes.EqualFold(word, []byte("ignore")) {
			return malformed()
		}
		return s, false, false
	}
	open := i + len(suppressionMarker) + j + len("ignore[")
	closeRel := bytes.IndexByte(line[open:], ']')
	if closeRel < 0 {
		return malformed()
	}
	closeAt := open + closeRel
	s.At = ix.Range(base+i, base+closeAt+1)
	s.Reason = string(bytes.TrimSpace(line[closeAt+1:]))
	// Split the ids, remembering where each is written.
	pos := open
	for _, part := range strings.Split(string(line[open:closeAt]), ",") {
		lead := len(part) - len(strings.TrimLeft(part, " \t"))
		id := strings.TrimSpace(part)
		at := ix.Range(base+pos+lead, base+pos+lead+len(id))
		pos += len(part) + 1
		s.Rules = append(s.Rules, SuppressedRule{ID: id, At: at})
	}
	return s, own, true
}

// Suppress drops the findings that an inline suppression in one of doc's
// files covers (same file, on the suppression's line, rule listed or "*")
// and adds an unused-suppression finding for each rule id of a suppression
// in doc's main file that covered nothing (in an included file: one that
// is malformed or names an unknown rule). enabled reports whether a rule
// is turned on for a file by maillint's configuration; a suppression of a
// rule that is turned off is not reported as unused. enabled may be nil.
func Suppress(doc *Document, findings []Finding, enabled func(path, rule string) bool) []Finding {
	type sup struct {
		s    Suppression
		used []bool
		main bool
	}
	var sups []*sup
	for i, sf := range doc.Files {
		for _, s := range FindSuppressions(doc.Format, sf) {
			sups = append(sups, &sup{s: s, used: make([]bool, len(s.Rules)), main: i == 0})
		}
	}
	if len(sups) == 0 {
		return findings
	}
	out := make([]Finding, 0, len(findings))
	for _, f := range findings {
		dropped := false
		for _, s := range sups {
			if s.s.Line == 0 || s.s.Line != f.At.Start.Line || s.s.At.Path != f.At.Path {
				continue
			}
			for k, r := range s.s.Rules {
				if r.ID == "*" || r.ID == f.Rule {
					s.used[k] = true
					dropped = true
				}
			}
		}
		if !dropped {
			out = append(out, f)
		}
	}
	if enabled == nil {
		enabled = func(string, string) bool { return true }
	}
	for _, s := range sups {
		if !enabled(s.s.At.Path, UnusedSuppression.ID) {
			continue
		}
		// In an included file (a sourced account file, user.js) only what
		// is wrong in any context is reported: a malformed comment or an
		// unknown rule id. Whether a suppression is used there depends on
		// the including file, and another one may use it.
		if !s.main && !s.s.Malformed {
			bad := false
			for _, r := range s.s.Rules {
				bad = bad || r.ID == "" || r.ID != "*" && Lookup(r.ID) == nil
			}
			if !bad {
				continue
			}
		}
		if s.s.Malformed {
			out = append(out, Finding{Rule: UnusedSuppression.ID, Severity: UnusedSuppression.Severity, At: s.s.At,
				Message: "this maillint comment suppresses nothing: write it as maillint: ignore[rule-id,...] reason"})
			continue
		}
		for k, r := range s.s.Rules {
			if s.used[k] || !s.main && r.ID != "" && (r.ID == "*" || Lookup(r.ID) != nil) {
				continue
			}
			var msg string
			switch {
			case r.ID == "":
				msg = "empty rule id in a maillint: ignore[...] comment"
			case r.ID != "*" && Lookup(r.ID) == nil:
				msg = fmt.Sprintf("unknown rule %q in a maillint: ignore[...] comment", r.ID)
			case r.ID != "*" && !enabled(s.s.At.Path, r.ID):
				continue
			case s.s.Line == 0:
				msg = fmt.Sprintf("suppression of %s applies to no line (nothing follows it)", r.ID)
			case r.ID == "*":
				msg = fmt.Sprintf("unused suppression: no finding on line %d", s.s.Line)
			default:
				msg = fmt.Sprintf("unused suppression: no %s finding on line %d", r.ID, s.s.Line)
			}
			at := r.At
			if r.ID == "" {
				at = s.s.At
			}
			out = append(out, Finding{Rule: UnusedSuppression.ID, Severity: UnusedSuppression.Severity, Message: msg, At: at})
		}
	}
	Sort(out)
	return out
}
