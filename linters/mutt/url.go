package mutt

import (
	"strconv"
	"strings"
)

// mailURL is an smtp[s]:// or imap[s]:// URL split as mutt's
// ciss_parse_userhost does: userinfo is everything before the last '@' of
// the authority, the password starts at the first ':' of the userinfo, the
// port follows the first ':' of the host part (after a [v6] literal).
// Ranges are indexes into v.
type mailURL struct {
	v *rstr
	// scheme is [0, i) before "://"; Scheme is its lower-case text.
	scheme [2]int
	Scheme string
	// auth is the authority, between "//" and the first '/' (or the end).
	auth [2]int
	// user and pass are the userinfo parts; hasUser/hasPass say whether they
	// are written (an '@', a ':' in the userinfo).
	user, pass       [2]int
	hasUser, hasPass bool
	// host is the host, brackets of a [v6] literal included.
	host [2]int
	// port is the port text after a ':' (possibly empty); hasPort says
	// whether the ':' is written.
	port    [2]int
	hasPort bool
	// path is the text after the authority's '/', if any.
	path    [2]int
	hasPath bool

	// User, Pass and Host are percent-decoded; Port is 0 when not written.
	User, Pass, Host string
	Port             int
	// Err says why mutt rejects the URL, or is "".
	Err string
}

// parseMailURL splits v. ok is false when v is not a URL with an authority
// ("scheme://...").
func parseMailURL(v *rstr) (*mailURL, bool) {
	b := v.b
	colon := -1
	for i, c := range b {
		if c == ':' {
			colon = i
			break
		}
		if c == '/' || c == 0 {
			return nil, false
		}
	}
	if colon <= 0 || colon+2 >= len(b) || b[colon+1] != '/' || b[colon+2] != '/' {
		return nil, false
	}
	u := &mailURL{v: v, scheme: [2]int{0, colon}, Scheme: strings.ToLower(string(b[:colon]))}
	a := colon + 3
	end := len(b)
	for i := a; i < len(b); i++ {
		if b[i] == '/' {
			end = i
			u.hasPath = true
			u.path = [2]int{i + 1, len(b)}
			break
		}
	}
	u.auth = [2]int{a, end}
	h := a
	if at := lastIndex(b[a:end], '@'); at >= 0 {
		at += a
		u.hasUser = true
		u.user = [2]int{a, at}
		if c := index(b[a:at], ':'); c >= 0 {
			u.user = [2]int{a, a + c}
			u.pass = [2]int{a + c + 1, at}
			u.hasPass = true
		}
		h = at + 1
	}
	t := h
	if h < end && b[h] == '[' {
		if c := index(b[h:end], ']'); c >= 0 {
			t = h + c + 1
		}
	}
	hostEnd := end
	if c := index(b[t:end], ':'); c >= 0 {
		hostEnd = t + c
		u.hasPort = true
		u.port = [2]int{t + c + 1, end}
	}
	u.host = [2]int{h, hostEnd}
	var ok bool
	if u.User, ok = pctDecode(string(b[u.user[0]:u.user[1]])); !ok {
		u.Err = "a bad %-escape in the user name"
	}
	if u.Pass, ok = pctDecode(string(b[u.pass[0]:u.pass[1]])); !ok {
		u.Err = "a bad %-escape in the password"
	}
	host := string(b[u.host[0]:u.host[1]])
	if strings.HasPrefix(host, "[") && strings.HasSuffix(host, "]") {
		host = host[1 : len(host)-1]
	}
	if u.Host, ok = pctDecode(host); !ok {
		u.Err = "a bad %-escape in the host name"
	}
	if u.hasPort {
		p := string(b[u.port[0]:u.port[1]])
		if p != "" && strings.IndexByte(p, 0) < 0 {
			n, err := strconv.Atoi(p)
			if err != nil || n < 0 || n > 65535 || strings.HasPrefix(p, "+") || strings.HasPrefix(p, "-") {
				u.Err = "the port is not a number from 0 to 65535"
			} else {
				u.Port = n
			}
		}
	}
	if u.Host == "" && u.Err == "" {
		u.Err = "no host name"
	}
	return u, true
}

func index(b []byte, c byte) int {
	for i, x := range b {
		if x == c {
			return i
		}
	}
	return -1
}

func lastIndex(b []byte, c byte) int {
	for i := len(b) - 1; i >= 0; i-- {
		if b[i] == c {
			return i
		}
	}
	return -1
}

// pctDecode decodes %XX escapes as mutt's url_pct_decode: a bad or
// truncated escape, or %00, is an error.
func pctDecode(s string) (string, bool) {
	if strings.IndexByte(s, '%') < 0 {
		return s, true
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] != '%' {
			b.WriteByte(s[i])
			continue
		}
		if i+2 >= len(s) || !isHex(s[i+1]) || !isHex(s[i+2]) {
			return s, false
		}
		n, _ := strconv.ParseUint(s[i+1:i+3], 16, 8)
		if n == 0 {
			return s, false
		}
		b.WriteByte(byte(n))
		i += 2
	}
	return b.String(), true
}

func isHex(c byte) bool { return isDigit(c) || ('a' <= c && c <= 'f') || ('A' <= c && c <= 'F') }

// pctEncode encodes a user name for the userinfo of a URL: everything but
// unreserved characters is escaped (an '@' becomes %40).
func pctEncode(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if isAlnum(c) || c == '-' || c == '.' || c == '_' || c == '~' || c == '+' {
			b.WriteByte(c)
			continue
		}
		b.WriteString("%" + strings.ToUpper(strconv.FormatUint(uint64(c)|0x100, 16)[1:]))
	}
	return b.String()
}

// maskURLPasswords adds the password of every scheme://user:password@
// URL in the file (any line, comments included) to the file's secrets.
func maskURLPasswords(f *File, add func(start, end int)) {
	for _, l := range f.Lines {
		t := l.Text
		for k := 0; k+3 <= len(t); {
			i := strings.Index(t[k:], "://")
			if i < 0 {
				break
			}
			a := k + i + 3
			end := a
			for end < len(t) && !strings.ContainsRune("/ \t\"'`#;", rune(t[end])) {
				end++
			}
			if at := strings.LastIndexByte(t[a:end], '@'); at >= 0 {
				if c := strings.IndexByte(t[a:a+at], ':'); c >= 0 && c+1 < at {
					add(l.Offset+a+c+1, l.Offset+a+at)
				}
			}
			k = a
		}
	}
}
