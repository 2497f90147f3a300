package providers

import (
	_ "embed"
	"math"
	"path"
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
	// The walk normalized the name twice (here and in Server.Matches or
	// Provider.LegacyHost): "host.." matched "host".
	h := normHost(normHost(host))
	if h == "" {
		return nil, "", nil, nil
	}
	if hit := db.lookupIndex().host(h); hit != nil {
		return hit.p, hit.role, hit.srv, hit.legacy
	}
	return nil, "", nil, nil
}

// ByDomain returns the provider serving address domain (case-insensitive,
// trailing dot ignored), or nil.
func (db *DB) ByDomain(domain string) *Provider {
	return db.lookupIndex().domain(normHost(domain))
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

// index answers ByHost and ByDomain with map lookups instead of a walk over
// every server of every provider. Each possible answer has a rank, the
// order in which the linear search meets it; a lookup returns the
// lowest-ranked match, so it answers exactly as the walk does.
type index struct {
	hosts map[string]*hostHit // exact host names
	globs []hostHit           // servers' patterns with glob characters, by rank
	// domains are the exact address domains and wildcards the "*.suffix"
	// ones (as ".suffix"), ranked by provider.
	domains   map[string]domainHit
	wildcards []domainHit
}

type hostHit struct {
	rank int
	// For globs: the lower-cased pattern and its literal head and tail
	// (before the first and after the last special character), which a
	// matching name must start and end with.
	glob, head, tail string
	p                *Provider
	role             Role
	srv              *Server
	legacy           *Legacy
}

type domainHit struct {
	rank   int
	suffix string // for wildcards
	p      *Provider
}

// lookupIndex returns the index of db, built on first use. Racing builds
// give equal indexes, so the last one stored is as good as any.
func (db *DB) lookupIndex() *index {
	if ix := db.index.Load(); ix != nil {
		return ix
	}
	ix := buildIndex(db.Providers)
	db.index.Store(ix)
	return ix
}

func buildIndex(provs []*Provider) *index {
	ix := &index{hosts: map[string]*hostHit{}, domains: map[string]domainHit{}}
	rank := 0
	addHost := func(h string, hit hostHit) {
		if h == "" {
			return // an empty name matches nothing
		}
		if _, ok := ix.hosts[h]; !ok {
			ix.hosts[h] = &hit
		}
	}
	// The order of ByHost's walk: SMTP servers of every provider, then IMAP
	// servers, then legacy names; loopback providers are skipped.
	for _, r := range []Role{RoleSMTP, RoleIMAP} {
		for _, p := range provs {
			if p.Loopback {
				continue
			}
			srvs := p.Servers(r)
			for i := range srvs {
				s := &srvs[i]
				hit := hostHit{rank: rank, p: p, role: r, srv: s}
				rank++
				addHost(normHost(s.Host), hit)
				for _, pat := range s.Patterns {
					pat = strings.ToLower(pat)
					if !strings.ContainsAny(pat, `*?[\`) {
						// path.Match without special characters is equality.
						addHost(pat, hit)
						continue
					}
					g := hit
					g.glob = pat
					g.head = pat[:strings.IndexAny(pat, `*?[\`)]
					g.tail = pat[strings.LastIndexAny(pat, `*?[]\`)+1:]
					ix.globs = append(ix.globs, g)
				}
			}
		}
	}
	for _, p := range provs {
		if p.Loopback {
			continue
		}
		for i := range p.Legacy {
			l := &p.Legacy[i]
			addHost(normHost(l.Host), hostHit{rank: rank, p: p, role: l.Role, legacy: l})
			rank++
		}
	}
	for pi, p := range provs {
		for _, d := range p.Domains {
			d = strings.ToLower(d)
			if suffix, ok := strings.CutPrefix(d, "*."); ok {
				ix.wildcards = append(ix.wildcards, domainHit{rank: pi, suffix: "." + suffix, p: p})
			} else if _, ok := ix.domains[d]; !ok && d != "" {
				ix.domains[d] = domainHit{rank: pi, p: p}
			}
		}
	}
	return ix
}

// host returns the first match of the normalized, non-empty host h in
// ByHost's order, or nil.
func (ix *index) host(h string) *hostHit {
	best := ix.hosts[h]
	for i := range ix.globs {
		g := &ix.globs[i]
		if best != nil && g.rank >= best.rank {
			break
		}
		if !strings.HasPrefix(h, g.head) || !strings.HasSuffix(h, g.tail) {
			continue
		}
		if ok, _ := path.Match(g.glob, h); ok {
			return g
		}
	}
	return best
}

// domain returns the first provider, in order, serving the normalized
// domain d, or nil.
func (ix *index) domain(d string) *Provider {
	if d == "" {
		return nil
	}
	best, rank := (*Provider)(nil), math.MaxInt
	if hit, ok := ix.domains[d]; ok {
		best, rank = hit.p, hit.rank
	}
	for _, w := range ix.wildcards {
		if w.rank >= rank {
			break
		}
		if strings.HasSuffix(d, w.suffix) {
			return w.p
		}
	}
	return best
}
