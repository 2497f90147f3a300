// Package verify connects to the SMTP and IMAP endpoints of a mail client
// configuration and walks the connection handshake the way a mail client
// would: TCP connect, implicit TLS or banner/greeting, EHLO/CAPABILITY,
// STARTTLS, certificate chain and host name, the advertised authentication
// mechanisms and (only when explicitly asked, and only over TLS) a login.
//
// Every failure is reported as a stage (how far the walk got), a stable
// cause code and a sentence a user can act on, e.g. "port 465 speaks TLS
// immediately (implicit TLS), but the config uses STARTTLS".
//
// Policy decisions:
//
//   - security "starttls-optional": STARTTLS is used when the server offers
//     it. When it does not, the walk continues in plain text and the result
//     is OK, but Detail warns "server did not offer STARTTLS; mail would be
//     sent unencrypted".
//   - security "none": the walk stays in plain text; a server that offers
//     STARTTLS anyway is mentioned in Detail.
//   - credentials are fetched (Options.Auth) and sent only after TLS is
//     established and verified. With Options.Auth set and no TLS, the result
//     is OK=false, Stage "auth", Cause "auth-not-sent" and nothing is sent.
//   - a STARTTLS or plain client on an implicit-TLS port waits for a banner
//     that never comes. If no byte arrives within min(3s, Timeout/2), a TLS
//     ClientHello is sent on a second connection (certificate not checked,
//     nothing else sent); if the server answers it, the result is Cause
//     "implicit-tls-port". Meanwhile the first connection keeps waiting for
//     a late banner until the endpoint budget runs out.
//   - an implicit-TLS client on a plain port receives the server's plain
//     greeting instead of a TLS record; that is reported as Cause
//     "plaintext-port".
//   - each endpoint, including the probe connection, is bounded as a whole by
//     Options.Timeout: every read and write deadline set by go-smtp or
//     go-imap is clamped to the endpoint deadline, and the connections are
//     closed when the context ends.
package verify

import (
	"bufio"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

// Target is one endpoint of a mail client configuration.
type Target struct {
	// Protocol is "smtp" or "imap".
	Protocol string
	// Host is the host name as written in the configuration. TLS
	// certificates are verified against it, also when Options.ConnectTo
	// redirects the TCP connection elsewhere.
	Host string
	// Port is the TCP port.
	Port int
	// Security is "none", "starttls-optional", "starttls" or "tls"
	// (implicit TLS, a.k.a. SSL/TLS, SMTPS 465, IMAPS 993).
	Security string
}

// Credentials are a user name and password used to test a login.
type Credentials struct {
	User, Password string
}

// Options tune Check and CheckAll. The zero value is usable. The function
// fields may be called from several goroutines at once by CheckAll.
type Options struct {
	// Timeout bounds each endpoint as a whole (connect, probe, TLS and
	// every command). Zero means 10s.
	Timeout time.Duration
	// RootCAs are the trusted roots for certificate verification; nil means
	// the system roots.
	RootCAs *x509.CertPool
	// ConnectTo maps the configured host and port to the address actually
	// dialed, like curl --connect-to; TLS is still verified for Target.Host.
	// Nil means dial the configured host and port.
	ConnectTo func(host string, port int) (string, int)
	// Auth returns the credentials to test for a target. It is called only
	// once TLS is established and verified. Nil means never authenticate;
	// a nil *Credentials with a nil error skips authentication for t.
	Auth func(t Target) (*Credentials, error)
	// Now is the clock used for certificate validity and expiry messages.
	// Nil means time.Now.
	Now func() time.Time
	// Dial opens TCP connections. Nil means a net.Dialer.
	Dial func(ctx context.Context, network, addr string) (net.Conn, error)
}

// Result is the outcome of checking one Target.
type Result struct {
	// Target is the checked endpoint.
	Target Target
	// OK reports whether the endpoint works with the configured security.
	// Detail may still carry a warning when OK is true.
	OK bool
	// Stage is the last stage reached: for SMTP "connect", "banner", "tls",
	// "ehlo", "starttls", "certificate", "auth", "quit"; for IMAP
	// "connect", "greeting", "tls", "capability", "starttls",
	// "certificate", "auth", "logout". On success it is "quit"/"logout".
	Stage string
	// Cause is a stable short code for the failure (see the Cause
	// constants); empty when OK.
	Cause string
	// Detail is a sentence for the user: the diagnosis when failing, a
	// summary plus any warning when OK.
	Detail string
	// Duration is the wall time spent on the endpoint.
	Duration time.Duration
	// TLSVersion is the negotiated TLS version, e.g. "TLS 1.3"; empty
	// without TLS.
	TLSVersion string
	// CertNotAfter is the expiry of the server's leaf certificate (also set
	// when the certificate was rejected).
	CertNotAfter time.Time
	// AuthMechs are the SASL mechanisms advertised on the connection the
	// client would log in on (after STARTTLS when STARTTLS is used).
	AuthMechs []string
	// AuthOK is nil when no login was attempted, otherwise whether the
	// server accepted the credentials.
	AuthOK *bool
}

// Cause codes reported in Result.Cause.
const (
	// CauseRefused: the TCP connection was actively refused.
	CauseRefused = "refused"
	// CauseTimeout: the endpoint budget ran out; Stage says where.
	CauseTimeout = "timeout"
	// CauseDNS: the host name does not resolve.
	CauseDNS = "dns"
	// CauseNetwork: another connection-level failure (unreachable, reset).
	CauseNetwork = "network"
	// CauseCanceled: the caller's context was canceled.
	CauseCanceled = "canceled"
	// CauseInvalidTarget: the Target itself is unusable (protocol,
	// security, host or port).
	CauseInvalidTarget = "invalid-target"
	// CauseImplicitTLSPort: the port speaks implicit TLS but the config
	// uses STARTTLS or no encryption.
	CauseImplicitTLSPort = "implicit-tls-port"
	// CausePlaintextPort: the port speaks plain SMTP/IMAP but the config
	// uses implicit TLS.
	CausePlaintextPort = "plaintext-port"
	// CauseNoSTARTTLS: the config requires STARTTLS and the server does
	// not offer it.
	CauseNoSTARTTLS = "no-starttls"
	// CauseCertUntrusted: the certificate chain does not lead to a trusted
	// root (unknown authority, self-signed, missing intermediate).
	CauseCertUntrusted = "cert-untrusted"
	// CauseCertHostname: the certificate is for other names.
	CauseCertHostname = "cert-hostname"
	// CauseCertExpired: a certificate in the chain has expired.
	CauseCertExpired = "cert-expired"
	// CauseCertNotYetValid: a certificate in the chain is not valid yet
	// (often a wrong local clock).
	CauseCertNotYetValid = "cert-not-yet-valid"
	// CauseAuthNotOffered: credentials were given but the server offers no
	// usable login method (PLAIN or LOGIN).
	CauseAuthNotOffered = "auth-not-offered"
	// CauseAuthFailed: the server rejected the credentials, or Options.Auth
	// failed to provide them.
	CauseAuthFailed = "auth-failed"
	// CauseAuthNotSent: credentials were given but the connection is not
	// encrypted, so they were deliberately not sent.
	CauseAuthNotSent = "auth-not-sent"
	// CauseProtocol: the server answered something unexpected (rejection,
	// garbage, closed connection, TLS handshake failure).
	CauseProtocol = "protocol"
)

// Stage names reported in Result.Stage.
const (
	StageConnect     = "connect"
	StageBanner      = "banner"   // SMTP 220 banner
	StageGreeting    = "greeting" // IMAP greeting
	StageTLS         = "tls"
	StageEHLO        = "ehlo"
	StageCapability  = "capability"
	StageSTARTTLS    = "starttls"
	StageCertificate = "certificate"
	StageAuth        = "auth"
	StageQuit        = "quit"
	StageLogout      = "logout"
)

const (
	defaultTimeout = 10 * time.Second
	// maxProbeDelay caps how long Check waits for a silent server's banner
	// before probing for implicit TLS.
	maxProbeDelay = 3 * time.Second
)

// Check walks the handshake of one endpoint and diagnoses the first problem.
// It never returns before all connections it opened are closed, and it
// returns within Options.Timeout (plus scheduling slack).
func Check(ctx context.Context, t Target, o Options) Result {
	start := time.Now()
	o = o.withDefaults()
	r := Result{Target: t, Stage: StageConnect} // the Target as given
	t.Protocol = strings.ToLower(strings.TrimSpace(t.Protocol))
	t.Security = strings.ToLower(strings.TrimSpace(t.Security))
	if msg := validate(t); msg != "" {
		r.Cause, r.Detail = CauseInvalidTarget, msg
		r.Duration = time.Since(start)
		return r
	}
	cctx, cancel := context.WithTimeout(ctx, o.Timeout)
	defer cancel()
	hard, _ := cctx.Deadline()
	s := &session{ctx: cctx, parent: ctx, t: t, o: o, r: &r, hard: hard}
	switch t.Protocol {
	case "smtp":
		s.smtp()
	case "imap":
		s.imap()
	}
	r.Detail = s.maskSent(r.Detail)
	r.Duration = time.Since(start)
	return r
}

// CheckAll checks several targets with at most jobs handshakes in flight
// (jobs <= 0 means 4). Identical targets are checked once: the result slice
// has one Result per distinct Target, in the order of first occurrence.
func CheckAll(ctx context.Context, ts []Target, o Options, jobs int) []Result {
	if jobs <= 0 {
		jobs = 4
	}
	seen := make(map[Target]bool, len(ts))
	var uniq []Target
	for _, t := range ts {
		if !seen[t] {
			seen[t] = true
			uniq = append(uniq, t)
		}
	}
	results := make([]Result, len(uniq))
	sem := make(chan struct{}, jobs)
	var wg sync.WaitGroup
	for i, t := range uniq {
		sem <- struct{}{}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			results[i] = Check(ctx, t, o)
		}()
	}
	wg.Wait()
	return results
}

func (o Options) withDefaults() Options {
	if o.Timeout <= 0 {
		o.Timeout = defaultTimeout
	}
	if o.ConnectTo == nil {
		o.ConnectTo = func(h string, p int) (string, int) { return h, p }
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Dial == nil {
		var d net.Dialer
		o.Dial = d.DialContext
	}
	return o
}

func validate(t Target) string {
	switch t.Protocol {
	case "smtp", "imap":
	default:
		return fmt.Sprintf("unknown protocol %q (want smtp or imap)", t.Protocol)
	}
	switch t.Security {
	case "none", "starttls-optional", "starttls", "tls":
	default:
		return fmt.Sprintf("unknown security %q (want none, starttls-optional, starttls or tls)", t.Security)
	}
	if strings.TrimSpace(t.Host) == "" {
		return "no host name configured"
	}
	if t.Port <= 0 || t.Port > 65535 {
		return fmt.Sprintf("port %d is not a valid TCP port", t.Port)
	}
	return ""
}

// session is the state of one Check.
type session struct {
	ctx    context.Context // bounded by Options.Timeout
	parent context.Context // the caller's context, to tell cancel from timeout
	t      Target
	o      Options
	r      *Result
	hard   time.Time // endpoint deadline

	mu       sync.Mutex
	tlsState *tls.ConnectionState // set once a handshake verified the peer

	// sent are the secrets a login sent (the password, and as the SASL
	// PLAIN and LOGIN exchanges encode it): a server that echoes them in a
	// reply must not have them printed.
	sent []string
}

// noteSent records the forms of the password a login sends.
func (s *session) noteSent(c *Credentials) {
	if c == nil || c.Password == "" {
		return
	}
	b64 := base64.StdEncoding.EncodeToString
	s.sent = append(s.sent, c.Password, b64([]byte("\x00"+c.User+"\x00"+c.Password)), b64([]byte(c.Password)))
}

// maskSent replaces every occurrence of what a login sent with asterisks.
func (s *session) maskSent(text string) string {
	for _, sec := range s.sent {
		text = strings.ReplaceAll(text, sec, "********")
	}
	return text
}

func (s *session) fail(stage, cause, format string, args ...any) {
	s.r.OK = false
	s.r.Stage = stage
	s.r.Cause = cause
	s.r.Detail = fmt.Sprintf(format, args...)
}

// expired reports whether the endpoint budget or the caller's context ended.
func (s *session) expired() bool {
	return s.ctx.Err() != nil || !time.Now().Before(s.hard)
}

// budget is the endpoint timeout as written in messages ("10s").
func (s *session) budget() string { return s.o.Timeout.String() }

// serverName is the name certificates must be valid for.
func (s *session) serverName() string { return strings.TrimSuffix(s.t.Host, ".") }

// where names the endpoint in messages: "smtp.example.org port 587", plus the
// real address when ConnectTo redirected it.
func (s *session) where() string {
	w := fmt.Sprintf("%s port %d", s.t.Host, s.t.Port)
	if h, p := s.o.ConnectTo(s.t.Host, s.t.Port); h != s.t.Host || p != s.t.Port {
		w += fmt.Sprintf(" (via %s)", net.JoinHostPort(h, strconv.Itoa(p)))
	}
	return w
}

// boundConn clamps every deadline to the endpoint deadline, so library code
// that sets generous (or no) deadlines cannot outlive Options.Timeout, and
// counts the bytes received.
type boundConn struct {
	net.Conn
	hard  time.Time
	nread atomic.Int64
}

func (c *boundConn) Read(b []byte) (int, error) {
	n, err := c.Conn.Read(b)
	c.nread.Add(int64(n))
	return n, err
}

func (c *boundConn) clamp(t time.Time) time.Time {
	if t.IsZero() || t.After(c.hard) {
		return c.hard
	}
	return t
}

func (c *boundConn) SetDeadline(t time.Time) error      { return c.Conn.SetDeadline(c.clamp(t)) }
func (c *boundConn) SetReadDeadline(t time.Time) error  { return c.Conn.SetReadDeadline(c.clamp(t)) }
func (c *boundConn) SetWriteDeadline(t time.Time) error { return c.Conn.SetWriteDeadline(c.clamp(t)) }

// prefixConn replays bytes Check already read (the banner or greeting)
// before reading from the connection, so go-smtp/imapclient see the whole
// stream.
type prefixConn struct {
	net.Conn
	r io.Reader
}

func newPrefixConn(c net.Conn, prefix []byte) *prefixConn {
	p := append([]byte(nil), prefix...)
	return &prefixConn{Conn: c, r: io.MultiReader(strings.NewReader(string(p)), c)}
}

func (c *prefixConn) Read(b []byte) (int, error) { return c.r.Read(b) }

// dial opens a connection to the (possibly redirected) endpoint, bounded by
// ctx. The returned release func must be called when done; it closes the
// connection.
func (s *session) dial(ctx context.Context) (*boundConn, func(), error) {
	h, p := s.o.ConnectTo(s.t.Host, s.t.Port)
	raw, err := s.o.Dial(ctx, "tcp", net.JoinHostPort(h, strconv.Itoa(p)))
	if err != nil {
		return nil, nil, err
	}
	bc := &boundConn{Conn: raw, hard: s.hard}
	if dl, ok := ctx.Deadline(); ok && dl.Before(bc.hard) {
		bc.hard = dl
	}
	bc.SetDeadline(time.Time{}) // i.e. the endpoint deadline
	stop := context.AfterFunc(ctx, func() { raw.Close() })
	return bc, func() { stop(); raw.Close() }, nil
}

// connect dials and reports connect-stage failures. ok=false means the
// result has been filled in.
func (s *session) connect() (*boundConn, func(), bool) {
	s.r.Stage = StageConnect
	bc, release, err := s.dial(s.ctx)
	if err == nil {
		return bc, release, true
	}
	var dnsErr *net.DNSError
	switch {
	case s.parent.Err() != nil:
		s.fail(StageConnect, CauseCanceled, "check canceled while connecting to %s", s.where())
	case errors.As(err, &dnsErr):
		if dnsErr.IsNotFound {
			s.fail(StageConnect, CauseDNS, "cannot resolve %s: no such host (check the host name for typos)", dnsErr.Name)
		} else if dnsErr.IsTimeout {
			s.fail(StageConnect, CauseDNS, "cannot resolve %s: the DNS lookup timed out", dnsErr.Name)
		} else {
			s.fail(StageConnect, CauseDNS, "cannot resolve %s: %v", dnsErr.Name, dnsErr.Err)
		}
	case errors.Is(err, syscall.ECONNREFUSED):
		s.fail(StageConnect, CauseRefused, "connection refused by %s: nothing is listening on that port (wrong port?) or a firewall rejects it", s.where())
	case isTimeout(err) || s.expired():
		s.fail(StageConnect, CauseTimeout, "no TCP connection to %s within %s: the host is down or a firewall silently drops the port", s.where(), s.budget())
	case errors.Is(err, syscall.EHOSTUNREACH) || errors.Is(err, syscall.ENETUNREACH):
		s.fail(StageConnect, CauseNetwork, "%s is unreachable from this network: %v", s.where(), rootErr(err))
	default:
		s.fail(StageConnect, CauseNetwork, "cannot connect to %s: %v", s.where(), rootErr(err))
	}
	return nil, nil, false
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.Is(err, os.ErrDeadlineExceeded) || errors.Is(err, context.DeadlineExceeded) ||
		(errors.As(err, &ne) && ne.Timeout())
}

func isClosed(err error) bool {
	return errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) ||
		errors.Is(err, syscall.ECONNRESET) || errors.Is(err, net.ErrClosed) ||
		errors.Is(err, syscall.EPIPE)
}

// rootErr strips net.OpError/os.SyscallError decoration for messages.
func rootErr(err error) error {
	for {
		var op *net.OpError
		if errors.As(err, &op) && op.Err != nil {
			err = op.Err
			continue
		}
		var sc *os.SyscallError
		if errors.As(err, &sc) && sc.Err != nil {
			err = sc.Err
			continue
		}
		return err
	}
}

// failIO reports a failure of network I/O or a server reply during stage;
// what names the step for messages ("the EHLO reply").
func (s *session) failIO(stage, what string, err error) {
	switch {
	case s.parent.Err() != nil:
		s.fail(stage, CauseCanceled, "check canceled while waiting for %s", what)
	case isTimeout(err) || s.expired():
		s.fail(stage, CauseTimeout, "no %s within %s", what, s.budget())
	case isClosed(err):
		s.fail(stage, CauseProtocol, "server closed the connection while waiting for %s", what)
	default:
		s.fail(stage, CauseProtocol, "unexpected %s: %v", what, err)
	}
}

// tlsConfig returns the client TLS configuration; a successful verification
// records the connection state in s.
func (s *session) tlsConfig(nextProtos []string) *tls.Config {
	return &tls.Config{
		ServerName: s.serverName(),
		RootCAs:    s.o.RootCAs,
		Time:       s.o.Now,
		NextProtos: nextProtos,
		VerifyConnection: func(cs tls.ConnectionState) error {
			s.mu.Lock()
			s.tlsState = &cs
			s.mu.Unlock()
			return nil
		},
	}
}

func (s *session) handshakeDone() *tls.ConnectionState {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.tlsState
}

// recordTLS copies the negotiated TLS parameters into the result.
func (s *session) recordTLS() {
	cs := s.handshakeDone()
	if cs == nil {
		return
	}
	s.r.TLSVersion = tls.VersionName(cs.Version)
	if len(cs.PeerCertificates) > 0 {
		s.r.CertNotAfter = cs.PeerCertificates[0].NotAfter
	}
}

// implicitTLS starts the connection bc as the config says: with a TLS
// handshake first (security tls) or in plain text. It returns the
// connection to speak proto ("SMTP" or "IMAP") on and whether TLS is on;
// ok is false after a failed handshake (recorded in the result).
func (s *session) implicitTLS(bc net.Conn, nextProtos []string, proto string) (conn net.Conn, tlsOn, ok bool) {
	if s.t.Security != "tls" {
		return bc, false, true
	}
	s.r.Stage = StageTLS
	tc := tls.Client(bc, s.tlsConfig(nextProtos))
	if err := tc.HandshakeContext(s.ctx); err != nil {
		s.failTLS(err, proto)
		return nil, false, false
	}
	s.recordTLS()
	return tc, true, true
}

// failTLS diagnoses a failed TLS handshake (implicit or after STARTTLS).
// proto is "SMTP" or "IMAP".
func (s *session) failTLS(err error, proto string) {
	var cve *tls.CertificateVerificationError
	if errors.As(err, &cve) {
		s.failCert(cve)
		return
	}
	var rhe tls.RecordHeaderError
	if errors.As(err, &rhe) {
		hdr := string(rhe.RecordHeader[:])
		if s.t.Security == "tls" {
			if what := plainGreeting(hdr); what != "" {
				alt := "STARTTLS (security starttls)"
				s.fail(StageTLS, CausePlaintextPort, "port %d speaks plain %s (it sent %s); the config uses implicit TLS — use %s, or the implicit-TLS port (%s)",
					s.t.Port, what, greetingWords(hdr), alt, implicitPort(proto))
				return
			}
		}
		s.fail(StageTLS, CauseProtocol, "TLS handshake with %s failed: the server answered %q, which is not TLS", s.where(), printable(hdr))
		return
	}
	var op *net.OpError
	if errors.As(err, &op) && op.Op == "remote error" {
		s.fail(StageTLS, CauseProtocol, "server rejected the TLS handshake (%v): no common TLS version or cipher, or the server requires a client certificate", op.Err)
		return
	}
	switch {
	case s.parent.Err() != nil:
		s.fail(StageTLS, CauseCanceled, "check canceled during the TLS handshake")
	case isTimeout(err) || s.expired():
		s.fail(StageTLS, CauseTimeout, "no TLS handshake answer from %s within %s", s.where(), s.budget())
	case isClosed(err):
		s.fail(StageTLS, CauseProtocol, "server closed the connection during the TLS handshake")
	default:
		s.fail(StageTLS, CauseProtocol, "TLS handshake failed: %v", err)
	}
}

func implicitPort(proto string) string {
	if proto == "IMAP" {
		return "usually 993"
	}
	return "usually 465"
}

// plainGreeting recognizes the first bytes of a plaintext greeting: "SMTP",
// "IMAP", "POP3" or "".
func plainGreeting(hdr string) string {
	switch {
	case len(hdr) >= 4 && isDigit(hdr[0]) && isDigit(hdr[1]) && isDigit(hdr[2]) && (hdr[3] == ' ' || hdr[3] == '-'):
		return "SMTP"
	case strings.HasPrefix(hdr, "* "):
		return "IMAP"
	case strings.HasPrefix(hdr, "+OK"):
		return "POP3"
	}
	return ""
}

func greetingWords(hdr string) string {
	switch plainGreeting(hdr) {
	case "SMTP":
		return fmt.Sprintf("a %s banner", hdr[:3])
	case "IMAP":
		return "an untagged \"* OK\" greeting"
	case "POP3":
		return "a \"+OK\" greeting"
	}
	return fmt.Sprintf("%q", printable(hdr))
}

func isDigit(b byte) bool { return b >= '0' && b <= '9' }

func printable(s string) string {
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r > 0x7e {
			return '.'
		}
		return r
	}, s)
}

const dateFmt = "2006-01-02"

// failCert turns a certificate verification error into the user's words.
func (s *session) failCert(cve *tls.CertificateVerificationError) {
	var leaf *x509.Certificate
	if len(cve.UnverifiedCertificates) > 0 {
		leaf = cve.UnverifiedCertificates[0]
		s.r.CertNotAfter = leaf.NotAfter
	}
	var inv x509.CertificateInvalidError
	var host x509.HostnameError
	var ua x509.UnknownAuthorityError
	switch {
	case errors.As(cve.Err, &inv) && inv.Reason == x509.Expired && inv.Cert != nil:
		c := inv.Cert
		which := "certificate"
		if leaf != nil && !c.Equal(leaf) {
			which = fmt.Sprintf("intermediate certificate %q in the chain", c.Subject.CommonName)
		}
		now := s.o.Now()
		if now.Before(c.NotBefore) {
			s.fail(StageCertificate, CauseCertNotYetValid, "%s is not valid until %s (is this computer's clock right? it says %s)",
				which, c.NotBefore.UTC().Format(dateFmt), now.UTC().Format(dateFmt))
			return
		}
		s.fail(StageCertificate, CauseCertExpired, "%s expired on %s (%s ago); the server administrator must renew it",
			which, c.NotAfter.UTC().Format(dateFmt), ago(now.Sub(c.NotAfter)))
	case errors.As(cve.Err, &host) && host.Certificate != nil:
		names := certNames(host.Certificate)
		hint := ""
		if len(names) > 0 && !strings.Contains(names[0], "*") {
			hint = fmt.Sprintf(" — set the host to %s if that is the same server", names[0])
		}
		s.fail(StageCertificate, CauseCertHostname, "certificate is for %s, not %s%s", joinNames(names), host.Host, hint)
	case errors.As(cve.Err, &ua):
		c := ua.Cert
		if c == nil {
			c = leaf
		}
		switch {
		case c != nil && isSelfSigned(c):
			s.fail(StageCertificate, CauseCertUntrusted, "certificate signed by an unknown authority: the server's certificate for %s is self-signed; trust it explicitly or get one from a public CA", s.serverName())
		case c != nil:
			s.fail(StageCertificate, CauseCertUntrusted, "certificate signed by an unknown authority: %s is issued by %q, which is not a trusted root (private CA, or the server does not send its intermediate certificate)",
				s.serverName(), c.Issuer.String())
		default:
			s.fail(StageCertificate, CauseCertUntrusted, "certificate signed by an unknown authority")
		}
	default:
		s.fail(StageCertificate, CauseCertUntrusted, "certificate for %s was rejected: %v", s.serverName(), cve.Err)
	}
}

func isSelfSigned(c *x509.Certificate) bool {
	return string(c.RawIssuer) == string(c.RawSubject) &&
		c.CheckSignature(c.SignatureAlgorithm, c.RawTBSCertificate, c.Signature) == nil
}

func certNames(c *x509.Certificate) []string {
	names := append([]string(nil), c.DNSNames...)
	for _, ip := range c.IPAddresses {
		names = append(names, ip.String())
	}
	if len(names) == 0 && c.Subject.CommonName != "" {
		names = append(names, c.Subject.CommonName)
	}
	return names
}

func joinNames(names []string) string {
	switch {
	case len(names) == 0:
		return "no host name at all"
	case len(names) > 4:
		return strings.Join(names[:4], ", ") + fmt.Sprintf(" (and %d more)", len(names)-4)
	}
	return strings.Join(names, ", ")
}

func ago(d time.Duration) string {
	days := int(d.Hours() / 24)
	switch {
	case days >= 2:
		return fmt.Sprintf("%d days", days)
	case d >= time.Hour:
		return fmt.Sprintf("%d hours", int(d.Hours()))
	}
	return "less than an hour"
}

// awaitGreeting runs read (which reads the banner/greeting from bc) and,
// when the server stays completely silent for min(3s, Timeout/2), probes the
// endpoint for implicit TLS on a second connection. It returns read's
// error, or implicitTLS=true when the probe proved the port speaks TLS
// (bc is then closed). probe=false disables the probe (already in TLS).
func (s *session) awaitGreeting(bc *boundConn, read func() error, probe bool) (err error, implicitTLS bool) {
	done := make(chan error, 1)
	go func() { done <- read() }()
	if !probe {
		return <-done, false
	}
	timer := time.NewTimer(min(maxProbeDelay, s.o.Timeout/2))
	defer timer.Stop()
	select {
	case err := <-done:
		return err, false
	case <-timer.C:
	}
	if bc.nread.Load() > 0 {
		// The server is talking, only slowly (e.g. a greet pause).
		return <-done, false
	}
	pctx, pcancel := context.WithCancel(s.ctx)
	defer pcancel()
	probed := make(chan bool, 1)
	go func() { probed <- s.probeTLS(pctx) }()
	select {
	case err := <-done:
		if err == nil {
			pcancel()
			<-probed
			return nil, false
		}
		if <-probed {
			return nil, true
		}
		return err, false
	case isTLS := <-probed:
		if isTLS {
			bc.Close()
			<-done
			return nil, true
		}
		return <-done, false
	}
}

// probeTLS sends a TLS ClientHello on a fresh connection and reports whether
// the server answered in TLS (a completed handshake or a TLS alert). The
// certificate is not checked and no application data is sent.
func (s *session) probeTLS(ctx context.Context) bool {
	bc, release, err := s.dial(ctx)
	if err != nil {
		return false
	}
	defer release()
	tc := tls.Client(bc, &tls.Config{
		ServerName:         s.serverName(),
		InsecureSkipVerify: true, // only asking "does it speak TLS?"
		MinVersion:         tls.VersionTLS10,
	})
	err = tc.HandshakeContext(ctx)
	if err == nil {
		return true
	}
	var op *net.OpError
	return errors.As(err, &op) && op.Op == "remote error"
}

// implicitMismatch reports a plaintext/STARTTLS config on an implicit-TLS
// port.
func (s *session) implicitMismatch(stage string) {
	uses := "STARTTLS"
	if s.t.Security == "none" {
		uses = "no encryption"
	}
	s.fail(stage, CauseImplicitTLSPort, "port %d speaks TLS immediately (implicit TLS), but the config uses %s — set security to tls (SSL/TLS)", s.t.Port, uses)
}

// noGreeting reports a silent server; what is "banner" or "greeting".
func (s *session) noGreeting(stage, what string, bc *boundConn, err error) {
	switch {
	case s.parent.Err() != nil:
		s.fail(stage, CauseCanceled, "check canceled while waiting for the %s", what)
	case isTimeout(err) || s.expired():
		if bc.nread.Load() == 0 {
			s.fail(stage, CauseTimeout, "no %s within %s: %s accepted the TCP connection but never spoke (and did not answer a TLS handshake either)", what, s.budget(), s.where())
		} else {
			s.fail(stage, CauseTimeout, "incomplete %s within %s from %s", what, s.budget(), s.where())
		}
	case isClosed(err):
		s.fail(stage, CauseProtocol, "%s closed the connection without sending a %s (overloaded, or it rejects this client's address)", s.where(), what)
	default:
		s.fail(stage, CauseProtocol, "bad %s from %s: %v", what, s.where(), err)
	}
}

// readLine reads one CRLF- or LF-terminated line (bounded length).
func readLine(br *bufio.Reader) (string, error) {
	var sb strings.Builder
	for {
		frag, isPrefix, err := br.ReadLine()
		sb.Write(frag)
		if err != nil {
			return sb.String(), err
		}
		if sb.Len() > 4096 {
			return sb.String(), errors.New("line too long")
		}
		if !isPrefix {
			return sb.String(), nil
		}
	}
}

// drain returns the bytes already buffered in br.
func drain(br *bufio.Reader) []byte {
	b, _ := br.Peek(br.Buffered())
	return append([]byte(nil), b...)
}

func boolPtr(b bool) *bool { return &b }
