package linters

import (
	"slices"
	"strings"

	"github.com/maillint/maillint/linters/providers"
)

// OAuthRequired flags a password login to a provider that accepts only
// OAuth2 (Outlook.com since 2024-09-16; Microsoft 365, whose IMAP refused
// passwords in 2022 and whose SMTP refuses them by default from the end of
// December 2026).
var OAuthRequired = &Rule{
	ID:       "oauth-required",
	Severity: Warning,
	Fixable:  NotFixable,
	Summary:  "the provider accepts only OAuth2, but the login uses a password",
	Doc: `Some providers no longer accept a password from mail programs: Outlook.com
turned basic (password) authentication off for personal accounts on
2024-09-16, and Microsoft 365 turned it off for IMAP in 2022 and turns it off
by default for SMTP at the end of December 2026 ("535 5.7.3" or "550 5.7.30
Basic authentication is not supported"). The login must use OAuth2
(XOAUTH2 or OAUTHBEARER) with a token from a helper (msmtp: auth xoauth2 and
passwordeval printing the token; mutt: smtp_authenticators = "xoauth2" and
smtp_oauth_refresh_command; git: smtpAuth = XOAUTH2 with a credential
helper that returns the token; Thunderbird: authMethod 10). That needs a
token helper maillint cannot set up, so there is no automatic fix.`,
	Examples: []Example{{Format: "msmtp",
		Bad:  "account outlook\nhost smtp-mail.outlook.com\nport 587\ntls on\nauth on\nuser jane@outlook.com\npasswordeval \"pass show outlook\"\n",
		Good: "account outlook\nhost smtp-mail.outlook.com\nport 587\ntls on\nauth xoauth2\nuser jane@outlook.com\npasswordeval \"oauth2-token outlook\"\n"}},
	Check: func(p *Pass) {
		p.Endpoints(func(acc *Account, ep *Endpoint) {
			if ep.Auth.Dynamic || ep.AuthMech.Dynamic || (ep.Protocol == SMTP && !ep.Auth.Val) {
				return // auth-missing speaks of SMTP without a login
			}
			mechs := ep.AuthMechs()
			if slices.ContainsFunc(mechs, isOAuthMech) {
				return // the client may use OAuth2 (it tries the list in order)
			}
			m := p.Lookup(ep)
			if m == nil {
				return
			}
			prov, srv := m.Provider, m.Server
			// A host two providers list (smtp.office365.com: Microsoft 365's,
			// and used by Outlook.com accounts) is judged as the login's.
			if owner := p.Providers.ByAddress(ep.User.Val); owner != nil && owner != prov {
				if s := owner.Server(providers.Role(ep.Protocol), ep.Host.Val); s != nil {
					prov, srv = owner, s
				}
			}
			if !prov.OAuthOnly {
				return
			}
			at := ep.AuthMech.At
			switch {
			case ep.AuthMech.Set:
			case ep.Auth.Set:
				at = ep.Auth.At
			default:
				at = ep.Host.At
			}
			uses := "a password"
			if len(mechs) > 0 {
				uses = strings.ToUpper(strings.Join(mechs, " ")) // SASL names are upper case
				uses = strings.ReplaceAll(uses, " ", " or ")
			}
			if until := srv.PasswordLogin; until != "" {
				p.Report(at, nil, "the login uses %s; on %s that is %s; switch to OAuth2 (XOAUTH2 or OAUTHBEARER) before then (maillint explain oauth-required)",
					uses, srv.Host, until)
				return
			}
			p.Report(at, nil, "the login uses %s, but %s accepts only OAuth2 (XOAUTH2 or OAUTHBEARER) from mail programs; the login fails until it uses an OAuth2 token (maillint explain oauth-required)",
				uses, prov.Name)
		})
	},
}

// isOAuthMech reports whether a SASL mechanism is an OAuth2 one.
func isOAuthMech(mech string) bool { return mech == "xoauth2" || mech == "oauthbearer" }
