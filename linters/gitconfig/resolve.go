package gitconfig

import (
	"net/mail"
	"strconv"
	"strings"
)

// Assignment is the effective value of one send-email setting for one
// identity, resolved as git send-email's read_config does: the identity's
// subsection first, then [sendemail]; within each, the last value; a key
// without a value (which send-email reads as undefined) does not count.
type Assignment struct {
	// Var is the assignment used, nil when no file read for certain sets it.
	Var *Var
	// Dynamic is true when a file git may or may not read could change it.
	Dynamic bool
}

// Value returns the decoded value, "" when unset.
func (a Assignment) Value() string {
	if a.Var == nil {
		return ""
	}
	return a.Var.Node.Value
}

// Setting returns the effective assignment of key (lower case) for the
// identity id ("" for none), ignoring the vars in skip.
func (c *Config) Setting(id, key string, skip map[*Var]bool) Assignment {
	dyn := false
	if id != "" {
		w, m := c.last("sendemail."+id+"."+key, skip)
		dyn = m
		if w != nil && !w.Node.Bare() {
			return Assignment{Var: w, Dynamic: dyn}
		}
	}
	w, m := c.last("sendemail."+key, skip)
	if w != nil && w.Node.Bare() {
		w = nil
	}
	return Assignment{Var: w, Dynamic: dyn || m}
}

// Identity is one account git send-email can send with: an identity
// subsection, or the plain [sendemail] section ("" ID).
type Identity struct {
	// ID is the subsection name ("work"), "" for [sendemail] itself.
	ID string
	// Header is the first var of the identity's section, which locates it.
	Header *Var
}

// Identities lists the accounts of the configuration: the plain
// [sendemail] section when it names a server or a sendmail command, then
// one per identity subsection, in the order they first appear. Identities
// that only files git may not read define are left out.
func (c *Config) Identities() []Identity {
	ix := c.index()
	if ix.ids == nil {
		ix.ids = c.identities()
		ix.idHeader = map[string]*Var{}
		for _, id := range ix.ids {
			ix.idHeader[id.ID] = id.Header
		}
	}
	return ix.ids
}

// identityHeader returns the first var of identity id's section, or nil.
func (c *Config) identityHeader(id string) *Var {
	c.Identities()
	return c.index().idHeader[id]
}

// identities computes Identities.
func (c *Config) identities() []Identity {
	out := []Identity{}
	seen := map[string]bool{}
	plain := func() *Var {
		var first *Var
		for _, v := range c.Vars {
			if v.Opaque || v.Base != "sendemail" || v.HasSub || v.Node.Bare() {
				continue
			}
			if v.Key == "smtpserver" || v.Key == "sendmailcmd" {
				if first == nil || !v.Cond && first.Cond {
					first = v
				}
			}
		}
		return first
	}()
	if plain != nil {
		if w := c.Setting("", "sendmailcmd", nil).Var; w != nil {
			plain = w
		} else if w := c.Setting("", "smtpserver", nil).Var; w != nil {
			plain = w
		}
	}
	for _, v := range c.Vars {
		if v.Opaque || v.Cond || v.Base != "sendemail" {
			continue
		}
		if !v.HasSub {
			if plain != nil && !seen[""] {
				seen[""] = true
				out = append(out, Identity{Header: plain})
			}
			continue
		}
		if v.Sub == "mailmap" && mailmapKeys[v.Key] || seen["."+v.Sub] {
			continue
		}
		seen["."+v.Sub] = true
		out = append(out, Identity{ID: v.Sub, Header: v})
	}
	if plain != nil && !seen[""] {
		out = append([]Identity{{Header: plain}}, out...)
	}
	return out
}

// servicePorts are the service names Perl's getservbyname resolves for
// smtpServerPort on Debian (/etc/services).
var servicePorts = map[string]int{"smtp": 25, "mail": 25, "submission": 587, "submissions": 465, "smtps": 465, "ssmtp": 465, "urd": 465}

// parsePort reads an smtpServerPort value: a number or a service name.
// zero is true for values Perl's ||= replaces with the default ("", "0").
func parsePort(v string) (port int, zero, ok bool) {
	if v == "" || v == "0" {
		return 0, true, true
	}
	if p, known := servicePorts[v]; known {
		return p, false, true
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || n > 65535 || strings.TrimLeft(v, "0123456789") != "" {
		return 0, false, false
	}
	return n, false, true
}

// address extracts the address of a From value ("Name <a@b>" gives a@b).
func address(v string) string {
	if a, err := mail.ParseAddress(v); err == nil {
		return a.Address
	}
	if i, j := strings.LastIndexByte(v, '<'), strings.LastIndexByte(v, '>'); i >= 0 && j > i {
		return strings.TrimSpace(v[i+1 : j])
	}
	return strings.TrimSpace(v)
}

// isAbsolute is Perl's File::Spec file_name_is_absolute on Unix.
func isAbsolute(v string) bool { return strings.HasPrefix(v, "/") }
