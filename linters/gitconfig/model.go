package gitconfig

import (
	"fmt"
	"strings"
	"unicode"

	"github.com/maillint/maillint/linters"
)

// document maps a configuration onto maillint's model: one Account per
// identity git send-email can use (see Config.Identities).
func document(c *Config) *linters.Document {
	doc := &linters.Document{Format: Name}
	files := map[*File]*linters.SourceFile{}
	for _, f := range c.Files {
		sf := &linters.SourceFile{Path: f.Path, Src: f.Src, Index: linters.NewLineIndex(f.Path, f.Src), Mode: c.Modes[f]}
		files[f] = sf
		doc.Files = append(doc.Files, sf)
	}
	m := &mapper{files: files}
	rng, valueAt, entryAt := m.rng, m.valueAt, m.entryAt

	// Inline passwords are masked wherever they are written, used or not.
	for _, v := range c.Vars {
		if !v.Opaque && (v.Base == "sendemail" || v.Base == "credential") && passwordKey(v.Key) && !v.Node.Bare() && v.Node.ValEnd > v.Node.ValStart {
			sf := files[v.File]
			r := rng(v.File, v.Node.ValStart, v.Node.ValEnd)
			sf.Secrets = append(sf.Secrets, r)
			if v.Base == "sendemail" {
				sf.Passwords = append(sf.Passwords, r)
			}
		}
	}
	// A password in a URL or user:pass@host (smtpServer =
	// smtp://user:pass@host, which git takes for a host name) is masked too.
	for _, v := range c.Vars {
		if v.Opaque || v.Base != "sendemail" || v.Node.Bare() {
			continue
		}
		// A continuation (backslash, line end) joins the value's lines:
		// it is read as one word of the same length.
		val := []byte(string(v.File.Src[v.Node.ValStart:v.Node.ValEnd]))
		for k := 0; k+1 < len(val); k++ {
			if val[k] == '\\' && (val[k+1] == '\n' || val[k+1] == '\r') {
				val[k+1] = '_'
				if k+2 < len(val) && val[k+2] == '\n' {
					val[k+2] = '_'
				}
			}
		}
		for _, r := range linters.UserinfoPasswords(string(val), " \t\r\n;#") {
			files[v.File].Secrets = append(files[v.File].Secrets, rng(v.File, v.Node.ValStart+r[0], v.Node.ValStart+r[1]))
		}
	}
	// A password line git cannot parse ("smtpPass = x" in a broken form,
	// "smtpPass x") is still a password: what follows the key is masked.
	for _, f := range c.Files {
		for _, n := range f.Nodes {
			if n.Kind != Bad {
				continue
			}
			k := strings.IndexFunc(n.Text, func(r rune) bool { return !(r == '-' || r < 128 && (unicode.IsLetter(r) || unicode.IsDigit(r))) })
			if k <= 0 || !passwordKey(strings.ToLower(n.Text[:k])) {
				continue
			}
			i := k + len(n.Text[k:]) - len(strings.TrimLeft(n.Text[k:], " \t="))
			if n.Start+i < n.End {
				files[f].Secrets = append(files[f].Secrets, rng(f, n.Start+i, n.End))
			}
		}
	}
	for _, d := range c.Diags {
		doc.Diagnostics = append(doc.Diagnostics, linters.Finding{Rule: d.Rule, Severity: d.Severity, Message: d.Message, At: rng(d.File, d.Start, d.End), Fix: d.Fix})
	}

	delegated := map[*Var]bool{}
	for _, id := range c.Identities() {
		set := func(key string) Assignment { return c.Setting(id.ID, key, nil) }
		hdr := id.Header
		accAt := entryAt(hdr)
		if hdr.Node.Hdr >= 0 {
			h := &hdr.File.Nodes[hdr.Node.Hdr]
			accAt = rng(hdr.File, h.Start, h.End)
		}
		name := id.ID
		if name == "" {
			name = "sendemail"
		}
		acc := &linters.Account{Name: name, At: accAt}

		// From: sendemail.from, else the author's address git would use.
		if a := set("from"); a.Var != nil || a.Dynamic {
			acc.From = linters.Setting[string]{Val: address(a.Value()), Set: a.Var != nil, At: accAt, Dynamic: a.Dynamic}
			if a.Var != nil {
				acc.From.At = valueAt(a.Var)
			}
		} else {
			acc.From = linters.Setting[string]{At: accAt}
			for _, k := range []string{"author.email", "user.email"} {
				w, m := c.last(k, nil)
				if w != nil && w.Node.Bare() {
					w = nil
				}
				if w != nil || m {
					acc.From = linters.Setting[string]{Val: address(valueOf(w)), Set: w != nil, At: accAt, Dynamic: m}
					if w != nil {
						acc.From.At = valueAt(w)
					}
					break
				}
			}
		}

		cmd, server := set("sendmailcmd"), set("smtpserver")
		switch {
		case cmd.Var != nil:
			acc.Delegate = linters.Setting[string]{Val: cmd.Value(), Set: true, At: valueAt(cmd.Var), Dynamic: cmd.Dynamic}
			if !delegated[cmd.Var] {
				delegated[cmd.Var] = true
				note := ""
				if server.Var != nil {
					note = "; smtpServer is not used"
				}
				doc.Diagnostics = append(doc.Diagnostics, linters.Finding{Rule: linters.DelegatedSending.ID, Severity: linters.Info, At: valueAt(cmd.Var),
					Message: fmt.Sprintf("git send-email hands mail to the command %q (sendmailCmd), so the SMTP settings that matter are in that program's configuration%s; run maillint on it too", cmd.Value(), note)})
			}
		case server.Var != nil && isAbsolute(server.Value()):
			acc.Delegate = linters.Setting[string]{Val: server.Value(), Set: true, At: valueAt(server.Var), Dynamic: server.Dynamic || cmd.Dynamic}
			if !delegated[server.Var] {
				delegated[server.Var] = true
				doc.Diagnostics = append(doc.Diagnostics, linters.Finding{Rule: linters.DelegatedSending.ID, Severity: linters.Info, At: valueAt(server.Var),
					Message: fmt.Sprintf("smtpServer is a path, so git send-email hands mail to %s and the SMTP settings that matter are in that program's configuration%s; run maillint on it too",
						server.Value(), c.ignoredNote(server.Var.Prefix))})
			}
		case server.Var != nil || server.Dynamic:
			acc.SMTP = c.endpoint(id.ID, accAt, m)
			acc.SMTP.Host.Dynamic = acc.SMTP.Host.Dynamic || cmd.Dynamic
		}
		doc.Accounts = append(doc.Accounts, acc)
	}
	return doc
}

func valueOf(v *Var) string {
	if v == nil {
		return ""
	}
	return v.Node.Value
}

// ignoredNote lists the SMTP settings of a section that a sendmail-like
// program makes irrelevant.
func (c *Config) ignoredNote(prefix string) string {
	var keys []string
	seen := map[string]bool{}
	for _, v := range c.Vars {
		if v.Opaque || v.Prefix != prefix || seen[v.Key] {
			continue
		}
		switch v.Key {
		case "smtpserverport", "smtpencryption", "smtpuser", "smtppass", "smtpauth", "smtpsslcertpath":
			seen[v.Key] = true
			keys = append(keys, sendemailKeys[v.Key])
		}
	}
	if len(keys) == 0 {
		return ""
	}
	return "; " + strings.Join(keys, ", ") + " here " + map[bool]string{true: "is", false: "are"}[len(keys) == 1] + " not used"
}

// endpoint builds the SMTP endpoint of identity id (its server is a host).
func (c *Config) endpoint(id string, accAt linters.Range, m *mapper) *linters.Endpoint {
	valueAt, entryAt := m.valueAt, m.entryAt
	set := func(key string) Assignment { return c.Setting(id, key, nil) }
	ep := &linters.Endpoint{Protocol: linters.SMTP, At: accAt}
	server := set("smtpserver")
	if server.Var != nil {
		ep.At = entryAt(server.Var)
		ep.Host = linters.Setting[string]{Val: server.Value(), Set: true, At: valueAt(server.Var), Dynamic: server.Dynamic}
	} else {
		ep.Host = linters.Setting[string]{At: ep.At, Dynamic: true}
	}
	str := func(a Assignment) linters.Setting[string] {
		if a.Var == nil {
			return linters.Setting[string]{At: ep.At, Dynamic: a.Dynamic}
		}
		return linters.Setting[string]{Val: a.Value(), Set: true, At: valueAt(a.Var), Dynamic: a.Dynamic}
	}

	enc := set("smtpencryption")
	ep.Security = linters.Setting[linters.Security]{Val: linters.SecurityNone, At: ep.At, Dynamic: enc.Dynamic}
	if enc.Var != nil {
		ep.Security.Set, ep.Security.At = true, valueAt(enc.Var)
		switch enc.Value() {
		case "ssl":
			ep.Security.Val = linters.SecurityImplicitTLS
		case "tls":
			ep.Security.Val = linters.SecurityStartTLS
		}
	}

	port := set("smtpserverport")
	n, zero, ok := parsePort(port.Value())
	switch {
	case port.Var != nil && !zero:
		ep.Port = linters.Setting[int]{Val: n, Set: true, At: valueAt(port.Var), Dynamic: port.Dynamic || !ok}
	default:
		ep.Port = linters.Setting[int]{Val: defaultPort(enc.Value()), At: ep.At, Dynamic: port.Dynamic || enc.Dynamic}
	}

	cert := set("smtpsslcertpath")
	ep.CertCheck = linters.Setting[bool]{Val: true, At: ep.At, Dynamic: cert.Dynamic}
	if cert.Var != nil {
		ep.CertCheck.Val, ep.CertCheck.Set, ep.CertCheck.At = cert.Value() != "", true, valueAt(cert.Var)
	}

	// git send-email authenticates when smtpUser is set, unless smtpAuth
	// is "none"; the password is smtpPass or comes from git credential.
	user, auth := set("smtpuser"), set("smtpauth")
	none := auth.Var != nil && auth.Value() == "none"
	ep.User = str(user)
	ep.Auth = linters.Setting[bool]{Val: user.Var != nil && !none, Set: user.Var != nil || auth.Var != nil, At: ep.At, Dynamic: user.Dynamic || auth.Dynamic}
	switch {
	case none:
		ep.Auth.At = valueAt(auth.Var)
	case user.Var != nil:
		ep.Auth.At = valueAt(user.Var)
	}
	if auth.Var != nil && !none {
		// git send-email takes a list separated by spaces, in any case.
		ep.AuthMech = linters.Setting[string]{Val: strings.Join(strings.Fields(strings.ToLower(auth.Value())), " "), Set: true, At: valueAt(auth.Var), Dynamic: auth.Dynamic}
	} else {
		ep.AuthMech = linters.Setting[string]{At: ep.At, Dynamic: auth.Dynamic}
	}
	if pass := set("smtppass"); pass.Var != nil {
		n := pass.Var.Node
		ep.Password = linters.Password{Kind: linters.PasswordInline, At: m.rng(pass.Var.File, n.KeyStart, n.KeyEnd)}
		vs, ve, raw := n.ValStart, n.ValEnd, n.Plain
		if n.QuotedValue {
			vs, ve, raw = vs+1, ve-1, true
		}
		ep.Password.Value, ep.Password.Raw = m.rng(pass.Var.File, vs, ve), raw
	} else if user.Var != nil && !none {
		ep.Password = linters.Password{Kind: linters.PasswordExternal, At: valueAt(user.Var)}
	}
	ep.Writer = &writer{cfg: c, id: id}
	return ep
}

// mapper converts offsets of parsed files to Ranges of the model.
type mapper struct {
	files map[*File]*linters.SourceFile
}

func (m *mapper) rng(f *File, start, end int) linters.Range {
	return m.files[f].Index.Range(start, end)
}

// valueAt is where findings about a value are shown (see valueSpan).
func (m *mapper) valueAt(v *Var) linters.Range {
	s, e := valueSpan(v.Node)
	return m.rng(v.File, s, e)
}

// entryAt is the whole assignment: key to the end of the value.
func (m *mapper) entryAt(v *Var) linters.Range {
	return m.rng(v.File, v.Node.KeyStart, max(v.Node.KeyEnd, v.Node.ValEnd))
}

// passwordKey reports whether a key holds a password: smtpPass, or a key
// that looks like a misspelled one (smtpPassword, smtpPas), masked all the
// same.
func passwordKey(key string) bool {
	if key == "smtppass" {
		return true
	}
	_, known := sendemailKeys[key]
	return !known && linters.SecretLike(key, "smtppass", "password")
}
