package fixers

import (
	"bytes"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/maillint/maillint/linters"
)

// fuzzEdits decodes spec into edits of a file of size n: every 4 bytes give
// a start and an end (a few bytes past either end of the file, so some are
// out of bounds) and the length and first byte of the new text.
func fuzzEdits(spec []byte, n int) []linters.TextEdit {
	var edits []linters.TextEdit
	for len(spec) >= 4 && len(edits) < 16 {
		start := int(spec[0])%(n+3) - 1
		end := start + int(spec[1])%8 - 1
		if spec[1]&0x80 != 0 {
			end = start // insertions are common
		}
		text := strings.Repeat(string(rune('a'+spec[3]%26)), int(spec[2])%4)
		edits = append(edits, linters.TextEdit{Path: "f", Start: start, End: end, New: text})
		spec = spec[4:]
	}
	return edits
}

func FuzzApplyEdits(f *testing.F) {
	f.Add([]byte("port 25\r\ntls off\r\n"), []byte{6, 2, 3, 5, 6, 0x82, 3, 5})
	f.Add([]byte(""), []byte{1, 0x80, 1, 0})
	f.Add([]byte("abcdef"), []byte{2, 3, 1, 1, 3, 3, 1, 2, 3, 0x80, 2, 2, 3, 0x80, 2, 2})
	f.Fuzz(func(t *testing.T, src, spec []byte) {
		edits := fuzzEdits(spec, len(src))
		got, err := ApplyEdits(src, edits)

		// Reference: bounds, then dedupe and check overlaps pairwise.
		valid := true
		for _, e := range edits {
			if e.Start < 0 || e.Start > e.End || e.End > len(src) {
				valid = false
			}
		}
		var uniq []linters.TextEdit
		for _, e := range edits {
			dup := false
			for _, u := range uniq {
				dup = dup || u == e
			}
			if !dup {
				uniq = append(uniq, e)
			}
		}
		if valid {
			for i := range uniq {
				for j := i + 1; j < len(uniq); j++ {
					if conflictRef(uniq[i], uniq[j]) {
						valid = false
					}
				}
			}
		}
		if !valid {
			if err == nil {
				t.Fatalf("edits %v on %d bytes accepted, want an error", edits, len(src))
			}
			return
		}
		if err != nil {
			t.Fatalf("valid edits %v on %d bytes: %v", edits, len(src), err)
		}
		// Bytes outside the edits are preserved, in order, and every edit's
		// text appears between them.
		idx := make([]int, len(uniq))
		for i := range idx {
			idx[i] = i
		}
		sort.Slice(idx, func(a, b int) bool {
			ea, eb := uniq[idx[a]], uniq[idx[b]]
			if ea.Start != eb.Start {
				return ea.Start < eb.Start
			}
			if ea.End != eb.End {
				return ea.End < eb.End
			}
			return idx[a] < idx[b]
		})
		rest, last := got, 0
		for _, i := range idx {
			e := uniq[i]
			keep := src[last:e.Start]
			if !bytes.HasPrefix(rest, keep) {
				t.Fatalf("bytes %d..%d of src not preserved: got %q from %q with %v", last, e.Start, got, src, edits)
			}
			rest = rest[len(keep):]
			if !bytes.HasPrefix(rest, []byte(e.New)) {
				t.Fatalf("text of %v missing: got %q from %q", e, got, src)
			}
			rest = rest[len(e.New):]
			last = e.End
		}
		if !bytes.Equal(rest, src[last:]) {
			t.Fatalf("tail of src not preserved: got %q from %q with %v", got, src, edits)
		}

		// ApplyFixes with one fix per edit must agree with ApplyEdits of the
		// edits it accepted.
		var fixes []*linters.Fix
		for i, e := range edits {
			fixes = append(fixes, &linters.Fix{Message: strconv.Itoa(i), Edits: []linters.TextEdit{e}})
		}
		out, applied, dropped, err := ApplyFixes(map[string][]byte{"f": src}, fixes)
		if err != nil {
			t.Fatalf("ApplyFixes: %v", err)
		}
		if len(applied)+len(dropped) != len(fixes) || len(dropped) != 0 {
			t.Fatalf("valid edits: applied %d, dropped %d of %d", len(applied), len(dropped), len(fixes))
		}
		if !bytes.Equal(out["f"], got) {
			t.Fatalf("ApplyFixes gives %q, ApplyEdits %q", out["f"], got)
		}
	})
}

// conflictRef is an independent statement of the overlap rule: two
// different edits conflict when some byte lies in both replaced ranges, or
// an insertion point lies strictly inside the other's range.
func conflictRef(a, b linters.TextEdit) bool {
	for i := a.Start; i < a.End; i++ {
		if b.Start <= i && i < b.End {
			return true
		}
	}
	inside := func(p int, e linters.TextEdit) bool { return e.Start < p && p < e.End }
	return (a.Start == a.End && inside(a.Start, b)) || (b.Start == b.End && inside(b.Start, a))
}

func FuzzUnified(f *testing.F) {
	for _, tc := range diffCases {
		f.Add([]byte(tc.old), []byte(tc.new))
	}
	f.Fuzz(func(t *testing.T, old, new []byte) {
		d := Unified("a/f", "b/f", old, new)
		if bytes.Equal(old, new) {
			if d != "" {
				t.Fatalf("equal inputs give a diff:\n%s", d)
			}
			return
		}
		got, err := applyUnified(old, d)
		if err != nil {
			t.Fatalf("%v\nold %q\nnew %q\ndiff:\n%s", err, old, new, d)
		}
		if !bytes.Equal(got, new) {
			t.Fatalf("applying the diff gives %q, want %q\ndiff:\n%s", got, new, d)
		}
	})
}

// applyUnified applies a single-file unified diff to old strictly: file
// header required, hunks in order, context and deleted lines must match
// exactly, hunk headers must match the body line counts and the position
// of the hunk in both files.
func applyUnified(old []byte, d string) ([]byte, error) {
	if d == "" {
		return old, nil
	}
	if !strings.HasSuffix(d, "\n") {
		return nil, fmt.Errorf("diff does not end with a newline")
	}
	lines := strings.Split(strings.TrimSuffix(d, "\n"), "\n")
	if len(lines) < 3 || !strings.HasPrefix(lines[0], "--- ") || !strings.HasPrefix(lines[1], "+++ ") {
		return nil, fmt.Errorf("missing file header")
	}
	src := splitLines(string(old))
	var out []string
	pos := 0 // next line of src to copy
	i := 2
	if i == len(lines) {
		return nil, fmt.Errorf("no hunks")
	}
	for i < len(lines) {
		var ostart, oc, ns, nc int
		if _, err := fmt.Sscanf(lines[i], "@@ -%d,%d +%d,%d @@", &ostart, &oc, &ns, &nc); err != nil {
			return nil, fmt.Errorf("line %d: bad hunk header %q: %v", i+1, lines[i], err)
		}
		if want := fmt.Sprintf("@@ -%d,%d +%d,%d @@", ostart, oc, ns, nc); lines[i] != want {
			return nil, fmt.Errorf("line %d: hunk header %q has trailing text", i+1, lines[i])
		}
		i++
		at := ostart - 1 // index in src of the hunk's first line
		if oc == 0 {
			at = ostart
		}
		if at < pos || at > len(src) {
			return nil, fmt.Errorf("hunk at old line %d out of order or past the end", ostart)
		}
		out = append(out, src[pos:at]...)
		pos = at
		newAt := ns - 1
		if nc == 0 {
			newAt = ns
		}
		if newAt != len(out) {
			return nil, fmt.Errorf("hunk says new line %d, but it starts at new line %d", ns, len(out)+1)
		}
		for seenOld, seenNew := 0, 0; seenOld < oc || seenNew < nc; {
			if i == len(lines) || lines[i] == "" {
				return nil, fmt.Errorf("hunk body ends early (old %d/%d, new %d/%d)", seenOld, oc, seenNew, nc)
			}
			kind, text := lines[i][0], lines[i][1:]+"\n"
			i++
			if i < len(lines) && lines[i] == `\ No newline at end of file` {
				text = strings.TrimSuffix(text, "\n")
				i++
			}
			switch kind {
			case ' ', '-':
				if pos >= len(src) || src[pos] != text {
					return nil, fmt.Errorf("line %d: %q does not match old line %d", i, text, pos+1)
				}
				pos++
				seenOld++
				if kind == ' ' {
					out = append(out, text)
					seenNew++
				}
			case '+':
				out = append(out, text)
				seenNew++
			default:
				return nil, fmt.Errorf("line %d: unexpected %q in hunk body", i, lines[i-1])
			}
			if seenOld > oc || seenNew > nc {
				return nil, fmt.Errorf("hunk body longer than its header says")
			}
		}
	}
	out = append(out, src[pos:]...)
	// A line without newline may only end a file.
	for k, l := range out[:max(0, len(out)-1)] {
		if !strings.HasSuffix(l, "\n") {
			return nil, fmt.Errorf("result line %d lacks a newline but is not last", k+1)
		}
	}
	return []byte(strings.Join(out, "")), nil
}
