package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/maillint/maillint/fixers/verify/verifytest"
	"github.com/spf13/afero"
)

// runCLI runs maillint in process in folder dir.
func runCLI(t *testing.T, dir string, args ...string) (int, string, string) {
	t.Helper()
	t.Chdir(dir)
	var stdout, stderr bytes.Buffer
	c := &Command{Stdout: &stdout, Stderr: &stderr, Fs: afero.NewOsFs(), Getenv: func(string) string { return "" }}
	code := c.Main(args)
	return code, stdout.String(), stderr.String()
}

type verifyJSON struct {
	Findings []struct {
		Path    string `json:"path"`
		Line    int    `json:"line"`
		Rule    string `json:"rule"`
		Message string `json:"message"`
	} `json:"findings"`
	Endpoints []jsonEndpoint `json:"endpoints"`
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	os.MkdirAll(filepath.Dir(path), 0o755)
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}

// setup writes the CA file and returns the --verify flags that send
// mail.test.example:587 to srv and trust the test CA.
func verifyFlags(t *testing.T, dir string, pki *verifytest.PKI, srv *verifytest.Server) []string {
	writeFile(t, filepath.Join(dir, "ca.pem"), string(pki.CAPEM))
	return []string{"--verify", "--timeout", "5s", "--ca-file", "ca.pem",
		"--connect-to", fmt.Sprintf("mail.test.example:587:127.0.0.1:%d", srv.Port)}
}

const relayConf = `account work
host mail.test.example
port 587
tls on
auth on
from kim@test.example
user kim
password %s
`

func TestVerifyStartTLSOK(t *testing.T) {
	pki := verifytest.NewPKI(t, "mail.test.example")
	srv := verifytest.StartSMTP(t, pki, verifytest.StartTLS, "kim", "right")
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "msmtprc"), fmt.Sprintf(relayConf, "right"))
	args := append(verifyFlags(t, dir, pki, srv), "--verify-auth", "--format", "json", "--type", "msmtp", "msmtprc")
	_, out, errOut := runCLI(t, dir, args...)
	var rep verifyJSON
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("%v\n%s\n%s", err, out, errOut)
	}
	if len(rep.Endpoints) != 1 || !rep.Endpoints[0].OK || rep.Endpoints[0].Stage != "quit" || rep.Endpoints[0].TLSVersion == "" || rep.Endpoints[0].CertNotAfter == "" {
		t.Fatalf("endpoints = %+v", rep.Endpoints)
	}
	for _, f := range rep.Findings {
		if f.Rule == "verify-failed" {
			t.Errorf("unexpected %+v", f)
		}
	}
	if srv.AuthAttempts.Load() != 1 {
		t.Errorf("auth attempts = %d, want 1", srv.AuthAttempts.Load())
	}
	if strings.Contains(out+errOut, "right") && !strings.Contains(out+errOut, "copyright") {
		t.Errorf("the password appears in the output:\n%s\n%s", out, errOut)
	}
}

func TestVerifyFailureIsAFindingAtTheTLSLine(t *testing.T) {
	pki := verifytest.NewPKI(t, "mail.test.example")
	srv := verifytest.StartSMTP(t, pki, verifytest.Implicit, "", "")
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "msmtprc"), fmt.Sprintf(relayConf, "x"))
	args := append(verifyFlags(t, dir, pki, srv), "--format", "json", "--type", "msmtp", "msmtprc")
	code, out, _ := runCLI(t, dir, args...)
	if code != ExitFindings {
		t.Errorf("exit %d, want 1", code)
	}
	var rep verifyJSON
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	found := false
	for _, f := range rep.Findings {
		if f.Rule == "verify-failed" {
			found = true
			if f.Line != 4 || !strings.Contains(f.Message, "implicit TLS") {
				t.Errorf("finding %+v: want line 4 (tls on) and words about implicit TLS", f)
			}
		}
	}
	if !found {
		t.Fatalf("no verify-failed finding:\n%s", out)
	}
	if e := rep.Endpoints[0]; e.OK || e.Cause != "implicit-tls-port" {
		t.Errorf("endpoint %+v", e)
	}
}

func TestVerifyOneHandshakePerEndpoint(t *testing.T) {
	pki := verifytest.NewPKI(t, "mail.test.example")
	srv := verifytest.StartSMTP(t, pki, verifytest.StartTLS, "", "")
	dir := t.TempDir()
	for i := range 40 {
		writeFile(t, filepath.Join(dir, "fleet", fmt.Sprintf("host%02d", i), "msmtprc"), fmt.Sprintf(relayConf, "x"))
	}
	args := append(verifyFlags(t, dir, pki, srv), "--jobs", "8", "fleet")
	runCLI(t, dir, args...)
	if n := srv.Accepted.Load(); n != 1 {
		t.Errorf("40 files naming one endpoint cost %d connections, want 1", n)
	}
}

func TestWriteVerifyWritesOnlyProvenFixes(t *testing.T) {
	pki := verifytest.NewPKI(t, "mail.test.example")
	// Implicit TLS configured on the STARTTLS port: the fix is STARTTLS.
	conf := "account work\nhost mail.test.example\nport 587\ntls on\ntls_starttls off\nauth on\nuser kim\npasswordeval \"pass x\"\n"
	for _, c := range []struct {
		mode    verifytest.Mode
		written bool
	}{{verifytest.StartTLS, true}, {verifytest.Plain, false}} {
		srv := verifytest.StartSMTP(t, pki, c.mode, "", "")
		dir := t.TempDir()
		writeFile(t, filepath.Join(dir, "msmtprc"), conf)
		args := append(verifyFlags(t, dir, pki, srv), "--write", "msmtprc")
		_, _, errOut := runCLI(t, dir, args...)
		got, _ := os.ReadFile(filepath.Join(dir, "msmtprc"))
		if c.written != (string(got) != conf) {
			t.Errorf("mode %v: written=%v, want %v\n%s", c.mode, string(got) != conf, c.written, errOut)
		}
		if !c.written && !strings.Contains(errOut, "not written: the fixed settings did not verify") {
			t.Errorf("mode %v: stderr does not say why:\n%s", c.mode, errOut)
		}
	}
}

func TestVerifyAuthNeverWithoutTLS(t *testing.T) {
	pki := verifytest.NewPKI(t, "mail.test.example")
	srv := verifytest.StartSMTP(t, pki, verifytest.Plain, "kim", "secret")
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "msmtprc"), "account work\nhost mail.test.example\nport 587\ntls off\nauth on\nuser kim\npassword secret\n")
	args := append(verifyFlags(t, dir, pki, srv), "--verify-auth", "--format", "json", "msmtprc")
	_, out, _ := runCLI(t, dir, args...)
	if n := srv.AuthAttempts.Load(); n != 0 {
		t.Fatalf("AUTH sent %d times over a connection without TLS", n)
	}
	if !strings.Contains(out, "auth-not-sent") {
		t.Errorf("report does not say the login was withheld:\n%s", out)
	}
}
