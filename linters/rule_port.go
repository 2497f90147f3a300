package linters

import (
	"fmt"

	"github.com/maillint/maillint/linters/providers"
)

// SMTPPort flags an SMTP port the provider does not offer, including a
// port the client picks by default (msmtp and git use 25).
var SMTPPort = &Rule{
	ID:       "smtp-port",
	Severity: Error,
	Fixable:  SafeFix,
	Summary:  "the SMTP port is not one the provider offers (a missing port often means 25)",
	Doc: `The provider does not accept mail submission on this port. Many clients use
port 25 when no port is written (msmtp, git send-email, mutt's smtp://), and
most providers and networks block or refuse submission there. The fix
writes the provider's documented port for the security mode in use, or the
provider's documented port and security together.`,
	Examples: []Example{{Format: "msmtp",
		Bad:  "account icloud\nhost smtp.mail.me.com\ntls on\n",
		Good: "account icloud\nhost smtp.mail.me.com\nport 587\ntls on\n"}},
	Check: func(p *Pass) { checkPort(p, SMTP) },
}

// IMAPPort flags an IMAP port the provider does not offer.
var IMAPPort = &Rule{
	ID:       "imap-port",
	Severity: Error,
	Fixable:  SafeFix,
	Summary:  "the IMAP port is not one the provider offers",
	Doc: `The provider's IMAP server does not listen on this port. The fix writes the
provider's documented port for the security mode in use.`,
	Examples: []Example{{Format: "mutt",
		Bad:  "set folder = \"imaps://imap.gmail.com:995/\"\n",
		Good: "set folder = \"imaps://imap.gmail.com:993/\"\n"}},
	Check: func(p *Pass) { checkPort(p, IMAP) },
}

func checkPort(p *Pass, proto Protocol) {
	p.Endpoints(func(acc *Account, ep *Endpoint) {
		if ep.Protocol != proto || ep.Port.Dynamic {
			return
		}
		m := p.Lookup(ep)
		if m == nil || len(m.Server.Lookup(ep.Port.Val)) > 0 {
			return
		}
		target := pickEndpoint(m.Server, ep.Security.Val)
		changes := []Change{SetPort(target.Port)}
		msg := fmt.Sprintf("use port %d", target.Port)
		if !sameMode(ep.Security.Val, target.Security) || ep.Security.Val == SecurityStartTLSOptional {
			changes = append(changes, SetSecurity(sec(target.Security)))
			msg += " with " + sec(target.Security).Describe()
		}
		fix := FixFor(ep, Safe, msg, changes...)
		p.Report(PortAt(ep), fix, "%s: %s's %s server %s does not offer %s; it offers %s",
			portWords(ep), m.Provider.Name, slotName(proto), m.Server.Host, portOnly(ep.Port.Val), Offers(m.Server, true))
	})
}

func portOnly(n int) string { return fmt.Sprintf("port %d", n) }

// pickEndpoint chooses the documented endpoint that keeps the configured
// security mode, else the provider's preferred one.
func pickEndpoint(srv *providers.Server, have Security) providers.Endpoint {
	for _, e := range srv.Endpoints {
		if e.Documented && sameMode(have, e.Security) {
			return e
		}
	}
	return srv.Preferred()
}
