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
	// Fixed are the findings whose fixes were applied, in order.
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
	for {
		findings, err := lint(cur)
		if err != nil {
			return nil, err
		}
		var picked []*linters.Fix
		var pickedFindings []linters.Finding
		for _, f := range findings {
			if f.Fix == nil || len(f.Fix.Edits) == 0 || !allow(f.Fix) || insertClash(picked, f.Fix) {
				continue
			}
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
		for _, a := range applied {
			for i, p := range picked {
				if p == a {
					out.Fixed = append(out.Fixed, pickedFindings[i])
				}
			}
		}
		out.Rounds++
		cur = next
	}
}

// insertClash reports whether fix inserts at a place where an already picked
// fix inserts different text.
func insertClash(picked []*linters.Fix, fix *linters.Fix) bool {
	for _, e := range fix.Edits {
		for _, p := range picked {
			for _, q := range p.Edits {
				if q.Path != e.Path || q == e {
					continue
				}
				if (e.Start == e.End && (e.Start == q.Start || e.Start == q.End)) ||
					(q.Start == q.End && (q.Start == e.Start || q.Start == e.End)) {
					return true
				}
			}
		}
	}
	return false
}

func same(a, b map[string][]byte) bool {
	for k, v := range a {
		if !bytes.Equal(v, b[k]) {
			return false
		}
	}
	return len(a) == len(b)
}
