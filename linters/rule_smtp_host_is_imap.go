package linters

// SMTPHostIsIMAP flags an SMTP slot that holds the provider's incoming
// (IMAP) server: the classic slot swap copied from blog posts.
var SMTPHostIsIMAP = &Rule{
	ID:       "smtp-host-is-imap",
	Severity: Error,
	Fixable:  SafeFix,
	Summary:  "the SMTP (outgoing) host is the provider's IMAP (incoming) server",
	Doc: `The outgoing server is set to the provider's incoming (IMAP) server. IMAP
servers do not accept mail for sending: the connection fails or is refused.
The fix writes the provider's documented SMTP host.`,
	Examples: []Example{{Format: "msmtp",
		Bad:  "account icloud\nhost imap.mail.me.com\nport 587\ntls on\n",
		Good: "account icloud\nhost smtp.mail.me.com\nport 587\ntls on\n"}},
	Check: func(p *Pass) { checkWrongSlot(p, SMTP) },
}

// checkWrongSlot reports an endpoint of protocol proto whose host is the
// provider's server of the other protocol.
func checkWrongSlot(p *Pass, proto Protocol) {
	p.Endpoints(func(acc *Account, ep *Endpoint) {
		if ep.Protocol != proto {
			return
		}
		m := p.Lookup(ep)
		if m == nil || !m.WrongSlot {
			return
		}
		fix := FixFor(ep, Safe, "use "+m.Server.Host, SetHost(m.Server.Host))
		other := IMAP
		if proto == IMAP {
			other = SMTP
		}
		p.Report(ep.Host.At, fix, "%s host %s is %s's %s server; %s's %s server is %s",
			slotName(proto), ep.Host.Val, m.Provider.Name, slotName(other), m.Provider.Name, slotName(proto), m.Server.Host)
	})
}

func slotName(proto Protocol) string {
	if proto == IMAP {
		return "IMAP (incoming)"
	}
	return "SMTP (outgoing)"
}
