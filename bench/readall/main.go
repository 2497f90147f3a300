// Command readall walks a folder and reads every regular file in it with
// as many workers as CPUs, and does nothing else: the cost of the walk and
// the reads alone, which bench/run.sh compares with maillint (what is left
// of maillint's time is parsing, rules and the report) and with grep.
//
//	go run ./bench/readall DIR
package main

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"sync"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: readall DIR")
		os.Exit(2)
	}
	paths := make(chan string, 256)
	var wg sync.WaitGroup
	var mu sync.Mutex
	files, bytes := 0, 0
	for range runtime.NumCPU() {
		wg.Go(func() {
			n, b := 0, 0
			for p := range paths {
				if data, err := os.ReadFile(p); err == nil {
					n, b = n+1, b+len(data)
				}
			}
			mu.Lock()
			files, bytes = files+n, bytes+b
			mu.Unlock()
		})
	}
	filepath.WalkDir(os.Args[1], func(p string, d fs.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() {
			paths <- p
		}
		return nil
	})
	close(paths)
	wg.Wait()
	fmt.Printf("%d files, %d bytes\n", files, bytes)
}
