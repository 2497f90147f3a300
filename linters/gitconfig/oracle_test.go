package gitconfig

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/maillint/maillint/linters"
)

// The oracle tests compare the adapter with the real git. git never runs a
// credential helper or an alias here: only `git config -f` (which runs
// nothing) and `git send-email --dry-run` (which does not connect) are
// used, with HOME in a temporary folder, no system config and no prompts.

// gitOracle returns the git binary, skipping the test when it is missing
// (failing when MAILLINT_REQUIRE_ORACLES=1).
func gitOracle(t *testing.T) string {
	t.Helper()
	git, err := exec.LookPath("git")
	if err != nil {
		if os.Getenv("MAILLINT_REQUIRE_ORACLES") == "1" {
			t.Fatal("git is required (MAILLINT_REQUIRE_ORACLES=1)")
		}
		t.Skip("git not installed")
	}
	return git
}

// runGit runs git in dir with a sealed environment and returns stdout,
// stderr and the exit code.
func runGit(t *testing.T, dir string, env []string, args ...string) (string, string, int) {
	t.Helper()
	home := filepath.Join(dir, ".home")
	os.MkdirAll(home, 0o700)
	cmd := exec.Command(gitOracle(t), args...)
	cmd.Dir = dir
	cmd.Env = append([]string{
		"PATH=" + os.Getenv("PATH"), "HOME=" + home, "LANG=C", "LC_ALL=C",
		"GIT_CONFIG_NOSYSTEM=1", "GIT_TERMINAL_PROMPT=0", "GIT_CEILING_DIRECTORIES=" + filepath.Dir(dir),
		"GIT_ASKPASS=/bin/false", "SSH_ASKPASS=/bin/false", "EDITOR=/bin/false", "GIT_EDITOR=/bin/false",
	}, env...)
	cmd.Stdin = strings.NewReader("")
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code := 0
	if err != nil {
		var ee *exec.ExitError
		if !errors.As(err, &ee) {
			t.Fatalf("git %v: %v", args, err)
		}
		code = ee.ExitCode()
	}
	return out.String(), errb.String(), code
}

// gitList is `git config -f file -z --list`: name=value pairs, bare keys
// as "name" without "=".
func gitList(t *testing.T, dir, file string, includes bool) ([]string, int) {
	args := []string{"config", "-f", file, "-z", "--list"}
	if includes {
		args = append(args, "--includes")
	}
	out, _, code := runGit(t, dir, nil, args...)
	var list []string
	for _, rec := range strings.Split(out, "\x00") {
		if rec == "" {
			continue
		}
		if k, v, ok := strings.Cut(rec, "\n"); ok {
			list = append(list, k+"="+v)
		} else {
			list = append(list, rec)
		}
	}
	return list, code
}

// ourList is what the adapter reads, in git's --list format.
func ourList(c *Config) []string {
	var list []string
	for _, v := range c.Vars {
		if v.Opaque || v.Cond {
			continue
		}
		if v.Node.Bare() {
			list = append(list, v.Name)
		} else {
			list = append(list, v.Name+"="+v.Node.Value)
		}
	}
	return list
}

// parserSnippets are inputs whose reading git decides; each is compared
// with `git config --list`.
var parserSnippets = []string{
	"k = v\n",
	"[a]\nk ; c\n",
	"[a]\nk\n",
	"[a]\n\tk  \n",
	"[ a]\nk=v\n",
	"[a.Work]\nk=v\n",
	"[a.b \"C\"]\nk=v\n",
	"[a \"x\"]k=v\n",
	"[a]\nk = x\ry\n",
	"[a]\nk = \"x\ry\"\n",
	"[a]\nk = a\t\tb  c \n",
	"[a]\nk = \"\"  b\n",
	"[]\nk=v\n",
	"[a] # c\nk=v\n",
	"[a]\nk=v\\",
	"[a]\nk=v\\\n",
	"[a]\nk=\"v",
	"[a]\n1k=v\n",
	"[a]\nk_x=v\n",
	"[a_b]\nk=v\n",
	"[a]\nk=v\n[b \"x\" ]\nk=v\n",
	"\xef\xbb\xbf[a]\nk=v\n",
	"[a]\n\xef\xbb\xbfk=v\n",
	"[a \"x\\\"y\\\\z\\q\"]\nk=v\n",
	"[a \"x\nk=v\n",
	"[a] junk\n",
	"[a] k\n",
	"[a]\nk=v # c\n",
	"[a]\nk = \"a;b\" ; c\n",
	"[a]\nk=\\q\n",
	"[a]\n  k  =   \n",
	"[a]\nk=a\\\n  b\n",
	"[a]\nk=\"a\\\n  b\"\n",
	"[a]\nk-1=v\n",
	"[a]\n-k=v\n",
	"[A-B.c]\nk=v\n",
	"[a]\r\nk=v\r\n",
	"[a]\r\n\tk = \"v\"  \r\n",
	"[a]\nk=\x0bv\n",
	"[a]\nk=v\n\x0c\n",
	"[a]\nk = \\\n\n",
	"[a]\nk = \"a\" b  \"c\"\n",
	"[a]\nk = \\t\\n\\b\\\\\\\"\n",
	"[a]\nk = x\\\r\ny\r\n",
	"[ \"x\"]\nk=v\n",
	"[.]\nk=v\n",
	"[a.]\nk=v\n",
	"[a\tb]\nk=v\n",
	"[a \"b\"\n",
	"[a\n",
	"[a]\nk=\"v\"\"w\"\n",
	"[sendemail]\n\tsmtpEncryption\n\tsmtpServer = smtp.example.org   ; inline\n\tsmtpPass = \"p#ss;word\"  # c\n",
	"[a]\nk = v\\ \n",
	"[a]\nk = \"\\\"\" \n",
	"[a]\n;k=v\n#x\n  ; y\nk2=w",
	"[a]\nk=\r\n",
	"[a]\nk=\"\r\n\"\n",
	"[a]\nk\r=v\n",
	"[a]\n\rk=v\n",
	"[a]\nk =\tv\t\n",
	"[a]\nk=é\n",
	"[a \"é\"]\nk=v\n",
}

func TestOracleParse(t *testing.T) {
	gitOracle(t)
	type input struct{ name, src string }
	var ins []input
	for i, s := range parserSnippets {
		ins = append(ins, input{fmt.Sprintf("snippet %d %q", i, s), s})
	}
	for _, p := range corpusFiles(t) {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		ins = append(ins, input{filepath.Base(p), string(b)})
	}
	dir := t.TempDir()
	for _, in := range ins {
		file := filepath.Join(dir, "config")
		if err := os.WriteFile(file, []byte(in.src), 0o600); err != nil {
			t.Fatal(err)
		}
		want, code := gitList(t, dir, "config", false)
		c := Read(file, []byte(in.src), nil)
		got := ourList(c)
		_, probs := Parse(file, []byte(in.src))
		switch code {
		case 0:
			if len(probs) > 0 {
				t.Errorf("%s: git reads it, the parser reports %+v", in.name, probs)
			}
			if strings.Join(got, "\x00") != strings.Join(want, "\x00") {
				t.Errorf("%s:\n got %q\nwant %q", in.name, got, want)
			}
		case 128:
			if len(probs) == 0 {
				t.Errorf("%s: git rejects it, the parser does not", in.name)
			}
			// What git read before the bad line, the parser read too.
			if len(got) < len(want) || strings.Join(got[:len(want)], "\x00") != strings.Join(want, "\x00") {
				t.Errorf("%s: before the error git read %q, the parser %q", in.name, want, got)
			}
		default:
			t.Errorf("%s: git exited %d", in.name, code)
		}
	}
}

// goldenDir holds the golden cases of cmd/maillint's TestGolden.
const goldenDir = "../../testdata/gitconfig"

// stageCase copies the inputs of a golden case into a fresh folder: the
// files as fixed by maillint (NAME.fixed.golden) when fixed is true and
// such a file exists, else the input itself.
func stageCase(t *testing.T, dir string, fixed bool) (string, []string) {
	t.Helper()
	tmp := t.TempDir()
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range ents {
		n := e.Name()
		if e.IsDir() || strings.HasSuffix(n, ".golden") || n == "args" || n == "mode" {
			continue
		}
		src := filepath.Join(dir, n)
		if fx := src + ".fixed.golden"; fixed {
			if _, err := os.Stat(fx); err == nil {
				src = fx
			}
		}
		b, err := os.ReadFile(src)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(tmp, n), b, 0o600); err != nil {
			t.Fatal(err)
		}
		names = append(names, n)
	}
	return tmp, names
}

// dirRead reads files below dir for Context.Read.
func dirRead(dir string) func(string) ([]byte, os.FileMode, error) {
	return func(p string) ([]byte, os.FileMode, error) {
		if !filepath.IsAbs(p) {
			p = filepath.Join(dir, p)
		}
		fi, err := os.Stat(p)
		if err != nil {
			return nil, 0, err
		}
		if !fi.Mode().IsRegular() {
			return nil, 0, fmt.Errorf("not a regular file")
		}
		b, err := os.ReadFile(p)
		return b, fi.Mode().Perm(), err
	}
}

// gitGet is `git config -f gitconfig --includes --get name`, with bare
// keys (which send-email reads as undefined) reported as not set.
func gitGet(t *testing.T, dir string, list []string, name string) (string, bool) {
	out, _, code := runGit(t, dir, nil, "config", "-f", "gitconfig", "--includes", "--get", name)
	if code == 1 {
		return "", false
	}
	if code != 0 {
		t.Fatalf("git config --get %s: exit %d", name, code)
	}
	// --get prints an empty line for a key without a value; --list tells
	// the two apart (names compare case-insensitively in section and key).
	for i := len(list) - 1; i >= 0; i-- {
		k, _, hasVal := strings.Cut(list[i], "=")
		if sameVar(k, name) {
			if !hasVal {
				return "", false
			}
			break
		}
	}
	return strings.TrimSuffix(out, "\n"), true
}

// sameVar compares variable names as git does: section and key without
// regard to case, the subsection exactly.
func sameVar(a, b string) bool {
	ai, bi := strings.IndexByte(a, '.'), strings.IndexByte(b, '.')
	aj, bj := strings.LastIndexByte(a, '.'), strings.LastIndexByte(b, '.')
	if ai < 0 || bi < 0 {
		return strings.EqualFold(a, b)
	}
	return strings.EqualFold(a[:ai], b[:bi]) && strings.EqualFold(a[aj:], b[bj:]) && a[ai:aj] == b[bi:bj]
}

// TestOracleGolden feeds every golden case, as written and as fixed, to
// git: the file must parse (or fail) as the adapter says, and for every
// account the server, port, encryption, login and certificate check git
// send-email would use (derived from `git config --get` answers with
// send-email's rules) must be what the model says. Then `git send-email
// --dry-run` must name the same server or sendmail program and sender.
func TestOracleGolden(t *testing.T) {
	gitOracle(t)
	cases, _ := filepath.Glob(filepath.Join(goldenDir, "*"))
	if len(cases) == 0 {
		t.Skip("no golden cases")
	}
	// `git send-email --dump-aliases` reads the config and exits 0; without
	// git-email installed git says "not a git command".
	_, _, seCode := runGit(t, t.TempDir(), nil, "send-email", "--dump-aliases")
	haveSendEmail := seCode == 0
	if !haveSendEmail && os.Getenv("MAILLINT_REQUIRE_ORACLES") == "1" {
		t.Fatal("git send-email is required (MAILLINT_REQUIRE_ORACLES=1); install git-email")
	}
	var accounts, dryRuns atomic.Int64
	t.Cleanup(func() {
		t.Logf("%d cases, %d account checks, %d send-email dry runs", len(cases), accounts.Load(), dryRuns.Load())
	})
	for _, dir := range cases {
		for _, fixed := range []bool{false, true} {
			name := filepath.Base(dir)
			if fixed {
				name += "/fixed"
			}
			t.Run(name, func(t *testing.T) {
				t.Parallel()
				tmp, _ := stageCase(t, dir, fixed)
				home := filepath.Join(tmp, ".home")
				os.MkdirAll(home, 0o700)
				src, err := os.ReadFile(filepath.Join(tmp, "gitconfig"))
				if err != nil {
					t.Fatal(err)
				}
				ctx := &linters.Context{Read: dirRead(tmp), Env: linters.Env{Home: home}}
				c := Read("gitconfig", src, ctx)
				doc := document(c)
				list, code := gitList(t, tmp, "gitconfig", true)
				if (code == 128) != c.Fatal {
					t.Fatalf("git config exits %d; the adapter says fatal=%v", code, c.Fatal)
				}
				if code != 0 {
					return
				}
				if got := ourList(c); strings.Join(got, "\x00") != strings.Join(list, "\x00") {
					t.Fatalf("variables differ:\n got %q\nwant %q", got, list)
				}
				for _, acc := range doc.Accounts {
					accounts.Add(1)
					checkAccount(t, tmp, list, acc)
					if fixed && haveSendEmail && !hasSendmailSection(list) && !runsCommands(list) {
						dryRuns.Add(1)
						checkDryRun(t, tmp, acc)
					}
				}
			})
		}
	}
}

// runsCommands reports whether send-email would run a command from the
// config even in a dry run (to/cc/header commands): such cases are not
// run.
func runsCommands(list []string) bool {
	for _, kv := range list {
		k, _, _ := strings.Cut(strings.ToLower(kv), "=")
		if strings.HasPrefix(k, "sendemail.") && (strings.HasSuffix(k, ".tocmd") || strings.HasSuffix(k, ".cccmd") || strings.HasSuffix(k, ".headercmd")) {
			return true
		}
	}
	return false
}

func hasSendmailSection(list []string) bool {
	for _, kv := range list {
		if strings.HasPrefix(strings.ToLower(kv), "sendmail.") {
			return true
		}
	}
	return false
}

// checkAccount resolves one account from git's answers as git-send-email's
// read_config does and compares it with the model.
func checkAccount(t *testing.T, dir string, list []string, acc *linters.Account) {
	t.Helper()
	id := acc.Name
	if id == "sendemail" {
		id = ""
	}
	get := func(key string) (string, bool) {
		if id != "" {
			if v, ok := gitGet(t, dir, list, "sendemail."+id+"."+key); ok {
				return v, true
			}
		}
		return gitGet(t, dir, list, "sendemail."+key)
	}
	server, hasServer := get("smtpserver")
	cmd, hasCmd := get("sendmailcmd")
	switch {
	case hasCmd:
		if acc.SMTP != nil || acc.Delegate.Val != cmd {
			t.Errorf("%s: git sends through %q; model delegate %q, smtp %v", acc.Name, cmd, acc.Delegate.Val, acc.SMTP != nil)
		}
		return
	case hasServer && strings.HasPrefix(server, "/"):
		if acc.SMTP != nil || acc.Delegate.Val != server {
			t.Errorf("%s: git runs %q; model delegate %q, smtp %v", acc.Name, server, acc.Delegate.Val, acc.SMTP != nil)
		}
		return
	}
	ep := acc.SMTP
	if ep == nil {
		if hasServer {
			t.Errorf("%s: git uses server %q; the model has no endpoint", acc.Name, server)
		}
		return
	}
	if !ep.Host.Dynamic && ep.Host.Val != server {
		t.Errorf("%s: host: git %q, model %q", acc.Name, server, ep.Host.Val)
	}
	enc, _ := get("smtpencryption")
	sec := linters.SecurityNone
	switch enc {
	case "ssl":
		sec = linters.SecurityImplicitTLS
	case "tls":
		sec = linters.SecurityStartTLS
	}
	if !ep.Security.Dynamic && ep.Security.Val != sec {
		t.Errorf("%s: security: git %q, model %v", acc.Name, enc, ep.Security.Val)
	}
	portText, _ := get("smtpserverport")
	port := 25
	if enc == "ssl" {
		port = 465
	}
	if p, zero, ok := parsePort(portText); ok && !zero {
		port = p
	}
	if !ep.Port.Dynamic && ep.Port.Val != port {
		t.Errorf("%s: port: git %q (encryption %q), model %d", acc.Name, portText, enc, ep.Port.Val)
	}
	user, hasUser := get("smtpuser")
	if !ep.User.Dynamic && (ep.User.Set != hasUser || ep.User.Val != user) {
		t.Errorf("%s: user: git %q (%v), model %q (%v)", acc.Name, user, hasUser, ep.User.Val, ep.User.Set)
	}
	auth, _ := get("smtpauth")
	if want := hasUser && auth != "none"; !ep.Auth.Dynamic && ep.Auth.Val != want {
		t.Errorf("%s: auth: git user %v smtpAuth %q, model %v", acc.Name, hasUser, auth, ep.Auth.Val)
	}
	cert, hasCert := get("smtpsslcertpath")
	if want := !hasCert || cert != ""; !ep.CertCheck.Dynamic && ep.CertCheck.Val != want {
		t.Errorf("%s: cert check: git %q (%v), model %v", acc.Name, cert, hasCert, ep.CertCheck.Val)
	}
}

const dryRunPatch = `From 0000000000000000000000000000000000000000 Mon Sep 17 00:00:00 2001
From: Test <test@example.invalid>
Date: Mon, 1 Jan 2024 00:00:00 +0000
Subject: [PATCH] test

---
 x | 1 +
 1 file changed, 1 insertion(+)

diff --git a/x b/x
--- a/x
+++ b/x
@@ -0,0 +1 @@
+x
`

// checkDryRun runs `git send-email --dry-run` with the case's file as the
// global config. A dry run never connects, authenticates or runs the
// sendmail program; it prints the server or program it would use.
func checkDryRun(t *testing.T, dir string, acc *linters.Account) {
	t.Helper()
	patch := filepath.Join(dir, "0001-test.patch")
	if err := os.WriteFile(patch, []byte(dryRunPatch), 0o600); err != nil {
		t.Fatal(err)
	}
	args := []string{"send-email", "--dry-run", "--confirm=never", "--no-validate", "--suppress-cc=all", "--to=x@example.invalid"}
	if acc.Name == "sendemail" {
		args = append(args, "--no-identity")
	} else {
		args = append(args, "--identity="+acc.Name)
	}
	// send-email asks git for the committer's identity even when the
	// sender is known, and for the author's when the config has no address.
	env := []string{"GIT_CONFIG_GLOBAL=" + filepath.Join(dir, "gitconfig"), "GIT_COMMITTER_NAME=Oracle", "GIT_COMMITTER_EMAIL=oracle@example.invalid"}
	if !acc.From.Set && !acc.From.Dynamic {
		args = append(args, "--from=Test <test@example.invalid>")
		env = append(env, "GIT_AUTHOR_NAME=Oracle", "GIT_AUTHOR_EMAIL=oracle@example.invalid")
	}
	out, errOut, code := runGit(t, dir, env, append(args, patch)...)
	if code != 0 {
		t.Fatalf("%s: git send-email --dry-run exited %d:\n%s%s", acc.Name, code, out, errOut)
	}
	var want string
	switch {
	case acc.SMTP != nil && !acc.SMTP.Host.Dynamic:
		want = "Server: " + acc.SMTP.Host.Val + "\n"
	case acc.SMTP == nil && acc.Delegate.Set && !acc.Delegate.Dynamic:
		want = "Sendmail: " + acc.Delegate.Val + " -i "
	}
	if !strings.Contains(out, want) {
		t.Errorf("%s: dry run does not say %q:\n%s", acc.Name, want, out)
	}
	if acc.From.Set && !acc.From.Dynamic && !strings.Contains(out, "<"+acc.From.Val+">") && !strings.Contains(out, "From: "+acc.From.Val+"\n") {
		t.Errorf("%s: dry run sender is not %s:\n%s", acc.Name, acc.From.Val, out)
	}
}
