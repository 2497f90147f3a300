package providers

import (
	"path"
	"strings"
	"sync/atomic"
)

// Security is how a server endpoint protects the connection.
type Security string

// Security values; the strings are those used in providers.toml and match
// the names maillint's model uses.
const (
	SecurityNone     Security = "none"     // no TLS at all
	SecuritySTARTTLS Security = "starttls" // plaintext connect, then a mandatory STARTTLS upgrade
	SecurityTLS      Security = "tls"      // implicit TLS from the first byte (SMTPS, IMAPS)
)

// Valid reports whether s is one of the defined security values.
func (s Security) Valid() bool {
	return s == SecurityNone || s == SecuritySTARTTLS || s == SecurityTLS
}

// Login is the user name form a server expects.
type Login string

// Login forms.
const (
	LoginAddress   Login = "address"   // the full address, user@example.com
	LoginLocalpart Login = "localpart" // only the part before '@'
	LoginAny       Login = "any"       // either form is accepted
)

// Valid reports whether l is one of the defined login forms.
func (l Login) Valid() bool {
	return l == LoginAddress || l == LoginLocalpart || l == LoginAny
}

// Accepts reports whether user has a form the server accepts: containing
// '@' for LoginAddress, without '@' for LoginLocalpart, anything non-empty
// for LoginAny. It checks the form only, not whose address it is.
func (l Login) Accepts(user string) bool {
	if user == "" {
		return false
	}
	at := strings.Contains(user, "@")
	switch l {
	case LoginAddress:
		return at
	case LoginLocalpart:
		return !at
	}
	return true
}

// Role is the kind of server a host name stands for.
type Role string

// Roles. RolePOP and RoleWeb appear only in legacy entries: maillint's
// clients configure SMTP and IMAP.
const (
	RoleSMTP Role = "smtp"
	RoleIMAP Role = "imap"
	RolePOP  Role = "pop"
	RoleWeb  Role = "web"
	RoleAny  Role = "any"
)

// Valid reports whether r is one of the defined roles.
func (r Role) Valid() bool {
	switch r {
	case RoleSMTP, RoleIMAP, RolePOP, RoleWeb, RoleAny:
		return true
	}
	return false
}

// Endpoint is one way to connect to a server: a port and its security.
type Endpoint struct {
	Port     int      `toml:"port"`
	Security Security `toml:"security"`
	// Documented is true when the server's source lists this endpoint.
	// Undocumented endpoints are reported to work elsewhere; Note says where.
	Documented bool   `toml:"documented"`
	Note       string `toml:"note"`
}

// Server is one SMTP or IMAP server of a provider.
type Server struct {
	// Host is the documented host name, lower case.
	Host string `toml:"host"`
	// Patterns are path.Match globs for other names of the same server
	// (iCloud's p*-smtp.mail.me.com partition hosts, regional aliases).
	Patterns []string `toml:"patterns"`
	// Endpoints are the ports offered, the preferred (first documented) first.
	Endpoints []Endpoint `toml:"endpoints"`
	// Login is the user name form the server expects.
	Login Login `toml:"login"`
	// AuthRequired is true when the server requires authentication (SMTP
	// AUTH) before it accepts mail. IMAP always requires a login.
	AuthRequired bool `toml:"auth_required"`
	// Source is the URL documenting this server.
	Source string `toml:"source"`
	// PasswordLogin says, for a server of an oauth_only provider that still
	// takes passwords for a while, until when and how ("off by default
	// from the end of December 2026"); empty when passwords fail now.
	PasswordLogin string `toml:"password_login"`
}

// Legacy is a host name that is outdated or wrong for a provider.
type Legacy struct {
	// Host is the legacy name, lower case.
	Host string `toml:"host"`
	// Role is what the name was, or was mistaken for.
	Role Role `toml:"role"`
	// Replacement is the host to use instead in Role; empty when it depends
	// on the slot (see Provider.Replacement).
	Replacement string `toml:"replacement"`
	Note        string `toml:"note"`
	Source      string `toml:"source"`
}

// Provider is one mail provider.
type Provider struct {
	// ID is the stable, unique identifier ("icloud"); user entries with the
	// same ID replace builtin ones.
	ID   string `toml:"id"`
	Name string `toml:"name"`
	// Domains are the address domains served, lower case. An entry
	// "*.example.com" matches every subdomain of example.com.
	Domains []string `toml:"domains"`
	// Source is the URL of the provider's best documentation.
	Source string `toml:"source"`
	// Note is advice on authentication: app-specific passwords, OAuth2...
	Note string `toml:"note"`
	// OAuthOnly is true when the provider accepts only OAuth2
	// (XOAUTH2/OAUTHBEARER): a password configuration cannot work.
	OAuthOnly bool `toml:"oauth_only"`
	// Loopback is true when the servers run on the user's machine (Proton
	// Mail Bridge): self-signed certificate, host 127.0.0.1.
	Loopback bool `toml:"loopback"`
	// CustomDomains is true when the provider's addresses are at its
	// customers' own domains (Microsoft 365): its Domains only help to
	// recognise it, and no address at them can be suggested as a login.
	CustomDomains bool     `toml:"custom_domains"`
	SMTP          []Server `toml:"smtp"`
	IMAP          []Server `toml:"imap"`
	Legacy        []Legacy `toml:"legacy"`
}

// DB is a provider database. Lookups try providers in order. The lookups
// index the database on first use: do not change it after that.
type DB struct {
	Providers []*Provider

	index atomic.Pointer[index]
}

// normHost lower-cases a host name and drops surrounding space and a
// trailing dot.
func normHost(h string) string {
	return strings.TrimSuffix(strings.ToLower(strings.TrimSpace(h)), ".")
}

// Matches reports whether host names this server: its Host or one of its
// Patterns, case-insensitively, ignoring a trailing dot.
func (s *Server) Matches(host string) bool {
	h := normHost(host)
	if h == "" {
		return false
	}
	if h == normHost(s.Host) {
		return true
	}
	for _, p := range s.Patterns {
		if ok, _ := path.Match(strings.ToLower(p), h); ok {
			return true
		}
	}
	return false
}

// Lookup returns the endpoints offered on port, in preference order; nil
// when the server does not offer the port.
func (s *Server) Lookup(port int) []Endpoint {
	var out []Endpoint
	for _, e := range s.Endpoints {
		if e.Port == port {
			out = append(out, e)
		}
	}
	return out
}

// Endpoint returns the endpoint with the given port and security.
func (s *Server) Endpoint(port int, sec Security) (Endpoint, bool) {
	for _, e := range s.Endpoints {
		if e.Port == port && e.Security == sec {
			return e, true
		}
	}
	return Endpoint{}, false
}

// Preferred returns the first documented endpoint, or the first endpoint
// when none is documented; the zero Endpoint when there are none.
func (s *Server) Preferred() Endpoint {
	for _, e := range s.Endpoints {
		if e.Documented {
			return e
		}
	}
	if len(s.Endpoints) > 0 {
		return s.Endpoints[0]
	}
	return Endpoint{}
}

// Servers returns the provider's servers for role (RoleSMTP or RoleIMAP);
// nil for other roles.
func (p *Provider) Servers(role Role) []Server {
	switch role {
	case RoleSMTP:
		return p.SMTP
	case RoleIMAP:
		return p.IMAP
	}
	return nil
}

// Server returns the provider's server for role that matches host, or nil.
func (p *Provider) Server(role Role, host string) *Server {
	srvs := p.Servers(role)
	for i := range srvs {
		if srvs[i].Matches(host) {
			return &srvs[i]
		}
	}
	return nil
}

// LegacyHost returns the provider's legacy entry for host, or nil.
func (p *Provider) LegacyHost(host string) *Legacy {
	h := normHost(host)
	for i := range p.Legacy {
		if h != "" && normHost(p.Legacy[i].Host) == h {
			return &p.Legacy[i]
		}
	}
	return nil
}

// Replacement returns the host to suggest when legacy host l is configured
// in a slot of the given role (RoleSMTP or RoleIMAP): l.Replacement when it
// was meant for that role (or for any role), else the provider's first
// server for the role, else l.Replacement. For example pop.mail.me.com in an
// IMAP slot gives imap.mail.me.com, mail.me.com in an SMTP slot gives
// smtp.mail.me.com.
func (p *Provider) Replacement(l *Legacy, role Role) string {
	if l.Replacement != "" && (l.Role == role || l.Role == RoleAny) {
		return l.Replacement
	}
	if srvs := p.Servers(role); len(srvs) > 0 {
		return srvs[0].Host
	}
	return l.Replacement
}

// HasDomain reports whether the provider serves address domain d
// (case-insensitive, trailing dot ignored).
func (p *Provider) HasDomain(d string) bool {
	d = normHost(d)
	if d == "" {
		return false
	}
	for _, pd := range p.Domains {
		pd = strings.ToLower(pd)
		if suffix, ok := strings.CutPrefix(pd, "*."); ok {
			if strings.HasSuffix(d, "."+suffix) {
				return true
			}
		} else if pd == d {
			return true
		}
	}
	return false
}
