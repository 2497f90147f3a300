package providers

import (
	"errors"
	"strings"
	"testing"
	"time"
)

// TestCheckNesting: thousands of nested inline tables or arrays, or a key
// of thousands of dots, are refused at once with the line (the TOML
// decoder takes seconds per thousand levels); real files pass, and
// strings and comments do not count.
func TestCheckNesting(t *testing.T) {
	for _, src := range []string{
		"x = 1\na = " + strings.Repeat("{b=", 100000),
		"x = 1\na = " + strings.Repeat("[", 100000),
		"x = 1\n" + strings.Repeat("a.", 100000) + "b = 1\n",
		"x = 1\n[" + strings.Repeat("a.", 100000) + "b]\n",
	} {
		start := time.Now()
		_, err := Parse("deep.toml", []byte(src))
		var pe *ParseError
		if !errors.As(err, &pe) || pe.Line != 2 || !strings.Contains(pe.Msg, "nest more than 64 deep") {
			t.Errorf("%.20q…: err = %v, want a nesting error at line 2", src, err)
		}
		if d := time.Since(start); d > 5*time.Second {
			t.Errorf("%.20q…: took %v", src, d)
		}
	}
	for _, src := range []string{
		"a = \"" + strings.Repeat("{[.", 1000) + "\"\nb = '" + strings.Repeat("{[.", 1000) + "'\n",
		"a = \"\"\"\n" + strings.Repeat("{[.\n", 1000) + "\"\"\"\n# " + strings.Repeat("{[.", 1000) + "\n",
		"a = [" + strings.Repeat("1.5, ", 1000) + "]\n",
		"a = \"x\\\"{{{{\"\nb = 'c\\'\n",
	} {
		if err := CheckNesting("ok.toml", []byte(src)); err != nil {
			t.Errorf("%.30q…: %v", src, err)
		}
	}
	if err := CheckNesting("providers.toml", builtinData); err != nil {
		t.Errorf("the built-in database: %v", err)
	}
}
