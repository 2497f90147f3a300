//go:build unix

package main

// The wild corpus (issue 8): every real-world file of ../shared/corpus is
// parsed and printed back byte for byte by its adapter, linted, fixed with
// --write --unsafe-fixes on a copy (after which a second run proposes
// nothing), and, where the real client is installed, the client must still
// accept the fixed file if it accepted the original. Files of clients
// without an adapter must not crash maillint under any --type.

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/maillint/maillint/linters/gitconfig"
	"github.com/maillint/maillint/linters/msmtp"
	"github.com/maillint/maillint/linters/mutt"
	"github.com/maillint/maillint/linters/thunderbird"
)

// corpusRoot is ../shared/corpus from the repository.
var corpusRoot = filepath.Join(pkgDir, "..", "..", "..", "shared", "corpus")

// corpusName is the name each adapter's copy gets: the one its client uses.
var corpusName = map[string]string{"msmtp": "msmtprc", "mutt": "muttrc", "gitconfig": ".gitconfig", "thunderbird": "prefs.js"}

// roundTrip parses src with the format's syntax tree and prints it back.
func roundTrip(format string, src []byte) []byte {
	switch format {
	case "msmtp":
		return msmtp.Parse("f", src).Bytes()
	case "mutt":
		return mutt.Parse("f", src).Bytes()
	case "gitconfig":
		f, _ := gitconfig.Parse("f", src)
		return f.Bytes()
	case "thunderbird":
		return thunderbird.Parse("f", src).Bytes()
	}
	return nil
}

type corpusCount struct{ files, parsed, findings, fixed, oracle, accepted int }

func TestCorpus(t *testing.T) {
	index, err := os.ReadFile(filepath.Join(corpusRoot, "INDEX.tsv"))
	if err != nil {
		if os.Getenv("MAILLINT_REQUIRE_ORACLES") == "1" {
			t.Fatalf("the corpus is required (MAILLINT_REQUIRE_ORACLES=1): %v", err)
		}
		t.Skipf("no corpus: %v", err)
	}
	counts := map[string]*corpusCount{}
	for _, row := range strings.Split(strings.TrimSpace(string(index)), "\n")[1:] {
		cols := strings.Split(row, "\t")
		if len(cols) < 2 {
			continue
		}
		format, file := cols[0], cols[1]
		src, err := os.ReadFile(filepath.Join(corpusRoot, file))
		if err != nil {
			t.Errorf("%s: %v", file, err)
			continue
		}
		c := counts[format]
		if c == nil {
			c = &corpusCount{}
			counts[format] = c
		}
		c.files++
		if _, ok := corpusName[format]; !ok {
			// No adapter: maillint skips the file or reads it as any
			// format without crashing (hRun fails on a panic or a hang).
			dir := t.TempDir()
			hWrite(t, dir, map[string]string{"f": string(src)})
			for typ := range corpusName {
				if r := hRun(t, dir, nil, "--type", typ, "--diff", "--unsafe-fixes", "f"); r.code == ExitError {
					t.Errorf("%s as %s: exit 2:\n%s", file, typ, r.stderr)
				}
			}
			if r := hRun(t, dir, nil, "f"); r.code != ExitError || !strings.Contains(r.stderr, "cannot tell which client") {
				t.Errorf("%s without --type: exit %d\n%s", file, r.code, r.stderr)
			}
			continue
		}
		t.Run(file, func(t *testing.T) { corpusFile(t, format, file, src, c) })
	}
	var formats []string
	for f := range counts {
		formats = append(formats, f)
	}
	sort.Strings(formats)
	for _, f := range formats {
		c := counts[f]
		t.Logf("%-12s files %2d  parsed %2d  findings %3d  fixed %2d  client-accepted %d of %d", f, c.files, c.parsed, c.findings, c.fixed, c.accepted, c.oracle)
	}
}

func corpusFile(t *testing.T, format, file string, src []byte, c *corpusCount) {
	if got := roundTrip(format, src); !bytes.Equal(got, src) {
		t.Errorf("parse → print is not byte-identical")
	} else {
		c.parsed++
	}
	name := corpusName[format]
	if format == "thunderbird" {
		name = "thunderbird/p/prefs.js"
	}
	dir := t.TempDir()
	hWrite(t, dir, map[string]string{name: string(src), "home/.placeholder": ""})
	r := hRun(t, dir, nil, "--type", format, "--format", "json", name)
	if r.code == ExitError {
		t.Errorf("lint: exit 2:\n%s", r.stderr)
	}
	var rep struct{ Findings []json.RawMessage }
	if err := json.Unmarshal([]byte(r.stdout), &rep); err != nil {
		t.Errorf("lint: bad JSON: %v", err)
	}
	c.findings += len(rep.Findings)

	r = hRun(t, dir, nil, "--type", format, "--write", "--unsafe-fixes", name)
	if r.code == ExitError {
		t.Errorf("--write --unsafe-fixes: exit 2:\n%s", r.stderr)
	}
	fixed, err := os.ReadFile(filepath.Join(dir, name))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(fixed, src) {
		c.fixed++
	}
	if r := hRun(t, dir, nil, "--type", format, "--diff", "--unsafe-fixes", name); r.stdout != "" {
		t.Errorf("a second run still proposes:\n%s", r.stdout)
	}
	if bytes.Equal(fixed, src) {
		return
	}
	before, after, ran := clientAccepts(t, format, src), clientAccepts(t, format, fixed), true
	if before == nil {
		ran = false
	}
	if !ran {
		return
	}
	c.oracle++
	if *before != "" {
		t.Logf("%s rejects the original: %s", format, *before)
		return
	}
	if *after != "" {
		t.Errorf("%s accepted the original but rejects the fixed file: %s\nfixed:\n%s", format, *after, fixed)
		return
	}
	c.accepted++
}

// clientAccepts feeds src to the real client (nil when it is missing; a
// skip is a failure with MAILLINT_REQUIRE_ORACLES=1) and returns "" when
// the client accepts it, else what it said. Nothing in the file runs:
// commands are neutralised first, the same way for the original and the
// fixed file.
func clientAccepts(t *testing.T, format string, src []byte) *string {
	t.Helper()
	need := map[string]string{"msmtp": "msmtp", "mutt": "mutt", "gitconfig": "git", "thunderbird": "node"}[format]
	bin, err := exec.LookPath(need)
	if err != nil {
		if os.Getenv("MAILLINT_REQUIRE_ORACLES") == "1" {
			t.Fatalf("%s is required (MAILLINT_REQUIRE_ORACLES=1)", need)
		}
		return nil
	}
	dir := t.TempDir()
	home := filepath.Join(dir, "home")
	os.MkdirAll(home, 0o700)
	file := filepath.Join(dir, "f")
	env := []string{"HOME=" + home, "PATH=" + filepath.Join(dir, "no-such-bin"), "TERM=dumb", "LC_ALL=C", "GIT_CONFIG_NOSYSTEM=1", "TMPDIR=" + dir}
	var cmds [][]string
	switch format {
	case "msmtp":
		src = neutraliseMsmtp(src)
		cmds = nil
		for _, m := range regexp.MustCompile(`(?m)^[ \t]*account[ \t]+([^ \t\r\n:]+)`).FindAllSubmatch(src, -1) {
			cmds = append(cmds, []string{bin, "-C", file, "-a", string(m[1]), "--pretend"})
		}
	case "mutt":
		src = neutraliseMutt(src)
		cmds = [][]string{{bin, "-n", "-F", file, "-Q", "smtp_url"}}
	case "gitconfig":
		cmds = [][]string{{bin, "config", "-f", file, "--list"}}
	case "thunderbird":
		var js strings.Builder
		pf := thunderbird.Parse("f", src)
		for i, tk := range pf.Tokens {
			text := pf.Text(i)
			if tk.Kind == thunderbird.TokComment && strings.HasPrefix(text, "#") {
				js.WriteString("//" + text[1:]) // libpref's # comments
				continue
			}
			js.WriteString(text)
		}
		src = []byte(js.String())
		cmds = [][]string{{bin, "-e", `const vm = require('vm'); const fs = require('fs'); const f = () => {};
vm.runInContext(fs.readFileSync(process.argv[1], 'utf8'), vm.createContext({user_pref: f, pref: f, sticky_pref: f, lockPref: f}));`, file}}
	}
	if err := os.WriteFile(file, src, 0o600); err != nil {
		t.Fatal(err)
	}
	var why []string
	for _, args := range cmds {
		cmd := exec.Command(args[0], args[1:]...)
		cmd.Env, cmd.Dir, cmd.Stdin = env, dir, nil
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		err := cmd.Run()
		text := out.String()
		if err != nil || strings.Contains(text, "Error in ") {
			why = append(why, fmt.Sprintf("%s: %v %s", filepath.Base(args[0]), err, strings.TrimSpace(text)))
		}
	}
	s := strings.Join(why, "; ")
	return &s
}

var msmtpCommand = regexp.MustCompile(`(?m)^([ \t]*)(passwordeval|eval)\b.*$`)

// neutraliseMsmtp turns passwordeval into a password and eval into a
// comment (as linters/msmtp's oracle test does).
func neutraliseMsmtp(src []byte) []byte {
	return msmtpCommand.ReplaceAllFunc(src, func(m []byte) []byte {
		s := msmtpCommand.FindSubmatch(m)
		if string(s[2]) == "eval" {
			return append(append([]byte{}, s[1]...), "# eval removed"...)
		}
		return append(append([]byte{}, s[1]...), "password oracle"...)
	})
}

var (
	muttBackticks = regexp.MustCompile("`[^`\n]*`")
	muttRunsCmd   = regexp.MustCompile(`(?m)^[ \t]*(source|run|ifn?def)[ \t].*$`)
)

// neutraliseMutt replaces commands in backticks by inert text and
// comments out what may run a program (source "cmd|", source $var, run,
// ifdef) and the other sources (their files are not in the corpus): the
// same for the original and the fixed file.
func neutraliseMutt(src []byte) []byte {
	src = muttBackticks.ReplaceAll(src, []byte("DYNAMIC"))
	src = bytes.ReplaceAll(src, []byte("`"), []byte(" "))
	return muttRunsCmd.ReplaceAllFunc(src, func(m []byte) []byte { return []byte("# removed for the oracle") })
}
