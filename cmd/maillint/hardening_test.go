//go:build unix

package main

// Hostile input (issue 8): binary files, invalid UTF-8, NUL bytes, a
// 150 MB file, lines of megabytes, thousands of accounts, deep and cyclic
// source/include, include bombs, symlink loops, unreadable files and
// folders, paths that vanish mid-walk, FIFOs and devices. Each must give a
// clear finding or error naming the file (exit 2 where the input is
// unusable) in bounded time and memory, never a panic or a hang.

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/spf13/afero"
)

// hDeadline bounds every run of a hostile input. It is generous: the
// slowest input here (10,000 Thunderbird accounts with --diff) takes about
// 5 s on a 2-CPU machine, and a newcomer's machine at a load average of 12
// made a 20 s bound fail. A hang, or a quadratic path on these inputs,
// exceeds it by far. (Speed is measured by the benchmarks, not here.)
const hDeadline = 90 * time.Second

// hOutCap is how much of stdout and stderr a run keeps; the rest is only
// counted, so a run that prints gigabytes fails on its size, not on memory.
const hOutCap = 1 << 20

// capWriter keeps the first hOutCap bytes written to it and counts all.
type capWriter struct {
	mu  sync.Mutex
	buf bytes.Buffer
	n   int64
}

func (w *capWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.n += int64(len(p))
	if room := hOutCap - w.buf.Len(); room > 0 {
		w.buf.Write(p[:min(len(p), room)])
	}
	return len(p), nil
}

func (w *capWriter) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.buf.String()
}

// hResult is one run of maillint in process.
type hResult struct {
	code           int
	stdout, stderr string
	outBytes       int64 // all bytes written to stdout
	took           time.Duration
}

// hRun runs maillint in process in folder dir (the working directory of
// the test process too) on fsys (nil: the OS) and fails the test when it
// does not return within hDeadline or panics.
func hRun(t *testing.T, dir string, fsys afero.Fs, args ...string) hResult {
	t.Helper()
	if fsys == nil {
		fsys = afero.NewOsFs()
	}
	t.Chdir(dir)
	var out, errOut capWriter
	c := &Command{Stdout: &out, Stderr: &errOut, Fs: fsys, Wd: dir, Getenv: func(k string) string {
		if k == "HOME" {
			return filepath.Join(dir, "home")
		}
		return ""
	}}
	type res struct {
		code  int
		panic any
	}
	done := make(chan res, 1)
	start := time.Now()
	go func() {
		defer func() {
			if p := recover(); p != nil {
				done <- res{panic: p}
			}
		}()
		done <- res{code: c.Main(args)}
	}()
	var r res
	select {
	case r = <-done:
	case <-time.After(hDeadline):
		t.Fatalf("maillint %s did not finish within %v (a hang or a quadratic path)", strings.Join(args, " "), hDeadline)
	}
	if r.panic != nil {
		t.Fatalf("maillint %s panicked: %v", strings.Join(args, " "), r.panic)
	}
	return hResult{code: r.code, stdout: out.String(), stderr: errOut.String(), outBytes: out.n, took: time.Since(start)}
}

// hWrite writes files (path relative to dir -> content) with mode 0600.
func hWrite(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for p, s := range files {
		full := filepath.Join(dir, p)
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(s), 0o600); err != nil {
			t.Fatal(err)
		}
	}
}

func hExpect(t *testing.T, r hResult, code int, wantIn ...string) {
	t.Helper()
	if r.code != code {
		t.Errorf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", r.code, code, clip(r.stdout), clip(r.stderr))
	}
	for _, w := range wantIn {
		if !strings.Contains(r.stdout+r.stderr, w) {
			t.Errorf("output lacks %q\nstdout:\n%s\nstderr:\n%s", w, clip(r.stdout), clip(r.stderr))
		}
	}
}

func clip(s string) string {
	if len(s) > 4000 {
		return s[:4000] + "…"
	}
	return s
}

// hFormats are the formats' --type names with a recognised file name and a
// small valid config.
var hFormats = []struct{ typ, name, conf string }{
	{"msmtp", "msmtprc", "account a\nhost smtp.gmail.com\nport 587\ntls on\nauth on\nuser kim@gmail.com\nfrom kim@gmail.com\npasswordeval \"pass x\"\n"},
	{"mutt", "muttrc", "set smtp_url = \"smtp://kim@gmail.com@smtp.gmail.com:587/\"\nset ssl_force_tls = yes\n"},
	{"gitconfig", ".gitconfig", "[sendemail]\n\tsmtpServer = smtp.gmail.com\n\tsmtpServerPort = 587\n\tsmtpEncryption = tls\n\tsmtpUser = kim@gmail.com\n"},
	{"thunderbird", "thunderbird/p/prefs.js", "user_pref(\"mail.smtpservers\", \"smtp1\");\nuser_pref(\"mail.smtpserver.smtp1.hostname\", \"smtp.gmail.com\");\nuser_pref(\"mail.smtpserver.smtp1.port\", 465);\nuser_pref(\"mail.smtpserver.smtp1.try_ssl\", 3);\n"},
}

// TestHostileBinary: a file with NUL bytes named on the command line is
// an input error naming it (exit 2), whatever --type says; found in a
// folder it is skipped with a notice; included or sourced it is a finding
// naming it. Other files are still checked.
func TestHostileBinary(t *testing.T) {
	dir := t.TempDir()
	bin := "\x7fELF\x02\x01\x01\x00\x00\x00host smtp.gmail.com\n\x00\x00\xff\xfe"
	files := map[string]string{
		"named/msmtprc":                bin,
		"nul-late/msmtprc":             "account a\nhost smtp.gmail.com\nport 587\ntls on\n# trailing\x00\n",
		"walk/msmtprc":                 bin,
		"walk/ok/msmtprc":              hFormats[0].conf,
		"mutt/muttrc":                  "source acc\nset ssl_force_tls = yes\n",
		"mutt/acc":                     "set smtp_url = smtp://h.example.org\x00\n",
		"git/.gitconfig":               "[include]\n\tpath = inc\n",
		"git/inc":                      "[sendemail]\n\tsmtpServer = x\x00y\n",
		"tb/thunderbird/p/prefs.js":    "user_pref(\"a\", 1);\n",
		"tb/thunderbird/p/user.js":     "user_pref(\"b\", \"\x00\");\n",
		"tb/thunderbird/profiles.ini":  "[Profile0]\nName=default\nIsRelative=1\nPath=p\nDefault=1\n",
		"tb/thunderbird/p/prefs.js.gz": bin,
	}
	hWrite(t, dir, files)
	for _, f := range hFormats {
		t.Run("named/"+f.typ, func(t *testing.T) {
			r := hRun(t, dir, nil, "--type", f.typ, "named/msmtprc", "walk/ok/msmtprc")
			hExpect(t, r, ExitError, "named/msmtprc: not a text file")
			if f.typ == "msmtp" && !strings.Contains(r.stderr, "2 files checked") && !strings.Contains(r.stderr, "1 file checked") {
				t.Errorf("the other file was not checked:\n%s", r.stderr)
			}
		})
	}
	t.Run("nul-late", func(t *testing.T) {
		hExpect(t, hRun(t, dir, nil, "nul-late/msmtprc"), ExitError, "nul-late/msmtprc: not a text file")
	})
	t.Run("walked", func(t *testing.T) {
		r := hRun(t, dir, nil, "walk")
		hExpect(t, r, ExitClean, "walk/msmtprc: skipped: not a text file", "1 file checked")
	})
	t.Run("sourced", func(t *testing.T) {
		r := hRun(t, dir, nil, "mutt/muttrc")
		hExpect(t, r, ExitClean, "acc is not followed: it is not a text file", "[include-missing]")
	})
	t.Run("included", func(t *testing.T) {
		r := hRun(t, dir, nil, "--format", "json", "git/.gitconfig")
		if r.code == ExitClean || !strings.Contains(r.stdout, "git/inc") {
			t.Errorf("a binary included file gave no finding naming it (exit %d):\n%s%s", r.code, r.stdout, r.stderr)
		}
		if !json.Valid([]byte(r.stdout)) {
			t.Errorf("invalid JSON:\n%s", r.stdout)
		}
	})
	t.Run("user.js", func(t *testing.T) {
		r := hRun(t, dir, nil, "tb/thunderbird/p/prefs.js")
		if !strings.Contains(r.stdout+r.stderr, "user.js") {
			t.Errorf("a binary user.js is not named (exit %d):\n%s%s", r.code, r.stdout, r.stderr)
		}
	})
}

// TestHostileInvalidUTF8: invalid UTF-8 in keys, values and comments of
// every format parses without a panic; JSON and SARIF stay valid JSON and
// valid UTF-8, and the text report is valid UTF-8 and holds no control
// characters from the file (no terminal escape injection).
func TestHostileInvalidUTF8(t *testing.T) {
	dir := t.TempDir()
	const bad = "\xff\xfe\xc3(\xe2\x82\x1b[2K\x1b]0;pwned\x07\r"
	files := map[string]string{
		"msmtprc":                        "# " + bad + "\naccount a" + bad + "\nhost smtp.gmail.com" + bad + "\nport 25\nuser u" + bad + "\nfrom " + bad + "@gmail.com\nhost" + bad + "x\n",
		"muttrc":                         "# " + bad + "\nset smtp_url = \"smtp://u" + bad + "@smtp.gmail.com" + bad + ":25/\"\nset " + bad + " = 1\nset from = '" + bad + "'\n",
		".gitconfig":                     "; " + bad + "\n[sendemail \"" + bad + "\"]\n\tsmtpServer = smtp.gmail.com" + bad + "\n\tsmtpServerPort = 25\n\tsmtp" + bad + " = x\n[" + bad + "]\n",
		"thunderbird/p/prefs.js":         "// " + bad + "\nuser_pref(\"mail.smtpserver.s" + bad + ".hostname\", \"imap.gmail.com" + bad + "\");\nuser_pref(\"mail.smtpserver.s" + bad + ".port\", 25);\nuser_pref(\"" + bad + "\", " + bad + ");\n",
		"thunderbird/p/prefs-latin1.js":  "user_pref(\"mail.identity.id1.fullName\", \"Jos\xe9\");\n",
		"thunderbird/p/prefs-utf16le.js": "\xff\xfeu\x00s\x00",
	}
	hWrite(t, dir, files)
	for name := range files {
		for _, format := range []string{"text", "json", "sarif", "github"} {
			typ := map[string]string{"msmtprc": "msmtp", "muttrc": "mutt", ".gitconfig": "gitconfig"}[name]
			if typ == "" {
				typ = "thunderbird"
			}
			// With --diff, stdout is the patch, which must hold the file's
			// bytes as they are; the findings go to stderr.
			r := hRun(t, dir, nil, "--type", typ, "--format", format, "--diff", "--unsafe-fixes", name)
			r2 := hRun(t, dir, nil, "--type", typ, "--format", format, name)
			for i, r := range []hResult{r, r2} {
				if r.code == ExitError && !strings.Contains(r.stderr, name) && !strings.Contains(r.stdout, name) {
					t.Errorf("%s %s: exit 2 without naming the file:\n%s%s", name, format, r.stdout, r.stderr)
				}
				out := r.stderr
				if i == 1 {
					out += r.stdout
				}
				if format == "text" || format == "github" {
					if !utf8.ValidString(out) {
						t.Errorf("%s --format %s: the report is not valid UTF-8:\n%q", name, format, clip(out))
					}
					if strings.ContainsAny(out, "\x1b\x07\r\x00") {
						t.Errorf("%s --format %s: control characters from the file reach the report:\n%q", name, format, clip(out))
					}
				}
			}
			if format == "json" || format == "sarif" {
				if !json.Valid([]byte(r2.stdout)) || !utf8.ValidString(r2.stdout) {
					t.Errorf("%s --format %s: invalid JSON:\n%q", name, format, clip(r2.stdout))
				}
			}
		}
	}
}

// hGenerous is how much memory (bytes allocated over the run) refusing a
// 150 MB file may take: far less than the file.
const hGenerous = 40 << 20

// allocated returns the bytes allocated while f ran.
func allocated(f func()) uint64 {
	var a, b runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&a)
	f()
	runtime.ReadMemStats(&b)
	return b.TotalAlloc - a.TotalAlloc
}

// TestHostileHugeFile: a 150 MB file is refused by its size, before it is
// read, wherever it comes from: named (exit 2, with and without --type), in
// a walk (a notice), sourced, included, as user.js, as --config and as
// --ca-file.
func TestHostileHugeFile(t *testing.T) {
	dir := t.TempDir()
	big := func(name string) {
		p := filepath.Join(dir, name)
		os.MkdirAll(filepath.Dir(p), 0o755)
		f, err := os.Create(p)
		if err != nil {
			t.Fatal(err)
		}
		// A sparse file: 150 MB that cost no disk. Its first line looks
		// like a config so only the size can refuse it.
		f.WriteString("account a\nhost smtp.gmail.com\n")
		if err := f.Truncate(150 << 20); err != nil {
			t.Fatal(err)
		}
		f.Close()
	}
	for _, p := range []string{"named/msmtprc", "walk/msmtprc", "mutt/big", "git/big", "tb/thunderbird/p/user.js", "big.toml", "big.pem"} {
		big(p)
	}
	hWrite(t, dir, map[string]string{
		"walk/ok/msmtprc":             hFormats[0].conf,
		"mutt/muttrc":                 "source big\nset ssl_force_tls = yes\n",
		"git/.gitconfig":              "[include]\n\tpath = big\n",
		"tb/thunderbird/p/prefs.js":   "user_pref(\"a\", 1);\n",
		"tb/thunderbird/profiles.ini": "[Profile0]\nName=default\nIsRelative=1\nPath=p\nDefault=1\n",
		"ok/msmtprc":                  hFormats[0].conf,
	})
	cases := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"named", []string{"named/msmtprc"}, ExitError, "named/msmtprc: larger than the 8 MiB limit"},
		{"named-type", []string{"--type", "mutt", "named/msmtprc"}, ExitError, "named/msmtprc: larger than the 8 MiB limit"},
		{"walked", []string{"walk"}, ExitClean, "walk/msmtprc: skipped: larger than the 8 MiB limit"},
		{"sourced", []string{"mutt/muttrc"}, ExitClean, "big is not followed: larger than the 8 MiB limit"},
		// git stops at an include it cannot read: an error; Thunderbird
		// runs without a user.js it cannot read: said, at info.
		{"included", []string{"git/.gitconfig"}, ExitFindings, "git/big cannot be read (larger than the 8 MiB limit); git stops [include-missing]"},
		{"user.js", []string{"tb/thunderbird/p/prefs.js"}, ExitClean, "user.js cannot be read (larger than the 8 MiB limit)"},
		{"config", []string{"--config", "big.toml", "ok/msmtprc"}, ExitError, "big.toml: larger than the 8 MiB limit"},
		{"ca-file", []string{"--verify", "--ca-file", "big.pem", "--timeout", "1s", "--connect-to", "::127.0.0.1:1", "ok/msmtprc"}, ExitError, "big.pem: larger than the 8 MiB limit"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var r hResult
			n := allocated(func() { r = hRun(t, dir, nil, c.args...) })
			hExpect(t, r, c.code, c.want)
			if n > hGenerous {
				t.Errorf("refusing a 150 MB file allocated %d MB: it was read", n>>20)
			}
		})
	}
}

// TestHostileLongLines: lines of megabytes (a host, a password, a URL, a
// whole prefs.js on one line with thousands of prefs, a mutt line of
// thousands of commands) take bounded time, and the report grows at most
// linearly: the shown source line is cut, and a finding far into a line
// does not print the distance as padding.
func TestHostileLongLines(t *testing.T) {
	dir := t.TempDir()
	mb := func(c string, n int) string { return strings.Repeat(c, n) }
	var tb, hooks strings.Builder
	for i := range 4000 {
		fmt.Fprintf(&tb, "user_pref(\"mail.smtpserver.smtp%d.hostname\", \"imap.gmail.com\"); user_pref(\"mail.smtpserver.smtp%d.port\", 25); ", i, i)
		fmt.Fprintf(&hooks, "account-hook imaps://u%d@imap.gmail.com/ 'set smtp_url=smtp://u%d@smtp.gmail.com:25/' ; ", i, i)
	}
	files := map[string]string{
		"host/msmtprc":               "account a\nhost " + mb("h", 4<<20) + "\nport 587\ntls on\n",
		"pass/msmtprc":               "account a\nhost smtp.gmail.com\nport 25\npassword " + mb("p", 3<<20) + "\n",
		"url/muttrc":                 "set smtp_url='smtp://u:" + mb("p", 3<<20) + "@smtp.gmail.com:25/'\n",
		"hooks/muttrc":               hooks.String() + "\n",
		"cmds/muttrc":                mb("set ssl_force_tls=no ; ", 100000) + "\n",
		"git/.gitconfig":             "[sendemail]\n\tsmtpServer = " + mb("h", 4<<20) + "\n\tsmtpPass = " + mb("p", 3<<20) + "\n",
		"tb/thunderbird/p/prefs.js":  tb.String() + "\n",
		"tb2/thunderbird/p/prefs.js": "user_pref(\"mail.smtpserver.s.hostname\", \"" + mb("h", 4<<20) + "\");\n",
	}
	hWrite(t, dir, files)
	for name, src := range files {
		for _, mode := range [][]string{nil, {"--format", "json"}, {"--format", "sarif"}, {"--format", "github"}, {"--diff", "--unsafe-fixes"}} {
			args := append(append([]string(nil), mode...), name)
			r := hRun(t, dir, nil, args...)
			if r.code == ExitError {
				t.Errorf("%v: exit 2:\n%s", args, clip(r.stderr))
			}
			// A finding costs a bounded report (the source line is cut at
			// 200 bytes, a message quotes a value once), and findings are
			// at most a few per setting: so the report stays within a
			// bounded multiple of the input, however many findings one
			// line holds. Printing the line up to each finding would be
			// thousands of times the input.
			if limit := int64(100*len(src) + 1<<20); r.outBytes > limit {
				t.Errorf("%v: %d bytes of output for %d bytes of input (limit %d): not linear", args, r.outBytes, len(src), limit)
			}
			t.Logf("%v: %v, %d bytes out", args, r.took.Round(time.Millisecond), r.outBytes)
		}
	}
}

// hMany returns configs of n accounts per format, each with findings and
// followed by a comment of pad bytes (a big file with few findings).
func hMany(n, pad int) map[string]string {
	var m, mu, g, tb, hooks strings.Builder
	var ids []string
	c := strings.Repeat("c", pad)
	for i := range n {
		fmt.Fprintf(&m, "account a%d\nhost smtp.gmail.com\nport 25\nauth on\nuser u%d\npassword secret%d\nfrom u%d@gmail.com\n# %s\n", i, i, i, i, c)
		fmt.Fprintf(&mu, "set smtp_url = 'smtp://u%d:pw%d@smtp.gmail.com:25/'\nset smtp_pass = 'p%d'\n# %s\n", i, i, i, c)
		fmt.Fprintf(&hooks, "account-hook imaps://u%d@imap.gmail.com/ 'set smtp_url=smtp://u%d@smtp.gmail.com:25/ smtp_pass=p%d'\n# %s\n", i, i, i, c)
		fmt.Fprintf(&g, "[sendemail \"i%d\"]\n\tsmtpServer = smtp.gmail.com\n\tsmtpServerPort = 25\n\tsmtpUser = u%d\n\tsmtpPass = p%d\n# %s\n", i, i, i, c)
		fmt.Fprintf(&tb, "user_pref(\"mail.smtpserver.smtp%d.hostname\", \"imap.gmail.com\");\nuser_pref(\"mail.smtpserver.smtp%d.port\", 25);\nuser_pref(\"mail.smtpserver.smtp%d.password\", \"pw%d\");\n", i, i, i, i)
		fmt.Fprintf(&tb, "user_pref(\"mail.server.server%d.hostname\", \"smtp.gmail.com\");\nuser_pref(\"mail.server.server%d.type\", \"imap\");\nuser_pref(\"mail.server.server%d.port\", 143);\n// %s\n", i, i, i, c)
		ids = append(ids, fmt.Sprintf("smtp%d", i))
	}
	fmt.Fprintf(&tb, "user_pref(\"mail.smtpservers\", \"%s\");\n", strings.Join(ids, ","))
	return map[string]string{
		"msmtprc":                m.String(),
		"muttrc":                 mu.String(),
		"hooks/muttrc":           hooks.String(),
		".gitconfig":             g.String(),
		"thunderbird/p/prefs.js": tb.String(),
	}
}

// TestHostileManyAccounts: thousands of accounts, each with findings, take
// bounded time to lint and to fix: no parser, rule, printer, writer or
// the fix loop is quadratic in the number of accounts, settings, secrets
// or findings (10,000 accounts: a second or two each when linear, minutes
// when not), nor in findings × file size (2,000 accounts padded to 4 MB,
// in the formats that convert offsets: SARIF and GitHub).
func TestHostileManyAccounts(t *testing.T) {
	runs := []struct {
		n, pad int
		modes  [][]string
	}{
		{10000, 0, [][]string{nil, {"--diff", "--unsafe-fixes"}}},
		{2000, 2000, [][]string{{"--format", "sarif"}, {"--format", "github"}}},
	}
	if testing.Short() {
		runs[0].n, runs[1].n = 1000, 200
	}
	for _, run := range runs {
		dir := t.TempDir()
		files := hMany(run.n, run.pad)
		hWrite(t, dir, files)
		for name := range files {
			for _, mode := range run.modes {
				args := append(append([]string(nil), mode...), name)
				r := hRun(t, dir, nil, args...)
				if r.code != ExitFindings {
					t.Errorf("%v: exit %d, want 1:\n%s", args, r.code, clip(r.stderr))
				}
				t.Logf("%v: %d accounts (%d bytes) in %v, %d bytes out", args, run.n, len(files[name]), r.took.Round(time.Millisecond), r.outBytes)
			}
		}
	}
}

// TestHostileIncludes: deep chains, cycles, self-inclusion and include
// bombs (each level including the next fifty times) end in bounded time
// with findings naming the file.
func TestHostileIncludes(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"mself/muttrc":      "source muttrc\nset ssl_force_tls = yes\n",
		"mcycle/muttrc":     "source b.rc\n",
		"mcycle/b.rc":       "source muttrc\n",
		"gself/.gitconfig":  "[include]\n\tpath = .gitconfig\n",
		"gcycle/.gitconfig": "[include]\n\tpath = b.inc\n[sendemail]\n\tsmtpServer = smtp.gmail.com\n",
		"gcycle/b.inc":      "[include]\n\tpath = .gitconfig\n",
	}
	for i := range 200 {
		files[fmt.Sprintf("mdeep/l%d.rc", i)] = fmt.Sprintf("source l%d.rc\n", i+1)
		files[fmt.Sprintf("gdeep/l%d.inc", i)] = fmt.Sprintf("[include]\n\tpath = l%d.inc\n", i+1)
	}
	files["mdeep/muttrc"] = "source l0.rc\n"
	files["gdeep/.gitconfig"] = "[include]\n\tpath = l0.inc\n"
	for i := range 16 {
		files[fmt.Sprintf("mbomb/l%d.rc", i)] = strings.Repeat(fmt.Sprintf("source l%d.rc\n", i+1), 50)
		files[fmt.Sprintf("gbomb/l%d.inc", i)] = strings.Repeat(fmt.Sprintf("[include]\n\tpath = l%d.inc\n", i+1), 50)
	}
	files["mbomb/l16.rc"] = strings.Repeat("set smtp_url = 'smtp://u@smtp.gmail.com:25/'\n", 100)
	files["gbomb/l16.inc"] = strings.Repeat("[sendemail]\n\tsmtpServer = smtp.gmail.com\n\tsmtpServerPort = 25\n", 100)
	files["mbomb/muttrc"] = "source l0.rc\n"
	files["gbomb/.gitconfig"] = "[include]\n\tpath = l0.inc\n"
	hWrite(t, dir, files)
	cases := []struct{ path, want string }{
		{"mself/muttrc", "sources itself"},
		{"mcycle/muttrc", "sources itself"},
		{"gself/.gitconfig", "include cycle"},
		{"gcycle/.gitconfig", "include cycle"},
		{"mdeep/muttrc", "more than 16 nested source commands"},
		{"gdeep/.gitconfig", "includes nest more than 10 deep"},
		{"mbomb/muttrc", "not followed: the configuration sources more than"},
		{"gbomb/.gitconfig", "not followed: the configuration includes more than"},
	}
	for _, c := range cases {
		for _, mode := range [][]string{nil, {"--diff", "--unsafe-fixes"}} {
			args := append(append([]string(nil), mode...), c.path)
			r := hRun(t, dir, nil, args...)
			if r.code == ExitError || !strings.Contains(r.stdout+r.stderr, c.want) {
				t.Errorf("%v: exit %d, want a finding %q:\n%s\n%s", args, r.code, c.want, clip(r.stdout), clip(r.stderr))
			}
			t.Logf("%v: %v", args, r.took.Round(time.Millisecond))
		}
	}
}

// TestHostileSymlinks: a symlink loop or a dangling symlink named on the
// command line is an error naming it; sourced or included it is a
// finding; a folder walk through loops ends (see also TestWalkSymlinkLoop).
func TestHostileSymlinks(t *testing.T) {
	dir := t.TempDir()
	hWrite(t, dir, map[string]string{
		"m/muttrc":     "source cyc\nset ssl_force_tls = yes\n",
		"g/.gitconfig": "[include]\n\tpath = cyc\n",
		"w/ok/msmtprc": hFormats[0].conf,
	})
	links := [][2]string{
		{"msmtprc", "loop/msmtprc"}, {"loop/msmtprc", "msmtprc"},
		{"missing", "dangling/msmtprc"},
		{"cyc2", "m/cyc"}, {"cyc", "m/cyc2"},
		{"cyc2", "g/cyc"}, {"cyc", "g/cyc2"},
		{"..", "w/ok/up"}, {"../w", "w/ok/w"}, {"self", "w/self"}, {"msmtprc", "w/msmtprc"},
	}
	os.MkdirAll(filepath.Join(dir, "loop"), 0o755)
	os.MkdirAll(filepath.Join(dir, "dangling"), 0o755)
	for _, l := range links {
		if err := os.Symlink(l[0], filepath.Join(dir, l[1])); err != nil {
			t.Skip("no symlinks:", err)
		}
	}
	os.Symlink("loop/msmtprc", filepath.Join(dir, "msmtprc"))
	hExpect(t, hRun(t, dir, nil, "loop/msmtprc"), ExitError, "loop/msmtprc: too many levels of symbolic links")
	hExpect(t, hRun(t, dir, nil, "dangling/msmtprc"), ExitError, "dangling/msmtprc: no such file or directory")
	hExpect(t, hRun(t, dir, nil, "m/muttrc"), ExitClean, "cyc is not followed: too many levels of symbolic links")
	r := hRun(t, dir, nil, "g/.gitconfig")
	if !strings.Contains(r.stdout, "cyc cannot be read (too many levels of symbolic links)") {
		t.Errorf("include of a symlink loop:\n%s%s", r.stdout, r.stderr)
	}
	r = hRun(t, dir, nil, "w")
	if r.code != ExitClean || !strings.Contains(r.stderr, "1 file checked") {
		t.Errorf("walk through symlink loops: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
}

// hFs wraps a file system: it fails Open and Stat of chosen paths with
// chosen errors (EACCES as root cannot get from chmod 000), and runs a
// hook after a folder is listed (to remove a file mid-walk).
type hFs struct {
	afero.Fs
	mu        sync.Mutex
	fail      map[string]error // cleaned absolute path -> error of Open and Stat
	afterList func(dir string)
}

// testAbs is a path made absolute from the test process's directory, as
// the Command of these tests (no Wd) makes it.
func testAbs(name string) string {
	a, err := filepath.Abs(name)
	if err != nil {
		return filepath.Clean(name)
	}
	return a
}

func (h *hFs) err(name string) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	if e, ok := h.fail[testAbs(name)]; ok {
		return &fs.PathError{Op: "open", Path: name, Err: e}
	}
	return nil
}

func (h *hFs) Open(name string) (afero.File, error) { return h.OpenFile(name, os.O_RDONLY, 0) }

func (h *hFs) OpenFile(name string, flag int, perm os.FileMode) (afero.File, error) {
	if err := h.err(name); err != nil {
		return nil, err
	}
	f, err := h.Fs.OpenFile(name, flag, perm)
	if err != nil || h.afterList == nil {
		return f, err
	}
	return &hFile{File: f, fs: h, name: name}, nil
}

func (h *hFs) Stat(name string) (os.FileInfo, error) {
	if err := h.err(name); err != nil && !errors.Is(err, fs.ErrPermission) {
		return nil, err
	}
	return h.Fs.Stat(name)
}

type hFile struct {
	afero.File
	fs   *hFs
	name string
}

func (f *hFile) Readdir(n int) ([]os.FileInfo, error) {
	fis, err := f.File.Readdir(n)
	f.fs.afterList(f.name)
	return fis, err
}

// TestHostileUnreadable: unreadable files and folders (EACCES from the
// file system, so it works as root too) give an error naming the path and
// exit 2, or, for a sourced or included file, a finding naming it.
func TestHostileUnreadable(t *testing.T) {
	dir := t.TempDir()
	hWrite(t, dir, map[string]string{
		"named/msmtprc":  hFormats[0].conf,
		"walk/a/msmtprc": hFormats[0].conf,
		"walk/b/msmtprc": hFormats[0].conf,
		"walk/c/msmtprc": hFormats[0].conf,
		"m/muttrc":       "source acc\nset ssl_force_tls = yes\n",
		"m/acc":          "set smtp_url = smtp://h.example.org\n",
		"g/.gitconfig":   "[include]\n\tpath = inc\n",
		"g/inc":          "[sendemail]\n\tsmtpServer = smtp.gmail.com\n",
	})
	fsys := &hFs{Fs: afero.NewOsFs(), fail: map[string]error{}}
	for _, p := range []string{"named/msmtprc", "walk/a", "walk/b/msmtprc", "m/acc", "g/inc"} {
		fsys.fail[filepath.Join(dir, p)] = fs.ErrPermission
	}
	hExpect(t, hRun(t, dir, fsys, "named/msmtprc"), ExitError, "named/msmtprc: permission denied")
	r := hRun(t, dir, fsys, "walk")
	hExpect(t, r, ExitError, "walk/a: permission denied", "walk/b/msmtprc: permission denied", "1 file checked")
	hExpect(t, hRun(t, dir, fsys, "m/muttrc"), ExitClean, "acc is not followed: permission denied")
	r = hRun(t, dir, fsys, "g/.gitconfig")
	if !strings.Contains(r.stdout, "inc cannot be read (permission denied)") {
		t.Errorf("unreadable include:\n%s%s", r.stdout, r.stderr)
	}
	// The same on the real file system: as an ordinary user chmod 000 is
	// enough; root reads anything, so there the built binary runs as
	// nobody.
	hWrite(t, dir, map[string]string{"os/msmtprc": hFormats[0].conf, "os/walk/x/msmtprc": hFormats[0].conf})
	os.Chmod(filepath.Join(dir, "os/msmtprc"), 0)
	os.Chmod(filepath.Join(dir, "os/walk/x"), 0)
	t.Cleanup(func() { os.Chmod(filepath.Join(dir, "os/walk/x"), 0o755) })
	code, _, stderr := runUnprivileged(t, dir, "os/msmtprc", "os/walk")
	if code != ExitError || !strings.Contains(stderr, "os/msmtprc: permission denied") || !strings.Contains(stderr, "os/walk/x: permission denied") {
		t.Errorf("unreadable on the OS file system: exit %d\n%s", code, stderr)
	}
}

// TestHostileVanishing: a file or folder that disappears between the
// folder listing and its reading is an error naming it (exit 2); the
// others are still checked.
func TestHostileVanishing(t *testing.T) {
	dir := t.TempDir()
	hWrite(t, dir, map[string]string{
		"walk/a/msmtprc":   hFormats[0].conf,
		"walk/b/msmtprc":   hFormats[0].conf,
		"walk/c/d/msmtprc": hFormats[0].conf,
	})
	var once sync.Once
	fsys := &hFs{Fs: afero.NewOsFs(), afterList: func(d string) {
		if filepath.Base(d) == "walk" {
			once.Do(func() {
				os.Remove(filepath.Join(dir, "walk/b/msmtprc"))
				os.RemoveAll(filepath.Join(dir, "walk/c"))
			})
		}
	}}
	r := hRun(t, dir, fsys, "--jobs", "1", "walk")
	hExpect(t, r, ExitError, "walk/c: no such file or directory", "1 file checked")
	// A file that vanishes after the walk found it and before it is read.
	hWrite(t, dir, map[string]string{"walk2/a/msmtprc": hFormats[0].conf, "walk2/b/msmtprc": hFormats[0].conf})
	fsys2 := &hFs{Fs: afero.NewOsFs(), fail: map[string]error{}}
	fsys2.afterList = func(d string) {
		if filepath.Base(d) == "b" {
			fsys2.mu.Lock()
			fsys2.fail[filepath.Join(dir, "walk2/b/msmtprc")] = fs.ErrNotExist
			fsys2.mu.Unlock()
		}
	}
	r = hRun(t, dir, fsys2, "walk2")
	hExpect(t, r, ExitError, "walk2/b/msmtprc: no such file or directory", "1 file checked")
}

// TestHostileSpecialFiles: a FIFO (opening one for reading blocks until a
// writer comes) or a device named on the command line, sourced, included,
// found in a walk or given as --config never hangs maillint: it is not a
// regular file.
func TestHostileSpecialFiles(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no FIFOs")
	}
	dir := t.TempDir()
	hWrite(t, dir, map[string]string{
		"m/muttrc":                  "source acc\nset ssl_force_tls = yes\n",
		"g/.gitconfig":              "[include]\n\tpath = inc\n",
		"walk/ok/msmtprc":           hFormats[0].conf,
		"ok/msmtprc":                hFormats[0].conf,
		"tb/thunderbird/p/prefs.js": "user_pref(\"a\", 1);\n",
	})
	for _, p := range []string{"fifo/msmtprc", "m/acc", "g/inc", "walk/msmtprc", "fifo.toml", "tb/thunderbird/p/user.js"} {
		os.MkdirAll(filepath.Dir(filepath.Join(dir, p)), 0o755)
		if err := syscall.Mkfifo(filepath.Join(dir, p), 0o600); err != nil {
			t.Skip("mkfifo:", err)
		}
	}
	hExpect(t, hRun(t, dir, nil, "fifo/msmtprc"), ExitError, "fifo/msmtprc: not a regular file")
	hExpect(t, hRun(t, dir, nil, "--type", "msmtp", "fifo/msmtprc"), ExitError, "fifo/msmtprc: not a regular file")
	hExpect(t, hRun(t, dir, nil, "m/muttrc"), ExitClean, "acc is not followed: not a regular file")
	hExpect(t, hRun(t, dir, nil, "g/.gitconfig"), ExitFindings, "inc cannot be read (not a regular file)")
	hExpect(t, hRun(t, dir, nil, "walk"), ExitClean, "1 file checked")
	// A user.js that is a FIFO is said (info), never opened for reading in
	// a way that waits.
	hExpect(t, hRun(t, dir, nil, "tb/thunderbird/p/prefs.js"), ExitClean, "user.js cannot be read (not a regular file)")
	hExpect(t, hRun(t, dir, nil, "--config", "fifo.toml", "ok/msmtprc"), ExitError, "fifo.toml: not a regular file")
	if _, err := os.Stat("/dev/zero"); err == nil {
		hExpect(t, hRun(t, dir, nil, "--type", "msmtp", "/dev/zero"), ExitError, "/dev/zero: not a regular file")
		hExpect(t, hRun(t, dir, nil, "--config", "/dev/zero", "ok/msmtprc"), ExitError, "/dev/zero: not a regular file")
		hExpect(t, hRun(t, dir, nil, "--verify", "--ca-file", "/dev/zero", "--connect-to", "::127.0.0.1:1", "--timeout", "1s", "ok/msmtprc"), ExitError, "/dev/zero: not a regular file")
	}
}

// TestHostileServer: --verify against a server that sends an endless
// multi-line banner full of escape sequences ends quickly (the banner is
// cut at 64 KiB) with a verify-failed finding, and nothing the server
// sent reaches the terminal unescaped.
func TestHostileServer(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func(c net.Conn) {
				defer c.Close()
				line := []byte("220-\x1b]0;pwned\x07\x1b[2J " + strings.Repeat("x", 1000) + "\r\n")
				for {
					if _, err := c.Write(line); err != nil {
						return
					}
				}
			}(c)
		}
	}()
	dir := t.TempDir()
	hWrite(t, dir, map[string]string{"msmtprc": "account a\nhost mail.test.example\nport 587\ntls on\ntls_starttls on\nauth on\nuser kim\nfrom kim@test.example\npasswordeval \"pass x\"\n"})
	r := hRun(t, dir, nil, "--verify", "--timeout", "15s", "--connect-to", "mail.test.example:587:"+ln.Addr().String(), "msmtprc")
	if r.code != ExitFindings || !strings.Contains(r.stdout, "[verify-failed]") || !strings.Contains(r.stdout+r.stderr, "64 KiB") {
		t.Errorf("exit %d, want a verify-failed finding about the banner's length:\n%s%s", r.code, clip(r.stdout), clip(r.stderr))
	}
	if r.took > 10*time.Second {
		t.Errorf("took %v: the endless banner was read until the timeout", r.took)
	}
	if strings.ContainsAny(r.stdout+r.stderr, "\x1b\x07") {
		t.Errorf("escape sequences from the server reach the report:\n%q", clip(r.stdout+r.stderr))
	}
}
