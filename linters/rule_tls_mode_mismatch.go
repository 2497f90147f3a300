package linters

import (
	"fmt"

	"github.com/maillint/maillint/linters/providers"
)

// TLSModeMismatch flags implicit TLS on a STARTTLS port or STARTTLS on an
// implicit-TLS port. Neither works: one side waits for a TLS handshake, the
// other for a greeting.
var TLSModeMismatch = &Rule{
	ID:       "tls-mode-mismatch",
	Severity: Error,
	Fixable:  SafeFix,
	Summary:  "implicit TLS on a STARTTLS port, or STARTTLS on an implicit-TLS port",
	Doc: `Port and TLS mode must agree. Ports 465 (SMTP) and 993 (IMAP) start TLS at
once ("SSL", implicit TLS); ports 587 and 143 start in plain text and
upgrade with STARTTLS. Implicit TLS against 587 fails with errors such as
"wrong version number"; STARTTLS against 465 hangs waiting for a greeting.
msmtp never switches to implicit TLS for port 465 by itself. The provider's
documented pairs decide; without a known provider the standard ports do.
The fix changes the TLS mode to the one the port speaks.`,
	Examples: []Example{{Format: "msmtp",
		Bad:  "account icloud\nhost smtp.mail.me.com\nport 587\ntls on\ntls_starttls off\n",
		Good: "account icloud\nhost smtp.mail.me.com\nport 587\ntls on\ntls_starttls on\n"}},
	Check: func(p *Pass) {
		p.Endpoints(func(acc *Account, ep *Endpoint) {
			have := ep.Security.Val
			if ep.Port.Dynamic || ep.Security.Dynamic || !(have == SecurityImplicitTLS || have == SecurityStartTLS || have == SecurityStartTLSOptional) {
				return
			}
			want, ok := SecurityUnknown, false
			if m := p.Lookup(ep); m != nil {
				offered := m.Server.Lookup(ep.Port.Val)
				if len(offered) == 0 {
					return // smtp-port / imap-port report it
				}
				for _, e := range offered {
					if sameMode(have, e.Security) {
						return
					}
				}
				want, ok = sec(offered[0].Security), true
			} else {
				want, ok = WellKnownSecurity(ep.Protocol, ep.Port.Val)
				if !ok || sameModeSec(have, want) {
					return
				}
			}
			if !ok {
				return
			}
			fix := FixFor(ep, Safe, "use "+want.Describe(), SetSecurity(want))
			if m := p.Lookup(ep); m != nil && !documentedOn(m.Server.Lookup(ep.Port.Val)) {
				// The port's only mode is undocumented (iCloud 465): keep the
				// mode and move to the documented port instead.
				if e := pickEndpoint(m.Server, have); e.Documented && sameMode(have, e.Security) {
					fix = FixFor(ep, Safe, fmt.Sprintf("use port %d", e.Port), SetPort(e.Port))
				}
			}
			p.Report(ep.Security.At, fix, "%s speaks %s, but the %s connection uses %s",
				portWords(ep), want.Describe(), slotName(ep.Protocol), have.Describe())
		})
	},
}

func sameModeSec(have, want Security) bool {
	if have == SecurityStartTLSOptional {
		have = SecurityStartTLS
	}
	return have == want
}

func documentedOn(eps []providers.Endpoint) bool {
	for _, e := range eps {
		if e.Documented {
			return true
		}
	}
	return false
}
