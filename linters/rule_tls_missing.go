package linters

// TLSMissing flags a connection without TLS, or with TLS that a man in the
// middle can switch off (STARTTLS only if offered).
var TLSMissing = &Rule{
	ID:       "tls-missing",
	Severity: Error,
	Fixable:  SometimesFix,
	Summary:  "no TLS, or TLS not enforced, where the provider requires it",
	Doc: `The connection is not encrypted, or is encrypted only if the server offers
STARTTLS (anyone on the path can remove the offer). Passwords and mail then
cross the network in clear text, and providers that require TLS refuse the
login. For a known provider the fix switches to the TLS mode its
documentation gives for the port (safe); for an unknown server it enables
STARTTLS, which the server may not support (unsafe). Loopback hosts (a
local bridge) are reported at info level.`,
	Examples: []Example{{Format: "msmtp",
		Bad:  "account gmail\nhost smtp.gmail.com\nport 587\nauth on\n",
		Good: "account gmail\nhost smtp.gmail.com\nport 587\nauth on\ntls on\n"}},
	Check: func(p *Pass) {
		p.Endpoints(func(acc *Account, ep *Endpoint) {
			have := ep.Security.Val
			if ep.Security.Dynamic || ep.Host.Val == "" || (have != SecurityNone && have != SecurityStartTLSOptional) {
				return
			}
			what := "does not use TLS"
			if have == SecurityStartTLSOptional {
				what = "uses STARTTLS only if the server offers it (not enforced)"
			}
			if IsLoopback(ep.Host.Val) {
				p.ReportSeverity(Info, ep.Security.At, nil, "the %s connection to %s %s; acceptable only because the host is this machine",
					slotName(ep.Protocol), ep.Host.Val, what)
				return
			}
			if m := p.Lookup(ep); m != nil {
				want := SecurityUnknown
				for _, e := range m.Server.Lookup(ep.Port.Val) {
					if e.Documented && sec(e.Security).Encrypted() {
						want = sec(e.Security)
						break
					}
				}
				changes := []Change{}
				if want == SecurityUnknown {
					e := m.Server.Preferred()
					want = sec(e.Security)
					changes = append(changes, SetPort(e.Port))
				}
				changes = append([]Change{SetSecurity(want)}, changes...)
				fix := FixFor(ep, Safe, "use "+want.Describe(), changes...)
				port := ep.Port.Val
				for _, c := range changes {
					if c.Field == FieldPort {
						port = c.Port
					}
				}
				p.Report(ep.Security.At, fix, "the %s connection to %s %s; %s requires TLS (on port %d: %s)",
					slotName(ep.Protocol), ep.Host.Val, what, m.Provider.Name, port, want.Describe())
				return
			}
			want, ok := WellKnownSecurity(ep.Protocol, ep.Port.Val)
			if !ok {
				want = SecurityStartTLS
			}
			sev := Warning
			if ep.Auth.Val || ep.Password.Kind != PasswordNone {
				sev = Error
				what += ", so the password crosses the network in clear text"
			}
			fix := FixFor(ep, Unsafe, "use "+want.Describe(), SetSecurity(want))
			p.ReportSeverity(sev, ep.Security.At, fix, "the %s connection to %s %s", slotName(ep.Protocol), ep.Host.Val, what)
		})
	},
}
