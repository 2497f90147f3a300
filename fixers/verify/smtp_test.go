package verify

import (
	"context"
	"crypto/tls"
	"encoding/base64"
	"fmt"
	"net"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func smtpTarget(host string, port int, security string) Target {
	return Target{Protocol: "smtp", Host: host, Port: port, Security: security}
}

func TestSMTPStartTLSOK(t *testing.T) {
	p := getPKI(t)
	srv := startSMTP(t, smtpServerConfig{cert: &p.good})
	r := Check(context.Background(), smtpTarget("mail.test.example", 587, "starttls"), testOptions(t, srv.addr))
	check(t, r, want{ok: true, stage: StageQuit, detail: []string{"STARTTLS (TLS 1.3)", "AUTH PLAIN"}})
	if r.TLSVersion != "TLS 1.3" {
		t.Errorf("TLSVersion = %q, want TLS 1.3", r.TLSVersion)
	}
	if !contains(r.AuthMechs, "PLAIN") {
		t.Errorf("AuthMechs = %v, want PLAIN (advertised after STARTTLS)", r.AuthMechs)
	}
	if !r.CertNotAfter.Equal(p.goodLeaf.NotAfter) {
		t.Errorf("CertNotAfter = %v, want %v", r.CertNotAfter, p.goodLeaf.NotAfter)
	}
	if r.AuthOK != nil {
		t.Errorf("AuthOK = %v, want nil (no credentials given)", *r.AuthOK)
	}
	if n := srv.ln.accepted.Load(); n != 1 {
		t.Errorf("server accepted %d connections, want 1", n)
	}
}

func TestSMTPImplicitTLSOK(t *testing.T) {
	p := getPKI(t)
	srv := startSMTP(t, smtpServerConfig{cert: &p.good, implicit: true})
	r := Check(context.Background(), smtpTarget("mail.test.example", 465, "tls"), testOptions(t, srv.addr))
	check(t, r, want{ok: true, stage: StageQuit, detail: []string{"implicit TLS (TLS 1.3)"}})
	if !contains(r.AuthMechs, "PLAIN") {
		t.Errorf("AuthMechs = %v, want PLAIN", r.AuthMechs)
	}
}

// AUTH is advertised only once TLS is up (AllowInsecureAuth=false): the
// plain-text walk sees no mechanisms, the STARTTLS walk sees PLAIN.
func TestSMTPAuthAdvertisedOnlyAfterSTARTTLS(t *testing.T) {
	p := getPKI(t)
	srv := startSMTP(t, smtpServerConfig{cert: &p.good})
	o := testOptions(t, srv.addr)

	plain := Check(context.Background(), smtpTarget("mail.test.example", 587, "none"), o)
	check(t, plain, want{ok: true, stage: StageQuit, detail: []string{
		"server offers STARTTLS but the config does not use it", "no AUTH advertised"}})
	if len(plain.AuthMechs) != 0 || plain.TLSVersion != "" {
		t.Errorf("plain text: AuthMechs=%v TLSVersion=%q, want none", plain.AuthMechs, plain.TLSVersion)
	}

	tlsRes := Check(context.Background(), smtpTarget("mail.test.example", 587, "starttls"), o)
	check(t, tlsRes, want{ok: true, stage: StageQuit})
	if !contains(tlsRes.AuthMechs, "PLAIN") {
		t.Errorf("after STARTTLS: AuthMechs = %v, want PLAIN", tlsRes.AuthMechs)
	}
	// The server's transcript shows the advertisement only after the
	// client's STARTTLS command.
	tr := srv.transcript.String()
	i := strings.Index(tr, "\r\nSTARTTLS\r\n")
	if i < 0 {
		t.Fatalf("no STARTTLS command in the transcript:\n%s", tr)
	}
	if strings.Contains(tr[:i], "AUTH") || !strings.Contains(tr[i:], "AUTH PLAIN") {
		t.Errorf("AUTH should be advertised only after STARTTLS:\n%s", tr)
	}
}

func TestSMTPNoSTARTTLS(t *testing.T) {
	srv := startSMTP(t, smtpServerConfig{}) // no TLSConfig
	o := testOptions(t, srv.addr)

	r := Check(context.Background(), smtpTarget("mail.test.example", 587, "starttls"), o)
	check(t, r, want{stage: StageSTARTTLS, cause: CauseNoSTARTTLS, detail: []string{"server did not offer STARTTLS", "PIPELINING"}})

	// starttls-optional: OK, with a warning, in plain text.
	r = Check(context.Background(), smtpTarget("mail.test.example", 587, "starttls-optional"), o)
	check(t, r, want{ok: true, stage: StageQuit, detail: []string{"server did not offer STARTTLS; mail would be sent unencrypted", "plain text"}})
	if r.TLSVersion != "" {
		t.Errorf("TLSVersion = %q, want empty", r.TLSVersion)
	}
}

func TestSMTPImplicitTLSPortWithSTARTTLSConfig(t *testing.T) {
	p := getPKI(t)
	srv := startSMTP(t, smtpServerConfig{cert: &p.good, implicit: true})
	o := testOptions(t, srv.addr)
	o.Timeout = 10 * time.Second

	for _, sec := range []string{"starttls", "none"} {
		t.Run(sec, func(t *testing.T) {
			t.Parallel()
			start := time.Now()
			r := Check(context.Background(), smtpTarget("mail.test.example", 465, sec), o)
			elapsed := time.Since(start)
			uses := map[string]string{"starttls": "STARTTLS", "none": "no encryption"}[sec]
			check(t, r, want{stage: StageBanner, cause: CauseImplicitTLSPort, detail: []string{
				"port 465 speaks TLS immediately (implicit TLS), but the config uses " + uses, "set security to tls"}})
			if elapsed >= beforeTimeout || r.Duration >= beforeTimeout {
				t.Errorf("%s: took %v (Duration %v), want well under the 10s timeout", sec, elapsed, r.Duration)
			}
		})
	}
}

func TestSMTPPlaintextPortWithTLSConfig(t *testing.T) {
	p := getPKI(t)
	srv := startSMTP(t, smtpServerConfig{cert: &p.good}) // plain + STARTTLS
	start := time.Now()
	r := Check(context.Background(), smtpTarget("mail.test.example", 587, "tls"), testOptions(t, srv.addr))
	check(t, r, want{stage: StageTLS, cause: CausePlaintextPort, detail: []string{
		"port 587 speaks plain SMTP (it sent a 220 banner); the config uses implicit TLS — use STARTTLS"}})
	if d := time.Since(start); d > quick {
		t.Errorf("took %v, want fast", d)
	}
}

func TestSMTPCertificateProblems(t *testing.T) {
	p := getPKI(t)
	tests := []struct {
		name string
		cert *tls.Certificate
		host string
		want want
	}{
		{"untrusted CA", &p.rogue, "mail.test.example", want{stage: StageCertificate, cause: CauseCertUntrusted,
			detail: []string{"certificate signed by an unknown authority", `issued by "CN=Rogue Test CA`}}},
		{"self-signed", &p.selfSigned, "mail.test.example", want{stage: StageCertificate, cause: CauseCertUntrusted,
			detail: []string{"certificate signed by an unknown authority", "self-signed"}}},
		{"wrong host name", &p.otherName, "mail.test.example", want{stage: StageCertificate, cause: CauseCertHostname,
			detail: []string{"certificate is for other.test.example, not mail.test.example"}}},
		{"expired", &p.expired, "mail.test.example", want{stage: StageCertificate, cause: CauseCertExpired,
			detail: []string{"certificate expired on 2024-01-02"}}},
	}
	for _, tc := range tests {
		for _, mode := range []string{"starttls", "tls"} {
			t.Run(tc.name+"/"+mode, func(t *testing.T) {
				srv := startSMTP(t, smtpServerConfig{cert: tc.cert, implicit: mode == "tls"})
				port := map[string]int{"starttls": 587, "tls": 465}[mode]
				r := Check(context.Background(), smtpTarget(tc.host, port, mode), testOptions(t, srv.addr))
				check(t, r, tc.want)
				if r.CertNotAfter.IsZero() {
					t.Errorf("CertNotAfter not set for a rejected certificate")
				}
				if tc.name == "expired" && !r.CertNotAfter.Equal(expiredNotAfter) {
					t.Errorf("CertNotAfter = %v, want %v", r.CertNotAfter, expiredNotAfter)
				}
			})
		}
	}
}

func TestSMTPSilentServer(t *testing.T) {
	l := silentServer(t)
	o := testOptions(t, l.Addr().String())
	o.Timeout = time.Second
	start := time.Now()
	r := Check(context.Background(), smtpTarget("mail.test.example", 587, "starttls"), o)
	elapsed := time.Since(start)
	check(t, r, want{stage: StageBanner, cause: CauseTimeout, detail: []string{"no banner within 1s"}})
	if elapsed > quick {
		t.Errorf("took %v, want about 1s (the timeout)", elapsed)
	}
}

func TestSMTPSilentServerImplicitTLS(t *testing.T) {
	l := silentServer(t)
	o := testOptions(t, l.Addr().String())
	o.Timeout = time.Second
	start := time.Now()
	r := Check(context.Background(), smtpTarget("mail.test.example", 465, "tls"), o)
	check(t, r, want{stage: StageTLS, cause: CauseTimeout, detail: []string{"no TLS handshake answer", "within 1s"}})
	if d := time.Since(start); d > quick {
		t.Errorf("took %v, want about 1s", d)
	}
}

func TestSMTPConnectionRefused(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	r := Check(context.Background(), smtpTarget("mail.test.example", 587, "starttls"), testOptions(t, addr))
	check(t, r, want{stage: StageConnect, cause: CauseRefused, detail: []string{"connection refused", "mail.test.example port 587"}})
}

func TestSMTPDNSFailure(t *testing.T) {
	o := Options{
		Timeout: time.Second,
		Dial: func(ctx context.Context, network, addr string) (net.Conn, error) {
			return nil, &net.OpError{Op: "dial", Net: network, Err: &net.DNSError{Err: "no such host", Name: "smtp.nonexistent.example", IsNotFound: true}}
		},
	}
	r := Check(context.Background(), smtpTarget("smtp.nonexistent.example", 587, "starttls"), o)
	check(t, r, want{stage: StageConnect, cause: CauseDNS, detail: []string{"cannot resolve smtp.nonexistent.example: no such host"}})
}

func TestInvalidTarget(t *testing.T) {
	r := Check(context.Background(), Target{Protocol: "pop3", Host: "x", Port: 1, Security: "tls"}, Options{})
	check(t, r, want{stage: StageConnect, cause: CauseInvalidTarget, detail: []string{`unknown protocol "pop3"`}})
	r = Check(context.Background(), Target{Protocol: "smtp", Host: "x", Port: 587, Security: "ssl-maybe"}, Options{})
	check(t, r, want{stage: StageConnect, cause: CauseInvalidTarget, detail: []string{`unknown security "ssl-maybe"`}})
}

// TestSMTPAuthEcho: a server that quotes what a failed login sent (the
// password, the base64 PLAIN exchange) does not get it printed.
func TestSMTPAuthEcho(t *testing.T) {
	p := getPKI(t)
	srv := startSMTP(t, smtpServerConfig{cert: &p.good, echo: true})
	o := testOptions(t, srv.addr)
	o.Auth = credsFor(goodUser, "LEAKecho1", nil)
	r := Check(context.Background(), smtpTarget("mail.test.example", 587, "starttls"), o)
	check(t, r, want{stage: StageAuth, cause: CauseAuthFailed, detail: []string{"535", "got ********", "v=x********x [********]"}})
	plain := base64.StdEncoding.EncodeToString([]byte("\x00" + goodUser + "\x00LEAKecho1"))
	if strings.Contains(r.Detail, "LEAK") || strings.Contains(r.Detail, plain) {
		t.Errorf("the detail shows what the login sent: %q", r.Detail)
	}
}

func TestSMTPAuth(t *testing.T) {
	p := getPKI(t)
	srv := startSMTP(t, smtpServerConfig{cert: &p.good})
	o := testOptions(t, srv.addr)

	o.Auth = credsFor(goodUser, goodPass, nil)
	r := Check(context.Background(), smtpTarget("mail.test.example", 587, "starttls"), o)
	check(t, r, want{ok: true, stage: StageQuit, detail: []string{"login accepted"}})
	if r.AuthOK == nil || !*r.AuthOK {
		t.Errorf("AuthOK = %v, want true", r.AuthOK)
	}

	o.Auth = credsFor(goodUser, "wrong", nil)
	r = Check(context.Background(), smtpTarget("mail.test.example", 587, "starttls"), o)
	check(t, r, want{stage: StageAuth, cause: CauseAuthFailed, detail: []string{`server rejected the login for "alice"`, "535", "Authentication credentials invalid"}})
	if r.AuthOK == nil || *r.AuthOK {
		t.Errorf("AuthOK = %v, want false", r.AuthOK)
	}
	if n, _ := srv.be.stats(); n != 2 {
		t.Errorf("server saw %d AUTH attempts, want 2", n)
	}
}

// With credentials and no TLS, nothing is sent, even to a server that
// advertises AUTH in plain text and would accept it.
func TestSMTPNoAuthWithoutTLS(t *testing.T) {
	srv := startSMTP(t, smtpServerConfig{insecureAuth: true}) // AUTH PLAIN offered in clear
	o := testOptions(t, srv.addr)
	var calls atomic.Int64
	o.Auth = credsFor(goodUser, goodPass, &calls)

	for _, sec := range []string{"none", "starttls-optional"} {
		r := Check(context.Background(), smtpTarget("mail.test.example", 25, sec), o)
		check(t, r, want{stage: StageAuth, cause: CauseAuthNotSent, detail: []string{"credentials not sent", "not encrypted"}})
		if r.AuthOK != nil {
			t.Errorf("%s: AuthOK = %v, want nil", sec, *r.AuthOK)
		}
		if !contains(r.AuthMechs, "PLAIN") {
			t.Errorf("%s: AuthMechs = %v, want the plain-text advertisement PLAIN", sec, r.AuthMechs)
		}
	}
	if n, _ := srv.be.stats(); n != 0 {
		t.Errorf("server saw %d AUTH attempts, want 0", n)
	}
	if calls.Load() != 0 {
		t.Errorf("Options.Auth called %d times, want 0 (credentials must not even be fetched)", calls.Load())
	}
	for _, line := range strings.Split(srv.transcript.String(), "\n") {
		if strings.HasPrefix(strings.ToUpper(line), "AUTH") {
			t.Errorf("client sent %q in plain text", line)
		}
	}
	if !strings.Contains(srv.transcript.String(), "AUTH PLAIN") {
		t.Errorf("transcript does not show the server advertising AUTH PLAIN; test is not exercising anything:\n%s", srv.transcript.String())
	}
}

func TestCheckAllDedupes(t *testing.T) {
	p := getPKI(t)
	srv := startSMTP(t, smtpServerConfig{cert: &p.good})
	ts := make([]Target, 40)
	for i := range ts {
		ts[i] = smtpTarget("mail.test.example", 587, "starttls")
	}
	rs := CheckAll(context.Background(), ts, testOptions(t, srv.addr), 4)
	if len(rs) != 1 {
		t.Fatalf("got %d results, want 1 for 40 identical targets", len(rs))
	}
	check(t, rs[0], want{ok: true, stage: StageQuit})
	if n := srv.ln.accepted.Load(); n != 1 {
		t.Errorf("server accepted %d connections, want exactly 1", n)
	}
}

func TestCheckAllConcurrentAndOrdered(t *testing.T) {
	const delay = 300 * time.Millisecond
	srv := startSMTP(t, smtpServerConfig{delay: delay})
	var ts []Target
	for i := range 8 {
		ts = append(ts, smtpTarget(fmt.Sprintf("h%d.test.example", i), 25, "none"))
	}
	// Duplicates interleaved: results keep the order of first occurrence.
	in := append([]Target{ts[0], ts[1], ts[0]}, ts[2:]...)
	in = append(in, ts[5], ts[7])
	// Count connections open on the client side: the server may still be
	// tearing down a session after the client has moved on.
	opts := testOptions(t, srv.addr)
	var open, peak atomic.Int64
	dial := opts.Dial
	opts.Dial = func(ctx context.Context, network, addr string) (net.Conn, error) {
		c, err := dial(ctx, network, addr)
		if err != nil {
			return nil, err
		}
		n := open.Add(1)
		for {
			p := peak.Load()
			if n <= p || peak.CompareAndSwap(p, n) {
				break
			}
		}
		return &countedConn{Conn: c, open: &open}, nil
	}
	start := time.Now()
	rs := CheckAll(context.Background(), in, opts, 4)
	elapsed := time.Since(start)
	if len(rs) != len(ts) {
		t.Fatalf("got %d results, want %d", len(rs), len(ts))
	}
	for i, r := range rs {
		if r.Target != ts[i] {
			t.Errorf("result %d is for %v, want %v", i, r.Target, ts[i])
		}
		check(t, r, want{ok: true, stage: StageQuit})
	}
	if n := srv.ln.accepted.Load(); n != int64(len(ts)) {
		t.Errorf("server accepted %d connections, want %d", n, len(ts))
	}
	if p := peak.Load(); p != 4 {
		t.Errorf("peak concurrent client connections = %d, want 4 (jobs=4)", p)
	}
	if elapsed >= time.Duration(len(ts))*delay {
		t.Errorf("took %v; sequential would be %v", elapsed, time.Duration(len(ts))*delay)
	}
}

func TestCheckCanceled(t *testing.T) {
	l := silentServer(t)
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(200*time.Millisecond, cancel)
	start := time.Now()
	r := Check(ctx, smtpTarget("mail.test.example", 587, "starttls"), testOptions(t, l.Addr().String()))
	if r.Cause != CauseCanceled || r.Stage != StageBanner {
		t.Errorf("got Stage=%q Cause=%q, want banner/canceled: %s", r.Stage, r.Cause, r.Detail)
	}
	if d := time.Since(start); d > quick {
		t.Errorf("took %v after cancel", d)
	}
}

// countedConn decrements a counter of open connections once, on Close.
type countedConn struct {
	net.Conn
	open *atomic.Int64
	once sync.Once
}

func (c *countedConn) Close() error {
	c.once.Do(func() { c.open.Add(-1) })
	return c.Conn.Close()
}
