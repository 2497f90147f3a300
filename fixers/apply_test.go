package fixers

import (
	"bytes"
	"reflect"
	"strings"
	"testing"

	"github.com/maillint/maillint/linters"
)

// ed is a short constructor for an edit of file "f".
func ed(start, end int, s string) linters.TextEdit {
	return linters.TextEdit{Path: "f", Start: start, End: end, New: s}
}

func TestApplyEdits(t *testing.T) {
	tests := []struct {
		name    string
		src     string
		edits   []linters.TextEdit
		want    string
		wantErr string // substring; "" means success
	}{
		{name: "no edits", src: "abc", want: "abc"},
		{name: "replace", src: "port 25\n", edits: []linters.TextEdit{ed(5, 7, "587")}, want: "port 587\n"},
		{name: "delete", src: "abcdef", edits: []linters.TextEdit{ed(1, 3, "")}, want: "adef"},
		{name: "insert at start and end", src: "mid", edits: []linters.TextEdit{ed(3, 3, ">"), ed(0, 0, "<")}, want: "<mid>"},
		{name: "unsorted input is sorted", src: "0123456789", edits: []linters.TextEdit{ed(8, 9, "H"), ed(1, 2, "B"), ed(4, 6, "")}, want: "0B2367H9"},
		{name: "identical replacements coalesce", src: "abc", edits: []linters.TextEdit{ed(1, 2, "X"), ed(1, 2, "X")}, want: "aXc"},
		{name: "identical insertions coalesce", src: "ab", edits: []linters.TextEdit{ed(1, 1, "-"), ed(1, 1, "-")}, want: "a-b"},
		{name: "insertions keep given order", src: "ab", edits: []linters.TextEdit{ed(1, 1, "1"), ed(1, 1, "2"), ed(1, 1, "3")}, want: "a123b"},
		{name: "insertions keep order, duplicate dropped", src: "ab", edits: []linters.TextEdit{ed(1, 1, "x"), ed(1, 1, "y"), ed(1, 1, "x")}, want: "axyb"},
		{name: "insertion before replacement at same start", src: "abc", edits: []linters.TextEdit{ed(1, 2, "B"), ed(1, 1, "+")}, want: "a+Bc"},
		{name: "insertion at end of replaced range", src: "abc", edits: []linters.TextEdit{ed(2, 2, "+"), ed(1, 2, "B")}, want: "aB+c"},
		{name: "adjacent replacements", src: "abcd", edits: []linters.TextEdit{ed(2, 3, "C"), ed(1, 2, "B")}, want: "aBCd"},
		{name: "whole file", src: "old", edits: []linters.TextEdit{ed(0, 3, "new")}, want: "new"},
		{name: "empty file insertion", src: "", edits: []linters.TextEdit{ed(0, 0, "x\n")}, want: "x\n"},
		{name: "crlf bom no final newline kept", src: "\ufeffa = 1\r\nport 25\r\nb = 2", edits: []linters.TextEdit{ed(15, 17, "587")}, want: "\ufeffa = 1\r\nport 587\r\nb = 2"},
		{name: "empty path is one file", src: "ab", edits: []linters.TextEdit{{Start: 0, End: 1, New: "A"}}, want: "Ab"},

		{name: "overlapping ranges", src: "abcdef", edits: []linters.TextEdit{ed(1, 3, "X"), ed(2, 4, "Y")}, wantErr: "overlap"},
		{name: "same range different text", src: "abc", edits: []linters.TextEdit{ed(1, 2, "X"), ed(1, 2, "Y")}, wantErr: "overlap"},
		{name: "nested range", src: "abcdef", edits: []linters.TextEdit{ed(0, 6, "X"), ed(2, 3, "Y")}, wantErr: "overlap"},
		{name: "insertion inside range", src: "abcdef", edits: []linters.TextEdit{ed(1, 4, "X"), ed(2, 2, "Y")}, wantErr: "overlap"},
		{name: "negative start", src: "abc", edits: []linters.TextEdit{ed(-1, 1, "")}, wantErr: "out of bounds"},
		{name: "end past eof", src: "abc", edits: []linters.TextEdit{ed(2, 4, "")}, wantErr: "out of bounds"},
		{name: "start past eof", src: "abc", edits: []linters.TextEdit{ed(4, 4, "x")}, wantErr: "out of bounds"},
		{name: "end before start", src: "abc", edits: []linters.TextEdit{ed(2, 1, "")}, wantErr: "out of bounds"},
		{name: "two files", src: "abc", edits: []linters.TextEdit{ed(0, 1, "A"), {Path: "g", Start: 1, End: 2, New: "B"}}, wantErr: "one file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := []byte(tt.src)
			before := append([]byte(nil), src...)
			editsBefore := append([]linters.TextEdit(nil), tt.edits...)
			got, err := ApplyEdits(src, tt.edits)
			if !bytes.Equal(src, before) {
				t.Errorf("src modified: %q", src)
			}
			if !reflect.DeepEqual(tt.edits, editsBefore) {
				t.Errorf("edits slice modified: %v", tt.edits)
			}
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want one containing %q", err, tt.wantErr)
				}
				if got != nil {
					t.Errorf("got %q with an error, want nil", got)
				}
				return
			}
			if err != nil {
				t.Fatalf("unexpected error: %v", err)
			}
			if string(got) != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestApplyEditsManyInsertionsKeepOrder(t *testing.T) {
	// Enough edits that an unstable sort would reorder equal keys.
	var edits []linters.TextEdit
	var want [3]string
	for i := 0; i < 60; i++ {
		text := string(rune('A' + i%26))
		edits = append(edits, ed(2-i%3, 2-i%3, text))
		want[2-i%3] += text
	}
	got, err := ApplyEdits([]byte("xy"), edits)
	if err != nil {
		t.Fatal(err)
	}
	if w := want[0] + "x" + want[1] + "y" + want[2]; string(got) != w {
		t.Errorf("got %q, want %q", got, w)
	}
}

func TestApplyEditsReturnsCopy(t *testing.T) {
	src := []byte("abc")
	got, err := ApplyEdits(src, nil)
	if err != nil {
		t.Fatal(err)
	}
	got[0] = 'X'
	if string(src) != "abc" {
		t.Fatalf("result aliases src: src = %q", src)
	}
}

func TestApplyFixes(t *testing.T) {
	te := func(path string, start, end int, s string) linters.TextEdit {
		return linters.TextEdit{Path: path, Start: start, End: end, New: s}
	}
	fix := func(msg string, edits ...linters.TextEdit) *linters.Fix {
		return &linters.Fix{Message: msg, Edits: edits}
	}
	// msmtprc: "port 25\ntls off\n"; "25" is [5,7), "off" is [12,15).
	const rc = "port 25\ntls off\n"
	tests := []struct {
		name        string
		srcs        map[string]string
		fixes       []*linters.Fix
		want        map[string]string
		wantApplied []string
		wantDropped []string
	}{
		{
			name:        "independent fixes",
			srcs:        map[string]string{"rc": rc},
			fixes:       []*linters.Fix{fix("port", te("rc", 5, 7, "587")), fix("tls", te("rc", 12, 15, "on"))},
			want:        map[string]string{"rc": "port 587\ntls on\n"},
			wantApplied: []string{"port", "tls"},
		},
		{
			name: "conflicting fix dropped whole",
			srcs: map[string]string{"rc": rc, "other": "x\n"},
			fixes: []*linters.Fix{
				fix("port 587", te("rc", 5, 7, "587")),
				// Its "other" edit is fine, but its "rc" edit overlaps.
				fix("port 465", te("other", 0, 1, "y"), te("rc", 6, 7, "65")),
				fix("tls", te("rc", 12, 15, "on")),
			},
			want:        map[string]string{"rc": "port 587\ntls on\n", "other": "x\n"},
			wantApplied: []string{"port 587", "tls"},
			wantDropped: []string{"port 465"},
		},
		{
			name: "identical edit from two fixes applied once",
			srcs: map[string]string{"rc": rc},
			fixes: []*linters.Fix{
				fix("a", te("rc", 5, 7, "587")),
				fix("b", te("rc", 5, 7, "587"), te("rc", 12, 15, "on")),
			},
			want:        map[string]string{"rc": "port 587\ntls on\n"},
			wantApplied: []string{"a", "b"},
		},
		{
			name: "identical edit twice in one fix applied once",
			srcs: map[string]string{"rc": rc},
			fixes: []*linters.Fix{
				fix("a", te("rc", 0, 0, "# x\n"), te("rc", 0, 0, "# x\n")),
			},
			want:        map[string]string{"rc": "# x\nport 25\ntls off\n"},
			wantApplied: []string{"a"},
		},
		{
			name: "insertions at one point kept in order",
			srcs: map[string]string{"rc": rc},
			fixes: []*linters.Fix{
				fix("first", te("rc", 8, 8, "auth on\n")),
				fix("second", te("rc", 8, 8, "user me\n")),
				fix("first again", te("rc", 8, 8, "auth on\n")),
			},
			want:        map[string]string{"rc": "port 25\nauth on\nuser me\ntls off\n"},
			wantApplied: []string{"first", "second", "first again"},
		},
		{
			name: "insertion at start of accepted range kept, inside dropped",
			srcs: map[string]string{"rc": rc},
			fixes: []*linters.Fix{
				fix("replace", te("rc", 5, 7, "587")),
				fix("inside", te("rc", 6, 6, "!")),
				fix("at start", te("rc", 5, 5, "<")),
				fix("at end", te("rc", 7, 7, ">")),
			},
			want:        map[string]string{"rc": "port <587>\ntls off\n"},
			wantApplied: []string{"replace", "at start", "at end"},
			wantDropped: []string{"inside"},
		},
		{
			name: "replacement starting or ending at accepted insertion kept",
			srcs: map[string]string{"rc": rc},
			fixes: []*linters.Fix{
				fix("insert before", te("rc", 5, 5, "<")),
				fix("insert after", te("rc", 7, 7, ">")),
				fix("replace", te("rc", 5, 7, "587")),
			},
			want:        map[string]string{"rc": "port <587>\ntls off\n"},
			wantApplied: []string{"insert before", "insert after", "replace"},
		},
		{
			name: "replacement around accepted insertion dropped",
			srcs: map[string]string{"rc": rc},
			fixes: []*linters.Fix{
				fix("insert", te("rc", 6, 6, "!")),
				fix("replace", te("rc", 5, 7, "587")),
			},
			want:        map[string]string{"rc": "port 2!5\ntls off\n"},
			wantApplied: []string{"insert"},
			wantDropped: []string{"replace"},
		},
		{
			name: "out of bounds and unknown path dropped",
			srcs: map[string]string{"rc": rc},
			fixes: []*linters.Fix{
				fix("past eof", te("rc", 5, 7, "587"), te("rc", 16, 17, "")),
				fix("negative", te("rc", -1, 0, "x")),
				fix("reversed", te("rc", 7, 5, "x")),
				fix("unknown file", te("nope", 0, 0, "x")),
				fix("good", te("rc", 12, 15, "on")),
			},
			want:        map[string]string{"rc": "port 25\ntls on\n"},
			wantApplied: []string{"good"},
			wantDropped: []string{"past eof", "negative", "reversed", "unknown file"},
		},
		{
			name: "self-overlapping fix dropped",
			srcs: map[string]string{"rc": rc},
			fixes: []*linters.Fix{
				fix("bad", te("rc", 0, 4, "PORT"), te("rc", 2, 6, "x")),
				fix("good", te("rc", 0, 4, "PORT")),
			},
			want:        map[string]string{"rc": "PORT 25\ntls off\n"},
			wantApplied: []string{"good"},
			wantDropped: []string{"bad"},
		},
		{
			name: "multi-file fix",
			srcs: map[string]string{"a": "x = 1\n", "b": "y = 2\n", "c": "untouched\r\n"},
			fixes: []*linters.Fix{
				fix("both", te("a", 4, 5, "10"), te("b", 4, 5, "20")),
				fix("conflicts in b only", te("a", 0, 0, "# a\n"), te("b", 4, 5, "30")),
			},
			want:        map[string]string{"a": "x = 10\n", "b": "y = 20\n", "c": "untouched\r\n"},
			wantApplied: []string{"both"},
			wantDropped: []string{"conflicts in b only"},
		},
		{
			name: "bytes outside edits kept (CRLF, BOM, no final newline)",
			srcs: map[string]string{"rc": "\ufeffport 25\r\ntls off\r\n\r\nauth on", "empty": ""},
			fixes: []*linters.Fix{
				fix("port", te("rc", 8, 10, "587")),
				fix("append", te("rc", 30, 30, "\r\nuser me")),
			},
			want:        map[string]string{"rc": "\ufeffport 587\r\ntls off\r\n\r\nauth on\r\nuser me", "empty": ""},
			wantApplied: []string{"port", "append"},
		},
		{
			name:        "nil fix ignored, empty fix applied",
			srcs:        map[string]string{"rc": rc},
			fixes:       []*linters.Fix{nil, fix("nothing")},
			want:        map[string]string{"rc": rc},
			wantApplied: []string{"nothing"},
		},
		{
			name:  "no fixes",
			srcs:  map[string]string{"rc": rc, "x": "y"},
			want:  map[string]string{"rc": rc, "x": "y"},
			fixes: nil,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srcs := make(map[string][]byte)
			for p, s := range tt.srcs {
				srcs[p] = []byte(s)
			}
			out, applied, dropped, err := ApplyFixes(srcs, tt.fixes)
			if err != nil {
				t.Fatalf("err = %v", err)
			}
			for p, s := range tt.srcs {
				if string(srcs[p]) != s {
					t.Errorf("input %s modified: %q", p, srcs[p])
				}
			}
			got := make(map[string]string)
			for p, b := range out {
				got[p] = string(b)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("out = %q\nwant  %q", got, tt.want)
			}
			if msgs := messages(applied); !reflect.DeepEqual(msgs, tt.wantApplied) {
				t.Errorf("applied = %q, want %q", msgs, tt.wantApplied)
			}
			if msgs := messages(dropped); !reflect.DeepEqual(msgs, tt.wantDropped) {
				t.Errorf("dropped = %q, want %q", msgs, tt.wantDropped)
			}
		})
	}
}

func TestApplyFixesOutIsCopy(t *testing.T) {
	srcs := map[string][]byte{"f": []byte("abc")}
	out, _, _, err := ApplyFixes(srcs, nil)
	if err != nil {
		t.Fatal(err)
	}
	out["f"][0] = 'X'
	if string(srcs["f"]) != "abc" {
		t.Fatalf("out aliases srcs: %q", srcs["f"])
	}
}

// messages returns the Message of every fix, nil for none.
func messages(fixes []*linters.Fix) []string {
	var m []string
	for _, f := range fixes {
		m = append(m, f.Message)
	}
	return m
}
