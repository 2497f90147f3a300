// Package verifytest starts real SMTP servers on loopback, with
// certificates made on the spot, for tests of code that uses
// fixers/verify (the way net/http/httptest serves net/http).
package verifytest

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"io"
	"math/big"
	"net"
	"sync/atomic"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// PKI is a certificate authority and one server certificate it signed.
type PKI struct {
	// Pool trusts the CA.
	Pool *x509.CertPool
	// CAPEM is the CA certificate in PEM form (for --ca-file).
	CAPEM []byte
	// Cert is the server certificate for the names given to NewPKI.
	Cert tls.Certificate
}

// NewPKI makes a CA and a server certificate valid for names.
func NewPKI(t testing.TB, names ...string) *PKI {
	t.Helper()
	now := time.Now()
	caKey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	caTmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "maillint test CA"},
		NotBefore: now.Add(-time.Hour), NotAfter: now.Add(24 * time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign,
	}
	caDER, err := x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, &caKey.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	ca, _ := x509.ParseCertificate(caDER)
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	leafTmpl := &x509.Certificate{
		SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: names[0]}, DNSNames: names,
		NotBefore: now.Add(-time.Hour), NotAfter: now.Add(24 * time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	leafDER, err := x509.CreateCertificate(rand.Reader, leafTmpl, ca, &key.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(ca)
	return &PKI{
		Pool:  pool,
		CAPEM: pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: caDER}),
		Cert:  tls.Certificate{Certificate: [][]byte{leafDER}, PrivateKey: key},
	}
}

// Server is a running SMTP server.
type Server struct {
	// Addr is host:port on 127.0.0.1.
	Addr string
	// Port is the listening port.
	Port int
	// Accepted counts TCP connections.
	Accepted atomic.Int64
	// AuthAttempts counts AUTH commands.
	AuthAttempts atomic.Int64
}

// Mode says how the server speaks TLS.
type Mode int

// Server modes.
const (
	StartTLS Mode = iota // plain banner, STARTTLS offered
	Implicit             // TLS from the first byte
	Plain                // no TLS at all
)

// StartSMTP serves SMTP on a loopback port until the test ends. With
// password != "", AUTH PLAIN accepts user/password (after TLS only).
func StartSMTP(t testing.TB, pki *PKI, mode Mode, user, password string) *Server {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &Server{Addr: ln.Addr().String(), Port: ln.Addr().(*net.TCPAddr).Port}
	be := &backend{srv: s, user: user, password: password}
	srv := smtp.NewServer(be)
	srv.Domain = "mail.test.example"
	srv.ReadTimeout = 5 * time.Second
	srv.WriteTimeout = 5 * time.Second
	var l net.Listener = &counting{Listener: ln, n: &s.Accepted}
	switch mode {
	case StartTLS:
		srv.TLSConfig = &tls.Config{Certificates: []tls.Certificate{pki.Cert}}
	case Implicit:
		l = tls.NewListener(l, &tls.Config{Certificates: []tls.Certificate{pki.Cert}})
	}
	go srv.Serve(l)
	t.Cleanup(func() { srv.Close() })
	return s
}

type counting struct {
	net.Listener
	n *atomic.Int64
}

func (c *counting) Accept() (net.Conn, error) {
	conn, err := c.Listener.Accept()
	if err == nil {
		c.n.Add(1)
	}
	return conn, err
}

type backend struct {
	srv            *Server
	user, password string
}

func (b *backend) NewSession(*smtp.Conn) (smtp.Session, error) { return &session{b: b}, nil }

type session struct{ b *backend }

func (s *session) AuthMechanisms() []string { return []string{"PLAIN"} }

func (s *session) Auth(mech string) (sasl.Server, error) {
	s.b.srv.AuthAttempts.Add(1)
	return sasl.NewPlainServer(func(identity, username, password string) error {
		if s.b.password == "" || username != s.b.user || password != s.b.password {
			return errors.New("535 5.7.8 authentication failed")
		}
		return nil
	}), nil
}

func (s *session) Mail(string, *smtp.MailOptions) error { return nil }
func (s *session) Rcpt(string, *smtp.RcptOptions) error { return nil }
func (s *session) Data(r io.Reader) error               { _, err := io.Copy(io.Discard, r); return err }
func (s *session) Reset()                               {}
func (s *session) Logout() error                        { return nil }
