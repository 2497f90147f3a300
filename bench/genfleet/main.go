// Command genfleet writes a benchmark fleet of mail client configs:
//
//	go run ./bench/genfleet [-hosts 5000] DIR
//
// DIR/hosts/host-NNNNN/ gets an .msmtprc, a .muttrc, a .gitconfig and a
// Thunderbird prefs.js (4 files per host; 20,000 files for 5,000 hosts).
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/maillint/maillint/bench/fleet"
)

func main() {
	hosts := flag.Int("hosts", 5000, "number of hosts")
	flag.Parse()
	if flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: genfleet [-hosts N] DIR")
		os.Exit(2)
	}
	if err := fleet.Generate(flag.Arg(0), *hosts); err != nil {
		fmt.Fprintln(os.Stderr, "genfleet:", err)
		os.Exit(1)
	}
	fmt.Printf("genfleet: %d files in %s\n", *hosts*fleet.Files, flag.Arg(0))
}
