package linters

import (
	"errors"
	"strings"
)

// ErrBinary is returned by adapters for input that is not a text file.
var ErrBinary = errors.New("not a text file (it contains NUL bytes)")

// EditDistance is the optimal-string-alignment distance of a and b (an
// insertion, deletion, substitution or swap of two neighbours costs 1), or
// limit+1 when it is larger than limit. Adapters use it to suggest the
// known name closest to a misspelled one.
func EditDistance(a, b string, limit int) int {
	if d := len(a) - len(b); d > limit || -d > limit {
		return limit + 1
	}
	prev2 := make([]int, len(b)+1)
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		rowMin := cur[0]
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
			rowMin = min(rowMin, cur[j])
		}
		if rowMin > limit {
			return limit + 1
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(b)]
}

// NextLine splits the line that starts at byte off of all: its text
// without the terminator, the terminator ("\n", "\r\n", or "" for a last
// line without one), and the offset of the next line. Adapters build their
// lossless line lists with it.
func NextLine(all string, off int) (text, eol string, next int) {
	end := strings.IndexByte(all[off:], '\n')
	if end < 0 {
		return all[off:], "", len(all)
	}
	text, eol = all[off:off+end], "\n"
	if len(text) > 0 && text[len(text)-1] == '\r' {
		text, eol = text[:len(text)-1], "\r\n"
	}
	return text, eol, off + end + 1
}

// SecretLike reports whether a key the client does not know looks like a
// misspelled password key: it contains "pas", "pw", "secret" or "token"
// in any case, or is at most two edits from one of keys (given in lower
// case). Adapters mask the values of such keys: a password written under
// a typo is still a password, and must not be shown.
func SecretLike(name string, keys ...string) bool {
	n := strings.ToLower(name)
	for _, w := range []string{"pas", "pw", "secret", "token"} {
		if strings.Contains(n, w) {
			return true
		}
	}
	for _, k := range keys {
		if EditDistance(n, k, 2) <= 2 {
			return true
		}
	}
	return false
}

// URLPassword returns the byte range [start, end) of the password in the
// first URL of s that carries one (scheme://user:password@host), or -1, -1.
// Adapters mask it where a client setting holds a URL the model does not
// read as one (a git smtpServer written as smtp://user:pass@host).
func URLPassword(s string) (start, end int) {
	for off := 0; ; {
		i := strings.Index(s[off:], "://")
		if i < 0 {
			return -1, -1
		}
		auth := off + i + 3
		rest := s[auth:]
		// The authority ends at the first '/', '?', '#' or blank; its
		// user information at the last '@' in it.
		stop := strings.IndexAny(rest, "/?# \t\r\n\"'")
		if stop < 0 {
			stop = len(rest)
		}
		at := strings.LastIndexByte(rest[:stop], '@')
		if c := strings.IndexByte(rest[:max(at, 0)], ':'); at > 0 && c >= 0 && c+1 < at {
			return auth + c + 1, auth + at
		}
		off = auth
	}
}
