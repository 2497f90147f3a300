package main

import (
	"context"
	"crypto/x509"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"time"

	"github.com/maillint/maillint/fixers/verify"
	"github.com/maillint/maillint/linters"
)

// verifyOptions are the flags of live verification.
type verifyOptions struct {
	enabled   bool
	auth      bool
	allowExec bool
	connectTo connectToFlag
	caFile    string
	timeout   time.Duration
}

func (v *verifyOptions) register(fs *flag.FlagSet) {
	fs.BoolVar(&v.enabled, "verify", false, "connect to each SMTP/IMAP endpoint (after fixes, with --diff/--write) and walk the handshake")
	fs.BoolVar(&v.auth, "verify-auth", false, "with --verify, also log in (only over TLS) with the configured user and password")
	fs.BoolVar(&v.allowExec, "allow-exec", false, "with --verify-auth, run the config's password command (passwordeval...) to get the password")
	fs.Var(&v.connectTo, "connect-to", "HOST:PORT:CONNECT_HOST:CONNECT_PORT: connect elsewhere but verify TLS for HOST (repeatable)")
	fs.StringVar(&v.caFile, "ca-file", "", "PEM file of extra trusted root certificates for --verify")
	fs.DurationVar(&v.timeout, "timeout", 10*time.Second, "time limit for each endpoint's handshake")
}

// connectToFlag holds --connect-to rules in curl's meaning.
type connectToFlag []connectRule

type connectRule struct {
	host, toHost string
	port, toPort int // 0 = any / same
}

func (c *connectToFlag) String() string { return fmt.Sprint(len(*c)) }

func (c *connectToFlag) Set(s string) error {
	parts := strings.Split(s, ":")
	if len(parts) != 4 {
		return fmt.Errorf("want HOST:PORT:CONNECT_HOST:CONNECT_PORT, got %q", s)
	}
	r := connectRule{host: strings.ToLower(parts[0]), toHost: parts[2]}
	for i, dst := range []*int{&r.port, &r.toPort} {
		p := parts[1+2*i]
		if p == "" {
			continue
		}
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 || n > 65535 {
			return fmt.Errorf("bad port %q in %q", p, s)
		}
		*dst = n
	}
	*c = append(*c, r)
	return nil
}

func (c connectToFlag) apply(host string, port int) (string, int) {
	for _, r := range c {
		if (r.host == "" || r.host == strings.ToLower(host)) && (r.port == 0 || r.port == port) {
			if r.toHost != "" {
				host = r.toHost
			}
			if r.toPort != 0 {
				port = r.toPort
			}
			return host, port
		}
	}
	return host, port
}

// endpointRef is one place in one file that names an endpoint.
type endpointRef struct {
	ck *checked
	ep *linters.Endpoint
}

func securityName(s linters.Security) string {
	switch s {
	case linters.SecurityNone, linters.SecurityStartTLSOptional, linters.SecurityStartTLS, linters.SecurityImplicitTLS:
		return s.String()
	}
	return ""
}

// jsonEndpoint is one handshake in --format json (public API).
type jsonEndpoint struct {
	Protocol     string `json:"protocol"`
	Host         string `json:"host"`
	Port         int    `json:"port"`
	Security     string `json:"security"`
	OK           bool   `json:"ok"`
	Stage        string `json:"stage"`
	Cause        string `json:"cause"`
	Detail       string `json:"detail"`
	DurationMS   int64  `json:"duration_ms"`
	TLSVersion   string `json:"tls_version"`
	CertNotAfter string `json:"cert_not_after"`
}

// runVerify handshakes every distinct endpoint of the checked files (as
// fixed, with --diff/--write) once, and turns failures into findings.
func (c *Command) runVerify(rep *report) {
	o := rep.opts
	refs := map[verify.Target][]endpointRef{}
	var targets []verify.Target
	for _, ck := range rep.files {
		for _, a := range ck.doc.Accounts {
			for _, ep := range []*linters.Endpoint{a.SMTP, a.IMAP} {
				if ep == nil || ep.Host.Val == "" || ep.Host.Dynamic || ep.Port.Dynamic || ep.Security.Dynamic || !hostName(ep.Host.Val) {
					continue // nothing to connect to (a URL or user:pass@ in the host is never looked up)
				}
				sec := securityName(ep.Security.Val)
				if sec == "" || ep.Port.Val <= 0 {
					continue
				}
				t := verify.Target{Protocol: string(ep.Protocol), Host: ep.Host.Val, Port: ep.Port.Val, Security: sec}
				if _, ok := refs[t]; !ok {
					targets = append(targets, t)
				}
				refs[t] = append(refs[t], endpointRef{ck: ck, ep: ep})
			}
		}
	}
	if len(targets) == 0 {
		fmt.Fprintf(c.Stderr, "maillint: --verify: no endpoint with a known host, port and TLS mode to check\n")
		rep.endpoints = []jsonEndpoint{}
		return
	}
	opts := verify.Options{Timeout: o.verify.timeout, ConnectTo: o.verify.connectTo.apply}
	if o.verify.caFile != "" {
		pool, err := x509.SystemCertPool()
		if err != nil || pool == nil {
			pool = x509.NewCertPool()
		}
		pem, _, err := c.readFile(o.verify.caFile)
		if err != nil {
			rep.errorf(o.verify.caFile, "%s", describe(err))
			return
		}
		if !pool.AppendCertsFromPEM(pem) {
			rep.errorf(o.verify.caFile, "no PEM certificate in the file")
			return
		}
		opts.RootCAs = pool
	}
	if o.verify.auth {
		opts.Auth = func(t verify.Target) (*verify.Credentials, error) {
			return c.credentials(refs[t], o.verify.allowExec)
		}
	}
	if c.stderrIsTerminal() {
		fmt.Fprintf(c.Stderr, "maillint: verifying %d %s…\r", len(targets), plural(len(targets), "endpoint"))
	}
	jobs := o.jobs
	if jobs < 1 {
		jobs = 1
	}
	results := verify.CheckAll(context.Background(), targets, opts, jobs)
	if c.stderrIsTerminal() {
		fmt.Fprintf(c.Stderr, "\x1b[2K\r")
	}
	rep.endpoints = []jsonEndpoint{}
	// What a report says of an endpoint is masked with the secrets of every
	// file that names it (a server may echo what it was sent).
	maskers := map[*checked]func(string) string{}
	maskFor := func(t verify.Target) func(string) string {
		return func(s string) string {
			for _, ref := range refs[t] {
				m, ok := maskers[ref.ck]
				if !ok {
					m = linters.SecretMasker(ref.ck.doc)
					maskers[ref.ck] = m
				}
				s = m(s)
			}
			return s
		}
	}
	for _, r := range results {
		mask := maskFor(r.Target)
		host, detail := mask(r.Target.Host), mask(r.Detail)
		je := jsonEndpoint{Protocol: r.Target.Protocol, Host: host, Port: r.Target.Port, Security: r.Target.Security,
			OK: r.OK, Stage: r.Stage, Cause: r.Cause, Detail: detail, DurationMS: r.Duration.Milliseconds(), TLSVersion: r.TLSVersion}
		if !r.CertNotAfter.IsZero() {
			je.CertNotAfter = r.CertNotAfter.UTC().Format(time.RFC3339)
		}
		rep.endpoints = append(rep.endpoints, je)
		if r.OK {
			continue
		}
		for _, ref := range refs[r.Target] {
			at := ref.ep.Host.At
			switch r.Cause {
			case verify.CauseImplicitTLSPort, verify.CausePlaintextPort, verify.CauseNoSTARTTLS:
				at = ref.ep.Security.At
			case verify.CauseRefused, verify.CauseTimeout:
				at = linters.PortAt(ref.ep)
			}
			ref.ck.findings = append(ref.ck.findings, linters.Finding{
				Rule: linters.VerifyFailed.ID, Severity: linters.VerifyFailed.Severity, At: at,
				Message: fmt.Sprintf("live check of %s %s:%d (%s) failed at %s: %s", strings.ToUpper(r.Target.Protocol), host, r.Target.Port, r.Target.Security, r.Stage, detail),
			})
			ref.ck.verifyFailed = append(ref.ck.verifyFailed, fmt.Sprintf("%s:%d (%s: %s)", host, r.Target.Port, r.Stage, detail))
		}
	}
}

// hostName reports whether s can be a host name or an IP address literal:
// letters (also non-ASCII: an internationalised name), digits, '.', '-',
// '_' and, for IPv6, ':' and brackets; no '@', '/' or blank.
func hostName(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 0x80 || c == '.' || c == '-' || c == '_' || c == ':' || c == '[' || c == ']' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9') {
			return false
		}
	}
	return s != ""
}

// credentials finds the login of an endpoint for --verify-auth. An inline
// password is read from the file; a password command runs only with
// --allow-exec.
func (c *Command) credentials(refs []endpointRef, allowExec bool) (*verify.Credentials, error) {
	for _, ref := range refs {
		ep := ref.ep
		sf := ref.ck.doc.File(ep.Password.Value.Path)
		if ep.User.Val == "" || sf == nil || !ep.Password.Raw {
			continue
		}
		raw := string(sf.Src[ep.Password.Value.Start.Offset:ep.Password.Value.End.Offset])
		switch ep.Password.Kind {
		case linters.PasswordInline:
			return &verify.Credentials{User: ep.User.Val, Password: raw}, nil
		case linters.PasswordCommand:
			if !allowExec {
				return nil, errors.New("the password comes from a command; add --allow-exec to let maillint run it")
			}
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			cmd := exec.CommandContext(ctx, "/bin/sh", "-c", raw)
			cmd.Stdin = nil
			cmd.Stderr = nil
			out, err := cmd.Output()
			if err != nil {
				return nil, fmt.Errorf("the password command failed: %v", err)
			}
			line, _, _ := strings.Cut(string(out), "\n")
			return &verify.Credentials{User: ep.User.Val, Password: strings.TrimSuffix(line, "\r")}, nil
		}
	}
	return nil, errors.New("no user and password in the config for this endpoint")
}

func (c *Command) stderrIsTerminal() bool {
	if c.StderrIsTerminal != nil {
		return c.StderrIsTerminal()
	}
	f, ok := c.Stderr.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

// printEndpoints reports each handshake on stderr in text mode.
func (r *report) printEndpoints() {
	for _, e := range r.endpoints {
		status := "ok"
		if !e.OK {
			status = "FAILED at " + e.Stage
		}
		fmt.Fprintf(r.cmd.Stderr, "maillint: verify %s %s:%d (%s): %s: %s (%d ms)\n", e.Protocol, printable(e.Host), e.Port, e.Security, status, printable(e.Detail), e.DurationMS)
	}
}
