package linters

import "github.com/maillint/maillint/linters/providers"

// LegacyHost flags retired, undocumented or wrong host names of a known
// provider (smtp.me.com, mail.me.com, smtp.live.com...).
var LegacyHost = &Rule{
	ID:       "legacy-host",
	Severity: Warning,
	Fixable:  SafeFix,
	Summary:  "the host is a retired or undocumented name of the provider",
	Doc: `The host is an old name of the provider's server (from the MobileMe era, an
old product, or a database that was never right). Old names stop working
without notice, and some never were mail servers. The fix writes the host
the provider documents today. Hosts that are not mail servers at all (a web
mail host, a POP server that does not exist) are errors.`,
	Examples: []Example{{Format: "msmtp",
		Bad:  "account icloud\nhost smtp.me.com\n",
		Good: "account icloud\nhost smtp.mail.me.com\n"}},
	Check: func(p *Pass) {
		p.Endpoints(func(acc *Account, ep *Endpoint) {
			m := p.Lookup(ep)
			if m == nil || m.Legacy == nil {
				return
			}
			repl := m.Server.Host
			if m.Legacy.Replacement != "" && (m.Legacy.Role == providers.Role(ep.Protocol) || m.Legacy.Role == "any") {
				repl = m.Legacy.Replacement
			}
			sev := Warning
			if m.Legacy.Role == "web" || m.Legacy.Role == "pop" {
				sev = Error
			}
			note := ""
			if m.Legacy.Note != "" {
				note = " (" + m.Legacy.Note + ")"
			}
			fix := FixFor(ep, Safe, "use "+repl, SetHost(repl))
			p.ReportSeverity(sev, ep.Host.At, fix, "%s is not a current %s server name of %s%s; use %s",
				ep.Host.Val, slotName(ep.Protocol), m.Provider.Name, note, repl)
		})
	},
}
