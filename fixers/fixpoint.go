package fixers

import (
	"bytes"

	"github.com/maillint/maillint/linters"
)

// LintFunc parses and lints file contents (path -> bytes) and returns the
// findings. Fixpoint calls it once per round.
type LintFunc func(srcs map[string][]byte) ([]linters.Finding, error)

// Outcome is the result of Fixpoint.
type Outcome struct {
	// Files holds the final contents of every file (changed or not).
	Files map[string][]byte
	// Fixed are the findings whose fixes were applied, in order, and then
	// the findings of the first round that had a fix allow accepted, were
	// not applied (another fix overlapped) and are gone from the final
	// contents: another fix resolved them (a port fix that also turns TLS
	// on resolves "no TLS").
	Fixed []linters.Finding
	// Remaining are the findings of the final contents.
	Remaining []linters.Finding
	// Rounds is the number of rounds that applied something.
	Rounds int
	// Converged is false when fixes kept changing the files after maxRounds.
	Converged bool
}

// Fixpoint lints, applies the fixes allow accepts, and lints again until no
// fix applies (at most maxRounds rounds). Within a round a fix is deferred
// when it overlaps an accepted one or inserts different text at the same
// place (two fixes each inserting a missing line would otherwise write the
// line twice); the next round sees the file as fixed so far.
func Fixpoint(srcs map[string][]byte, lint LintFunc, allow func(*linters.Fix) bool, maxRounds int) (*Outcome, error) {
	cur := make(map[string][]byte, len(srcs))
	for k, v := range srcs {
		cur[k] = v
	}
	out := &Outcome{}
	var first []linters.Finding
	defer func() { out.Fixed = append(out.Fixed, resolvedBesides(first, out.Fixed, out.Remaining, allow)...) }()
	for {
		findings, err := lint(cur)
		if err != nil {
			return nil, err
		}
		if first == nil {
			first = findings
		}
		var picked []*linters.Fix
		var pickedFindings []linters.Finding
		clash := newClashIndex()
		for _, f := range findings {
			if f.Fix == nil || len(f.Fix.Edits) == 0 || !allow(f.Fix) || clash.clashes(f.Fix) {
				continue
			}
			clash.add(f.Fix)
			picked = append(picked, f.Fix)
			pickedFindings = append(pickedFindings, f)
		}
		if len(picked) == 0 {
			out.Files, out.Remaining, out.Converged = cur, findings, true
			return out, nil
		}
		if out.Rounds == maxRounds {
			out.Files, out.Remaining = cur, findings
			return out, nil
		}
		next, applied, _, err := ApplyFixes(cur, picked)
		if err != nil {
			return nil, err
		}
		if len(applied) == 0 || same(cur, next) {
			out.Files, out.Remaining, out.Converged = cur, findings, true
			return out, nil
		}
		// The findings of each applied fix (a map: thousands of fixes).
		at := make(map[*linters.Fix][]int, len(picked))
		for i, p := range picked {
			at[p] = append(at[p], i)
		}
		for _, a := range applied {
			for _, i := range at[a] {
				out.Fixed = append(out.Fixed, pickedFindings[i])
			}
		}
		out.Rounds++
		cur = next
	}
}

// resolvedBesides returns the findings of first with a fix allow accepts
// that are neither in fixed nor, by rule and message, among remaining.
func resolvedBesides(first, fixed, remaining []linters.Finding, allow func(*linters.Fix) bool) []linters.Finding {
	type key struct{ rule, msg string }
	left := map[key]int{}
	for _, f := range remaining {
		left[key{f.Rule, f.Message}]++
	}
	applied := map[key]int{}
	for _, f := range fixed {
		applied[key{f.Rule, f.Message}]++
	}
	var out []linters.Finding
	for _, f := range first {
		if f.Fix == nil || len(f.Fix.Edits) == 0 || !allow(f.Fix) {
			continue
		}
		k := key{f.Rule, f.Message}
		switch {
		case applied[k] > 0:
			applied[k]--
		case left[k] > 0:
			left[k]--
		default:
			out = append(out, f)
		}
	}
	return out
}

// clashIndex remembers the edits picked in a round, to defer a fix that
// inserts different text where a picked fix inserts or replaces, or that
// replaces bytes at a picked insertion point.
type clashIndex struct {
	inserts map[editPoint]map[string]bool // insertion point -> texts inserted
	bounds  map[editPoint]bool            // start and end of replacements
}

type editPoint struct {
	path string
	off  int
}

func newClashIndex() *clashIndex {
	return &clashIndex{inserts: map[editPoint]map[string]bool{}, bounds: map[editPoint]bool{}}
}

func (c *clashIndex) clashes(fix *linters.Fix) bool {
	for _, e := range fix.Edits {
		if e.Start == e.End {
			p := editPoint{e.Path, e.Start}
			if c.bounds[p] {
				return true
			}
			if texts := c.inserts[p]; len(texts) > 0 && !texts[e.New] {
				return true
			}
			continue
		}
		if len(c.inserts[editPoint{e.Path, e.Start}]) > 0 || len(c.inserts[editPoint{e.Path, e.End}]) > 0 {
			return true
		}
	}
	return false
}

func (c *clashIndex) add(fix *linters.Fix) {
	for _, e := range fix.Edits {
		if e.Start == e.End {
			p := editPoint{e.Path, e.Start}
			if c.inserts[p] == nil {
				c.inserts[p] = map[string]bool{}
			}
			c.inserts[p][e.New] = true
			continue
		}
		c.bounds[editPoint{e.Path, e.Start}] = true
		c.bounds[editPoint{e.Path, e.End}] = true
	}
}

func same(a, b map[string][]byte) bool {
	for k, v := range a {
		if !bytes.Equal(v, b[k]) {
			return false
		}
	}
	return len(a) == len(b)
}
