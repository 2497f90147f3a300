package main

import (
	"flag"
	"fmt"
	"strings"
)

// fleetOptions are the flags of folder walks, CI outputs and maillint's own
// configuration, and the state of one run derived from them.
type fleetOptions struct {
	outputFile   string
	outputFormat string
	configPath   string
	failOn       string
	// ignoreUnknown skips named files no format recognises (pre-commit
	// passes every file its regex matches).
	ignoreUnknown bool

	// cfg is the loaded configuration (never nil after loadConfig).
	cfg *config
	// progress is the progress line of a folder walk, nil when not shown.
	progress *progress
}

// outputFormats are the values of --format and --output-format.
var outputFormats = []string{"text", "json", "sarif", "github"}

func (f *fleetOptions) register(fs *flag.FlagSet) {
	fs.StringVar(&f.outputFile, "output-file", "", "also write the report to FILE, in --output-format")
	fs.StringVar(&f.outputFormat, "output-format", "sarif", "format of --output-file: "+strings.Join(outputFormats, "|"))
	fs.StringVar(&f.configPath, "config", "", "read maillint's configuration from FILE instead of the nearest "+configName)
	fs.BoolVar(&f.ignoreUnknown, "ignore-unknown", false, "skip files named on the command line that configure no known client, instead of failing (for pre-commit)")
	fs.StringVar(&f.failOn, "fail-on", "", "lowest severity that makes the exit code 1: error|warning|info|never (default warning, or the config's fail-on)")
}

// validFormat checks a --format or --output-format value.
func validFormat(flagName, v string) error {
	for _, f := range outputFormats {
		if v == f {
			return nil
		}
	}
	return fmt.Errorf("unknown %s %q (use %s)", flagName, v, strings.Join(outputFormats, ", "))
}
