package linters

import (
	"fmt"
	"net"
	"strings"

	"github.com/maillint/maillint/linters/providers"
)

// Endpoints calls fn for every endpoint of every account of the document.
func (p *Pass) Endpoints(fn func(acc *Account, ep *Endpoint)) {
	for _, a := range p.Doc.Accounts {
		if a.SMTP != nil {
			fn(a, a.SMTP)
		}
		if a.IMAP != nil {
			fn(a, a.IMAP)
		}
	}
}

// Match is what the provider database says about an endpoint's host.
type Match struct {
	Provider *providers.Provider
	// Server is the provider's server for the endpoint's protocol: the one
	// the host names, or — when the host is in the wrong slot or retired —
	// the server the host should be.
	Server *providers.Server
	// WrongSlot is true when the host is the provider's server of the other
	// protocol (an IMAP host in the SMTP slot).
	WrongSlot bool
	// Legacy is set when the host is retired or wrong.
	Legacy *providers.Legacy
}

// Lookup identifies the provider of an endpoint from its host. It returns
// nil when the host is unknown, empty or dynamic: rules judge ports and TLS
// only against the provider whose server the endpoint talks to.
func (p *Pass) Lookup(ep *Endpoint) *Match {
	if ep == nil || ep.Host.Val == "" || ep.Host.Dynamic {
		return nil
	}
	if p.lookups == nil {
		return p.lookup(ep)
	}
	m, ok := p.lookups[ep]
	if !ok {
		m = p.lookup(ep)
		p.lookups[ep] = m
	}
	return m
}

func (p *Pass) lookup(ep *Endpoint) *Match {
	prov, role, srv, legacy := p.Providers.ByHost(ep.Host.Val)
	if prov == nil {
		return nil
	}
	m := &Match{Provider: prov, Legacy: legacy}
	want := providers.Role(ep.Protocol)
	switch {
	case legacy != nil:
		m.Server = primary(prov, ep.Protocol)
	case role == want:
		m.Server = srv
	default:
		m.WrongSlot = true
		m.Server = primary(prov, ep.Protocol)
	}
	if m.Server == nil {
		return nil
	}
	return m
}

func primary(prov *providers.Provider, proto Protocol) *providers.Server {
	list := prov.SMTP
	if proto == IMAP {
		list = prov.IMAP
	}
	if len(list) == 0 {
		return nil
	}
	return &list[0]
}

// ProviderOf returns the provider an account belongs to, recognised from its
// SMTP host, its IMAP host, or the domain of its login or From address.
func (p *Pass) ProviderOf(acc *Account) *providers.Provider {
	for _, ep := range []*Endpoint{acc.SMTP, acc.IMAP} {
		if m := p.Lookup(ep); m != nil {
			return m.Provider
		}
	}
	for _, ep := range []*Endpoint{acc.SMTP, acc.IMAP} {
		if ep != nil && ep.User.Known() {
			if prov := p.Providers.ByAddress(ep.User.Val); prov != nil {
				return prov
			}
		}
	}
	if acc.From.Known() {
		return p.Providers.ByAddress(acc.From.Val)
	}
	return nil
}

// sec converts a provider database security name to the model's.
func sec(s providers.Security) Security {
	switch s {
	case "tls":
		return SecurityImplicitTLS
	case "starttls":
		return SecurityStartTLS
	case "none":
		return SecurityNone
	}
	return SecurityUnknown
}

// SecurityOf converts a provider endpoint's security to the model's.
func SecurityOf(e providers.Endpoint) Security { return sec(e.Security) }

// sameMode reports whether the configured security is the provider's mode
// (STARTTLS-if-offered counts as STARTTLS here; tls-missing judges it).
func sameMode(have Security, want providers.Security) bool {
	if have == SecurityStartTLSOptional {
		have = SecurityStartTLS
	}
	return have == sec(want)
}

// Offers lists a server's endpoints in words: "587 (STARTTLS), 465 (implicit TLS)".
func Offers(srv *providers.Server, documentedOnly bool) string {
	var parts []string
	for _, e := range srv.Endpoints {
		if documentedOnly && !e.Documented {
			continue
		}
		parts = append(parts, fmt.Sprintf("%d (%s)", e.Port, sec(e.Security).Describe()))
	}
	return strings.Join(parts, ", ")
}

// WellKnownSecurity is the security a standard port implies: 465 and 993
// speak TLS at once, 587 and 143 upgrade with STARTTLS. ok is false for
// other ports (25 may do either).
func WellKnownSecurity(proto Protocol, port int) (Security, bool) {
	switch {
	case proto == SMTP && port == 465, proto == IMAP && port == 993:
		return SecurityImplicitTLS, true
	case proto == SMTP && port == 587, proto == IMAP && port == 143:
		return SecurityStartTLS, true
	}
	return SecurityUnknown, false
}

// DefaultPort is the standard port of a protocol and security.
func DefaultPort(proto Protocol, s Security) int {
	if proto == IMAP {
		if s == SecurityImplicitTLS {
			return 993
		}
		return 143
	}
	if s == SecurityImplicitTLS {
		return 465
	}
	return 587
}

// IsLoopback reports whether host names this machine (a local bridge or relay).
func IsLoopback(host string) bool {
	h := strings.TrimSuffix(strings.ToLower(host), ".")
	if h == "localhost" || strings.HasSuffix(h, ".localhost") {
		return true
	}
	ip := net.ParseIP(strings.Trim(h, "[]"))
	return ip != nil && ip.IsLoopback()
}

// slot names a protocol for messages.
func slot(proto Protocol) string {
	if proto == IMAP {
		return "IMAP (incoming)"
	}
	return "SMTP (outgoing)"
}

// portWords describes the port setting for messages.
func portWords(ep *Endpoint) string {
	if ep.Port.Set {
		return fmt.Sprintf("port %d", ep.Port.Val)
	}
	return fmt.Sprintf("port %d (the client's default: no port is set)", ep.Port.Val)
}

// PortAt is where a finding about the port is shown: the port line, or —
// when the port is the client's default — the line that makes the default
// (an implicit-TLS switch) or the host line, so accounts that inherit both
// share one finding.
func PortAt(ep *Endpoint) Range {
	switch {
	case ep.Port.Set:
		return ep.Port.At
	case ep.Security.Set && ep.Security.Val == SecurityImplicitTLS:
		return ep.Security.At
	case ep.Host.Set:
		return ep.Host.At
	}
	return ep.At
}
