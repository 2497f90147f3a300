package main

import (
	"flag"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/maillint/maillint/linters"
)

// TestREADMERules keeps README's rule table equal to `maillint rules`.
func TestREADMERules(t *testing.T) {
	b, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	row := regexp.MustCompile("(?m)^\\| `([a-z-]+)` \\| (\\w+) \\| ([a-z/]+) \\| (.+) \\|$")
	rows := row.FindAllStringSubmatch(string(b), -1)
	got := map[string][]string{}
	for _, r := range rows {
		got[r[1]] = r[2:]
	}
	for _, r := range linters.All() {
		want := []string{r.Severity.String(), string(r.Fixable), r.Summary}
		g, ok := got[r.ID]
		if !ok {
			t.Errorf("README has no row for rule %s", r.ID)
			continue
		}
		if strings.Join(g, "|") != strings.Join(want, "|") {
			t.Errorf("README row for %s = %q, want %q", r.ID, g, want)
		}
		delete(got, r.ID)
	}
	for id := range got {
		t.Errorf("README lists rule %s, which does not exist", id)
	}
}

// TestREADMEFlags checks that README documents every flag.
func TestREADMEFlags(t *testing.T) {
	b, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	(&Command{}).flagSet(&options{}).VisitAll(func(f *flag.Flag) {
		name := "--" + f.Name
		if len(f.Name) == 1 {
			name = "-" + f.Name
		}
		if !strings.Contains(string(b), "`"+name) {
			t.Errorf("README does not document %s", name)
		}
	})
}
