package mutt

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/maillint/maillint/linters"
)

// corpusDir holds real mutt and neomutt files from public dotfiles.
const corpusDir = "../../../shared/corpus/mutt"

func corpusFiles(t testing.TB) []string {
	files, _ := filepath.Glob(filepath.Join(corpusDir, "*"))
	if len(files) == 0 {
		if os.Getenv("MAILLINT_REQUIRE_ORACLES") == "1" {
			t.Fatalf("no corpus files in %s", corpusDir)
		}
		t.Skipf("corpus %s not present", corpusDir)
	}
	return files
}

// TestRoundTripCorpus: every corpus file prints back byte for byte, and
// the linter reads it without crashing.
func TestRoundTripCorpus(t *testing.T) {
	files := corpusFiles(t)
	for _, p := range files {
		src, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		if got := Parse(p, src).Bytes(); !bytes.Equal(got, src) {
			t.Errorf("%s: round trip differs", filepath.Base(p))
		}
		doc, err := Format{}.Parse(p, src, 0o600, nil)
		if err != nil {
			t.Fatalf("%s: %v", filepath.Base(p), err)
		}
		linters.Run(doc, nil, linters.All())
	}
	t.Logf("%d mutt corpus files round-tripped and linted", len(files))
}
