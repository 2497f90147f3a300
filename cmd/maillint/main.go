// Command maillint checks mail client configurations (msmtp, mutt/neomutt,
// Thunderbird prefs.js/user.js, git send-email) for settings that keep mail
// from being sent or leak credentials, and fixes them.
//
// See README.md for the flags, exit codes and output formats.
package main

import (
	"os"

	"github.com/spf13/afero"
)

func main() {
	tuneGC()
	cmd := &Command{
		Stdin:  os.Stdin,
		Stdout: os.Stdout,
		Stderr: os.Stderr,
		Fs:     afero.NewOsFs(),
		Getenv: os.Getenv,
	}
	os.Exit(cmd.Main(os.Args[1:]))
}
