package linters

import "github.com/maillint/maillint/linters/providers"

// LoginProviderMismatch flags a login that is an address of one provider
// sent to another provider's server: jane@gmx.com on mail.gmx.net (GMX runs
// separate servers for gmx.com and gmx.net), jane@gmail.com on
// smtp.mail.me.com. Such a server does not know the account.
var LoginProviderMismatch = &Rule{
	ID:       "login-provider-mismatch",
	Severity: Warning,
	Fixable:  UnsafeFix,
	Summary:  "the login is an address of another provider than the server's",
	Doc: `A provider's servers authenticate the provider's own accounts. A login at a
known address domain of another provider, sent to this server, fails with
"535 authentication failed": the host was copied from another account or
a guide for a sister service (GMX runs separate servers for gmx.com and
gmx.net addresses). The fix points the host at the server of the login's
provider; it is unsafe because the login, not the host, may be what is
wrong. Logins at domains no known provider has (a company domain hosted
at Google or Microsoft) are not judged.`,
	Examples: []Example{{Format: "msmtp",
		Bad:  "account gmx\nhost mail.gmx.net\nport 587\ntls on\nauth on\nuser jane@gmx.com\n",
		Good: "account gmx\nhost mail.gmx.com\nport 587\ntls on\nauth on\nuser jane@gmx.com\n"}},
	Check: func(p *Pass) {
		p.Endpoints(func(acc *Account, ep *Endpoint) {
			if !ep.User.Known() || ep.Host.Dynamic {
				return
			}
			owner := p.Providers.ByAddress(ep.User.Val)
			m := p.Lookup(ep)
			if owner == nil || m == nil || owner == m.Provider || owner.Loopback || m.Provider.Loopback || m.Legacy != nil {
				return
			}
			// The login's provider may list this host too (Outlook.com
			// accounts on Microsoft 365's smtp.office365.com).
			if owner.Server(providers.Role(ep.Protocol), ep.Host.Val) != nil {
				return
			}
			srv := primary(owner, ep.Protocol)
			if srv == nil {
				return
			}
			want := srv.Host
			fix := FixFor(ep, Unsafe, "use "+want, SetHost(want))
			p.Report(ep.Host.At, fix, "the login %s is a %s address, but %s is a server of %s, which does not know that account; %s accounts use %s",
				ep.User.Val, owner.Name, ep.Host.Val, m.Provider.Name, owner.Name, want)
		})
	},
}
