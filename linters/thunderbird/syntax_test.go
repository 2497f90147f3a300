package thunderbird

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// corpusDir holds real prefs.js files from public dotfiles (../shared/corpus).
const corpusDir = "../../../shared/corpus/thunderbird"

// samplePath is the reference sample of formats.md §3.
const samplePath = "../../../shared/reference/samples/thunderbird-prefs.js.sample"

func corpusFiles(t testing.TB) []string {
	files, _ := filepath.Glob(filepath.Join(corpusDir, "*"))
	if _, err := os.Stat(samplePath); err == nil {
		files = append(files, samplePath)
	}
	if len(files) == 0 {
		if os.Getenv("MAILLINT_REQUIRE_ORACLES") == "1" {
			t.Fatalf("no corpus files in %s", corpusDir)
		}
		t.Skipf("corpus %s not present", corpusDir)
	}
	return files
}

// goldenInputs are the prefs.js and user.js files of the golden cases.
func goldenInputs() []string {
	var out []string
	filepath.Walk("../../testdata/thunderbird", func(p string, fi os.FileInfo, err error) error {
		if err == nil && !fi.IsDir() && (strings.HasSuffix(p, ".js") || strings.HasSuffix(p, ".js.fixed.golden")) {
			out = append(out, p)
		}
		return nil
	})
	return out
}

// checkTiling verifies that the tokens cover the file without gaps.
func checkTiling(t testing.TB, f *File, src []byte) {
	t.Helper()
	off := 0
	for i, tok := range f.Tokens {
		if tok.Offset != off || tok.Len <= 0 {
			t.Fatalf("token %d (%q) at %d, want %d", i, f.Text(i), tok.Offset, off)
		}
		off = tok.End()
	}
	if off != len(src) {
		t.Fatalf("tokens end at %d, file has %d bytes", off, len(src))
	}
	if got := f.Bytes(); !bytes.Equal(got, src) {
		t.Fatalf("round trip differs")
	}
}

func TestRoundTripCorpus(t *testing.T) {
	files := append(corpusFiles(t), goldenInputs()...)
	for _, p := range files {
		src, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		f := Parse(p, src)
		checkTiling(t, f, src)
		if len(f.Problems) != 0 && !strings.Contains(p, "/syntax/") {
			t.Errorf("%s: parse problems %+v", p, f.Problems)
		}
		if _, err := (Format{}).Parse(p, src, 0o600, nil); err != nil {
			t.Errorf("%s: %v", p, err)
		}
	}
	t.Logf("%d files round-tripped", len(files))
}

func TestTokens(t *testing.T) {
	src := "# hash\n// slashes\r\n/* block\n */ user_pref('a.b', -12);\rpref(\"x\",true);"
	f := Parse("f", []byte(src))
	checkTiling(t, f, []byte(src))
	var kinds []TokKind
	for _, tok := range f.Tokens {
		kinds = append(kinds, tok.Kind)
	}
	want := []TokKind{TokComment, TokSpace, TokComment, TokSpace, TokComment, TokSpace,
		TokKeyword, TokPunct, TokString, TokPunct, TokSpace, TokPunct, TokInt, TokPunct, TokPunct, TokSpace,
		TokKeyword, TokPunct, TokString, TokPunct, TokKeyword, TokPunct, TokPunct}
	if len(kinds) != len(want) {
		t.Fatalf("kinds %v, want %v", kinds, want)
	}
	for i := range want {
		if kinds[i] != want[i] {
			t.Fatalf("token %d (%q): kind %v, want %v", i, f.Text(i), kinds[i], want[i])
		}
	}
	if len(f.Prefs) != 2 || len(f.Problems) != 0 {
		t.Fatalf("prefs %+v problems %+v", f.Prefs, f.Problems)
	}
	if p := f.Prefs[0]; p.Name != "a.b" || p.Value != (Value{Type: TypeInt, Int: -12}) || !p.User() {
		t.Errorf("pref 0: %+v", p)
	}
	if p := f.Prefs[1]; p.Name != "x" || p.Value != (Value{Type: TypeBool, Bool: true}) || p.User() {
		t.Errorf("pref 1: %+v", p)
	}
	if s, e := f.ValueRange(&f.Prefs[0]); src[s:e] != "-12" {
		t.Errorf("value range %q", src[s:e])
	}
}

func TestStrings(t *testing.T) {
	cases := []struct {
		lit, want, err string
	}{
		{`"plain"`, "plain", ""},
		{`'single "q"'`, `single "q"`, ""},
		{`"esc \" \' \\ \n \r"`, "esc \" ' \\ \n \r", ""},
		{`"\x41\u00e9\ud83d\ude00"`, "Aé😀", ""},
		{"\"two\nlines\"", "two\nlines", ""},
		{`"\x00"`, "", `\x00 is not allowed`},
		{`"\u0000"`, "", `\u0000 is not allowed`},
		{`"\t"`, "", "unexpected escape sequence character after '\\'"},
		{`"\xZ"`, "", `malformed \x escape sequence`},
		{`"\ud83d"`, "", "expected low surrogate after high surrogate"},
		{`"\ude00"`, "", "expected high surrogate before low surrogate"},
		{`"open`, "", "unterminated string literal"},
	}
	for _, c := range cases {
		f := Parse("f", []byte(c.lit))
		checkTiling(t, f, []byte(c.lit))
		tok := f.Tokens[0]
		if tok.Kind != TokString || f.Err(0) != c.err || (c.err == "" && f.Str(0) != c.want) || f.Text(0) != c.lit {
			t.Errorf("%s: got %+v: %q err %q", c.lit, tok, f.Str(0), f.Err(0))
		}
	}
	// A high surrogate followed by a backslash that is not \u: libpref has
	// consumed the backslash, so the next quote ends the string.
	f := Parse("f", []byte(`"\ud83d\" x`))
	if tok := f.Tokens[0]; f.Text(0) != `"\ud83d\"` || f.Err(0) == "" {
		t.Errorf("surrogate + backslash: %+v", tok)
	}
}

func TestParseErrors(t *testing.T) {
	cases := []struct {
		src   string
		prefs []string // names of the prefs libpref keeps
		msg   string
	}{
		{`user_pref("a", 1) user_pref("b", 2); user_pref("c", 3);`, []string{"c"}, "expected ';' after ')'"},
		{`user_pref("a", yes); user_pref("b", 2);`, []string{"b"}, "unknown keyword"},
		{`user_pref("a", 2147483648);`, nil, "integer literal overflowed"},
		{`user_pref("a", -2147483648); user_pref("b", +5);`, []string{"a", "b"}, ""},
		{`user_pref("a", 12ab); user_pref("b", 2);`, []string{"b"}, "unexpected character in integer literal"},
		{`user_pref("a", 1, sticky);`, nil, "expected ')' after pref value"},
		{`user_pref("a" 1);`, nil, "expected ',' after pref name"},
		{`user_pref(a, 1);`, nil, "unknown keyword"},
		{`user_pref["a", 1];`, nil, "unexpected character"},
		{`/x user_pref("a", 1);`, nil, "expected '/' or '*' after '/'"},
		{`user_pref("a", 1); /* open`, []string{"a"}, "unterminated /* comment"},
		{`user_pref("a", "x;y"); user_pref("b", 1`, []string{"a"}, "expected ')' after pref value"},
		{`lockPref("a", 1); sticky_pref("b", "s");`, []string{"a", "b"}, ""},
		{`User_pref("a", 1);`, nil, "unknown keyword"},
		{`user_pref("a", - "x"); user_pref("b", 1);`, []string{"b"}, "expected integer literal after '-'"},
	}
	for _, c := range cases {
		f := Parse("f", []byte(c.src))
		checkTiling(t, f, []byte(c.src))
		var names []string
		for _, p := range f.Prefs {
			names = append(names, p.Name)
		}
		if strings.Join(names, ",") != strings.Join(c.prefs, ",") {
			t.Errorf("%s: prefs %v, want %v", c.src, names, c.prefs)
		}
		msg := ""
		if len(f.Problems) > 0 {
			msg = f.Problems[0].Message
		}
		if msg != c.msg {
			t.Errorf("%s: problem %q, want %q", c.src, msg, c.msg)
		}
	}
	f := Parse("f", []byte("user_pref(\"a\", 1)\nuser_pref(\"b\", 2);"))
	if len(f.Problems) != 1 || !f.Problems[0].MissingSemicolon || f.Text(f.Problems[0].Tok) != ")" {
		t.Errorf("missing semicolon: %+v", f.Problems)
	}
}

func TestEscapeRoundTrip(t *testing.T) {
	for _, s := range []string{"smtp.example.org", `a"b'c\d`, "new\nline\rcr", "tab\tx\x01", "é 😀"} {
		for _, q := range []byte{'"', '\''} {
			lit := string(q) + escape(s, q) + string(q)
			f := Parse("f", []byte(lit))
			if len(f.Tokens) != 1 || f.Err(0) != "" || f.Str(0) != s {
				t.Errorf("escape(%q, %c) = %s reads back as %+v", s, q, lit, f.Tokens)
			}
		}
	}
}
