package linters

import "strings"

// SMTPUserForm flags an SMTP login in the wrong form for the provider
// (iCloud wants the full address, WEB.DE the local part) or a missing login.
var SMTPUserForm = &Rule{
	ID:       "smtp-user-form",
	Severity: Warning,
	Fixable:  UnsafeFix,
	Summary:  "the SMTP login is not in the form the provider documents (full address or local part)",
	Doc: `Providers document one login form for SMTP. iCloud, for example, needs the
full address (emilyparker@icloud.com) for SMTP even though its IMAP accepts
the bare name; WEB.DE documents the local part. A wrong form fails with
"535 authentication failed" although the password is right. When the From
address fits, the fix derives the login from it; that is a guess, so the
fix is unsafe.`,
	Examples: []Example{{Format: "msmtp",
		Bad:  "account icloud\nhost smtp.mail.me.com\nfrom emilyparker@icloud.com\nuser emilyparker\n",
		Good: "account icloud\nhost smtp.mail.me.com\nfrom emilyparker@icloud.com\nuser emilyparker@icloud.com\n"}},
	Check: func(p *Pass) {
		p.Endpoints(func(acc *Account, ep *Endpoint) {
			if ep.Protocol != SMTP || ep.User.Dynamic {
				return
			}
			m := p.Lookup(ep)
			if m == nil {
				return
			}
			from := ""
			if acc.From.Known() && strings.Count(acc.From.Val, "@") == 1 && !strings.ContainsAny(acc.From.Val, "*%") {
				from = acc.From.Val
			}
			user := ep.User.Val
			switch m.Server.Login {
			case "address":
				if !ep.User.Set || user == "" {
					if !ep.Auth.Val {
						return
					}
					var fix *Fix
					if from != "" && p.Providers.ByAddress(from) == m.Provider {
						fix = FixFor(ep, Unsafe, "log in as "+from, SetUser(from))
					}
					p.Report(ep.User.At, fix, "no SMTP login is set; %s expects the full e-mail address", m.Provider.Name)
					return
				}
				if strings.Contains(user, "@") {
					return
				}
				// The From address is the login only if it is at this
				// provider, or at a domain no known provider has (a custom
				// domain hosted there); not if it is another provider's.
				fromHere := false
				if from != "" {
					owner := p.Providers.ByAddress(from)
					fromHere = owner == m.Provider || owner == nil && !m.Provider.Loopback
				}
				var fix *Fix
				if fromHere && strings.EqualFold(from[:strings.IndexByte(from, '@')], user) {
					fix = FixFor(ep, Unsafe, "log in as "+from, SetUser(from))
				}
				example := user + "@" + firstDomain(m.Provider.Domains)
				switch {
				case fromHere:
					example = user + "@" + from[strings.IndexByte(from, '@')+1:]
				case len(m.Provider.Domains) == 0 || m.Provider.CustomDomains:
					example = user + "@your-domain"
				}
				p.Report(ep.User.At, fix, "SMTP login %q has no domain; %s expects the full e-mail address (for example %s)",
					user, m.Provider.Name, example)
			case "localpart":
				if i := strings.IndexByte(user, '@'); i > 0 {
					fix := FixFor(ep, Unsafe, "log in as "+user[:i], SetUser(user[:i]))
					p.Report(ep.User.At, fix, "SMTP login %q is a full address; %s expects only the part before the @", user, m.Provider.Name)
				}
			}
		})
	},
}

func firstDomain(ds []string) string {
	if len(ds) == 0 {
		return "example.com"
	}
	return ds[0]
}
