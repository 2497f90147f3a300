package providers

import "fmt"

// MaxNesting bounds how deeply arrays and inline tables nest, and how many
// parts a dotted key has, in the TOML files maillint reads (the provider
// database, .maillint.toml). The TOML decoder takes time quadratic in
// both, so a file of "a = {b = {b = {…" thousands deep would hang it; real
// files nest three deep.
const MaxNesting = 64

// CheckNesting returns a *ParseError naming file name and the line when
// data nests arrays or inline tables, or dots a key, more than MaxNesting
// deep. It reads the bytes once, stepping over strings and comments; it
// says nothing about other errors, which the decoder reports.
func CheckNesting(name string, data []byte) error {
	depth, dots, line := 0, 0, 1
	tooDeep := func(what string) error {
		return &ParseError{Name: name, Line: line, Msg: fmt.Sprintf("%s nest more than %d deep; maillint reads no deeper", what, MaxNesting)}
	}
	n := len(data)
	for i := 0; i < n; i++ {
		switch c := data[i]; c {
		case '\n':
			line++
			dots = 0
		case '=', ',':
			dots = 0 // a key's dots come before its '='
		case '#':
			for i+1 < n && data[i+1] != '\n' {
				i++
			}
		case '"', '\'':
			if i+2 < n && data[i+1] == c && data[i+2] == c {
				// A multi-line string: up to the next three quotes.
				for i += 3; i < n; i++ {
					if data[i] == c && i+2 < n && data[i+1] == c && data[i+2] == c {
						i += 2
						break
					}
					if c == '"' && data[i] == '\\' && i+1 < n {
						i++
					}
					if data[i] == '\n' {
						line++
					}
				}
				continue
			}
			for i++; i < n && data[i] != c && data[i] != '\n'; i++ {
				if c == '"' && data[i] == '\\' && i+1 < n && data[i+1] != '\n' {
					i++
				}
			}
			if i < n && data[i] == '\n' {
				i-- // an unterminated string ends at the line end
			}
		case '[', '{':
			if depth++; depth > MaxNesting {
				return tooDeep("arrays and inline tables")
			}
		case ']', '}':
			depth = max(depth-1, 0)
		case '.':
			if dots++; dots > MaxNesting {
				return tooDeep("dotted keys")
			}
		}
	}
	return nil
}
