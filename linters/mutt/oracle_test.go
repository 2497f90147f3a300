package mutt

import (
	"bufio"
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/maillint/maillint/linters"
)

// The oracle test runs the real mutt and neomutt on every golden case (the
// inputs and the files --write produces) and on the corpus, and checks that
// they read what the model says: the SMTP and IMAP host, port, TLS mode,
// SMTP login, certificate checks, the From address and the sendmail
// program. Values the model marks dynamic are not compared.
//
// `mutt -Q` runs commands in backticks and `source "cmd|"`: the test runs
// the programs on a sanitised copy where those are replaced by inert text,
// with HOME set to an empty folder and PATH to a folder that does not
// exist, in the case's folder (mutt resolves relative source paths against
// the working directory, neomutt against the sourcing file: the goldens are
// written so both agree).

// oracleVars are the variables queried (mutt names; neomutt prints its
// own names for some).
var oracleVars = []string{"smtp_url", "ssl_force_tls", "ssl_starttls", "ssl_verify_host", "ssl_verify_dates",
	"folder", "spoolfile", "from", "sendmail"}

type oracle struct {
	name    string
	bin     string
	version string
}

func findOracles(t *testing.T) []oracle {
	var out []oracle
	for _, name := range []string{"mutt", "neomutt"} {
		bin, err := exec.LookPath(name)
		if err != nil {
			if os.Getenv("MAILLINT_REQUIRE_ORACLES") == "1" {
				t.Fatalf("%s not found (MAILLINT_REQUIRE_ORACLES=1)", name)
			}
			t.Logf("%s not found: skipped", name)
			continue
		}
		v, _ := exec.Command(bin, "-v").Output()
		line, _, _ := strings.Cut(string(v), "\n")
		out = append(out, oracle{name: name, bin: bin, version: strings.TrimSpace(line)})
	}
	if len(out) == 0 {
		t.Skip("neither mutt nor neomutt is installed")
	}
	return out
}

// trickyConfigs are small configurations that exercise the corners of
// mutt's syntax the goldens do not.
var trickyConfigs = []string{
	"set smtp_url=smtp://a@b.example.org:25 ; set ssl_force_tls=no ssl_starttls=ask-no\n",
	"set ssl_force_tls=no\nreset ssl_force_tls\nset smtp_url='SMTP://x%40y.org@Smtp.Example.org'\n",
	"set ssl_force_tls=no\nset &ssl_force_tls\nset smtp_url=smtps://u@[::1]:2525/path\n",
	"set my_tls=no\nset ssl_force_tls=$my_tls ssl_starttls = \"no\"\nset smtp_url=\"smtp://h.example.org\"\n",
	"set my_user = me@example.org\nset smtp_url = \"smtp://$my_user@smtp.example.org:587\" # comment\n",
	"set smtp_url=smtp://me@example.org@smtp.example.org:587 from = \"Me <me@example.org>\"\n",
	"set folder = imap://imap.example.org ; set spoolfile = +INBOX\nunset ssl_verify_dates\n",
	"set folder=~/Mail spoolfile=imaps://imap.example.org:993/INBOX\n",
	"set sendmail=\"/usr/bin/msmtp -a work\"\nset use_envelope_from\n",
	"set smtp_url=smtps://u%3Ax@smtp.example.org:465/ ssl_verify_host=no\ntoggle ssl_verify_host\n",
	"set smtp_url=\\\n  smtp://u@smtp.example.org:587\nset invssl_force_tls\n",
	"set smtp_url = \"smtp://u@h.example.org:587/\"\nset ssl_force_tls = no\nset ssl_starttls\nunset ssl_starttls\n",
	"set imap_user=me ; set folder=\"imaps://$imap_user@imap.example.org/\"\n",
	"set smtp_url=smtp://h.example.org:587\r\nset nossl_verify_host\r\n",
	"set hostname=example.org\nset smtp_url=smtp://mail.$hostname:587\n",
}

// oracleCase is one configuration to check: files (relative path ->
// bytes) and the main file.
type oracleCase struct {
	name  string
	main  string
	files map[string][]byte
}

func goldenCases(t *testing.T) []oracleCase {
	dirs, _ := filepath.Glob("../../testdata/mutt/*")
	var out []oracleCase
	for _, dir := range dirs {
		if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
			continue
		}
		main := "muttrc"
		if b, err := os.ReadFile(filepath.Join(dir, "args")); err == nil {
			f := strings.Fields(string(b))
			main = f[len(f)-1]
		}
		in := map[string][]byte{}
		fixed := map[string][]byte{}
		filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return nil
			}
			rel, _ := filepath.Rel(dir, p)
			b, _ := os.ReadFile(p)
			switch {
			case strings.HasSuffix(rel, ".fixed.golden"):
				fixed[strings.TrimSuffix(rel, ".fixed.golden")] = b
			case strings.HasSuffix(rel, ".golden"), rel == "args", rel == "mode":
			default:
				in[rel] = b
			}
			return nil
		})
		out = append(out, oracleCase{name: filepath.Base(dir) + "/input", main: main, files: in})
		if len(fixed) > 0 {
			fx := map[string][]byte{}
			for k, v := range in {
				fx[k] = v
			}
			for k, v := range fixed {
				fx[k] = v
			}
			out = append(out, oracleCase{name: filepath.Base(dir) + "/fixed", main: main, files: fx})
		}
	}
	return out
}

func TestOracle(t *testing.T) {
	oracles := findOracles(t)
	cases := goldenCases(t)
	if files, _ := filepath.Glob(filepath.Join(corpusDir, "*")); len(files) > 0 {
		for _, p := range files {
			b, _ := os.ReadFile(p)
			cases = append(cases, oracleCase{name: "corpus/" + filepath.Base(p), main: "muttrc", files: map[string][]byte{"muttrc": b}})
		}
	}
	for i, src := range trickyConfigs {
		cases = append(cases, oracleCase{name: fmt.Sprintf("tricky/%d", i), main: "muttrc", files: map[string][]byte{"muttrc": []byte(src)}})
	}
	checked := map[string]int{}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			for _, o := range oracles {
				if o.name == "mutt" && strings.Contains(c.main, "neomutt") {
					continue // neomutt's variable names and source paths
				}
				n := runOracleCase(t, o, c)
				checked[o.name] += n
			}
		})
	}
	for _, o := range oracles {
		t.Logf("%s (%s): %d configurations compared", o.name, o.version, checked[o.name])
	}
}

// runOracleCase stages the case, builds the model, and compares every
// account with what the oracle reads. It returns the number of
// configurations compared.
func runOracleCase(t *testing.T, o oracle, c oracleCase) int {
	tmp := t.TempDir()
	work := filepath.Join(tmp, "work")
	home := filepath.Join(tmp, "home")
	os.MkdirAll(home, 0o700)
	for rel, b := range c.files {
		p := filepath.Join(work, rel)
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	t.Chdir(work)
	ctx := &linters.Context{
		Read: func(p string) ([]byte, fs.FileMode, error) {
			b, err := os.ReadFile(p)
			return b, 0o600, err
		},
		Env: linters.Env{Home: home, Getenv: func(string) string { return "" }},
	}
	src := c.files[c.main]
	e := newEvaluator(ctx)
	fi := e.addFile(c.main, src, 0o600)
	st := newState()
	e.runFile(st, fi, 0)
	doc := e.document(st)

	// Sanitise every staged file: no command may run.
	for rel := range c.files {
		sanitiseFile(t, filepath.Join(work, rel))
	}
	n := 0
	for i, as := range e.states {
		main := c.main
		if len(as.hooks) > 0 {
			// Run the hooks' commands after the file, as mutt does when the
			// hook fires.
			var b bytes.Buffer
			b.Write(src)
			if len(src) > 0 && src[len(src)-1] != '\n' {
				b.WriteByte('\n')
			}
			for _, h := range as.hooks {
				body := strings.ReplaceAll(h.body.String(), "\x00", "DYNAMIC")
				body = strings.ReplaceAll(body, "\n", " ")
				b.WriteString(body + "\n")
			}
			main = fmt.Sprintf(".oracle-%d-%s", i, filepath.Base(c.main))
			main = filepath.Join(filepath.Dir(c.main), main)
			if err := os.WriteFile(main, b.Bytes(), 0o600); err != nil {
				t.Fatal(err)
			}
			sanitiseFile(t, main)
		}
		got, errs := runOracle(t, o, home, main)
		checkErrors(t, o, e, doc, errs)
		compareAccount(t, o, doc.Accounts[i], got)
		n++
	}
	return n
}

// sanitiseFile replaces commands in backticks and `source "cmd|"` with
// inert text, in place, and refuses to go on if any remain.
func sanitiseFile(t *testing.T, path string) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	out := append([]byte(nil), b...)
	f := Parse(path, b)
	blank := func(lg *Logical, i, j int, fill string) {
		for k := i; k < j; k++ {
			if off := lg.Offset(k); off >= 0 && off < len(out) {
				out[off] = fill[(k-i)%len(fill)]
			}
		}
	}
	for _, lg := range f.Logical {
		for _, c := range lg.Commands {
			if runsCommand(c) {
				blank(lg, c.Start, c.End, " ")
				continue
			}
			for _, w := range append([]*Word{c.Name}, c.Args...) {
				for _, bt := range w.Backticks {
					blank(lg, bt[0], bt[1], "DYNAMIC")
				}
			}
		}
	}
	if err := os.WriteFile(path, out, 0o600); err != nil {
		t.Fatal(err)
	}
	for _, lg := range Parse(path, out).Logical {
		for _, c := range lg.Commands {
			if runsCommand(c) {
				t.Fatalf("%s: a command that may run a program survived sanitising", path)
			}
			for _, w := range append([]*Word{c.Name}, c.Args...) {
				if len(w.Backticks) > 0 {
					t.Fatalf("%s: a command in backticks survived sanitising", path)
				}
			}
		}
	}
}

// runsCommand reports whether a command may make mutt run a program:
// a source of "cmd|" (also through a variable), or a command that runs
// other commands from a string (run, ifdef, ifndef).
func runsCommand(c *Command) bool {
	switch c.Name.Value() {
	case "run", "ifdef", "ifndef":
		return true
	case "source":
		for _, a := range c.Args {
			v := a.Value()
			if strings.HasSuffix(strings.TrimSpace(v), "|") || strings.ContainsAny(v, "$|\x00") {
				return true
			}
		}
	}
	return false
}

// oracleErr is one "Error in FILE, line N: msg" of the oracle.
type oracleErr struct {
	file string
	line int
	msg  string
}

var errLine = regexp.MustCompile(`^Error in (.*), line (\d+): (.*)$`)

// runOracle runs `PROGRAM -n -F main -Q ...` and returns the values (by
// mutt name) and the errors it printed.
func runOracle(t *testing.T, o oracle, home, main string) (map[string]string, []oracleErr) {
	t.Helper()
	args := []string{"-n", "-F", main}
	for _, v := range oracleVars {
		args = append(args, "-Q", v)
	}
	if o.name == "neomutt" {
		args = append(args, "-Q", "smtp_user")
	}
	cmd := exec.Command(o.bin, args...)
	cmd.Env = []string{"HOME=" + home, "PATH=" + filepath.Join(home, "no-such-bin"), "TERM=dumb", "LC_ALL=C", "TMPDIR=" + home}
	cmd.Stdin = nil
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("%s %v: %v\n%s", o.name, args, err, stderr.String())
	}
	vals := map[string]string{}
	neoNames := map[string]string{"spool_file": "spoolfile"}
	sc := bufio.NewScanner(&stdout)
	for sc.Scan() {
		line := sc.Text()
		if o.name == "neomutt" {
			line = strings.TrimPrefix(line, "set ")
			name, val, ok := strings.Cut(line, " = ")
			if !ok {
				continue
			}
			if n, ok := neoNames[name]; ok {
				name = n
			}
			vals[name] = unquote(val)
			continue
		}
		if name, ok := strings.CutSuffix(line, " is set"); ok {
			vals[name] = "yes"
			continue
		}
		if name, ok := strings.CutSuffix(line, " is unset"); ok {
			vals[name] = "no"
			continue
		}
		if name, val, ok := strings.Cut(line, "="); ok {
			vals[name] = unquote(val)
		}
	}
	var errs []oracleErr
	for _, l := range strings.Split(stderr.String(), "\n") {
		if m := errLine.FindStringSubmatch(l); m != nil {
			n, _ := strconv.Atoi(m[2])
			errs = append(errs, oracleErr{file: m[1], line: n, msg: m[3]})
		}
	}
	return vals, errs
}

// unquote reads a value as mutt -Q prints it: "..." with backslash escapes.
func unquote(s string) string {
	if len(s) < 2 || s[0] != '"' || s[len(s)-1] != '"' {
		return s
	}
	s = s[1 : len(s)-1]
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) {
			i++
			switch s[i] {
			case 'n':
				b.WriteByte('\n')
			case 't':
				b.WriteByte('\t')
			case 'r':
				b.WriteByte('\r')
			case 'e':
				b.WriteByte(033)
			default:
				b.WriteByte(s[i])
			}
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// checkErrors checks that every line the oracle rejects carries a parser
// finding of the model (syntax, unknown-key or include-missing).
func checkErrors(t *testing.T, o oracle, e *evaluator, doc *linters.Document, errs []oracleErr) {
	t.Helper()
	for _, oe := range errs {
		switch {
		case strings.Contains(oe.msg, "source: errors in"), strings.Contains(oe.msg, "reading aborted"),
			strings.Contains(oe.msg, "could not be sourced"):
			continue // a consequence of an error reported where it is
		case o.name == "mutt" && strings.HasPrefix(oe.msg, "smtp_user: unknown variable"):
			continue // neomutt's variable: accepted for both
		case strings.Contains(oe.msg, "Too many open files"):
			continue // mutt's answer to a source cycle, reported at the cycle
		case strings.TrimSpace(oe.msg) == "", strings.Contains(oe.msg, "no such function"),
			strings.Contains(oe.msg, "not a valid authenticator"):
			// Out of scope and specific to this machine: a local mailbox
			// that does not exist here, key bindings, the SASL plugins
			// neomutt was built with.
			continue
		}
		found := false
		for _, sf := range doc.Files {
			if !sameFile(sf.Path, oe.file) {
				continue
			}
			var f *File
			for _, x := range e.files {
				if x.sf == sf {
					f = x.file
				}
			}
			lg := f.LogicalAt(oe.line - 1)
			if lg == nil {
				continue
			}
			for _, d := range doc.Diagnostics {
				if d.At.Path == sf.Path && d.At.Start.Line >= lg.First+1 && d.At.Start.Line <= lg.Last+1 &&
					(d.Rule == "syntax" || d.Rule == "unknown-key" || d.Rule == "include-missing") {
					found = true
				}
			}
		}
		if !found && !strings.Contains(filepath.Base(oe.file), ".oracle-") {
			t.Errorf("%s rejects %s line %d (%s), but the model reports nothing there", o.name, oe.file, oe.line, oe.msg)
		}
	}
}

func sameFile(a, b string) bool {
	aa, err1 := filepath.Abs(a)
	bb, err2 := filepath.Abs(b)
	return err1 == nil && err2 == nil && aa == bb
}

// splitURL splits a URL as mutt does (independently of parseMailURL):
// scheme, user (percent-decoded), host and port (0 when not written).
func splitURL(u string) (scheme, user, host string, port int, ok bool) {
	scheme, rest, ok := strings.Cut(u, "://")
	if !ok {
		return "", "", "", 0, false
	}
	scheme = strings.ToLower(scheme)
	if i := strings.IndexByte(rest, '/'); i >= 0 {
		rest = rest[:i]
	}
	if i := strings.LastIndexByte(rest, '@'); i >= 0 {
		user = rest[:i]
		if j := strings.IndexByte(user, ':'); j >= 0 {
			user = user[:j]
		}
		user, _ = pctDecodeTest(user)
		rest = rest[i+1:]
	}
	host = rest
	hp := rest
	if strings.HasPrefix(rest, "[") {
		if j := strings.IndexByte(rest, ']'); j >= 0 {
			host, hp = rest[1:j], rest[j+1:]
			if h, p, ok := strings.Cut(hp, ":"); ok && h == "" {
				port, _ = strconv.Atoi(p)
			}
			host, _ = pctDecodeTest(host)
			return scheme, user, host, port, true
		}
	}
	if h, p, ok := strings.Cut(hp, ":"); ok {
		host = h
		port, _ = strconv.Atoi(p)
	}
	host, _ = pctDecodeTest(host)
	return scheme, user, host, port, true
}

func pctDecodeTest(s string) (string, bool) {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '%' && i+2 < len(s) {
			if n, err := strconv.ParseUint(s[i+1:i+3], 16, 8); err == nil {
				b.WriteByte(byte(n))
				i += 2
				continue
			}
		}
		b.WriteByte(s[i])
	}
	return b.String(), true
}

// oracleSecurity is the TLS mode the oracle's values give a URL.
func oracleSecurity(scheme string, vals map[string]string) linters.Security {
	switch {
	case scheme == "smtps" || scheme == "imaps":
		return linters.SecurityImplicitTLS
	case vals["ssl_force_tls"] == "yes":
		return linters.SecurityStartTLS
	case strings.ToLower(vals["ssl_starttls"]) == "no":
		return linters.SecurityNone
	}
	return linters.SecurityStartTLSOptional
}

func oracleDefaultPort(scheme string) int {
	return map[string]int{"smtp": 25, "smtps": 465, "imap": 143, "imaps": 993}[scheme]
}

// compareAccount checks one account of the model against the oracle.
func compareAccount(t *testing.T, o oracle, acc *linters.Account, vals map[string]string) {
	t.Helper()
	fail := func(what string, model, oracle any) {
		t.Errorf("account %q: %s: model says %v, %s reads %v", acc.Name, what, model, o.name, oracle)
	}
	if acc.From.Known() && acc.From.Set {
		if got := address(vals["from"]); !strings.EqualFold(got, acc.From.Val) {
			fail("from", acc.From.Val, got)
		}
	}
	smtpURL := vals["smtp_url"]
	switch ep := acc.SMTP; {
	case ep == nil:
		if smtpURL != "" && !strings.Contains(smtpURL, "DYNAMIC") {
			if s, _, _, _, ok := splitURL(smtpURL); ok && (s == "smtp" || s == "smtps") {
				fail("smtp_url", "no SMTP server", smtpURL)
			}
		}
		if acc.Delegate.Known() && acc.Delegate.Val != "" && acc.Delegate.Val != vals["sendmail"] {
			fail("sendmail", acc.Delegate.Val, vals["sendmail"])
		}
	default:
		compareEndpoint(t, acc, ep, smtpURL, vals, fail)
	}
	if ep := acc.IMAP; ep != nil {
		u := vals["folder"]
		if s, _, _, _, ok := splitURL(u); !ok || (s != "imap" && s != "imaps") {
			u = vals["spoolfile"]
		}
		compareEndpoint(t, acc, ep, u, vals, fail)
	} else if s, _, h, _, ok := splitURL(vals["folder"]); ok && (s == "imap" || s == "imaps") && !strings.Contains(h, "DYNAMIC") {
		fail("IMAP server", "none", vals["folder"])
	}
}

func compareEndpoint(t *testing.T, acc *linters.Account, ep *linters.Endpoint, u string, vals map[string]string, fail func(string, any, any)) {
	t.Helper()
	what := string(ep.Protocol)
	if ep.Host.Dynamic && ep.Port.Dynamic && ep.Security.Dynamic {
		return
	}
	scheme, user, host, port, ok := splitURL(u)
	if !ok {
		fail(what+" URL", ep.Host.Val, u)
		return
	}
	if !ep.Host.Dynamic && !strings.EqualFold(host, ep.Host.Val) {
		fail(what+" host", ep.Host.Val, host)
	}
	if port == 0 {
		port = oracleDefaultPort(scheme)
	}
	if !ep.Port.Dynamic && port != ep.Port.Val {
		fail(what+" port", ep.Port.Val, port)
	}
	if !ep.Security.Dynamic {
		if sec := oracleSecurity(scheme, vals); sec != ep.Security.Val {
			fail(what+" security", ep.Security.Val, sec)
		}
	}
	if ep.Protocol == linters.SMTP && !ep.User.Dynamic && user != "" && user != ep.User.Val {
		fail(what+" user", ep.User.Val, user)
	}
	if ep.Protocol == linters.SMTP && !ep.User.Dynamic && user == "" && ep.User.Val != "" && ep.User.Val != vals["smtp_user"] {
		fail(what+" user (smtp_user)", ep.User.Val, vals["smtp_user"])
	}
	if !ep.CertCheck.Dynamic {
		if cc := vals["ssl_verify_host"] == "yes" && vals["ssl_verify_dates"] == "yes"; cc != ep.CertCheck.Val {
			fail(what+" certificate check", ep.CertCheck.Val, cc)
		}
	}
}

// TestOracleSanitise checks the sanitiser on the constructs that run
// commands.
func TestOracleSanitise(t *testing.T) {
	p := filepath.Join(t.TempDir(), "rc")
	in := "set a = `touch /tmp/x`\nsource \"gpg -d x |\"\nset b = \"x`id`y\" c='`kept`'\nset d = \\\n  `id`\n" +
		"set my_c = 'gpg2 -d y|'\nsource $my_c\nrun 'source \"gpg3 |\"'\n"
	os.WriteFile(p, []byte(in), 0o600)
	sanitiseFile(t, p)
	got, _ := os.ReadFile(p)
	if bytes.Contains(got, []byte("touch")) || bytes.Contains(got, []byte("gpg -d")) || bytes.Contains(got, []byte("`id`")) ||
		bytes.Contains(got, []byte("source $my_c")) || bytes.Contains(got, []byte("gpg3")) {
		t.Errorf("sanitised:\n%s", got)
	}
	if !bytes.Contains(got, []byte("'`kept`'")) {
		t.Errorf("single-quoted backticks are literal and must stay:\n%s", got)
	}
}
