package linters

import (
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

const module = "github.com/maillint/maillint"

// imports lists the maillint packages that the non-test files of dir import.
func imports(t *testing.T, dir string) []string {
	files, _ := filepath.Glob(filepath.Join(dir, "*.go"))
	var out []string
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		af, err := parser.ParseFile(token.NewFileSet(), f, nil, parser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
		for _, im := range af.Imports {
			p, _ := strconv.Unquote(im.Path.Value)
			if strings.HasPrefix(p, module) {
				out = append(out, strings.TrimPrefix(p, module+"/"))
			}
		}
	}
	return out
}

// TestLayering keeps the layout's promises: rules never import an adapter,
// adapters never import fixers or cmd, the provider database imports no
// maillint package, and fixers import no adapter.
func TestLayering(t *testing.T) {
	for _, p := range imports(t, ".") {
		if p != "linters/providers" {
			t.Errorf("linters (model and rules) imports %s", p)
		}
	}
	for _, p := range imports(t, "providers") {
		t.Errorf("linters/providers imports %s", p)
	}
	entries, _ := os.ReadDir(".")
	for _, e := range entries {
		if !e.IsDir() || e.Name() == "providers" || e.Name() == "testdata" {
			continue
		}
		for _, p := range imports(t, e.Name()) {
			if strings.HasPrefix(p, "fixers") || strings.HasPrefix(p, "cmd") || (strings.HasPrefix(p, "linters/") && p != "linters/providers") {
				t.Errorf("adapter linters/%s imports %s", e.Name(), p)
			}
		}
	}
	for _, dir := range []string{"../fixers", "../fixers/verify"} {
		for _, p := range imports(t, dir) {
			if p != "linters" {
				t.Errorf("%s imports %s", strings.TrimPrefix(dir, "../"), p)
			}
		}
	}
}
