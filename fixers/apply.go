package fixers

import (
	"errors"
	"fmt"
	"sort"

	"github.com/maillint/maillint/linters"
)

// ApplyEdits returns a copy of src with edits applied. All edits must belong
// to the same file: their Path fields must be equal (any value, including "").
//
// Every edit must satisfy 0 <= Start <= End <= len(src). Edits are stably
// sorted by (Start, End), so an insertion at an offset comes before a
// replacement starting there, and several insertions at the same offset keep
// the order in which they were given. Identical edits (same Start, End and
// New) are applied once. Two edits overlap, which is an error, when their
// replaced ranges intersect or when an insertion lies strictly inside another
// edit's replaced range. On error src is not modified and nil is returned.
func ApplyEdits(src []byte, edits []linters.TextEdit) ([]byte, error) {
	for i, e := range edits {
		if e.Path != edits[0].Path {
			return nil, fmt.Errorf("edit %d is for %q, edit 0 for %q: edits of one file expected", i, e.Path, edits[0].Path)
		}
		if err := checkBounds(e, len(src)); err != nil {
			return nil, fmt.Errorf("edit %d: %w", i, err)
		}
	}
	sorted := sortEdits(edits)
	sorted = coalesce(sorted)
	for i := 1; i < len(sorted); i++ {
		if prev, cur := sorted[i-1], sorted[i]; prev.End > cur.Start {
			return nil, fmt.Errorf("edits [%d,%d) and [%d,%d) overlap", prev.Start, prev.End, cur.Start, cur.End)
		}
	}
	size := len(src)
	for _, e := range sorted {
		size += len(e.New) - (e.End - e.Start)
	}
	out := make([]byte, 0, size)
	last := 0
	for _, e := range sorted {
		out = append(out, src[last:e.Start]...)
		out = append(out, e.New...)
		last = e.End
	}
	return append(out, src[last:]...), nil
}

// ApplyFixes applies fixes to the file contents srcs (keyed by path) and
// returns the new contents of every file of srcs, changed or not.
//
// Fixes are taken in the given order and each is accepted whole or dropped
// whole. A fix is dropped when one of its edits names a path that is not in
// srcs, is out of bounds (see ApplyEdits), overlaps another edit of the same
// fix, or overlaps an edit of a fix already accepted. Overlap means the
// replaced ranges intersect or an insertion point lies strictly inside
// another edit's replaced range; an edit identical (same path, range and new
// text) to one already accepted is not a conflict and is applied once.
// Different insertions at the same offset are all kept, in acceptance order.
// Nil fixes are ignored; a fix without edits is accepted.
//
// applied and dropped partition the non-nil fixes, in their given order.
// The srcs slices are never modified and out holds fresh copies. err is
// non-nil only when accepted edits fail to apply, which would be a bug in
// this package; callers may treat it as fatal.
func ApplyFixes(srcs map[string][]byte, fixes []*linters.Fix) (out map[string][]byte, applied, dropped []*linters.Fix, err error) {
	accepted := make(map[string][]linters.TextEdit)
	for _, fix := range fixes {
		if fix == nil {
			continue
		}
		if ok := acceptFix(srcs, accepted, fix); ok {
			applied = append(applied, fix)
		} else {
			dropped = append(dropped, fix)
		}
	}
	out = make(map[string][]byte, len(srcs))
	var errs []error
	for path, src := range srcs {
		edits := accepted[path]
		if len(edits) == 0 {
			out[path] = append([]byte(nil), src...)
			continue
		}
		b, aerr := ApplyEdits(src, edits)
		if aerr != nil {
			errs = append(errs, fmt.Errorf("fixers: internal error applying fixes to %s: %w", path, aerr))
			b = append([]byte(nil), src...)
		}
		out[path] = b
	}
	return out, applied, dropped, errors.Join(errs...)
}

// acceptFix adds the edits of fix to accepted and reports true when the fix
// is valid and conflicts with nothing accepted so far; otherwise accepted is
// left unchanged and it reports false. accepted[path] stays sorted by
// (Start, End); since accepted edits never overlap, their ends are sorted
// too, so only the few edits just before a new one need checking.
func acceptFix(srcs map[string][]byte, accepted map[string][]linters.TextEdit, fix *linters.Fix) bool {
	var fresh []linters.TextEdit
	for _, e := range fix.Edits {
		src, ok := srcs[e.Path]
		if !ok || checkBounds(e, len(src)) != nil {
			return false
		}
		list := accepted[e.Path]
		dup := false
		// Equal edits share Start: find them by binary search.
		for i := sort.Search(len(list), func(i int) bool { return list[i].Start >= e.Start }); i < len(list) && list[i].Start == e.Start; i++ {
			if list[i] == e {
				dup = true
				break
			}
		}
		if !dup {
			// Candidates start before e ends (or at e's point for an insertion).
			hi := sort.Search(len(list), func(i int) bool { return list[i].Start > e.End })
			for j := hi - 1; j >= 0; j-- {
				a := list[j]
				if conflict(a, e) {
					return false
				}
				if a.End < e.Start {
					break
				}
			}
		}
		for _, f := range fresh {
			if f == e {
				dup = true
				break
			}
			if f.Path == e.Path && conflict(f, e) {
				return false
			}
		}
		if !dup {
			fresh = append(fresh, e)
		}
	}
	for _, e := range fresh {
		list := accepted[e.Path]
		if n := len(list); n == 0 || !lessEdit(e, list[n-1]) {
			accepted[e.Path] = append(list, e)
			continue
		}
		i := sort.Search(len(list), func(i int) bool { return lessEdit(e, list[i]) })
		list = append(list, linters.TextEdit{})
		copy(list[i+1:], list[i:])
		list[i] = e
		accepted[e.Path] = list
	}
	return true
}

// lessEdit orders edits by (Start, End).
func lessEdit(a, b linters.TextEdit) bool {
	if a.Start != b.Start {
		return a.Start < b.Start
	}
	return a.End < b.End
}

// conflict reports whether two different edits of the same file overlap:
// their replaced ranges intersect, or an insertion point lies strictly
// inside the other edit's replaced range. Insertions at the same point, and
// an insertion at either end of a replaced range, do not conflict.
func conflict(a, b linters.TextEdit) bool {
	switch {
	case a.Start == a.End && b.Start == b.End:
		return false
	case a.Start == a.End:
		return b.Start < a.Start && a.Start < b.End
	case b.Start == b.End:
		return a.Start < b.Start && b.Start < a.End
	}
	return a.Start < b.End && b.Start < a.End
}

// checkBounds reports an error unless 0 <= Start <= End <= size.
func checkBounds(e linters.TextEdit, size int) error {
	if e.Start < 0 || e.Start > e.End || e.End > size {
		return fmt.Errorf("edit [%d,%d) out of bounds for %d bytes", e.Start, e.End, size)
	}
	return nil
}

// sortEdits returns a copy of edits stably sorted by (Start, End).
func sortEdits(edits []linters.TextEdit) []linters.TextEdit {
	s := append([]linters.TextEdit(nil), edits...)
	sort.SliceStable(s, func(i, j int) bool {
		if s[i].Start != s[j].Start {
			return s[i].Start < s[j].Start
		}
		return s[i].End < s[j].End
	})
	return s
}

// coalesce removes from sorted edits every edit identical to an earlier one.
// Identical edits share (Start, End), so they lie in the same run of the
// sorted slice.
func coalesce(sorted []linters.TextEdit) []linters.TextEdit {
	out := sorted[:0]
	run := 0 // index in out where the current (Start, End) run begins
	for _, e := range sorted {
		if len(out) > 0 && (out[run].Start != e.Start || out[run].End != e.End) {
			run = len(out)
		}
		dup := false
		for _, o := range out[run:] {
			if o == e {
				dup = true
				break
			}
		}
		if !dup {
			out = append(out, e)
		}
	}
	return out
}
