package linters

import "fmt"

// UndocumentedSetting notes a port and TLS mode that the provider does not
// document but that is reported to work (iCloud SMTP on 465).
var UndocumentedSetting = &Rule{
	ID:       "undocumented-setting",
	Severity: Info,
	Fixable:  UnsafeFix,
	Summary:  "the port and TLS mode work in practice but are not in the provider's documentation",
	Doc: `The provider does not document this port and TLS mode, though users report
that it works (iCloud's smtp.mail.me.com on 465 with implicit TLS). It may
stop working without notice. The fix moves to the documented setting; it is
unsafe because the undocumented one may be chosen on purpose (a proxy that
passes only 465).`,
	Examples: []Example{{Format: "msmtp",
		Bad:  "account icloud\nhost smtp.mail.me.com\nport 465\ntls on\ntls_starttls off\n",
		Good: "account icloud\nhost smtp.mail.me.com\nport 587\ntls on\ntls_starttls on\n"}},
	Check: func(p *Pass) {
		p.Endpoints(func(acc *Account, ep *Endpoint) {
			m := p.Lookup(ep)
			if m == nil || ep.Port.Dynamic || ep.Security.Dynamic {
				return
			}
			for _, e := range m.Server.Lookup(ep.Port.Val) {
				if !sameMode(ep.Security.Val, e.Security) {
					continue
				}
				if e.Documented {
					return
				}
				pref := m.Server.Preferred()
				fix := FixFor(ep, Unsafe, fmt.Sprintf("use port %d with %s", pref.Port, sec(pref.Security).Describe()), SetPort(pref.Port), SetSecurity(sec(pref.Security)))
				p.Report(PortAt(ep), fix, "%s with %s is not in %s's documentation, though reported to work; the documented setting is port %d with %s",
					portOnly(ep.Port.Val), ep.Security.Val.Describe(), m.Provider.Name, pref.Port, sec(pref.Security).Describe())
				return
			}
		})
	},
}
