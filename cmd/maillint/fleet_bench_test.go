package main

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/maillint/maillint/bench/fleet"
	"github.com/spf13/afero"
)

// benchFleet generates a fleet of hosts once per size, in a folder that
// outlives the benchmark's iterations. MAILLINT_BENCH_FLEET names an
// existing fleet to use instead (see bench/run.sh).
func benchFleet(b *testing.B, hosts int) string {
	if dir := os.Getenv("MAILLINT_BENCH_FLEET"); dir != "" {
		return dir
	}
	dir := filepath.Join(b.TempDir(), "fleet")
	if err := fleet.Generate(dir, hosts); err != nil {
		b.Fatal(err)
	}
	return dir
}

// BenchmarkFleetWalk runs the whole command (walk, parse, lint, report) on
// a generated fleet; files/s is the throughput. Its cost should be linear
// in the number of files: compare the sizes.
func BenchmarkFleetWalk(b *testing.B) {
	for _, hosts := range []int{250, 1000} {
		b.Run(fmt.Sprintf("hosts=%d", hosts), func(b *testing.B) {
			dir := benchFleet(b, hosts)
			var size int64
			files := 0
			filepath.Walk(dir, func(_ string, fi os.FileInfo, err error) error {
				if err == nil && fi.Mode().IsRegular() {
					size += fi.Size()
					files++
				}
				return nil
			})
			b.SetBytes(size)
			b.ResetTimer()
			for b.Loop() {
				var out bytes.Buffer
				c := &Command{Stdout: &out, Stderr: io.Discard, Fs: afero.NewOsFs(), Getenv: func(string) string { return "" }, Wd: dir}
				if code := c.Main([]string{"--format", "json", dir}); code == ExitError {
					b.Fatalf("exit 2")
				}
			}
			b.ReportMetric(float64(files)*float64(b.N)/b.Elapsed().Seconds(), "files/s")
		})
	}
}

// fleetCommand is a Command on the real file system, and its options for
// a JSON run over the fleet in dir.
func fleetCommand(b *testing.B, dir string) (*Command, *options) {
	c := &Command{Stdout: io.Discard, Stderr: io.Discard, Fs: afero.NewOsFs(), Getenv: func(string) string { return "" }, Wd: dir, cwd: &cwdCache{}}
	o, err := c.parseArgs([]string{"--format", "json", dir})
	if err != nil {
		b.Fatal(err)
	}
	return c, o
}

// BenchmarkFleetReadOnly runs the command's own walk and file reads, with
// --jobs workers as checkAll uses them, and nothing else: the part of
// BenchmarkFleetWalk that parsing and linting cannot make faster.
func BenchmarkFleetReadOnly(b *testing.B) {
	c, o := fleetCommand(b, benchFleet(b, 1000))
	for b.Loop() {
		ins, _ := c.collect(o)
		var next atomic.Int64
		var wg sync.WaitGroup
		for range o.jobs {
			wg.Go(func() {
				for {
					i := int(next.Add(1)) - 1
					if i >= len(ins) {
						return
					}
					if _, _, err := c.readFile(ins[i].path); err != nil {
						b.Error(err)
					}
				}
			})
		}
		wg.Wait()
	}
}

// BenchmarkFleetWalkOnly runs the command's walk alone.
func BenchmarkFleetWalkOnly(b *testing.B) {
	c, o := fleetCommand(b, benchFleet(b, 1000))
	for b.Loop() {
		c.collect(o)
	}
}
