package providers

import (
	"strconv"

	"github.com/BurntSushi/toml"
)

// keyLines maps every key path of a TOML document (as toml.Key.String
// spells it) to the lines where it is defined, in document order. Table
// headers count as definitions of their path; keys inside inline tables,
// also inside arrays, extend the path of the key holding them. That is the
// order in which toml.MetaData lists keys, so the i-th undecoded occurrence
// of a path is at the i-th line recorded here. The document is known to be
// valid TOML (the decoder accepted it), so the scanner can be lenient.
func keyLines(src []byte) map[string][]int {
	s := &keyScanner{src: src, line: 1, lines: map[string][]int{}}
	s.document()
	return s.lines
}

type keyScanner struct {
	src   []byte
	i     int
	line  int
	table []string
	lines map[string][]int
}

func (s *keyScanner) eof() bool { return s.i >= len(s.src) }

func (s *keyScanner) peek(off int) byte {
	if s.i+off < len(s.src) {
		return s.src[s.i+off]
	}
	return 0
}

func (s *keyScanner) next() {
	if s.src[s.i] == '\n' {
		s.line++
	}
	s.i++
}

func (s *keyScanner) record(path []string) {
	k := toml.Key(path).String()
	s.lines[k] = append(s.lines[k], s.line)
}

// blank skips spaces and tabs, and with nl also newlines and comments.
func (s *keyScanner) blank(nl bool) {
	for !s.eof() {
		switch c := s.peek(0); {
		case c == ' ' || c == '\t' || c == '\r':
			s.next()
		case nl && c == '\n':
			s.next()
		case nl && c == '#':
			for !s.eof() && s.peek(0) != '\n' {
				s.next()
			}
		default:
			return
		}
	}
}

// restOfLine skips to the end of the line, stepping over strings.
func (s *keyScanner) restOfLine() {
	for !s.eof() && s.peek(0) != '\n' {
		switch s.peek(0) {
		case '"', '\'':
			s.str()
		case '#':
			for !s.eof() && s.peek(0) != '\n' {
				s.next()
			}
		default:
			s.next()
		}
	}
}

func (s *keyScanner) document() {
	for {
		s.blank(true)
		if s.eof() {
			return
		}
		start := s.i
		if s.peek(0) == '[' {
			s.next()
			if s.peek(0) == '[' {
				s.next()
			}
			s.table = s.key()
			s.record(s.table)
		} else if k := s.key(); len(k) > 0 {
			full := append(append([]string{}, s.table...), k...)
			s.record(full)
			s.blank(false)
			if s.peek(0) == '=' {
				s.next()
				s.value(full)
			}
		}
		s.restOfLine()
		if s.i == start && !s.eof() {
			s.next()
		}
	}
}

// key reads a dotted key of bare and quoted parts.
func (s *keyScanner) key() []string {
	var parts []string
	for {
		s.blank(false)
		switch c := s.peek(0); {
		case c == '"' || c == '\'':
			raw := s.str()
			if c == '"' {
				if u, err := strconv.Unquote(raw); err == nil {
					parts = append(parts, u)
					break
				}
			}
			parts = append(parts, raw[1:len(raw)-1])
		case isBare(c):
			start := s.i
			for !s.eof() && isBare(s.peek(0)) {
				s.next()
			}
			parts = append(parts, string(s.src[start:s.i]))
		default:
			return parts
		}
		s.blank(false)
		if s.peek(0) != '.' {
			return parts
		}
		s.next()
	}
}

func isBare(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-'
}

// str skips a basic, literal or multi-line string and returns its source.
func (s *keyScanner) str() string {
	start := s.i
	q := s.peek(0)
	if s.peek(1) == q && s.peek(2) == q {
		s.i += 3
		for !s.eof() {
			if q == '"' && s.peek(0) == '\\' {
				s.next()
				if !s.eof() {
					s.next()
				}
				continue
			}
			if s.peek(0) == q && s.peek(1) == q && s.peek(2) == q {
				s.i += 3
				for s.peek(0) == q { // up to two quotes may end the content
					s.i++
				}
				break
			}
			s.next()
		}
		return string(s.src[start:s.i])
	}
	s.next()
	for !s.eof() && s.peek(0) != q && s.peek(0) != '\n' {
		if q == '"' && s.peek(0) == '\\' {
			s.next()
		}
		if !s.eof() {
			s.next()
		}
	}
	if !s.eof() && s.peek(0) == q {
		s.next()
	}
	return string(s.src[start:s.i])
}

// value skips a value, recording the keys of inline tables under prefix.
func (s *keyScanner) value(prefix []string) {
	s.blank(false)
	switch s.peek(0) {
	case '"', '\'':
		s.str()
	case '[':
		s.next()
		for !s.eof() {
			s.blank(true)
			switch s.peek(0) {
			case ']':
				s.next()
				return
			case ',':
				s.next()
				continue
			}
			start := s.i
			s.value(prefix)
			if s.i == start {
				s.next()
			}
		}
	case '{':
		s.next()
		for !s.eof() {
			s.blank(true)
			switch s.peek(0) {
			case '}':
				s.next()
				return
			case ',':
				s.next()
				continue
			}
			start := s.i
			if k := s.key(); len(k) > 0 {
				full := append(append([]string{}, prefix...), k...)
				s.record(full)
				s.blank(false)
				if s.peek(0) == '=' {
					s.next()
				}
				s.value(full)
			}
			if s.i == start {
				s.next()
			}
		}
	default:
		for !s.eof() {
			switch s.peek(0) {
			case ' ', '\t', '\r', '\n', ',', ']', '}', '#':
				return
			}
			s.next()
		}
	}
}
