package verify

import (
	"context"
	"crypto/tls"
	"errors"
	"io"
	"log"
	"net"
	"sync/atomic"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapserver"
)

// imapSession is the smallest imapserver.Session: it can log in and
// nothing else.
type imapSession struct{ logins *atomic.Int64 }

var errNotImplemented = errors.New("not implemented in test server")

func (s *imapSession) Close() error { return nil }
func (s *imapSession) Login(username, password string) error {
	s.logins.Add(1)
	if username == goodUser && password == goodPass {
		return nil
	}
	return imapserver.ErrAuthFailed
}
func (s *imapSession) Select(string, *imap.SelectOptions) (*imap.SelectData, error) {
	return nil, errNotImplemented
}
func (s *imapSession) Create(string, *imap.CreateOptions) error         { return errNotImplemented }
func (s *imapSession) Delete(string) error                              { return errNotImplemented }
func (s *imapSession) Rename(string, string, *imap.RenameOptions) error { return errNotImplemented }
func (s *imapSession) Subscribe(string) error                           { return errNotImplemented }
func (s *imapSession) Unsubscribe(string) error                         { return errNotImplemented }
func (s *imapSession) List(*imapserver.ListWriter, string, []string, *imap.ListOptions) error {
	return errNotImplemented
}
func (s *imapSession) Status(string, *imap.StatusOptions) (*imap.StatusData, error) {
	return nil, errNotImplemented
}
func (s *imapSession) Append(string, imap.LiteralReader, *imap.AppendOptions) (*imap.AppendData, error) {
	return nil, errNotImplemented
}
func (s *imapSession) Poll(*imapserver.UpdateWriter, bool) error            { return nil }
func (s *imapSession) Idle(*imapserver.UpdateWriter, <-chan struct{}) error { return errNotImplemented }
func (s *imapSession) Unselect() error                                      { return errNotImplemented }
func (s *imapSession) Expunge(*imapserver.ExpungeWriter, *imap.UIDSet) error {
	return errNotImplemented
}
func (s *imapSession) Search(imapserver.NumKind, *imap.SearchCriteria, *imap.SearchOptions) (*imap.SearchData, error) {
	return nil, errNotImplemented
}
func (s *imapSession) Fetch(*imapserver.FetchWriter, imap.NumSet, *imap.FetchOptions) error {
	return errNotImplemented
}
func (s *imapSession) Store(*imapserver.FetchWriter, imap.NumSet, *imap.StoreFlags, *imap.StoreOptions) error {
	return errNotImplemented
}
func (s *imapSession) Copy(imap.NumSet, string) (*imap.CopyData, error) {
	return nil, errNotImplemented
}

type testIMAPServer struct {
	addr   string
	ln     *countingListener
	logins *atomic.Int64
}

// startIMAP serves IMAP on loopback: implicit TLS when implicit, else plain
// text with STARTTLS when cert != nil.
func startIMAP(t *testing.T, cert *tls.Certificate, implicit bool) *testIMAPServer {
	t.Helper()
	l := listenLoopback(t)
	ts := &testIMAPServer{addr: l.Addr().String(), ln: l, logins: new(atomic.Int64)}
	opts := &imapserver.Options{
		NewSession: func(*imapserver.Conn) (imapserver.Session, *imapserver.GreetingData, error) {
			return &imapSession{logins: ts.logins}, nil, nil
		},
		Caps:   imap.CapSet{imap.CapIMAP4rev1: {}},
		Logger: log.New(io.Discard, "", 0),
	}
	var ln net.Listener = l
	if cert != nil {
		if implicit {
			ln = tls.NewListener(l, serverTLS(*cert))
		} else {
			opts.TLSConfig = serverTLS(*cert)
		}
	}
	srv := imapserver.New(opts)
	done := make(chan struct{})
	go func() { defer close(done); srv.Serve(ln) }()
	t.Cleanup(func() { srv.Close(); <-done })
	return ts
}

func imapTarget(host string, port int, security string) Target {
	return Target{Protocol: "imap", Host: host, Port: port, Security: security}
}

func TestIMAPImplicitTLSOK(t *testing.T) {
	p := getPKI(t)
	srv := startIMAP(t, &p.good, true)
	r := Check(context.Background(), imapTarget("imap.test.example", 993, "tls"), testOptions(t, srv.addr))
	check(t, r, want{ok: true, stage: StageLogout, detail: []string{"implicit TLS (TLS 1.3)", "AUTHENTICATE PLAIN"}})
	if r.TLSVersion != "TLS 1.3" || !contains(r.AuthMechs, "PLAIN") || !r.CertNotAfter.Equal(p.goodLeaf.NotAfter) {
		t.Errorf("TLSVersion=%q AuthMechs=%v CertNotAfter=%v", r.TLSVersion, r.AuthMechs, r.CertNotAfter)
	}
}

func TestIMAPStartTLSOK(t *testing.T) {
	p := getPKI(t)
	srv := startIMAP(t, &p.good, false)
	o := testOptions(t, srv.addr)
	r := Check(context.Background(), imapTarget("imap.test.example", 143, "starttls"), o)
	check(t, r, want{ok: true, stage: StageLogout, detail: []string{"STARTTLS (TLS 1.3)"}})
	if r.TLSVersion != "TLS 1.3" || !contains(r.AuthMechs, "PLAIN") {
		t.Errorf("TLSVersion=%q AuthMechs=%v, want TLS 1.3 and PLAIN after STARTTLS", r.TLSVersion, r.AuthMechs)
	}

	// In plain text the server offers no login (LOGINDISABLED, no AUTH=).
	r = Check(context.Background(), imapTarget("imap.test.example", 143, "none"), o)
	check(t, r, want{ok: true, stage: StageLogout, detail: []string{"server offers STARTTLS but the config does not use it"}})
	if len(r.AuthMechs) != 0 {
		t.Errorf("plain text AuthMechs = %v, want none", r.AuthMechs)
	}
}

func TestIMAPCertHostnameMismatch(t *testing.T) {
	p := getPKI(t)
	for _, implicit := range []bool{false, true} {
		srv := startIMAP(t, &p.otherName, implicit)
		sec, port := "starttls", 143
		if implicit {
			sec, port = "tls", 993
		}
		r := Check(context.Background(), imapTarget("imap.test.example", port, sec), testOptions(t, srv.addr))
		check(t, r, want{stage: StageCertificate, cause: CauseCertHostname,
			detail: []string{"certificate is for other.test.example, not imap.test.example"}})
	}
}

func TestIMAPNoSTARTTLS(t *testing.T) {
	srv := startIMAP(t, nil, false)
	r := Check(context.Background(), imapTarget("imap.test.example", 143, "starttls"), testOptions(t, srv.addr))
	check(t, r, want{stage: StageSTARTTLS, cause: CauseNoSTARTTLS, detail: []string{"server did not offer STARTTLS", "IMAP4REV1"}})
}

func TestIMAPImplicitTLSPortWithSTARTTLSConfig(t *testing.T) {
	t.Parallel()
	p := getPKI(t)
	srv := startIMAP(t, &p.good, true)
	start := time.Now()
	r := Check(context.Background(), imapTarget("imap.test.example", 993, "starttls"), testOptions(t, srv.addr))
	check(t, r, want{stage: StageGreeting, cause: CauseImplicitTLSPort, detail: []string{
		"port 993 speaks TLS immediately (implicit TLS), but the config uses STARTTLS"}})
	if d := time.Since(start); d >= beforeTimeout {
		t.Errorf("took %v, want well under the 10s timeout", d)
	}
}

func TestIMAPPlaintextPortWithTLSConfig(t *testing.T) {
	p := getPKI(t)
	srv := startIMAP(t, &p.good, false)
	r := Check(context.Background(), imapTarget("imap.test.example", 143, "tls"), testOptions(t, srv.addr))
	check(t, r, want{stage: StageTLS, cause: CausePlaintextPort, detail: []string{
		`port 143 speaks plain IMAP (it sent an untagged "* OK" greeting); the config uses implicit TLS — use STARTTLS`}})
}

func TestIMAPAuth(t *testing.T) {
	p := getPKI(t)
	srv := startIMAP(t, &p.good, false)
	o := testOptions(t, srv.addr)

	o.Auth = credsFor(goodUser, goodPass, nil)
	r := Check(context.Background(), imapTarget("imap.test.example", 143, "starttls"), o)
	check(t, r, want{ok: true, stage: StageLogout, detail: []string{"login accepted"}})
	if r.AuthOK == nil || !*r.AuthOK {
		t.Errorf("AuthOK = %v, want true", r.AuthOK)
	}

	o.Auth = credsFor(goodUser, "wrong", nil)
	r = Check(context.Background(), imapTarget("imap.test.example", 143, "starttls"), o)
	check(t, r, want{stage: StageAuth, cause: CauseAuthFailed, detail: []string{`server rejected the login for "alice"`}})
	if r.AuthOK == nil || *r.AuthOK {
		t.Errorf("AuthOK = %v, want false", r.AuthOK)
	}

	// No TLS: refused before anything is sent.
	var calls atomic.Int64
	o.Auth = credsFor(goodUser, goodPass, &calls)
	before := srv.logins.Load()
	r = Check(context.Background(), imapTarget("imap.test.example", 143, "none"), o)
	check(t, r, want{stage: StageAuth, cause: CauseAuthNotSent, detail: []string{"credentials not sent"}})
	if srv.logins.Load() != before || calls.Load() != 0 {
		t.Errorf("credentials were fetched or sent without TLS")
	}
}

func TestIMAPSilentServer(t *testing.T) {
	l := silentServer(t)
	o := testOptions(t, l.Addr().String())
	o.Timeout = time.Second
	start := time.Now()
	r := Check(context.Background(), imapTarget("imap.test.example", 143, "starttls"), o)
	check(t, r, want{stage: StageGreeting, cause: CauseTimeout, detail: []string{"no greeting within 1s"}})
	if d := time.Since(start); d > quick {
		t.Errorf("took %v", d)
	}
}

func TestProtocolMixup(t *testing.T) {
	p := getPKI(t)
	imapSrv := startIMAP(t, &p.good, false)
	r := Check(context.Background(), smtpTarget("mail.test.example", 143, "starttls"), testOptions(t, imapSrv.addr))
	check(t, r, want{stage: StageBanner, cause: CauseProtocol, detail: []string{"speaks IMAP, not SMTP"}})

	smtpSrv := startSMTP(t, smtpServerConfig{cert: &p.good})
	r = Check(context.Background(), imapTarget("imap.test.example", 587, "starttls"), testOptions(t, smtpSrv.addr))
	check(t, r, want{stage: StageGreeting, cause: CauseProtocol, detail: []string{"speaks SMTP, not IMAP"}})
}
