package msmtp

import (
	"fmt"
	"testing"

	"github.com/maillint/maillint/fixers"
	"github.com/maillint/maillint/linters"
)

func TestDebugFix(t *testing.T) {
	src := []byte("00ACCount user54@mailbox.org\nhost smtp.mAilBoX.org\nor0\nACCnt 0:user54@mailbox.org\nt")
	for round := 0; round < 4; round++ {
		doc, _ := Format{}.Parse("f", src, 0o600, nil)
		fs := linters.Run(doc, nil, linters.All())
		fmt.Printf("=== round %d\n%s\n", round, src)
		var picked []*linters.Fix
		for _, f := range fs {
			fmt.Printf("  %s %d:%d-%d:%d %s\n", f.Rule, f.At.Start.Line, f.At.Start.Col, f.At.End.Line, f.At.End.Col, f.Message)
			if f.Fix != nil {
				for _, e := range f.Fix.Edits {
					fmt.Printf("     edit %d-%d %q\n", e.Start, e.End, e.New)
				}
			}
		}
		out, _ := fixers.Fixpoint(map[string][]byte{"f": src}, func(s map[string][]byte) ([]linters.Finding, error) {
			d, _ := Format{}.Parse("f", s["f"], 0o600, nil)
			return linters.Run(d, nil, linters.All()), nil
		}, func(*linters.Fix) bool { return true }, 1)
		_ = picked
		src = out.Files["f"]
	}
}
