package verify

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"errors"
	"io"
	"log"
	"math/big"
	"net"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// ---- PKI ----

type testPKI struct {
	pool *x509.CertPool // trusts only the test CA

	good       tls.Certificate // mail.test.example, imap.test.example, signed by the CA
	goodLeaf   *x509.Certificate
	otherName  tls.Certificate // other.test.example, signed by the CA
	expired    tls.Certificate // mail.test.example, NotAfter 2024-01-02
	rogue      tls.Certificate // mail.test.example, signed by a CA nobody trusts
	selfSigned tls.Certificate // mail.test.example, self-signed
}

var (
	pkiOnce sync.Once
	pki     *testPKI
)

var expiredNotAfter = time.Date(2024, 1, 2, 12, 0, 0, 0, time.UTC)

func getPKI(t *testing.T) *testPKI {
	t.Helper()
	pkiOnce.Do(func() {
		p := &testPKI{pool: x509.NewCertPool()}
		now := time.Now()
		ca, caKey := makeCA("maillint Test Root CA", now)
		rogueCA, rogueKey := makeCA("Rogue Test CA", now)
		p.pool.AddCert(ca)
		p.good, p.goodLeaf = makeLeaf([]string{"mail.test.example", "imap.test.example"}, now.Add(-time.Hour), now.Add(90*24*time.Hour), ca, caKey)
		p.otherName, _ = makeLeaf([]string{"other.test.example"}, now.Add(-time.Hour), now.Add(90*24*time.Hour), ca, caKey)
		p.expired, _ = makeLeaf([]string{"mail.test.example"}, time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC), expiredNotAfter, ca, caKey)
		p.rogue, _ = makeLeaf([]string{"mail.test.example"}, now.Add(-time.Hour), now.Add(90*24*time.Hour), rogueCA, rogueKey)
		p.selfSigned, _ = makeLeaf([]string{"mail.test.example"}, now.Add(-time.Hour), now.Add(90*24*time.Hour), nil, nil)
		pki = p
	})
	return pki
}

var serial atomic.Int64

func newKey() *ecdsa.PrivateKey {
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		panic(err)
	}
	return k
}

func makeCA(cn string, now time.Time) (*x509.Certificate, *ecdsa.PrivateKey) {
	key := newKey()
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(serial.Add(1)),
		Subject:               pkix.Name{CommonName: cn, Organization: []string{"maillint tests"}},
		NotBefore:             now.Add(-10 * 365 * 24 * time.Hour),
		NotAfter:              now.Add(10 * 365 * 24 * time.Hour),
		IsCA:                  true,
		BasicConstraintsValid: true,
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		panic(err)
	}
	c, err := x509.ParseCertificate(der)
	if err != nil {
		panic(err)
	}
	return c, key
}

// makeLeaf issues a server certificate; a nil parent makes it self-signed.
func makeLeaf(names []string, notBefore, notAfter time.Time, parent *x509.Certificate, parentKey *ecdsa.PrivateKey) (tls.Certificate, *x509.Certificate) {
	key := newKey()
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(serial.Add(1)),
		Subject:      pkix.Name{CommonName: names[0]},
		DNSNames:     names,
		NotBefore:    notBefore,
		NotAfter:     notAfter,
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	signer, signerKey := parent, parentKey
	if parent == nil {
		signer, signerKey = tmpl, key
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, signer, &key.PublicKey, signerKey)
	if err != nil {
		panic(err)
	}
	leaf, err := x509.ParseCertificate(der)
	if err != nil {
		panic(err)
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: leaf}, leaf
}

func serverTLS(cert tls.Certificate) *tls.Config {
	return &tls.Config{Certificates: []tls.Certificate{cert}}
}

// ---- listeners ----

// countingListener counts accepted connections and tracks open ones.
type countingListener struct {
	net.Listener
	accepted atomic.Int64
}

func (l *countingListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err == nil {
		l.accepted.Add(1)
	}
	return c, err
}

func listenLoopback(t *testing.T) *countingListener {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	return &countingListener{Listener: ln}
}

// silentServer accepts TCP connections and never sends a byte.
func silentServer(t *testing.T) *countingListener {
	l := listenLoopback(t)
	var mu sync.Mutex
	var conns []net.Conn
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
		}
	}()
	t.Cleanup(func() {
		l.Close()
		<-done
		mu.Lock()
		for _, c := range conns {
			c.Close()
		}
		mu.Unlock()
	})
	return l
}

// ---- SMTP server ----

const (
	goodUser = "alice"
	goodPass = "correct horse"
)

type smtpBackend struct {
	delay time.Duration // sleep in NewSession (at EHLO), to observe concurrency
	echo  bool          // a bad login's reply quotes the password and the PLAIN exchange

	mu           sync.Mutex
	authAttempts int
	active, peak int
}

func (b *smtpBackend) NewSession(c *smtp.Conn) (smtp.Session, error) {
	b.mu.Lock()
	b.active++
	b.peak = max(b.peak, b.active)
	b.mu.Unlock()
	if b.delay > 0 {
		time.Sleep(b.delay)
	}
	return &smtpSession{b: b}, nil
}

func (b *smtpBackend) stats() (authAttempts, peak int) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.authAttempts, b.peak
}

type smtpSession struct {
	b      *smtpBackend
	closed bool
}

func (s *smtpSession) AuthMechanisms() []string { return []string{sasl.Plain} }

func (s *smtpSession) Auth(mech string) (sasl.Server, error) {
	s.b.mu.Lock()
	s.b.authAttempts++
	s.b.mu.Unlock()
	return sasl.NewPlainServer(func(identity, username, password string) error {
		if username == goodUser && password == goodPass {
			return nil
		}
		if s.b.echo {
			plain := base64.StdEncoding.EncodeToString([]byte(identity + "\x00" + username + "\x00" + password))
			return &smtp.SMTPError{Code: 535, EnhancedCode: smtp.EnhancedCode{5, 7, 8}, Message: "got " + plain + " v=x" + password + "x [" + password + "]"}
		}
		return &smtp.SMTPError{Code: 535, EnhancedCode: smtp.EnhancedCode{5, 7, 8}, Message: "Authentication credentials invalid"}
	}), nil
}

func (s *smtpSession) Mail(string, *smtp.MailOptions) error { return nil }
func (s *smtpSession) Rcpt(string, *smtp.RcptOptions) error { return nil }
func (s *smtpSession) Data(r io.Reader) error               { _, err := io.Copy(io.Discard, r); return err }
func (s *smtpSession) Reset()                               {}
func (s *smtpSession) Logout() error {
	if !s.closed {
		s.closed = true
		s.b.mu.Lock()
		s.b.active--
		s.b.mu.Unlock()
	}
	return nil
}

// syncBuffer is a goroutine-safe transcript.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

type smtpServerConfig struct {
	cert         *tls.Certificate // nil: no TLS at all
	implicit     bool             // implicit TLS (SMTPS) instead of STARTTLS
	insecureAuth bool
	delay        time.Duration
	echo         bool // the server quotes what a bad login sent
}

type testSMTPServer struct {
	addr       string
	ln         *countingListener
	be         *smtpBackend
	transcript *syncBuffer // everything the server read and wrote (plain-text part)
}

func startSMTP(t *testing.T, cfg smtpServerConfig) *testSMTPServer {
	t.Helper()
	l := listenLoopback(t)
	be := &smtpBackend{delay: cfg.delay, echo: cfg.echo}
	srv := smtp.NewServer(be)
	srv.Domain = "mail.test.example"
	srv.AllowInsecureAuth = cfg.insecureAuth
	srv.ErrorLog = log.New(io.Discard, "", 0)
	srv.ReadTimeout = 10 * time.Second
	srv.WriteTimeout = 10 * time.Second
	ts := &testSMTPServer{addr: l.Addr().String(), ln: l, be: be, transcript: &syncBuffer{}}
	srv.Debug = ts.transcript
	var ln net.Listener = l
	if cfg.cert != nil {
		if cfg.implicit {
			ln = tls.NewListener(l, serverTLS(*cfg.cert))
		} else {
			srv.TLSConfig = serverTLS(*cfg.cert)
		}
	}
	done := make(chan struct{})
	go func() { defer close(done); srv.Serve(ln) }()
	t.Cleanup(func() { srv.Close(); <-done })
	return ts
}

// ---- options ----

// testOptions maps every host to addr (like curl --connect-to) and refuses
// to dial anything but loopback.
// Bounds of the tests that a timeout fires or a failure is seen early.
// They separate "the 1 s timeout fired" or "the 3 s probe answered" from
// "waited for the 10 s timeout" or "hung", with seconds to spare for a
// machine under load (tests run beside fuzzers and other jobs): they are
// not speed measurements.
const (
	quick         = 5 * time.Second // a 1 s timeout, or no wait at all
	beforeTimeout = 8 * time.Second // well before testOptions' 10 s timeout
)

func testOptions(t *testing.T, addr string) Options {
	host, portStr, err := net.SplitHostPort(addr)
	if err != nil {
		t.Fatal(err)
	}
	port, _ := strconv.Atoi(portStr)
	return Options{
		Timeout:   10 * time.Second,
		RootCAs:   getPKI(t).pool,
		ConnectTo: func(string, int) (string, int) { return host, port },
		Dial:      loopbackDial(t),
	}
}

func loopbackDial(t *testing.T) func(ctx context.Context, network, addr string) (net.Conn, error) {
	return func(ctx context.Context, network, addr string) (net.Conn, error) {
		h, _, err := net.SplitHostPort(addr)
		if err != nil {
			return nil, err
		}
		if ip := net.ParseIP(h); ip == nil || !ip.IsLoopback() {
			t.Errorf("test tried to dial non-loopback address %s", addr)
			return nil, errors.New("non-loopback dial refused by test")
		}
		var d net.Dialer
		return d.DialContext(ctx, network, addr)
	}
}

func credsFor(user, pass string, calls *atomic.Int64) func(Target) (*Credentials, error) {
	return func(Target) (*Credentials, error) {
		if calls != nil {
			calls.Add(1)
		}
		return &Credentials{User: user, Password: pass}, nil
	}
}

// ---- assertions ----

type want struct {
	ok     bool
	stage  string
	cause  string
	detail []string // substrings of Detail
}

func check(t *testing.T, r Result, w want) {
	t.Helper()
	t.Logf("%s %s:%d %s -> OK=%v stage=%s cause=%q (%v)\n\t%s", r.Target.Protocol, r.Target.Host, r.Target.Port, r.Target.Security,
		r.OK, r.Stage, r.Cause, r.Duration.Round(time.Millisecond), r.Detail)
	if r.OK != w.ok || r.Stage != w.stage || r.Cause != w.cause {
		t.Errorf("got OK=%v Stage=%q Cause=%q, want OK=%v Stage=%q Cause=%q\nDetail: %s",
			r.OK, r.Stage, r.Cause, w.ok, w.stage, w.cause, r.Detail)
	}
	for _, s := range w.detail {
		if !strings.Contains(r.Detail, s) {
			t.Errorf("Detail %q does not contain %q", r.Detail, s)
		}
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
