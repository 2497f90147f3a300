//go:build unix

package main

// Secrets (issue 8): passwords written in any format never appear in any
// output: text, JSON, SARIF, GitHub annotations, --output-file in each
// format, the findings of --diff (its patch may hold file content; see
// README), --write, --verify reports with and without --verify-auth, and
// error paths (a syntax error on the password line, a misspelled password
// key, a password too long for the line).

import (
	"fmt"
	"github.com/maillint/maillint/linters"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/maillint/maillint/fixers/verify/verifytest"
)

// secretMark starts every planted secret; it appears nowhere else.
const secretMark = "Zk7q"

// secretFiles plant secrets in every place each format stores one. One
// account of each names mail.test.example:587 (STARTTLS) so --verify
// connects to the test server and --verify-auth sends the password.
var secretFiles = map[string]string{
	"msmtp/msmtprc": `defaults
tls on
tls_starttls on

account live
host mail.test.example
port 587
auth on
user kim
from kim@test.example
password Zk7qMSMTPlive

account gmail
host smtp.gmail.com
port 25
tls off
auth on
user kim
from kim@gmail.com
password Zk7qMSMTPgmail # a trailing comment is part of it

account long
host smtp.gmail.com
password Zk7qMSMTPlong` + strings.Repeat("x", 600) + `
passwrd Zk7qMSMTPtypo
Password Zk7qMSMTPcase
password "Zk7qMSMTPunterminated
`,
	"mutt/muttrc": `set smtp_url = "smtp://kim:Zk7qMUTTurl@mail.test.example:587/"
set smtp_pass = "Zk7qMUTTpass"
set imap_pass = 'Zk7qMUTTimap'
set folder = "imaps://kim:Zk7qMUTTfolder@imap.gmail.com:143/"
set spoolfile = "imaps://kim:Zk7q%2DMUTTpct@imap.gmail.com/INBOX"
set my_pass = "Zk7qMUTTmy"
set ssl_starttls = yes
set ssl_force_tls = yes
account-hook . 'set imap_pass=Zk7qMUTThook'
set smtp_passs = Zk7qMUTTtypo
set smtp_pass = "Zk7qMUTTunterminated
`,
	"git/.gitconfig": `[sendemail]
	smtpServer = mail.test.example
	smtpServerPort = 587
	smtpEncryption = tls
	smtpUser = kim
	smtpPass = Zk7qGITpass
[sendemail "gmail"]
	smtpServer = smtp.gmail.com
	smtpServerPort = 25
	smtpUser = kim@gmail.com
	smtpPass = "Zk7qGITquoted" ; comment
	smtppassword = Zk7qGITtypo
[sendemail "cont"]
	smtpServer = smtp.gmail.com
	smtpPass = Zk7qGITcont\
inued
	smtpPass = "Zk7qGITunterminated
`,
	"tb/thunderbird/p/prefs.js": `user_pref("mail.smtpservers", "smtp1,smtp2");
user_pref("mail.smtpserver.smtp1.hostname", "mail.test.example");
user_pref("mail.smtpserver.smtp1.port", 587);
user_pref("mail.smtpserver.smtp1.try_ssl", 2);
user_pref("mail.smtpserver.smtp1.username", "kim");
user_pref("mail.smtpserver.smtp1.password", "Zk7qTBsmtp");
user_pref("mail.smtpserver.smtp2.hostname", "imap.gmail.com");
user_pref("mail.smtpserver.smtp2.port", 25);
user_pref("mail.smtpserver.smtp2.password", "Zk7qTBsmtp2");
user_pref("mail.server.server1.hostname", "smtp.gmail.com");
user_pref("mail.server.server1.type", "imap");
user_pref("mail.server.server1.password", "Zk7qTBimap");
user_pref("mail.smtpserver.smtp2.password", "Zk7qTBunterminated);
`,
}

// noSecret fails the test when out holds a planted secret.
func noSecret(t *testing.T, what, out string) {
	t.Helper()
	if i := strings.Index(out, secretMark); i >= 0 {
		line := out[strings.LastIndexByte(out[:i], '\n')+1:]
		if j := strings.IndexByte(line, '\n'); j >= 0 {
			line = line[:j]
		}
		t.Errorf("%s: a secret leaks: %q", what, clip(line))
	}
}

// TestSecretsNeverPrinted runs every output of every mode on the planted
// secrets and greps for them.
func TestSecretsNeverPrinted(t *testing.T) {
	pki := verifytest.NewPKI(t, "mail.test.example")
	srv := verifytest.StartSMTP(t, pki, verifytest.StartTLS, "kim", "right")
	dir := t.TempDir()
	hWrite(t, dir, secretFiles)
	hWrite(t, dir, map[string]string{"ca.pem": string(pki.CAPEM)})
	// Group-readable, so insecure-permissions points at the secrets too.
	for name := range secretFiles {
		os.Chmod(filepath.Join(dir, name), 0o644)
	}
	verify := []string{"--verify", "--timeout", "5s", "--ca-file", "ca.pem",
		"--connect-to", fmt.Sprintf("mail.test.example:587:127.0.0.1:%d", srv.Port)}
	for name := range secretFiles {
		var runs [][]string
		for _, format := range outputFormats {
			runs = append(runs, []string{"--format", format})
			runs = append(runs, append(append([]string{"--format", format}, verify...), "--verify-auth"))
			runs = append(runs, []string{"--output-file", "report.out", "--output-format", format})
		}
		runs = append(runs, verify, []string{"--diff", "--unsafe-fixes"}, []string{"--diff", "--unsafe-fixes", "--format", "json"})
		for _, args := range runs {
			what := strings.Join(append(args, name), " ")
			os.Remove(filepath.Join(dir, "report.out"))
			r := hRun(t, dir, nil, append(args, name)...)
			if r.code == ExitError && !strings.Contains(what, "--verify") {
				t.Errorf("%s: exit 2:\n%s", what, r.stderr)
			}
			noSecret(t, what+" (stderr)", r.stderr)
			if args[0] != "--diff" {
				// A --diff patch may hold file content (README); its
				// findings, on stderr in every format, may not.
				noSecret(t, what+" (stdout)", r.stdout)
			}
			if b, err := os.ReadFile(filepath.Join(dir, "report.out")); err == nil {
				noSecret(t, what+" (--output-file)", string(b))
			}
		}
		// --write, on a copy.
		cp := t.TempDir()
		hWrite(t, cp, map[string]string{name: secretFiles[name]})
		r := hRun(t, cp, nil, "--write", "--unsafe-fixes", name)
		noSecret(t, "--write "+name, r.stdout+r.stderr)
	}
	if srv.AuthAttempts.Load() == 0 {
		t.Error("--verify-auth never logged in: the verify paths were not exercised")
	}
}

// TestSecretFromCommandNeverPrinted: with --verify-auth --allow-exec the
// password command runs; what it prints is sent to the server, never
// shown, also when the login fails.
func TestSecretFromCommandNeverPrinted(t *testing.T) {
	pki := verifytest.NewPKI(t, "mail.test.example")
	srv := verifytest.StartSMTP(t, pki, verifytest.StartTLS, "kim", "right")
	dir := t.TempDir()
	hWrite(t, dir, map[string]string{
		"ca.pem":  string(pki.CAPEM),
		"msmtprc": "account live\nhost mail.test.example\nport 587\ntls on\ntls_starttls on\nauth on\nuser kim\nfrom kim@test.example\npasswordeval \"echo Zk7qEVALpass\"\n",
	})
	for _, format := range outputFormats {
		args := []string{"--format", format, "--verify", "--verify-auth", "--allow-exec", "--timeout", "5s", "--ca-file", "ca.pem",
			"--connect-to", fmt.Sprintf("mail.test.example:587:127.0.0.1:%d", srv.Port), "msmtprc"}
		r := hRun(t, dir, nil, args...)
		noSecret(t, strings.Join(args, " "), r.stdout+r.stderr)
	}
	if srv.AuthAttempts.Load() == 0 {
		t.Error("the password command's password was never sent")
	}
}

// TestSourceLineSecretInsideCharacter: a secret whose range starts inside
// a multi-byte character (after invalid UTF-8, or cut mid-character) shows
// none of its bytes; the line is masked from the character on.
func TestSourceLineSecretInsideCharacter(t *testing.T) {
	// A lone lead byte before the secret, and a secret range that starts
	// at the second byte of é (c3 a9).
	src := []byte("password \xc3SECRET\n")
	sf := &linters.SourceFile{Path: "f", Src: src, Index: linters.NewLineIndex("f", src)}
	src2 := []byte("password é\n")
	sf2 := &linters.SourceFile{Path: "g", Src: src2, Index: linters.NewLineIndex("g", src2)}
	for _, c := range []struct {
		sf     *linters.SourceFile
		secret [2]int
		leak   string
	}{
		{sf, [2]int{10, 16}, "SECRET"},
		{sf2, [2]int{10, 11}, "\xa9"},
	} {
		sec := []linters.Range{c.sf.Index.Range(c.secret[0], c.secret[1])}
		line, _, ok := sourceLine(c.sf, sec, c.sf.Index.Range(0, 1))
		if !ok || strings.Contains(line.text, c.leak) || !strings.Contains(line.text, "********") {
			t.Errorf("%s: shown %q", c.sf.Path, line.text)
		}
	}
}
