//go:build unix

package main

// Never execute (issue 8): every construct of every format that makes a
// client (or a shell) run a program gets a command that creates a marker
// file; no mode of maillint may create one. With --verify-auth
// --allow-exec the password command runs, by design: that, and only that.

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/maillint/maillint/fixers/verify/verifytest"
)

// execFiles returns the configs, each construct's command touching
// M/<name>; M is the markers folder.
func execFiles(m string) map[string]string {
	t := func(name string) string { return "touch " + filepath.Join(m, name) }
	return map[string]string{
		"msmtp/msmtprc": `account live
host mail.test.example
port 587
tls on
tls_starttls on
auth on
user kim
from kim@test.example
passwordeval "` + t("msmtp-passwordeval") + `; echo pw"

account other
eval echo host mail.test.example; ` + t("msmtp-eval") + `
host $(` + t("msmtp-subst") + `)
user ` + "`" + t("msmtp-backtick") + "`" + `
tls_trust_file $(` + t("msmtp-trust") + `)
logfile |` + t("msmtp-logfile") + `
`,
		"mutt/muttrc": `set smtp_url = "smtp://kim@mail.test.example:587/"
set ssl_starttls = yes
set ssl_force_tls = yes
set smtp_pass = ` + "`" + t("mutt-backtick-pass") + "; echo pw`" + `
set my_x = ` + "`" + t("mutt-backtick-my") + "`" + `
set from = "` + "`" + t("mutt-backtick-quoted") + "`" + `"
source "` + t("mutt-source-pipe") + ` |"
source ` + "`" + t("mutt-source-backtick") + "; echo /dev/null`" + `
set my_cmd = "` + t("mutt-source-var") + ` |"
source $my_cmd
set sendmail = "sh -c '` + t("mutt-sendmail") + `'"
set editor = "` + t("mutt-editor") + `"
set imap_pass = "$(` + t("mutt-subst") + `)"
account-hook . 'set imap_pass=` + "`" + t("mutt-hook") + "`" + `'
folder-hook . 'source "` + t("mutt-hook-source") + ` |"'
run "set x=` + "`" + t("mutt-run") + "`" + `"
ifdef sidebar 'set y=` + "`" + t("mutt-ifdef") + "`" + `'
`,
		"git/.gitconfig": `[alias]
	x = !` + t("git-alias") + `
[credential]
	helper = !` + t("git-credential") + `
[credential "smtp://kim@mail.test.example:587"]
	helper = "!f() { ` + t("git-credential-url") + `; echo password=pw; }; f"
[sendemail]
	smtpServer = mail.test.example
	smtpServerPort = 587
	smtpEncryption = tls
	smtpUser = kim
	toCmd = ` + t("git-tocmd") + `
	ccCmd = ` + t("git-cccmd") + `
	headerCmd = ` + t("git-headercmd") + `
	smtpPass = $(` + t("git-subst") + `)
[sendemail "script"]
	smtpServer = ` + filepath.Join(m, "..", "smtp-script.sh") + `
[core]
	pager = ` + t("git-pager") + `
	sshCommand = ` + t("git-ssh") + `
	fsmonitor = ` + t("git-fsmonitor") + `
	editor = ` + t("git-editor") + `
	hooksPath = ` + m + `
[include]
	path = $(` + t("git-include-subst") + `)
[includeIf "hasconfig:remote.*.url:$(` + t("git-cond") + `)"]
	path = x
`,
		"tb/thunderbird/p/prefs.js": `user_pref("mail.smtpservers", "smtp1");
user_pref("mail.smtpserver.smtp1.hostname", "mail.test.example");
user_pref("mail.smtpserver.smtp1.port", 587);
user_pref("mail.smtpserver.smtp1.try_ssl", 2);
user_pref("mail.smtpserver.smtp1.username", "kim");
user_pref("mail.smtpserver.smtp1.password", require('child_process').execSync('` + t("tb-require") + `'));
user_pref("x", (function(){ require('child_process').execSync('` + t("tb-iife") + `') })());
user_pref("mail.server.server1.hostname", "$(` + t("tb-subst") + `)");
pref("general.config.filename", "autoconfig.cfg");
`,
	}
}

// markers lists the marker files created so far.
func markers(t *testing.T, m string) []string {
	t.Helper()
	ents, err := os.ReadDir(m)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range ents {
		out = append(out, e.Name())
	}
	sort.Strings(out)
	return out
}

// TestNeverExecutes runs every mode on every format's commands and checks
// that no marker appears; then --verify-auth --allow-exec, which runs the
// msmtp password command and nothing else.
func TestNeverExecutes(t *testing.T) {
	pki := verifytest.NewPKI(t, "mail.test.example")
	srv := verifytest.StartSMTP(t, pki, verifytest.StartTLS, "kim", "pw")
	dir := t.TempDir()
	m := filepath.Join(dir, "markers")
	os.MkdirAll(m, 0o755)
	files := execFiles(m)
	hWrite(t, dir, map[string]string{"ca.pem": string(pki.CAPEM), "home/.placeholder": ""})
	// A program git would run as its SMTP server.
	script := filepath.Join(dir, "smtp-script.sh")
	if err := os.WriteFile(script, []byte("#!/bin/sh\ntouch "+filepath.Join(m, "git-smtpserver-script")+"\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	verify := []string{"--verify", "--timeout", "5s", "--ca-file", filepath.Join(dir, "ca.pem"),
		"--connect-to", fmt.Sprintf("mail.test.example:587:127.0.0.1:%d", srv.Port)}
	modes := [][]string{
		nil,
		{"--format", "sarif"},
		{"--diff"},
		{"--diff", "--unsafe-fixes"},
		{"--write"},
		{"--write", "--unsafe-fixes"},
		verify,
		append(append([]string(nil), verify...), "--verify-auth"),
		append(append([]string(nil), verify...), "--verify-auth", "--write", "--unsafe-fixes"),
	}
	for _, mode := range modes {
		// A fresh copy each time: --write changes the files.
		work := t.TempDir()
		hWrite(t, work, files)
		hWrite(t, work, map[string]string{"home/.placeholder": ""})
		for name := range files {
			args := append(append([]string(nil), mode...), name)
			hRun(t, work, nil, args...)
		}
		hRun(t, work, nil, append(append([]string(nil), mode...), ".")...)
		if got := markers(t, m); len(got) > 0 {
			t.Fatalf("maillint %s ran commands from the files: %v", strings.Join(mode, " "), got)
		}
	}
	before := srv.AuthAttempts.Load()

	// --verify-auth --allow-exec: the msmtp password command runs (and its
	// password is sent), nothing else does.
	work := t.TempDir()
	hWrite(t, work, files)
	for name := range files {
		hRun(t, work, nil, append(append(append([]string(nil), verify...), "--verify-auth", "--allow-exec"), name)...)
	}
	if got := markers(t, m); strings.Join(got, " ") != "msmtp-passwordeval" {
		t.Errorf("with --allow-exec, the commands run were %v; want only msmtp-passwordeval", got)
	}
	if srv.AuthAttempts.Load() == before {
		t.Error("the password from the command was not used to log in")
	}
}
