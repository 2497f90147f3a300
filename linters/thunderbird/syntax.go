// Package thunderbird is maillint's adapter for Thunderbird's preference
// files: prefs.js (written by Thunderbird) and user.js (written by people,
// applied over prefs.js at every start), found in a profile folder listed
// in profiles.ini.
//
// The syntax tree is lossless: a File is the list of its tokens (blanks,
// comments, keywords, strings, numbers, punctuation and bad bytes), each
// with its exact text and offset, so printing a parsed file gives back every
// byte. Tokenizing and error recovery follow libpref's parser
// (modules/libpref/parser/src/lib.rs, formats.md §3.4) byte for byte:
// "#", "//" and "/* */" comments, strings in single or double quotes with
// \" \' \\ \n \r \xNN \uNNNN escapes, 32-bit integers with an optional sign,
// true and false; on an error the parser skips to the next ';'. A NUL byte
// ends the file.
package thunderbird

import (
	"strings"
	"sync/atomic"
	"unicode/utf16"
)

// TokKind classifies a token.
type TokKind uint8

// Kinds of tokens.
const (
	TokSpace   TokKind = iota // blanks and line ends (\t \v \f space \n \r)
	TokComment                // "# …" or "// …" up to the line end (excluded), or "/* … */"
	TokKeyword                // user_pref, pref, sticky_pref, lockPref, true, false, sticky, locked
	TokString                 // a quoted string; File.Err is set when libpref rejects it
	TokInt                    // decimal digits (a sign is a separate TokPunct)
	TokPunct                  // one of ( ) , ; + -
	TokError                  // bytes libpref rejects: an unknown word, a stray character...
	TokEOF                    // a NUL byte and everything after it, which libpref never reads
)

// Token is one lexical unit of a prefs file: its kind and where its bytes
// are. It holds no pointers (a prefs.js has thousands of tokens, which the
// garbage collector then never scans); File.Text, File.Str, File.Int and
// File.Err give its text, decoded value and libpref's message.
type Token struct {
	// Offset is the byte offset of the token's first byte.
	Offset int
	// Len is the token's length in bytes.
	Len int32
	// Kind classifies the token.
	Kind TokKind
	// err says which of libpref's messages the token draws (0: none).
	err errCode
}

// End is the byte offset just after the token.
func (t *Token) End() int { return t.Offset + int(t.Len) }

// errCode numbers libpref's messages about a bad token.
type errCode uint8

const (
	errNone errCode = iota
	errUnknownKeyword
	errUnterminatedComment
	errBadSlash
	errIntChar
	errIntOverflow
	errUnexpectedChar
	errUnterminatedString
	errBadX
	errX00
	errBadU
	errBadLowSurrogate
	errNoLowSurrogate
	errNoHighSurrogate
	errU0000
	errBadEscape
)

var errMessages = [...]string{
	errNone:                "",
	errUnknownKeyword:      "unknown keyword",
	errUnterminatedComment: "unterminated /* comment",
	errBadSlash:            "expected '/' or '*' after '/'",
	errIntChar:             "unexpected character in integer literal",
	errIntOverflow:         "integer literal overflowed",
	errUnexpectedChar:      "unexpected character",
	errUnterminatedString:  "unterminated string literal",
	errBadX:                "malformed \\x escape sequence",
	errX00:                 "\\x00 is not allowed",
	errBadU:                "malformed \\u escape sequence",
	errBadLowSurrogate:     "invalid low surrogate after high surrogate",
	errNoLowSurrogate:      "expected low surrogate after high surrogate",
	errNoHighSurrogate:     "expected high surrogate before low surrogate",
	errU0000:               "\\u0000 is not allowed",
	errBadEscape:           "unexpected escape sequence character after '\\'",
}

// Text returns the bytes of token i exactly as written.
func (f *File) Text(i int) string {
	t := &f.Tokens[i]
	return f.src[t.Offset:t.End()]
}

// Err returns libpref's message for token i when it rejects it (a
// TokError, a bad TokString), else "".
func (f *File) Err(i int) string { return errMessages[f.Tokens[i].err] }

// Str returns the decoded value of string token i (what libpref reads
// when the token has no Err).
func (f *File) Str(i int) string {
	t := &f.Tokens[i]
	if t.Kind != TokString {
		return ""
	}
	s, _, _ := lexString(f.src, t.Offset, true)
	return s
}

// Int returns the value of integer token i (TokInt: at most 2^32-1).
func (f *File) Int(i int) uint64 {
	if f.Tokens[i].Kind != TokInt {
		return 0
	}
	var v uint64
	for _, c := range []byte(f.Text(i)) {
		v = v*10 + uint64(c-'0')
	}
	return v
}

// ValueType is the type of a pref value.
type ValueType int

// Value types.
const (
	TypeString ValueType = iota
	TypeInt
	TypeBool
)

// String returns "string", "integer" or "boolean".
func (v ValueType) String() string {
	switch v {
	case TypeInt:
		return "integer"
	case TypeBool:
		return "boolean"
	}
	return "string"
}

// Value is a pref's value.
type Value struct {
	// Type says which of Str, Int and Bool holds the value.
	Type ValueType
	// Str is a string value, decoded.
	Str string
	// Int is an integer value (int32 range).
	Int int64
	// Bool is a boolean value.
	Bool bool
}

// Equal reports whether v and w have the same type and value.
func (v Value) Equal(w Value) bool { return v == w }

// Pref is one statement `spec("name", value);` that libpref accepts.
type Pref struct {
	// Spec is user_pref, pref, sticky_pref or lockPref.
	Spec string
	// Name is the decoded pref name.
	Name string
	// Value is the value libpref stores.
	Value Value
	// First and Last are the indexes in File.Tokens of the spec keyword and
	// of the closing ';'.
	First, Last int
	// NameTok is the index of the name's string token.
	NameTok int
	// ValFirst and ValLast are the indexes of the value's first and last
	// tokens (a sign and the literal may be two).
	ValFirst, ValLast int
}

// User reports whether the statement sets the user value (user_pref);
// pref, sticky_pref and lockPref set the default value.
func (p *Pref) User() bool { return p.Spec == "user_pref" }

// Problem is a parse error, reported where libpref reports it.
type Problem struct {
	// Tok is the index of the offending token, -1 for the end of the file.
	// For a missing ';' it is the ')' the ';' should follow.
	Tok int
	// Message is libpref's message.
	Message string
	// Resume is the index of the token parsing resumes at.
	Resume int
	// MissingSemicolon is set for "expected ';' after ')'" when the
	// offending token starts the next pref: a ';' is clearly missing.
	MissingSemicolon bool
	// BadValue is the index of the value token when it is the only thing
	// wrong with `spec("name", VALUE);` (an unknown word, an overflowing
	// integer, a bad string): writing a good literal there makes the
	// statement valid. It is -1 otherwise; Name is then unset.
	BadValue int
	// Name is the pref name of a statement with a BadValue.
	Name string
}

// File is a parsed prefs file.
type File struct {
	// Path is the file's path, as given to Parse.
	Path string
	// Tokens cover every byte of the file, in order.
	Tokens []Token
	// Prefs are the statements libpref accepts, in order.
	Prefs []Pref
	// Problems are libpref's parse errors, in order.
	Problems []Problem
	// src is the text the tokens were read from, for offset lookups.
	src string
	// data is the []byte Parse was given (the same bytes as src).
	data []byte
}

// Bytes prints the file back. For any input, Parse(x).Bytes() == x.
func (f *File) Bytes() []byte {
	var b strings.Builder
	for i := range f.Tokens {
		b.WriteString(f.Text(i))
	}
	return []byte(b.String())
}

// Size is the length of the file in bytes.
func (f *File) Size() int {
	if n := len(f.Tokens); n > 0 {
		return f.Tokens[n-1].End()
	}
	return 0
}

// PrefStart and PrefEnd are the byte range of a statement, from its spec
// keyword to just after its ';'.
func (f *File) PrefStart(p *Pref) int { return f.Tokens[p.First].Offset }

// PrefEnd is the byte offset just after the statement's ';'.
func (f *File) PrefEnd(p *Pref) int { return f.Tokens[p.Last].End() }

// ValueRange is the byte range of the value as written, sign included.
func (f *File) ValueRange(p *Pref) (start, end int) {
	return f.Tokens[p.ValFirst].Offset, f.Tokens[p.ValLast].End()
}

// StringRange is the byte range inside the quotes of a string token.
func (f *File) StringRange(tok int) (start, end int) {
	t := &f.Tokens[tok]
	start, end = t.Offset+1, t.End()
	if text := f.Text(tok); end-1 > start && text[len(text)-1] == text[0] {
		end--
	}
	return start, max(start, end)
}

func isKeywordChar(c byte) bool {
	return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c == '_'
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\v' || c == '\f' || c == '\n' || c == '\r'
}

// lexer splits src into tokens exactly as libpref's get_token does.
type lexer struct {
	src string
	i   int
}

// at returns the byte at i, or 0 (libpref's EOF) past the end.
func (l *lexer) at(i int) byte {
	if i < len(l.src) {
		return l.src[i]
	}
	return 0
}

func (l *lexer) next() Token {
	start := l.i
	c := l.at(l.i)
	kind, err := TokError, errNone
	switch {
	case c == 0:
		l.i = len(l.src)
		kind = TokEOF
	case isSpace(c):
		for l.i < len(l.src) && isSpace(l.src[l.i]) {
			l.i++
		}
		kind = TokSpace
	case isKeywordChar(c):
		for l.i < len(l.src) && isKeywordChar(l.src[l.i]) {
			l.i++
		}
		kind = TokKeyword
		if !isKeyword(l.src[start:l.i]) {
			kind, err = TokError, errUnknownKeyword
		}
	case c == '"' || c == '\'':
		_, l.i, err = lexString(l.src, start, false)
		kind = TokString
	case c == '/':
		l.i++
		switch l.at(l.i) {
		case '/':
			l.lineComment()
			kind = TokComment
		case '*':
			l.i++
			if k := strings.Index(l.src[l.i:], "*/"); k >= 0 && strings.IndexByte(l.src[l.i:l.i+k], 0) < 0 {
				l.i += k + 2
				kind = TokComment
			} else {
				if z := strings.IndexByte(l.src[l.i:], 0); z >= 0 {
					l.i += z
				} else {
					l.i = len(l.src)
				}
				err = errUnterminatedComment
			}
		default:
			// libpref consumes the next character unless it is a line end
			// or EOF.
			if d := l.at(l.i); d != '\n' && d != '\r' && d != 0 {
				l.i++
			}
			err = errBadSlash
		}
	case c == '#':
		l.lineComment()
		kind = TokComment
	case isDigit(c):
		var v uint64
		for l.i < len(l.src) && isDigit(l.src[l.i]) {
			if v <= 1<<32-1 {
				v = v*10 + uint64(l.src[l.i]-'0')
			}
			l.i++
		}
		kind = TokInt
		switch {
		case isKeywordChar(l.at(l.i)):
			kind, err = TokError, errIntChar
		case v > 1<<32-1:
			kind, err = TokError, errIntOverflow
		}
	case c == '(' || c == ')' || c == ',' || c == ';' || c == '+' || c == '-':
		l.i++
		kind = TokPunct
	default:
		l.i++
		err = errUnexpectedChar
	}
	return Token{Offset: start, Len: int32(l.i - start), Kind: kind, err: err}
}

// isKeyword reports whether a word is one of libpref's keywords.
func isKeyword(s string) bool {
	switch s {
	case "pref", "true", "false", "user_pref", "sticky", "locked", "sticky_pref", "lockPref":
		return true
	}
	return false
}

// lineComment skips to the line end, which is left for the next token.
func (l *lexer) lineComment() {
	for l.i < len(l.src) {
		switch l.src[l.i] {
		case '\n', '\r', 0:
			return
		}
		l.i++
	}
}

func hexVal(c byte) (int, bool) {
	switch {
	case c >= '0' && c <= '9':
		return int(c - '0'), true
	case c >= 'a' && c <= 'f':
		return int(c-'a') + 10, true
	case c >= 'A' && c <= 'F':
		return int(c-'A') + 10, true
	}
	return 0, false
}

// lexString reads the string literal at src[start] (a quote) the way
// libpref's get_string_token does, including where a malformed escape
// makes the string end. It returns the offset just after the literal and
// libpref's first complaint about it; with decode, also the value.
func lexString(src string, start int, decode bool) (val string, end int, err errCode) {
	q := src[start]
	i := start + 1
	// Fast path: a string without escapes is its own value.
	if k := strings.IndexByte(src[i:], q); k >= 0 {
		if s := src[i : i+k]; strings.IndexByte(s, '\\') < 0 && strings.IndexByte(s, 0) < 0 {
			return s, i + k + 1, errNone
		}
	}
	at := func(i int) byte {
		if i < len(src) {
			return src[i]
		}
		return 0
	}
	hex := func(n int) (int, bool) {
		v := 0
		for range n {
			d, ok := hexVal(at(i))
			if !ok {
				return 0, false
			}
			v = v<<4 | d
			i++
		}
		return v, true
	}
	var b strings.Builder
	fail := func(e errCode) {
		if err == errNone {
			err = e
		}
	}
	for {
		if i >= len(src) || src[i] == 0 {
			fail(errUnterminatedString)
			break
		}
		c := src[i]
		i++
		if c == q {
			break
		}
		if c != '\\' {
			if decode {
				b.WriteByte(c)
			}
			continue
		}
		e := at(i)
		if i < len(src) {
			i++
		}
		var r rune = -1
		switch e {
		case '"', '\'', '\\':
			r = rune(e)
		case 'n':
			r = '\n'
		case 'r':
			r = '\r'
		case 'x':
			v, ok := hex(2)
			switch {
			case !ok:
				fail(errBadX)
			case v == 0:
				fail(errX00)
			default:
				if decode {
					b.WriteByte(byte(v))
				}
			}
		case 'u':
			v, ok := hex(4)
			if !ok {
				fail(errBadU)
				continue
			}
			switch {
			case v&0xfc00 == 0xd800:
				// A high surrogate must be followed by \u and a low one.
				lo, good := -1, false
				if at(i) == '\\' {
					i++
					if at(i) == 'u' {
						i++
						if w, ok := hex(4); ok {
							if w&0xfc00 == 0xdc00 {
								lo, good = w, true
							} else {
								fail(errBadLowSurrogate)
								continue
							}
						}
					}
				}
				if !good {
					fail(errNoLowSurrogate)
					continue
				}
				r = utf16.DecodeRune(rune(v), rune(lo))
			case v&0xfc00 == 0xdc00:
				fail(errNoHighSurrogate)
			case v == 0:
				fail(errU0000)
			default:
				r = rune(v)
			}
		default:
			if e == '\n' || e == '\r' {
				i-- // libpref puts the line end back
			}
			fail(errBadEscape)
		}
		if r >= 0 && decode {
			if r < 0x80 {
				b.WriteByte(byte(r))
			} else {
				b.WriteRune(r)
			}
		}
	}
	return b.String(), i, err
}

// Parse splits src into tokens and statements. It accepts any bytes and
// never fails: what libpref rejects becomes a Problem.
func Parse(path string, src []byte) *File {
	f := &File{Path: path, src: string(src), data: src}
	l := &lexer{src: f.src}
	// A prefs.js has thousands of tokens; growing the slice as they come
	// would allocate about three times their size. The capacity is guessed
	// from the density of tokens in the files parsed before (a profile's
	// files, a fleet's files, are much alike), and trimmed when the guess
	// was far too high.
	f.Tokens = make([]Token, 0, len(src)*int(tokenDensity.Load())/1024+16)
	specs := 0
	for l.i < len(l.src) {
		t := l.next()
		f.Tokens = append(f.Tokens, t)
		if t.Kind == TokKeyword && isSpecText(l.src[t.Offset:l.i]) {
			specs++
		}
		if t.Kind == TokEOF {
			break
		}
	}
	if n := len(f.Tokens); cap(f.Tokens) > n+n/4+64 {
		f.Tokens = append(make([]Token, 0, n), f.Tokens...)
	}
	if len(src) >= 1024 {
		// Tokens per KiB, with a margin of 1/16.
		tokenDensity.Store(int64(len(f.Tokens) * 1024 / len(src) * 17 / 16))
	}
	if specs > 0 {
		f.Prefs = make([]Pref, 0, specs)
	}
	f.parse()
	return f
}

// tokenDensity is the number of tokens per KiB that Parse expects.
var tokenDensity atomic.Int64

func init() { tokenDensity.Store(200) }

func isSpecText(s string) bool {
	switch s {
	case "user_pref", "pref", "sticky_pref", "lockPref":
		return true
	}
	return false
}

// parser walks the significant tokens (not blanks or comments) of a File.
type parser struct {
	f   *File
	pos int // index of the next token to look at
}

// get returns the index of the next significant token, or -1 at the end.
func (p *parser) get() int {
	for p.pos < len(p.f.Tokens) {
		i := p.pos
		p.pos++
		switch p.f.Tokens[i].Kind {
		case TokSpace, TokComment:
			continue
		case TokEOF:
			p.pos = len(p.f.Tokens)
			return i
		}
		return i
	}
	return -1
}

func (p *parser) isPunct(i int, c string) bool {
	return i >= 0 && p.f.Tokens[i].Kind == TokPunct && p.f.Text(i) == c
}

func (p *parser) isEOF(i int) bool { return i < 0 || p.f.Tokens[i].Kind == TokEOF }

func (p *parser) isSpec(i int) bool {
	if i < 0 || p.f.Tokens[i].Kind != TokKeyword {
		return false
	}
	return isSpecText(p.f.Text(i))
}

// recover records an error at token i and skips past the next ';', as
// libpref's error_and_recover does. It returns the token after the ';'.
func (p *parser) recover(i int, msg string) int {
	pr := Problem{Tok: i, Message: msg, BadValue: -1}
	if i >= 0 {
		if e := p.f.Err(i); e != "" {
			pr.Message = e
		}
	}
	for {
		if p.isPunct(i, ";") {
			i = p.get()
			break
		}
		if p.isEOF(i) {
			break
		}
		i = p.get()
	}
	pr.Resume = i
	p.f.Problems = append(p.f.Problems, pr)
	return i
}

// markBadValue records the bad value of the last problem when the
// statement is otherwise complete: the value is one token (not a sign, a
// ')' or a ';') followed by ")" and ";".
func (p *parser) markBadValue(pr Pref) {
	f := p.f
	last := &f.Problems[len(f.Problems)-1]
	v := pr.ValFirst
	if v < 0 || f.Tokens[v].Kind == TokPunct || f.Tokens[v].Kind == TokEOF {
		return
	}
	var next []int
	for i := v + 1; i < len(f.Tokens) && len(next) < 2; i++ {
		if k := f.Tokens[i].Kind; k != TokSpace && k != TokComment {
			next = append(next, i)
		}
	}
	// Recovery from v then stops at exactly that ';'.
	if len(next) == 2 && p.isPunct(next[0], ")") && p.isPunct(next[1], ";") {
		last.BadValue, last.Name = v, pr.Name
	}
}

func (f *File) parse() {
	p := &parser{f: f}
	tok := p.get()
	for {
		if p.isEOF(tok) {
			return
		}
		if !p.isSpec(tok) {
			tok = p.recover(tok, "expected pref specifier at start of pref definition")
			continue
		}
		pr := Pref{Spec: f.Text(tok), First: tok}
		tok = p.get()
		if !p.isPunct(tok, "(") {
			tok = p.recover(tok, "expected '(' after pref specifier")
			continue
		}
		tok = p.get()
		if tok < 0 || f.Tokens[tok].Kind != TokString || f.Tokens[tok].err != errNone {
			tok = p.recover(tok, "expected pref name after '('")
			continue
		}
		pr.NameTok, pr.Name = tok, f.Str(tok)
		tok = p.get()
		if !p.isPunct(tok, ",") {
			tok = p.recover(tok, "expected ',' after pref name")
			continue
		}
		tok = p.get()
		pr.ValFirst = tok
		ok := true
		switch {
		case tok >= 0 && f.Tokens[tok].Kind == TokKeyword && f.Text(tok) == "true":
			pr.Value = Value{Type: TypeBool, Bool: true}
		case tok >= 0 && f.Tokens[tok].Kind == TokKeyword && f.Text(tok) == "false":
			pr.Value = Value{Type: TypeBool}
		case tok >= 0 && f.Tokens[tok].Kind == TokString && f.Tokens[tok].err == errNone:
			pr.Value = Value{Type: TypeString, Str: f.Str(tok)}
		case tok >= 0 && f.Tokens[tok].Kind == TokInt:
			if u := f.Int(tok); u <= 1<<31-1 {
				pr.Value = Value{Type: TypeInt, Int: int64(u)}
			} else {
				tok = p.recover(tok, "integer literal overflowed")
				ok = false
			}
		case p.isPunct(tok, "-") || p.isPunct(tok, "+"):
			neg := f.Text(tok) == "-"
			sign := tok
			tok = p.get()
			if tok < 0 || f.Tokens[tok].Kind != TokInt {
				tok = p.recover(tok, "expected integer literal after '"+f.Text(sign)+"'")
				ok = false
				break
			}
			u := f.Int(tok)
			switch {
			case u <= 1<<31-1 && neg:
				pr.Value = Value{Type: TypeInt, Int: -int64(u)}
			case u <= 1<<31-1:
				pr.Value = Value{Type: TypeInt, Int: int64(u)}
			case u == 1<<31 && neg:
				pr.Value = Value{Type: TypeInt, Int: -(1 << 31)}
			default:
				tok = p.recover(tok, "integer literal overflowed")
				ok = false
			}
		default:
			tok = p.recover(tok, "expected pref value after ','")
			ok = false
		}
		if !ok {
			p.markBadValue(pr)
			continue
		}
		pr.ValLast = tok
		// User pref files take no attributes: ")" must follow.
		tok = p.get()
		if !p.isPunct(tok, ")") {
			tok = p.recover(tok, "expected ')' after pref value")
			continue
		}
		rparen := tok
		tok = p.get()
		if !p.isPunct(tok, ";") {
			missing := p.isSpec(tok)
			tok = p.recover(tok, "expected ';' after ')'")
			if missing {
				pr := &f.Problems[len(f.Problems)-1]
				pr.MissingSemicolon, pr.Tok = true, rparen
			}
			continue
		}
		pr.Last = tok
		f.Prefs = append(f.Prefs, pr)
		tok = p.get()
	}
}
