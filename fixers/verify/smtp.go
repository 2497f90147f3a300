package verify

import (
	"bufio"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// How the SMTP walk uses go-smtp: Check reads the 220 banner itself (so it
// can tell a silent implicit-TLS port from a slow server and name the banner
// stage precisely) and replays it to smtp.NewClient. go-smtp v0.25 has no
// StartTLS method on an existing Client, so after the first EHLO (needed to
// see whether STARTTLS is offered) a second client is built on the same
// connection with smtp.NewClientStartTLS, again fed the replayed banner; the
// server therefore sees EHLO, EHLO, STARTTLS, <TLS>, EHLO, [AUTH], QUIT.
// Repeating EHLO is permitted by RFC 5321 §4.1.4.

const ehloName = "localhost"

// smtpBanner is the raw banner and its parsed reply code.
type smtpBanner struct {
	raw   []byte
	code  int
	text  string
	first string // first line as received, for messages
}

var errNotSMTP = errors.New("not an SMTP reply")

// maxBanner bounds a multi-line banner: a server that sends "220-" lines
// for ever would otherwise fill memory until the timeout.
const maxBanner = 64 << 10

var errBannerTooLong = errors.New("the banner is longer than 64 KiB")

// readSMTPBanner reads a (possibly multi-line) SMTP reply.
func readSMTPBanner(br *bufio.Reader, b *smtpBanner) error {
	var text []string
	for {
		line, err := readLine(br)
		if b.first == "" {
			b.first = line
		}
		if err != nil {
			return err
		}
		if len(line) < 3 || !isDigit(line[0]) || !isDigit(line[1]) || !isDigit(line[2]) || (len(line) > 3 && line[3] != ' ' && line[3] != '-') {
			return errNotSMTP
		}
		code := int(line[0]-'0')*100 + int(line[1]-'0')*10 + int(line[2]-'0')
		if b.code != 0 && code != b.code {
			return errNotSMTP
		}
		b.code = code
		b.raw = append(b.raw, line+"\r\n"...)
		if len(b.raw) > maxBanner {
			return errBannerTooLong
		}
		if len(line) > 4 {
			text = append(text, line[4:])
		}
		if len(line) == 3 || line[3] == ' ' {
			b.text = strings.Join(text, " ")
			return nil
		}
	}
}

func (s *session) smtp() {
	bc, release, ok := s.connect()
	if !ok {
		return
	}
	defer release()

	conn, tlsOn, ok := s.implicitTLS(bc, nil, "SMTP")
	if !ok {
		return
	}

	// Banner.
	s.r.Stage = StageBanner
	br := bufio.NewReader(conn)
	var banner smtpBanner
	err, implicit := s.awaitGreeting(bc, func() error { return readSMTPBanner(br, &banner) }, !tlsOn)
	switch {
	case implicit:
		s.implicitMismatch(StageBanner)
		return
	case errors.Is(err, errNotSMTP):
		if plainGreeting(banner.first) == "IMAP" {
			s.fail(StageBanner, CauseProtocol, "%s speaks IMAP, not SMTP (it sent %q) — check the port", s.where(), printable(banner.first))
		} else {
			s.fail(StageBanner, CauseProtocol, "%s sent %q instead of an SMTP 220 banner — is this an SMTP port?", s.where(), printable(banner.first))
		}
		return
	case err != nil:
		s.noGreeting(StageBanner, "banner", bc, err)
		return
	case banner.code != 220:
		s.fail(StageBanner, CauseProtocol, "server refused the session in its banner: %d %s", banner.code, banner.text)
		return
	}
	prefix := append(banner.raw, drain(br)...)

	// EHLO.
	s.r.Stage = StageEHLO
	c := smtp.NewClient(newPrefixConn(conn, prefix))
	if err := c.Hello(ehloName); err != nil {
		s.failSMTP(StageEHLO, "EHLO", "the EHLO reply", err)
		return
	}

	// STARTTLS.
	var warnings []string
	if !tlsOn {
		offered, _ := c.Extension("STARTTLS")
		switch s.t.Security {
		case "starttls", "starttls-optional":
			s.r.Stage = StageSTARTTLS
			if !offered {
				if s.t.Security == "starttls" {
					s.fail(StageSTARTTLS, CauseNoSTARTTLS, "server did not offer STARTTLS (its EHLO reply lists: %s); the config requires STARTTLS — use the implicit-TLS port (usually 465) with security tls if the server has one",
						smtpExtList(c))
					quitSMTP(c)
					return
				}
				warnings = append(warnings, "server did not offer STARTTLS; mail would be sent unencrypted")
				break
			}
			c2, err := smtp.NewClientStartTLS(newPrefixConn(conn, prefix), s.tlsConfig(nil))
			if err != nil {
				var se *smtp.SMTPError
				if errors.As(err, &se) {
					s.fail(StageSTARTTLS, CauseProtocol, "server refused STARTTLS: %d %s", se.Code, se.Message)
				} else {
					s.failIO(StageSTARTTLS, "the STARTTLS reply", err)
				}
				return
			}
			c = c2
			// The handshake runs lazily with the next command.
			s.r.Stage = StageTLS
			err = c.Hello(ehloName)
			if s.handshakeDone() == nil {
				if err == nil {
					err = errors.New("no TLS handshake happened")
				}
				s.failTLS(err, "SMTP")
				return
			}
			s.recordTLS()
			tlsOn = true
			if err != nil {
				s.failSMTP(StageEHLO, "EHLO after STARTTLS", "the EHLO reply after STARTTLS", err)
				return
			}
		case "none":
			if offered {
				warnings = append(warnings, "server offers STARTTLS but the config does not use it (security none); mail and password travel unencrypted — use starttls")
			} else {
				warnings = append(warnings, "connection is unencrypted (security none)")
			}
		}
	}

	if ok, mechs := c.Extension("AUTH"); ok {
		s.r.AuthMechs = strings.Fields(strings.ToUpper(mechs))
	}

	// AUTH: only over TLS, only with explicitly given credentials.
	if s.o.Auth != nil {
		s.r.Stage = StageAuth
		if !tlsOn {
			s.fail(StageAuth, CauseAuthNotSent, "credentials not sent: the connection to %s is not encrypted and maillint never sends a password in clear text; use security starttls or tls", s.where())
			quitSMTP(c)
			return
		}
		creds, err := s.o.Auth(s.t)
		if err != nil {
			s.fail(StageAuth, CauseAuthFailed, "could not get the credentials to test: %v", err)
			quitSMTP(c)
			return
		}
		if creds != nil {
			s.noteSent(creds)
			var sc sasl.Client
			switch {
			case hasMech(s.r.AuthMechs, "PLAIN"):
				sc = sasl.NewPlainClient("", creds.User, creds.Password)
			case hasMech(s.r.AuthMechs, "LOGIN"):
				sc = sasl.NewLoginClient(creds.User, creds.Password)
			default:
				s.fail(StageAuth, CauseAuthNotOffered, "%s", authNotOfferedMsg(s.r.AuthMechs, "AUTH"))
				quitSMTP(c)
				return
			}
			if err := c.Auth(sc); err != nil {
				var se *smtp.SMTPError
				if errors.As(err, &se) {
					s.r.AuthOK = boolPtr(false)
					s.fail(StageAuth, CauseAuthFailed, "server rejected the login for %q: %d %s", creds.User, se.Code, se.Message)
					quitSMTP(c)
				} else {
					s.failIO(StageAuth, "the AUTH reply", err)
				}
				return
			}
			s.r.AuthOK = boolPtr(true)
		}
	}

	s.r.Stage = StageQuit
	if err := c.Quit(); err != nil {
		c.Close()
	}
	s.succeed(warnings, "AUTH")
}

// failSMTP reports an SMTP-level rejection or an I/O failure.
// cmd names the command ("EHLO"), what the awaited reply.
func (s *session) failSMTP(stage, cmd, what string, err error) {
	var se *smtp.SMTPError
	if errors.As(err, &se) {
		s.fail(stage, CauseProtocol, "server rejected %s: %d %s", cmd, se.Code, se.Message)
		return
	}
	s.failIO(stage, what, err)
}

func quitSMTP(c *smtp.Client) {
	if err := c.Quit(); err != nil {
		c.Close()
	}
}

func smtpExtList(c *smtp.Client) string {
	var exts []string
	for _, e := range []string{"PIPELINING", "8BITMIME", "SMTPUTF8", "CHUNKING", "SIZE", "AUTH", "ENHANCEDSTATUSCODES", "DSN", "REQUIRETLS"} {
		if ok, p := c.Extension(e); ok {
			exts = append(exts, strings.TrimSpace(e+" "+p))
		}
	}
	if len(exts) == 0 {
		return "no extensions"
	}
	return strings.Join(exts, ", ")
}

func hasMech(mechs []string, m string) bool {
	for _, x := range mechs {
		if strings.EqualFold(x, m) {
			return true
		}
	}
	return false
}

func authNotOfferedMsg(mechs []string, word string) string {
	if len(mechs) == 0 {
		return fmt.Sprintf("server does not offer %s on this connection, so the client cannot log in", word)
	}
	return fmt.Sprintf("server offers %s %s, but none that maillint can test (PLAIN or LOGIN)", word, strings.Join(mechs, " "))
}

// succeed fills in a successful result: warnings first, then a summary.
func (s *session) succeed(warnings []string, authWord string) {
	var parts []string
	switch {
	case s.r.TLSVersion == "":
		parts = append(parts, "plain text (no TLS)")
	case s.t.Security == "tls":
		parts = append(parts, "implicit TLS ("+s.r.TLSVersion+")")
	default:
		parts = append(parts, "STARTTLS ("+s.r.TLSVersion+")")
	}
	if !s.r.CertNotAfter.IsZero() {
		left := s.r.CertNotAfter.Sub(s.o.Now())
		if left < 14*24*time.Hour {
			warnings = append(warnings, fmt.Sprintf("certificate expires on %s (in %s)", s.r.CertNotAfter.UTC().Format(dateFmt), ago(left)))
		} else {
			parts = append(parts, "certificate valid until "+s.r.CertNotAfter.UTC().Format(dateFmt))
		}
	}
	if len(s.r.AuthMechs) > 0 {
		m := append([]string(nil), s.r.AuthMechs...)
		sort.Strings(m)
		parts = append(parts, authWord+" "+strings.Join(m, " "))
	} else if s.o.Auth == nil {
		parts = append(parts, "no "+authWord+" advertised")
	}
	if s.r.AuthOK != nil && *s.r.AuthOK {
		parts = append(parts, "login accepted")
	}
	detail := strings.Join(parts, ", ")
	if len(warnings) > 0 {
		detail = "warning: " + strings.Join(warnings, "; ") + ". " + detail
	}
	s.r.OK, s.r.Cause, s.r.Detail = true, "", detail
}
