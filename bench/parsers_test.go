// Package bench holds maillint's benchmarks: each format's parser (and
// parser plus rules) over the generated fleet's files, in MB/s. The whole
// command over a fleet is BenchmarkFleetWalk in cmd/maillint; run.sh
// compares the built binary with grep and cat.
package bench

import (
	"testing"

	"github.com/maillint/maillint/bench/fleet"
	"github.com/maillint/maillint/linters"
	"github.com/maillint/maillint/linters/gitconfig"
	"github.com/maillint/maillint/linters/msmtp"
	"github.com/maillint/maillint/linters/mutt"
	"github.com/maillint/maillint/linters/thunderbird"
)

// sample is one generated file: its path in the fleet and content.
type sample struct {
	path string
	src  []byte
}

// samples returns the files of hosts hosts that format recognises.
func samples(b *testing.B, f linters.Format, hosts int) ([]sample, int64) {
	var out []sample
	var size int64
	for i := range hosts {
		for rel, content := range fleet.Host(i) {
			p := "/fleet/host/" + rel
			if f.Match(p) {
				out = append(out, sample{p, []byte(content)})
				size += int64(len(content))
			}
		}
	}
	if len(out) == 0 {
		b.Fatalf("no fleet file is %s", f.Name())
	}
	return out, size
}

var formats = []linters.Format{msmtp.Format{}, mutt.Format{}, gitconfig.Format{}, thunderbird.Format{}}

// BenchmarkParse measures each format's parser alone.
func BenchmarkParse(b *testing.B) {
	for _, f := range formats {
		b.Run(f.Name(), func(b *testing.B) {
			files, size := samples(b, f, 200)
			ctx := &linters.Context{}
			b.SetBytes(size)
			b.ReportAllocs()
			for b.Loop() {
				for _, s := range files {
					if _, err := f.Parse(s.path, s.src, 0o600, ctx); err != nil {
						b.Fatal(err)
					}
				}
			}
		})
	}
}

// BenchmarkLint measures parsing and every rule, as one file's check does.
func BenchmarkLint(b *testing.B) {
	rules := linters.All()
	for _, f := range formats {
		b.Run(f.Name(), func(b *testing.B) {
			files, size := samples(b, f, 200)
			ctx := &linters.Context{}
			b.SetBytes(size)
			b.ReportAllocs()
			for b.Loop() {
				for _, s := range files {
					doc, err := f.Parse(s.path, s.src, 0o600, ctx)
					if err != nil {
						b.Fatal(err)
					}
					linters.Run(doc, nil, rules)
				}
			}
		})
	}
}
