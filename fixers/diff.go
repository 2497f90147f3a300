package fixers

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/sergi/go-diff/diffmatchpatch"
)

// diffContext is the number of unchanged lines shown around a change.
const diffContext = 3

// maxDiffLines bounds the number of lines handed to diffmatchpatch, which
// encodes every distinct line as one rune and panics past about 2^21 of
// them. Larger inputs get a coarser (still correct) diff.
const maxDiffLines = 1 << 20

// lineOp is one line of a line diff: Kind is ' ' (kept), '-' (deleted) or
// '+' (inserted); Text is the line with its terminator, if any.
type lineOp struct {
	Kind byte
	Text string
}

// Unified returns a unified diff turning old into new, with the file header
// lines "--- oldLabel" and "+++ newLabel", three lines of context and hunks
// whose changes are at most six unchanged lines apart merged into one. It
// returns "" when old and new are equal.
//
// Lines are split after "\n" and keep their terminator bytes, so a CR before
// the LF is line content and CRLF files round-trip. A last line without a
// newline is followed by "\ No newline at end of file". With labels a/PATH
// and b/PATH the result applies with git apply and patch -p1. Labels are
// written as given; they must not contain newlines.
func Unified(oldLabel, newLabel string, old, new []byte) string {
	if string(old) == string(new) {
		return ""
	}
	ops := diffLines(string(old), string(new))
	var b strings.Builder
	b.WriteString("--- " + oldLabel + "\n")
	b.WriteString("+++ " + newLabel + "\n")
	writeHunks(&b, ops)
	return b.String()
}

// anchorMin is the number of lines (of both sides) from which diffLines
// first splits the inputs at lines that occur once in each (the patience
// diff's anchors) and diffs only the parts between them: Myers' algorithm
// takes time lines × changes, so a file of thousands of accounts with a
// fix in each would take minutes. A variable for tests.
var anchorMin = 5000

// diffBudget bounds the time diffmatchpatch may take on the parts of a
// large diff; past it the remaining parts get a coarser (still correct)
// diff. Small inputs have no limit, so their diff never depends on the
// machine's speed.
const diffBudget = 3 * time.Second

// diffLines computes a line diff of a and b with diffmatchpatch in line
// mode (no semantic cleanup), between the anchors of large inputs.
func diffLines(a, b string) []lineOp {
	if strings.Count(a, "\n")+strings.Count(b, "\n")+2 > maxDiffLines {
		return coarseDiff(splitLines(a), splitLines(b))
	}
	la, lb := splitLines(a), splitLines(b)
	if len(la)+len(lb) < anchorMin {
		return myers(a, b, time.Time{})
	}
	deadline := time.Now().Add(diffBudget)
	var ops []lineOp
	ai, bi := 0, 0
	for _, m := range anchors(la, lb) {
		ops = append(ops, myers(strings.Join(la[ai:m[0]], ""), strings.Join(lb[bi:m[1]], ""), deadline)...)
		ops = append(ops, lineOp{' ', la[m[0]]})
		ai, bi = m[0]+1, m[1]+1
	}
	return append(ops, myers(strings.Join(la[ai:], ""), strings.Join(lb[bi:], ""), deadline)...)
}

// anchors returns the pairs (index in a, index in b) of lines that occur
// exactly once in a and once in b, the longest run of them in the same
// order in both (patience sorting).
func anchors(a, b []string) [][2]int {
	type count struct{ na, nb, ib int }
	seen := make(map[string]*count, len(a))
	for _, l := range a {
		c := seen[l]
		if c == nil {
			c = &count{}
			seen[l] = c
		}
		c.na++
	}
	for i, l := range b {
		if c := seen[l]; c != nil {
			c.nb++
			c.ib = i
		}
	}
	var pairs [][2]int
	for i, l := range a {
		if c := seen[l]; c.na == 1 && c.nb == 1 {
			pairs = append(pairs, [2]int{i, c.ib})
		}
	}
	// The longest subsequence of pairs increasing in b: tails[k] is the
	// pair ending the best run of length k+1 found so far.
	var tails []int
	prev := make([]int, len(pairs))
	for i, p := range pairs {
		k := sort.Search(len(tails), func(k int) bool { return pairs[tails[k]][1] >= p[1] })
		prev[i] = -1
		if k > 0 {
			prev[i] = tails[k-1]
		}
		if k == len(tails) {
			tails = append(tails, i)
		} else {
			tails[k] = i
		}
	}
	out := make([][2]int, len(tails))
	if len(tails) == 0 {
		return out
	}
	for i, k := len(tails)-1, tails[len(tails)-1]; i >= 0; i, k = i-1, prev[k] {
		out[i] = pairs[k]
	}
	return out
}

// myers diffs a and b with diffmatchpatch; with a deadline, parts not done
// by then get a coarser diff.
func myers(a, b string, deadline time.Time) []lineOp {
	if a == b {
		return sameLines(a)
	}
	dmp := diffmatchpatch.New()
	dmp.DiffTimeout = 0
	if !deadline.IsZero() {
		left := time.Until(deadline)
		if left <= 0 {
			return coarseDiff(splitLines(a), splitLines(b))
		}
		dmp.DiffTimeout = left
	}
	ra, rb, lines := dmp.DiffLinesToRunes(a, b)
	diffs := dmp.DiffCharsToLines(dmp.DiffMainRunes(ra, rb, false), lines)
	var ops []lineOp
	for _, d := range diffs {
		kind := byte(' ')
		switch d.Type {
		case diffmatchpatch.DiffDelete:
			kind = '-'
		case diffmatchpatch.DiffInsert:
			kind = '+'
		}
		for _, l := range splitLines(d.Text) {
			ops = append(ops, lineOp{kind, l})
		}
	}
	return ops
}

// sameLines returns the lines of s as kept.
func sameLines(s string) []lineOp {
	var ops []lineOp
	for _, l := range splitLines(s) {
		ops = append(ops, lineOp{' ', l})
	}
	return ops
}

// coarseDiff keeps the common leading and trailing lines of a and b and
// replaces everything between them.
func coarseDiff(a, b []string) []lineOp {
	pre := 0
	for pre < len(a) && pre < len(b) && a[pre] == b[pre] {
		pre++
	}
	suf := 0
	for suf < len(a)-pre && suf < len(b)-pre && a[len(a)-1-suf] == b[len(b)-1-suf] {
		suf++
	}
	ops := make([]lineOp, 0, len(a)+len(b)-pre-suf)
	for _, l := range a[:pre] {
		ops = append(ops, lineOp{' ', l})
	}
	for _, l := range a[pre : len(a)-suf] {
		ops = append(ops, lineOp{'-', l})
	}
	for _, l := range b[pre : len(b)-suf] {
		ops = append(ops, lineOp{'+', l})
	}
	for _, l := range a[len(a)-suf:] {
		ops = append(ops, lineOp{' ', l})
	}
	return ops
}

// splitLines splits s after every "\n"; the last line may lack one.
func splitLines(s string) []string {
	var lines []string
	for s != "" {
		i := strings.IndexByte(s, '\n') + 1
		if i == 0 {
			i = len(s)
		}
		lines = append(lines, s[:i])
		s = s[i:]
	}
	return lines
}

// writeHunks writes the hunks of ops to b.
func writeHunks(b *strings.Builder, ops []lineOp) {
	// oldAt[i] and newAt[i] count the old and new lines before ops[i].
	oldAt := make([]int, len(ops)+1)
	newAt := make([]int, len(ops)+1)
	for i, op := range ops {
		oldAt[i+1], newAt[i+1] = oldAt[i], newAt[i]
		if op.Kind != '+' {
			oldAt[i+1]++
		}
		if op.Kind != '-' {
			newAt[i+1]++
		}
	}
	i := 0
	for {
		for i < len(ops) && ops[i].Kind == ' ' {
			i++
		}
		if i == len(ops) {
			return
		}
		start := max(0, i-diffContext) // ops before i are unchanged
		last := i                      // last change in the hunk
		for j := i + 1; j < len(ops) && j-last-1 <= 2*diffContext; j++ {
			if ops[j].Kind != ' ' {
				last = j
			}
		}
		end := min(len(ops), last+1+diffContext)
		writeHunk(b, ops[start:end], oldAt[start], newAt[start], oldAt[end]-oldAt[start], newAt[end]-newAt[start])
		i = end
	}
}

// writeHunk writes one hunk: its header and ops. oldBefore and newBefore
// count the lines before the hunk; an empty side names the line before it,
// as diff does.
func writeHunk(b *strings.Builder, ops []lineOp, oldBefore, newBefore, oldCount, newCount int) {
	oldStart, newStart := oldBefore, newBefore
	if oldCount > 0 {
		oldStart++
	}
	if newCount > 0 {
		newStart++
	}
	fmt.Fprintf(b, "@@ -%d,%d +%d,%d @@\n", oldStart, oldCount, newStart, newCount)
	for _, op := range ops {
		b.WriteByte(op.Kind)
		b.WriteString(op.Text)
		if !strings.HasSuffix(op.Text, "\n") {
			b.WriteString("\n\\ No newline at end of file\n")
		}
	}
}
