package linters

// AuthMissing flags an SMTP endpoint that does not authenticate to a
// provider that requires SMTP AUTH.
var AuthMissing = &Rule{
	ID:       "auth-missing",
	Severity: Error,
	Fixable:  SafeFix,
	Summary:  "the provider requires SMTP authentication, but it is off",
	Doc: `The provider accepts mail for sending only from logged-in users. Without
authentication the server answers "530 authentication required" or
"relay access denied". msmtp's default is auth off. The fix turns
authentication on (the mechanism is then negotiated).`,
	Examples: []Example{{Format: "msmtp",
		Bad:  "account icloud\nhost smtp.mail.me.com\nport 587\ntls on\n",
		Good: "account icloud\nhost smtp.mail.me.com\nport 587\ntls on\nauth on\n"}},
	Check: func(p *Pass) {
		p.Endpoints(func(acc *Account, ep *Endpoint) {
			if ep.Protocol != SMTP || ep.Auth.Val || ep.Auth.Dynamic {
				return
			}
			m := p.Lookup(ep)
			if m == nil || !m.Server.AuthRequired {
				return
			}
			fix := FixFor(ep, Safe, "turn authentication on", SetAuth(true))
			at := ep.Auth.At
			if !ep.Auth.Set {
				at = ep.Host.At
			}
			p.Report(at, fix, "%s requires SMTP authentication, but authentication is off", m.Provider.Name)
		})
	},
}
