package msmtp

import (
	"bufio"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/maillint/maillint/linters"
)

// The oracle: the real msmtp reads each file with --pretend and must see
// what this adapter's model says — the same host, port, tls, tls_starttls,
// tls_certcheck, auth and user for every account — and must reject exactly
// the files this adapter reports syntax errors for.

func requireOracle(t *testing.T, name string) string {
	p, err := exec.LookPath(name)
	if err != nil {
		if os.Getenv("MAILLINT_REQUIRE_ORACLES") == "1" {
			t.Fatalf("%s is required (MAILLINT_REQUIRE_ORACLES=1): %v", name, err)
		}
		t.Skipf("%s not installed", name)
	}
	return p
}

var commandLine = regexp.MustCompile(`^([ \t]*)(passwordeval|eval)\b.*$`)

// sanitize makes a copy msmtp can read without running anything:
// passwordeval becomes a password line, eval a comment. The model is
// computed on the same copy.
func sanitize(src []byte) []byte {
	lines := strings.SplitAfter(string(src), "\n")
	for i, l := range lines {
		body := strings.TrimRight(l, "\r\n")
		eol := l[len(body):]
		if m := commandLine.FindStringSubmatch(body); m != nil {
			if m[2] == "eval" {
				body = m[1] + "# eval removed for the oracle"
			} else {
				body = m[1] + "password oracle"
			}
		}
		lines[i] = body + eol
	}
	return []byte(strings.Join(lines, ""))
}

// pretend runs msmtp --pretend for one account and returns its key = value
// lines, or the error text.
func pretend(t *testing.T, bin, file, account string) (map[string]string, string, bool) {
	cmd := exec.Command(bin, "-C", file, "-a", account, "--pretend")
	cmd.Env = []string{"HOME=" + filepath.Dir(file), "PATH=/nonexistent"}
	cmd.Stdin = strings.NewReader("")
	out, err := cmd.CombinedOutput()
	vals := map[string]string{}
	sc := bufio.NewScanner(strings.NewReader(string(out)))
	for sc.Scan() {
		if k, v, ok := strings.Cut(sc.Text(), " = "); ok {
			vals[k] = v
		}
	}
	return vals, string(out), err == nil
}

func onOffStr(b bool) string {
	if b {
		return "on"
	}
	return "off"
}

func oracleInputs(t *testing.T) []string {
	var files []string
	for _, pat := range []string{"../../testdata/msmtp/*/msmtprc", "../../testdata/msmtp/*/msmtprc.fixed.golden", "../../testdata/examples/*/msmtprc", corpusDir + "/*"} {
		m, _ := filepath.Glob(pat)
		files = append(files, m...)
	}
	if len(files) == 0 {
		t.Fatal("no oracle inputs")
	}
	return files
}

func TestOracleMsmtpPretend(t *testing.T) {
	bin := requireOracle(t, "msmtp")
	if _, err := os.Stat("/etc/msmtprc"); err == nil {
		t.Skip("/etc/msmtprc exists: msmtp would merge its accounts")
	}
	checkedAccounts, checkedFiles, rejected := 0, 0, 0
	for _, p := range oracleInputs(t) {
		src, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		clean := sanitize(src)
		dir := t.TempDir()
		file := filepath.Join(dir, "msmtprc")
		if err := os.WriteFile(file, clean, 0o600); err != nil {
			t.Fatal(err)
		}
		doc, err := Format{}.Parse(file, clean, 0o600, nil)
		if err != nil {
			continue // binary input: not a config
		}
		name := filepath.Base(filepath.Dir(p)) + "/" + filepath.Base(p)
		if usesNewer(clean) {
			t.Logf("%s: uses a command newer than the installed msmtp; not compared", name)
			continue
		}
		fatal := false
		for _, d := range doc.Diagnostics {
			if d.Severity == linters.Error && (d.Rule == "syntax" || d.Rule == "unknown-key" || (d.Rule == "inline-comment" && inlineBreaks(d))) {
				fatal = true
			}
		}
		checkedFiles++
		if fatal || len(doc.Accounts) == 0 {
			// msmtp must refuse the file (any account name will do).
			acc := "default"
			if len(doc.Accounts) > 0 {
				acc = doc.Accounts[0].Name
			}
			if _, out, ok := pretend(t, bin, file, acc); ok && fatal {
				t.Errorf("%s: maillint reports a syntax error, but msmtp accepted the file:\n%s", name, out)
			} else if !ok && fatal {
				rejected++
			}
			continue
		}
		for _, a := range doc.Accounts {
			ep := a.SMTP
			if ep.Host.Val == "" || a.Name == "" {
				continue
			}
			got, out, ok := pretend(t, bin, file, a.Name)
			if !ok {
				t.Errorf("%s: account %s: msmtp rejected a file maillint finds valid:\n%s", name, a.Name, out)
				continue
			}
			want := map[string]string{
				"host":          ep.Host.Val,
				"port":          strconv.Itoa(ep.Port.Val),
				"tls":           onOffStr(ep.Security.Val != linters.SecurityNone),
				"tls_starttls":  onOffStr(ep.Security.Val != linters.SecurityImplicitTLS),
				"tls_certcheck": onOffStr(ep.CertCheck.Val),
			}
			if ep.User.Val != "" {
				want["user"] = ep.User.Val
			}
			for k, v := range want {
				if got[k] != v {
					t.Errorf("%s: account %s: msmtp reads %s = %q, maillint's model says %q", name, a.Name, k, got[k], v)
				}
			}
			if (got["auth"] != "none") != ep.Auth.Val {
				t.Errorf("%s: account %s: msmtp reads auth = %q, maillint's model says auth %v", name, a.Name, got["auth"], ep.Auth.Val)
			}
			checkedAccounts++
		}
	}
	if checkedAccounts < 20 || rejected < 3 {
		t.Errorf("oracle checked too little: %d accounts, %d rejected files", checkedAccounts, rejected)
	}
	t.Logf("msmtp --pretend agreed on %d accounts in %d files; %d files rejected by both", checkedAccounts, checkedFiles, rejected)
}

// inlineBreaks reports whether an inline comment makes msmtp reject the
// file (on an on/off or port command) rather than just change a value.
func inlineBreaks(d linters.Finding) bool {
	return strings.Contains(d.Message, "value of tls") || strings.Contains(d.Message, "value of auth") || strings.Contains(d.Message, "value of port")
}

func usesNewer(src []byte) bool {
	for _, l := range Parse("f", src).Lines {
		if l.Kind == Command && newerCommands[l.Cmd] {
			return true
		}
	}
	return false
}

// TestOracleFixedGoldens pins what real msmtp reads from some fixed goldens,
// written by hand from the providers' documentation rather than taken from
// maillint's model.
func TestOracleFixedGoldens(t *testing.T) {
	bin := requireOracle(t, "msmtp")
	cases := []struct {
		golden, account string
		want            map[string]string
	}{
		{"icloud-blog-all-wrong", "icloud", map[string]string{"host": "smtp.mail.me.com", "port": "587", "tls": "on", "tls_starttls": "on", "auth": "choose"}},
		{"port-default-25", "icloud", map[string]string{"host": "smtp.mail.me.com", "port": "587", "tls": "on", "tls_starttls": "on", "auth": "choose"}},
		{"tls-mode-mismatch", "gmail", map[string]string{"host": "smtp.gmail.com", "port": "587", "tls": "on", "tls_starttls": "on"}},
		{"tls-mode-mismatch", "work", map[string]string{"port": "465", "tls": "on", "tls_starttls": "off"}},
		{"tls-mode-mismatch", "icloud", map[string]string{"port": "587", "tls": "on", "tls_starttls": "on"}},
		{"tls-missing", "gmail", map[string]string{"port": "587", "tls": "on", "tls_starttls": "on"}},
		{"auth-missing", "fastmail", map[string]string{"host": "smtp.fastmail.com", "port": "465", "tls": "on", "tls_starttls": "off", "auth": "choose"}},
		{"legacy-host", "me", map[string]string{"host": "smtp.mail.me.com", "port": "587"}},
		{"defaults-inherited", "kim", map[string]string{"host": "smtp.mail.me.com", "port": "587", "tls": "on", "tls_starttls": "on"}},
		{"defaults-inherited", "default", map[string]string{"host": "smtp.mail.me.com", "port": "587"}},
		{"inline-comment-crlf", "main", map[string]string{"host": "smtp.mailbox.org", "port": "465", "tls": "on", "tls_starttls": "off", "auth": "choose"}},
		{"tabs-no-final-newline", "gmail", map[string]string{"port": "465", "tls": "on", "tls_starttls": "off", "auth": "choose"}},
		{"smtp-user-form-unsafe", "icloud", map[string]string{"user": "emilyparker@icloud.com"}},
		// A line a fix inserts for one account leaves the others as they
		// were: the local relay after a shared defaults block, a child
		// account (local : icloud).
		{"insert-defaults-shared-local", "icloud", map[string]string{"host": "smtp.mail.me.com", "port": "587", "tls": "on", "tls_starttls": "on"}},
		{"insert-defaults-shared-local", "local", map[string]string{"host": "localhost", "port": "25", "tls": "off", "auth": "none"}},
		{"insert-parent-child", "icloud", map[string]string{"host": "smtp.mail.me.com", "port": "587", "tls": "on", "tls_starttls": "on"}},
		{"insert-parent-child", "local", map[string]string{"host": "localhost", "port": "25", "tls": "off", "auth": "none"}},
		{"inherit-parent-rewrite", "gmail", map[string]string{"port": "587", "tls": "on", "tls_starttls": "on"}},
		{"inherit-parent-rewrite", "relay", map[string]string{"host": "mail.example.org", "port": "25", "tls": "on", "tls_starttls": "on"}},
		{"inherit-implicit-account", "default", map[string]string{"host": "smtp.gmail.com", "port": "465", "tls": "on", "tls_starttls": "off"}},
		{"inherit-implicit-account", "b", map[string]string{"host": "mail.example.org", "port": "25", "tls": "off", "auth": "none"}},
		{"inherit-over-defaults", "gmail", map[string]string{"port": "587"}},
		{"inherit-over-defaults", "relay", map[string]string{"host": "mail.example.org", "port": "2525"}},
		{"shared-auth-relay", "gmail", map[string]string{"auth": "choose"}},
		{"shared-auth-relay", "relay", map[string]string{"host": "localhost", "auth": "none", "tls_certcheck": "off"}},
	}
	for _, c := range cases {
		src, err := os.ReadFile(filepath.Join("../../testdata/msmtp", c.golden, "msmtprc.fixed.golden"))
		if err != nil {
			t.Fatal(err)
		}
		file := filepath.Join(t.TempDir(), "msmtprc")
		os.WriteFile(file, sanitize(src), 0o600)
		got, out, ok := pretend(t, bin, file, c.account)
		if !ok {
			t.Errorf("%s/%s: msmtp rejected the fixed file:\n%s", c.golden, c.account, out)
			continue
		}
		for k, v := range c.want {
			if got[k] != v {
				t.Errorf("%s/%s: msmtp reads %s = %q, want %q", c.golden, c.account, k, got[k], v)
			}
		}
	}
}
