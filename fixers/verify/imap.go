package verify

import (
	"bufio"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"sort"
	"strings"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
	"github.com/emersion/go-sasl"
)

// How the IMAP walk uses go-imap/v2 imapclient, and what is hand-rolled:
//
//   - The greeting line is read by hand (like the SMTP banner) so that a
//     silent implicit-TLS port can be probed and the greeting stage named;
//     it is then replayed to imapclient.New / imapclient.NewStartTLS.
//   - The plain-text CAPABILITY exchange before STARTTLS is hand-rolled
//     ("V1 CAPABILITY", reading untagged CAPABILITY lines up to the tagged
//     reply) unless the greeting carried a [CAPABILITY ...] code: an
//     imapclient.Client owns a reader goroutine on its connection, and
//     imapclient offers STARTTLS only as NewStartTLS on a fresh connection,
//     so a client used for the plain-text CAPABILITY could not hand the
//     connection over to NewStartTLS.
//   - STARTTLS, the post-TLS CAPABILITY, AUTHENTICATE PLAIN / LOGIN and
//     LOGOUT go through imapclient.

func (s *session) imap() {
	bc, release, ok := s.connect()
	if !ok {
		return
	}
	defer release()

	conn, tlsOn, ok := s.implicitTLS(bc, []string{"imap"}, "IMAP")
	if !ok {
		return
	}

	// Greeting.
	s.r.Stage = StageGreeting
	br := bufio.NewReader(conn)
	var greeting string
	err, implicit := s.awaitGreeting(bc, func() error {
		var err error
		greeting, err = readLine(br)
		return err
	}, !tlsOn)
	if implicit {
		s.implicitMismatch(StageGreeting)
		return
	}
	if err != nil {
		s.noGreeting(StageGreeting, "greeting", bc, err)
		return
	}
	kind, caps := parseGreeting(greeting)
	switch kind {
	case "OK", "PREAUTH":
	case "BYE":
		s.fail(StageGreeting, CauseProtocol, "server refused the session: %s", printable(greeting))
		return
	default:
		if plainGreeting(greeting) == "SMTP" {
			s.fail(StageGreeting, CauseProtocol, "%s speaks SMTP, not IMAP (it sent %q) — check the port", s.where(), printable(greeting))
		} else {
			s.fail(StageGreeting, CauseProtocol, "%s sent %q instead of an IMAP greeting — is this an IMAP port?", s.where(), printable(greeting))
		}
		return
	}

	// Plain-text CAPABILITY (hand-rolled, see above).
	if !tlsOn && caps == nil && kind == "OK" {
		s.r.Stage = StageCapability
		caps, err = handCapability(conn, br)
		if err != nil {
			var ie *imap.Error
			if errors.As(err, &ie) {
				s.fail(StageCapability, CauseProtocol, "server rejected CAPABILITY: %v", ie.Text)
			} else {
				s.failIO(StageCapability, "the CAPABILITY reply", err)
			}
			return
		}
	}
	prefix := append([]byte(greeting+"\r\n"), drain(br)...)

	var c *imapclient.Client
	var warnings []string
	if !tlsOn {
		offered := caps.Has(imap.CapStartTLS)
		switch s.t.Security {
		case "starttls", "starttls-optional":
			s.r.Stage = StageSTARTTLS
			if kind == "PREAUTH" {
				s.fail(StageSTARTTLS, CauseProtocol, "server pre-authenticated the plain-text connection (PREAUTH), so STARTTLS is impossible")
				return
			}
			if !offered {
				if s.t.Security == "starttls" {
					s.fail(StageSTARTTLS, CauseNoSTARTTLS, "server did not offer STARTTLS (CAPABILITY: %s); the config requires STARTTLS — use the implicit-TLS port (usually 993) with security tls if the server has one",
						capList(caps))
					return
				}
				warnings = append(warnings, "server did not offer STARTTLS; mail would be read unencrypted")
				break
			}
			c, err = imapclient.NewStartTLS(newPrefixConn(conn, prefix), &imapclient.Options{TLSConfig: s.tlsConfig([]string{"imap"})})
			if err != nil {
				var ie *imap.Error
				switch {
				case errors.As(err, &ie):
					s.fail(StageSTARTTLS, CauseProtocol, "server refused STARTTLS: %s %s", ie.Type, ie.Text)
				case s.handshakeDone() == nil && isTLSError(err):
					s.failTLS(err, "IMAP")
				default:
					s.failIO(StageSTARTTLS, "the STARTTLS exchange", err)
				}
				return
			}
			s.recordTLS()
			tlsOn = true
		case "none":
			if offered {
				warnings = append(warnings, "server offers STARTTLS but the config does not use it (security none); mail and password travel unencrypted — use starttls")
			} else {
				warnings = append(warnings, "connection is unencrypted (security none)")
			}
		}
	}
	if c == nil {
		c = imapclient.New(newPrefixConn(conn, prefix), nil)
	}
	defer c.Close()

	if tlsOn {
		s.r.Stage = StageCapability
		caps, err = c.Capability().Wait()
		if err != nil {
			var ie *imap.Error
			if errors.As(err, &ie) {
				s.fail(StageCapability, CauseProtocol, "server rejected CAPABILITY: %v", ie.Text)
			} else {
				s.failIO(StageCapability, "the CAPABILITY reply", err)
			}
			return
		}
	}
	s.r.AuthMechs = caps.AuthMechanisms()
	sort.Strings(s.r.AuthMechs)

	if s.o.Auth != nil && kind != "PREAUTH" {
		s.r.Stage = StageAuth
		if !tlsOn {
			s.fail(StageAuth, CauseAuthNotSent, "credentials not sent: the connection to %s is not encrypted and maillint never sends a password in clear text; use security starttls or tls", s.where())
			c.Logout().Wait()
			return
		}
		creds, err := s.o.Auth(s.t)
		if err != nil {
			s.fail(StageAuth, CauseAuthFailed, "could not get the credentials to test: %v", err)
			c.Logout().Wait()
			return
		}
		if creds != nil {
			s.noteSent(creds)
			switch {
			case hasMech(s.r.AuthMechs, "PLAIN"):
				err = c.Authenticate(sasl.NewPlainClient("", creds.User, creds.Password))
			case !caps.Has(imap.CapLoginDisabled):
				err = c.Login(creds.User, creds.Password).Wait()
			default:
				s.fail(StageAuth, CauseAuthNotOffered, "%s", authNotOfferedMsg(s.r.AuthMechs, "AUTHENTICATE"))
				c.Logout().Wait()
				return
			}
			if err != nil {
				var ie *imap.Error
				if errors.As(err, &ie) {
					s.r.AuthOK = boolPtr(false)
					s.fail(StageAuth, CauseAuthFailed, "server rejected the login for %q: %s %s", creds.User, ie.Type, ie.Text)
					c.Logout().Wait()
				} else {
					s.failIO(StageAuth, "the login reply", err)
				}
				return
			}
			s.r.AuthOK = boolPtr(true)
		}
	}

	s.r.Stage = StageLogout
	c.Logout().Wait() // a failed LOGOUT does not make the endpoint unusable
	s.succeed(warnings, "AUTHENTICATE")
}

// parseGreeting returns the greeting kind ("OK", "PREAUTH", "BYE" or "")
// and the capabilities of a [CAPABILITY ...] response code, if any.
func parseGreeting(line string) (string, imap.CapSet) {
	if !strings.HasPrefix(line, "* ") {
		return "", nil
	}
	rest := line[2:]
	kind, rest, _ := strings.Cut(rest, " ")
	kind = strings.ToUpper(kind)
	switch kind {
	case "OK", "PREAUTH", "BYE":
	default:
		return "", nil
	}
	if len(rest) > 12 && strings.EqualFold(rest[:12], "[CAPABILITY ") {
		if end := strings.IndexByte(rest, ']'); end > 0 {
			return kind, capSet(rest[12:end])
		}
	}
	return kind, nil
}

func capSet(s string) imap.CapSet {
	caps := make(imap.CapSet)
	for _, f := range strings.Fields(s) {
		caps[imap.Cap(strings.ToUpper(f))] = struct{}{}
	}
	return caps
}

// handCapability sends "V1 CAPABILITY" and collects the untagged
// CAPABILITY data up to the tagged reply.
func handCapability(conn net.Conn, br *bufio.Reader) (imap.CapSet, error) {
	if _, err := io.WriteString(conn, "V1 CAPABILITY\r\n"); err != nil {
		return nil, err
	}
	caps := make(imap.CapSet)
	for n := 0; ; n++ {
		line, err := readLine(br)
		if err != nil {
			return nil, err
		}
		if n == 1000 {
			// A server that sends untagged data for ever.
			return nil, errors.New("no reply to CAPABILITY after 1000 lines")
		}
		switch {
		case len(line) > 13 && strings.EqualFold(line[:13], "* CAPABILITY "):
			for c := range capSet(line[13:]) {
				caps[c] = struct{}{}
			}
		case strings.HasPrefix(line, "V1 "):
			status, text, _ := strings.Cut(line[3:], " ")
			if !strings.EqualFold(status, "OK") {
				return nil, &imap.Error{Type: imap.StatusResponseType(strings.ToUpper(status)), Text: text}
			}
			return caps, nil
		case strings.HasPrefix(line, "* "), strings.HasPrefix(line, "+"):
			// other untagged data: ignore
		default:
			return nil, fmt.Errorf("unexpected line %q", printable(line))
		}
	}
}

func capList(caps imap.CapSet) string {
	var l []string
	for c := range caps {
		l = append(l, string(c))
	}
	if len(l) == 0 {
		return "none"
	}
	sort.Strings(l)
	return strings.Join(l, " ")
}

func isTLSError(err error) bool {
	var cve *tls.CertificateVerificationError
	var rhe tls.RecordHeaderError
	var op *net.OpError
	return errors.As(err, &cve) || errors.As(err, &rhe) ||
		(errors.As(err, &op) && op.Op == "remote error") ||
		strings.Contains(err.Error(), "tls:")
}
