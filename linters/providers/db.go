package providers

import (
	_ "embed"
	"strings"
	"sync"
)

//go:embed providers.toml
var builtinData []byte

var builtin = sync.OnceValue(func() *DB {
	db, err := Parse("providers.toml", builtinData)
	if err != nil {
		// A test parses the embedded file, so this cannot happen in a
		// released binary.
		panic("providers: embedded database is broken: " + err.Error())
	}
	return db
})

// Builtin returns the embedded provider database, parsed once. The result is
// shared: do not modify it (Merge returns a new DB).
func Builtin() *DB { return builtin() }

// Merge returns a new database with user's providers first, followed by the
// providers of db whose ID user does not define: a user entry with a builtin
// ID replaces it, other user entries are added and are matched first.
// Neither db nor user is modified; providers are shared, not copied. A nil
// user returns a copy of db.
func (db *DB) Merge(user *DB) *DB {
	out := &DB{}
	seen := map[string]bool{}
	if user != nil {
		for _, p := range user.Providers {
			out.Providers = append(out.Providers, p)
			seen[p.ID] = true
		}
	}
	for _, p := range db.Providers {
		if !seen[p.ID] {
			out.Providers = append(out.Providers, p)
		}
	}
	return out
}

// ByID returns the provider with the given id, or nil.
func (db *DB) ByID(id string) *Provider {
	for _, p := range db.Providers {
		if p.ID == id {
			return p
		}
	}
	return nil
}

// ByHost identifies a configured host name (case-insensitive, trailing dot
// ignored). It tries, over all providers in order, SMTP servers (role
// RoleSMTP), then IMAP servers (RoleIMAP), then legacy names (legacy is
// non-nil and role is the legacy entry's role; srv is nil). A current name
// of one provider thus wins over a legacy entry of another. Loopback
// providers are skipped. All results are nil when nothing matches.
//
// The role tells a rule whether the host sits in the right slot: ByHost
// ("imap.mail.me.com") gives RoleIMAP, wrong for an SMTP account. When a
// provider uses one host for both (posteo.de), RoleSMTP is returned; use
// Provider.Server to check a specific role.
func (db *DB) ByHost(host string) (p *Provider, role Role, srv *Server, legacy *Legacy) {
	h := normHost(host)
	if h == "" {
		return nil, "", nil, nil
	}
	for _, r := range []Role{RoleSMTP, RoleIMAP} {
		for _, p := range db.Providers {
			if p.Loopback {
				continue
			}
			if s := p.Server(r, h); s != nil {
				return p, r, s, nil
			}
		}
	}
	for _, p := range db.Providers {
		if p.Loopback {
			continue
		}
		if l := p.LegacyHost(h); l != nil {
			return p, l.Role, nil, l
		}
	}
	return nil, "", nil, nil
}

// ByDomain returns the provider serving address domain (case-insensitive,
// trailing dot ignored), or nil.
func (db *DB) ByDomain(domain string) *Provider {
	for _, p := range db.Providers {
		if p.HasDomain(domain) {
			return p
		}
	}
	return nil
}

// ByAddress returns the provider of an e-mail address, found by the domain
// after its last '@'; nil when there is no '@' or the domain is unknown.
// Surrounding space and angle brackets are ignored.
func (db *DB) ByAddress(addr string) *Provider {
	addr = strings.Trim(strings.TrimSpace(addr), "<>")
	i := strings.LastIndexByte(addr, '@')
	if i < 0 {
		return nil
	}
	return db.ByDomain(addr[i+1:])
}
