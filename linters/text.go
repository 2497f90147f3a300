package linters

import (
	"bytes"
	"errors"
	"sort"
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

// secretWords mark a word that names a secret: a value written after it on
// the same line is masked even where no adapter recognised the setting (a
// password glued to its key, in a comment, on a line the client rejects).
var secretWords = []string{"pass", "pwd", "secret", "token", "bearer", "apikey", "api_key", "credential"}

// notSecretWords contain a secret word but name no secret.
var notSecretWords = []string{"passive", "bypass", "compass", "passthrough", "passthru"}

// secretWordAt reports whether s[i:] starts a secret word (case-insensitive)
// and returns the end of the identifier it is part of. When a secret word
// starts there but the identifier names no secret ("bypass", "passive"),
// ok is false and end is still the identifier's end, so that callers skip
// it whole: looking again at each of its letters would cost the square of
// its length.
func secretWordAt[T ~string | ~[]byte](s T, i int) (end int, ok bool) {
	switch s[i] | 0x20 {
	case 'p', 's', 't', 'b', 'a', 'c':
	default:
		return 0, false
	}
	// "pw" only as a part of its own (my_gmail_pw, mail.server.s1.pw).
	if i+2 <= len(s) && s[i]|0x20 == 'p' && s[i+1]|0x20 == 'w' && (i == 0 || !isLetter(s[i-1])) && (i+2 == len(s) || !isLetter(s[i+2])) {
		end = i + 2
		for end < len(s) && isIdentByte(s[end]) {
			end++
		}
		return end, true
	}
	for _, w := range secretWords {
		if i+len(w) > len(s) || !strings.EqualFold(string(s[i:i+len(w)]), w) {
			continue
		}
		start := i
		for start > 0 && isIdentByte(s[start-1]) {
			start--
		}
		end = i + len(w)
		for end < len(s) && isIdentByte(s[end]) {
			end++
		}
		for _, n := range notSecretWords {
			for k := start; k+len(n) <= end; k++ {
				if strings.EqualFold(string(s[k:k+len(n)]), n) {
					return end, false // a word like "bypass": callers skip it whole
				}
			}
		}
		return end, true
	}
	return 0, false
}

// secretKeys are the spellings of a secret's key a glued value may follow
// (smtp_passLEAK, passwordLEAK), longest first; tailWords are what may
// follow them in a real key's name (passwords, passwordeval, pass_cmd).
var (
	secretKeys = []string{"credentials", "credential", "passphrase", "password", "passwd", "api_key", "apikey", "secret", "bearer", "token", "pass", "pwd"}
	tailWords  = []string{"", "s", "es", "eval", "cmd", "_cmd", "command", "_command", "file", "_file", "path", "_path", "helper", "_helper", "prompt", "store", "manager", "key", "_key", "id", "_id"}
)

// gluedTail returns where a value glued to the secret word at s[i:] starts
// in the identifier that ends at end ("smtp_passLEAK": after "pass"), or
// end when the rest of the identifier is part of a real key's name.
func gluedTail[T ~string | ~[]byte](s T, i, end int) int {
	for _, k := range secretKeys {
		if i+len(k) > end || !strings.EqualFold(string(s[i:i+len(k)]), k) {
			continue
		}
		tail := string(s[i+len(k) : end])
		for _, w := range tailWords {
			if strings.EqualFold(tail, w) {
				return end
			}
		}
		return i + len(k)
	}
	return end
}

func isBlank[T ~string | ~[]byte](s T) bool {
	for i := 0; i < len(s); i++ {
		if s[i] != ' ' && s[i] != '\t' {
			return false
		}
	}
	return true
}

func isLetter(b byte) bool { return 'a' <= b && b <= 'z' || 'A' <= b && b <= 'Z' }

func isIdentByte(b byte) bool {
	return b == '_' || 'a' <= b && b <= 'z' || 'A' <= b && b <= 'Z' || '0' <= b && b <= '9'
}

// isValueSep is a byte between a key and its value: blanks, '=', ':',
// quotes, commas and brackets.
func isValueSep(b byte) bool {
	return strings.IndexByte(" \t=:\"',()[];", b) >= 0
}

// LikelySecrets returns the byte ranges [start, end) of text (one line or
// more) that look like secrets: after a word naming one (password,
// smtp_pass, passwd, secret, token ...), the rest of its line from the
// first byte that is not a separator; and the password of user:password@
// in any word. Printers mask them besides the secrets adapters record, so
// a password the adapters do not see (in a comment, glued to its key by a
// character no client takes, after a key the client rejects) is not shown.
// It may mask more than a secret; it must not mask less.
func LikelySecrets(text string) [][2]int {
	var out [][2]int
	for _, l := range findLikelySecrets(text) {
		out = append(out, [2]int{l.Start, l.End})
	}
	return out
}

// LikelySecret is a range LikelySecrets finds, and where the word naming
// the secret starts (Key; -1 for the password of user:password@, -2 for a
// line after a secret's key, nextLineSecrets), so that
// a printer can tell a value after a key from a word inside a password the
// adapter already masks.
type LikelySecret struct{ Key, Start, End int }

// findLikelySecrets is LikelySecrets with the keys.
func findLikelySecrets(text string) []LikelySecret {
	out := secretValues(text)
	for _, r := range nextLineSecrets([]byte(text)) {
		out = append(out, LikelySecret{-2, r[0], r[1]})
	}
	for _, r := range UserinfoPasswords(text, " \t\r\n<>()`") {
		out = append(out, LikelySecret{-1, r[0], r[1]})
	}
	return out
}

// nextLineSecrets returns the ranges of lines that follow a word naming a
// secret with nothing after it but separators or a backslash ("set
// smtp_pass=", "password"): the value typed on the next line, which the
// client reads as a command or key of its own. Adapters' messages may
// quote it as an unknown command; SecretMasker masks it there. It looks at
// the end of each line only, so it costs little more than finding the
// line ends.
func nextLineSecrets(src []byte) [][2]int {
	var out [][2]int
	for start := 0; start < len(src); {
		nl := bytes.IndexByte(src[start:], '\n')
		if nl < 0 {
			break
		}
		end := start + nl
		if endsWithSecretKey(src[start:end]) {
			if r, ok := valueLine(src, end+1); ok {
				out = append(out, r)
			}
		}
		start = end + 1
	}
	return out
}

// valueLine returns the line starting at n, without its leading and
// trailing blanks, if it holds anything.
func valueLine[T ~string | ~[]byte](src T, n int) ([2]int, bool) {
	ne := len(src)
	for k := n; k < len(src); k++ {
		if src[k] == '\n' {
			ne = k
			break
		}
	}
	for n < ne && (src[n] == ' ' || src[n] == '\t') {
		n++
	}
	for ne > n && (src[ne-1] == ' ' || src[ne-1] == '\t' || src[ne-1] == '\r') {
		ne--
	}
	return [2]int{n, ne}, n < ne
}

// endsWithSecretKey reports whether a line ends with a word naming a
// secret and nothing after it but separators or a backslash, and that word
// is assigned ('=' or ':' after it: "set smtp_pass=", "smtpPass =") or
// opens the line (msmtp "password"): the value may be on the next line.
// ("set ?imap_pass" is a query, not an assignment.)
func endsWithSecretKey[T ~string | ~[]byte](line T) bool {
	t := len(line)
	assigned := false
	for t > 0 && strings.IndexByte(" \t\r\\=:\"'", line[t-1]) >= 0 {
		assigned = assigned || line[t-1] == '=' || line[t-1] == ':'
		t--
	}
	k := t
	for k > 0 && isIdentByte(line[k-1]) {
		k--
	}
	if k == t || !(assigned || isBlank(line[:k])) {
		return false
	}
	for i := k; i < t; i++ {
		if end, ok := secretWordAt(line[:t], i); ok || end > 0 {
			return ok // the identifier [k, t) names a secret or is a word like "bypass"
		}
	}
	return false
}

// secretValues finds, after each word naming a secret, the value on the
// same line.
func secretValues(text string) []LikelySecret {
	var out []LikelySecret
	// Only a newline ends a line: msmtp and mutt read a lone CR as part of
	// the line, so a password may follow one.
	le := -1 // the end of the line being read: found once per line
	lineEnd := func(i int) int {
		if i <= le {
			return le
		}
		le = len(text)
		if j := strings.IndexByte(text[i:], '\n'); j >= 0 {
			le = i + j
		}
		return le
	}
	for i := 0; i < len(text); i++ {
		switch text[i] | 0x20 {
		case 'p', 's', 't', 'b', 'a', 'c':
		default:
			continue
		}
		end, ok := secretWordAt(text, i)
		if !ok {
			if end > 0 {
				i = end - 1
			}
			continue
		}
		e := lineEnd(end)
		v := end
		for v < e && (isValueSep(text[v]) || text[v] == '\\' || text[v] == '\r') {
			v++
		}
		if k := gluedTail(text, i, end); k < end {
			out = append(out, LikelySecret{i, k, end})
		}
		if v < e {
			out = append(out, LikelySecret{i, v, e})
		}
		// Go on after the word: a later one on the line ("set smtp_pass=x
		// # old password: y") gives a range of its own.
		i = end - 1
	}
	return out
}

// LineSecrets is findLikelySecrets for one line (without its newline),
// given the line before it (or ""): with a line before that ends with a
// secret's key (endsWithSecretKey), the whole line is one (Key -2).
func LineSecrets(prev, line string) []LikelySecret {
	out := findLikelySecrets(line)
	if endsWithSecretKey(prev) {
		if r, ok := valueLine(line, 0); ok {
			out = append(out, LikelySecret{-2, r[0], r[1]})
		}
	}
	return out
}

// UserinfoPasswords returns the ranges of the passwords of user:password@
// in the words of text (split at the bytes of seps), with or without a
// scheme:// before them. Quotes do not split words: a password may hold
// one. One pass: a line of a million '@' costs no more than a short one.
func UserinfoPasswords(text, seps string) [][2]int {
	var out [][2]int
	colon := -1     // the first ':' of the current word's user information
	scheme := false // the word has a scheme:// before it
	for i := 0; i < len(text); i++ {
		switch c := text[i]; {
		case strings.IndexByte(seps, c) >= 0:
			colon, scheme = -1, false
		case c == ':' && strings.HasPrefix(text[i:], "://"):
			colon, scheme = -1, true // the scheme's: the user information starts after it
			i += 2
		case c == ':' && colon < 0:
			colon = i
		case c == '\xe2' && strings.HasPrefix(text[i:], "…") && colon >= 0 && scheme && colon+1 < i:
			// A message cut a URL short ("smtp://bob:secr…"): the '@'
			// that would end the password is gone.
			out = append(out, [2]int{colon + 1, i})
			colon = -1
		case c == '@' && colon >= 0 && colon+1 < i:
			// A later '@' of the same word extends the range (p@ss:w@host).
			if n := len(out); n > 0 && out[n-1][0] == colon+1 {
				out[n-1][1] = i
			} else {
				out = append(out, [2]int{colon + 1, i})
			}
		}
	}
	return out
}

// ScrubMessage masks in a message what looks like a secret: the password
// of user:password@; in the message's double-quoted parts, which quote what
// a file holds, what follows a word naming a secret; elsewhere the word
// after such a word and '=' or ':' ("smtpPass = x"), so that "a password
// is stored" is left alone.
func ScrubMessage(s string) string {
	var ranges [][2]int
	inQuote := false
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '"' && (i == 0 || s[i-1] != '\\'):
			inQuote = !inQuote
		case c == '\\' && inQuote:
			i++
		default:
			end, ok := secretWordAt(s, i)
			if !ok {
				if end > 0 {
					i = end - 1
				}
				continue
			}
			v := end
			if k := gluedTail(s, i, end); inQuote && k < end {
				ranges = append(ranges, [2]int{k, end})
			}
			if inQuote {
				for v < len(s) && isValueSep(s[v]) && s[v] != '"' {
					v++
				}
				q := v
				for q < len(s) && !(s[q] == '"' && s[q-1] != '\\') {
					q++
				}
				if v < q {
					ranges = append(ranges, [2]int{v, q})
				}
				i = q - 1
				continue
			}
			for v < len(s) && (s[v] == ' ' || s[v] == '\t') {
				v++
			}
			if v < len(s) && (s[v] == '=' || s[v] == ':') {
				v++
				for v < len(s) && (s[v] == ' ' || s[v] == '\t') {
					v++
				}
				w := v
				for w < len(s) && s[w] != ' ' && s[w] != '\t' {
					w++
				}
				if v < w {
					ranges = append(ranges, [2]int{v, w})
				}
			}
			i = end - 1
		}
	}
	// Words of a message are split at spaces only: a value it quotes may
	// hold a tab (git's "\t").
	ranges = append(ranges, UserinfoPasswords(s, " \n")...)
	return maskRanges(s, ranges)
}

// maskRanges replaces each range of s (they may overlap) with eight
// asterisks; overlapping or touching ranges become one mask.
func maskRanges(s string, ranges [][2]int) string {
	if len(ranges) == 0 {
		return s
	}
	sort.Slice(ranges, func(i, j int) bool { return ranges[i][0] < ranges[j][0] })
	var b strings.Builder
	last := 0
	for k := 0; k < len(ranges); {
		start, end := ranges[k][0], ranges[k][1]
		for k++; k < len(ranges) && ranges[k][0] <= end; k++ {
			end = max(end, ranges[k][1])
		}
		if end <= last {
			continue
		}
		start = max(start, last)
		b.WriteString(s[last:start])
		b.WriteString("********")
		last = end
	}
	b.WriteString(s[last:])
	return b.String()
}
