package thunderbird

import (
	"bytes"
	"io/fs"
	"strings"

	"github.com/maillint/maillint/linters"
)

// Server is one modelled outgoing or incoming server of a profile.
type Server struct {
	// Family is famSMTP or famServer; Key the server key (smtp1, server2).
	Family, Key string
	// Endpoint is the server in maillint's model.
	Endpoint *linters.Endpoint
}

// Prefix is the start of every pref name of the server: "mail.smtpserver.smtp1.".
func (s *Server) Prefix() string { return s.Family + s.Key + "." }

// builder maps a Profile onto maillint's model.
type builder struct {
	p       *Profile
	doc     *linters.Document
	ix      map[*File]*linters.LineIndex
	smtp    map[string]*Server
	imap    map[string]*Server
	servers []*Server
}

// document builds the Document of a profile. files are the SourceFiles
// (with their modes) of p.Files in the same order; extra are files read
// before them (profiles.ini) that come first in the Document.
func document(p *Profile, modes []fs.FileMode, extra ...*linters.SourceFile) (*linters.Document, []*Server) {
	b := &builder{p: p, doc: &linters.Document{Format: Name}, ix: map[*File]*linters.LineIndex{},
		smtp: map[string]*Server{}, imap: map[string]*Server{}}
	b.doc.Files = append(b.doc.Files, extra...)
	for i, f := range p.Files {
		src := f.data
		if src == nil {
			src = f.Bytes()
		}
		ix := linters.NewLineIndex(f.Path, src)
		b.ix[f] = ix
		sf := &linters.SourceFile{Path: f.Path, Src: src, Index: ix}
		if i < len(modes) {
			sf.Mode = modes[i]
		}
		for j := range f.Prefs {
			pr := &f.Prefs[j]
			if isSecretName(pr.Name) && pr.Value.Type == TypeString && pr.Value.Str != "" {
				s, e := f.StringRange(pr.ValLast)
				sf.Secrets = append(sf.Secrets, ix.Range(s, e))
				sf.Passwords = append(sf.Passwords, ix.Range(s, e))
			}
		}
		maskBrokenSecrets(f, sf)
		b.doc.Files = append(b.doc.Files, sf)
	}
	for _, d := range p.diags {
		fd := linters.Finding{Rule: d.rule, Severity: linters.Error, Message: d.msg, At: b.ix[d.file].Range(d.start, d.end)}
		if r := linters.Lookup(d.rule); r != nil {
			fd.Severity = r.Severity
		}
		if d.fix != nil {
			fx := &linters.Fix{Message: d.fix.msg}
			if d.fix.unsafe {
				fx.Applicability = linters.Unsafe
			}
			for _, e := range d.fix.edits {
				fx.Edits = append(fx.Edits, linters.TextEdit{Path: e.file.Path, Start: e.start, End: e.end, New: e.text})
			}
			fd.Fix = fx
		}
		b.doc.Diagnostics = append(b.doc.Diagnostics, fd)
	}
	b.accounts()
	return b.doc, b.servers
}

// isSecretName reports whether a pref holds a password (old Mozilla
// versions stored mail.server.<key>.password; Thunderbird keeps passwords in
// logins.json, so any such pref is a leak): a mail.* pref whose last part
// is "password" in any case, or a misspelling of it (pasword, passwd), or
// holds "passw" or "pwd". (Not linters.SecretLike's "pas": Thunderbird has
// prefs such as ...pasteAsQuotation.)
func isSecretName(name string) bool {
	const prefix = "mail."
	if len(name) < len(prefix) || !lowerASCIIEqual(name[:len(prefix)], prefix) {
		return false
	}
	last := name[strings.LastIndexByte(name, '.')+1:]
	if lowerASCIIEqual(last, "password") {
		return true
	}
	// Every string token of a prefs.js is asked: lower-case short names
	// without allocating, and measure the edit distance only for names of
	// 6-10 bytes that start with p (typos keep the first letter).
	if len(last) > 32 {
		return false
	}
	var buf [32]byte
	l := buf[:len(last)]
	for i := range l {
		c := last[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		l[i] = c
	}
	return bytes.Contains(l, []byte("passw")) || bytes.Contains(l, []byte("pwd")) || string(l) == "passwd" ||
		len(l) >= 6 && len(l) <= 10 && l[0] == 'p' && linters.EditDistance(string(l), "password", 2) <= 2
}

// lowerASCIIEqual reports whether s with ASCII upper-case letters
// lower-cased is lower.
func lowerASCIIEqual(s, lower string) bool {
	if len(s) != len(lower) {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != lower[i] {
			return false
		}
	}
	return true
}

func (b *builder) stmtRange(a *Assign) linters.Range {
	return b.ix[a.File].Range(a.File.PrefStart(a.Pref), a.File.PrefEnd(a.Pref))
}

// valRange is where a value is shown: inside the quotes of a string, the
// literal (sign included) otherwise.
func (b *builder) valRange(a *Assign) linters.Range {
	f := a.File
	if a.Pref.Value.Type == TypeString {
		s, e := f.StringRange(a.Pref.ValLast)
		return b.ix[f].Range(s, e)
	}
	s, e := f.ValueRange(a.Pref)
	return b.ix[f].Range(s, e)
}

func (b *builder) nameRange(a *Assign) linters.Range {
	s, e := a.File.StringRange(a.Pref.NameTok)
	return b.ix[a.File].Range(s, e)
}

// firstWithPrefix returns the first statement (in load order) of a pref
// whose name starts with prefix.
func (b *builder) firstWithPrefix(prefix string) *Assign {
	var best *Assign
	for _, name := range b.p.names {
		if !strings.HasPrefix(name, prefix) {
			continue
		}
		if a := b.p.entries[name].All[0]; best == nil || a.Seq < best.Seq {
			best = a
		}
	}
	return best
}

// intSetting reads an integer attribute through a chain of statements (the
// server's own pref, then the family's default pref): the first one
// Thunderbird can read gives the value; none gives def. The range is that
// of the first statement written, readable or not, so a fix replaces it.
func (b *builder) intSetting(chain []*Assign, def int64, at linters.Range) (val int64, set bool, rng linters.Range) {
	rng = at
	first := true
	for _, a := range chain {
		if a == nil {
			continue
		}
		if first {
			rng, first = b.valRange(a), false
		}
		if v, ok := readInt(a); ok {
			return v, true, rng
		}
	}
	return def, false, rng
}

// strSetting is intSetting for strings.
func (b *builder) strSetting(chain []*Assign, at linters.Range) linters.Setting[string] {
	s := linters.Setting[string]{At: at}
	first := true
	for _, a := range chain {
		if a == nil {
			continue
		}
		if first {
			s.At, first = b.valRange(a), false
		}
		if v, ok := readString(a); ok {
			s.Val, s.Set = v, true
			return s
		}
	}
	return s
}

// unsetAt is where an attribute without a value is shown: the value of a
// statement libpref drops for its value, else at.
func (b *builder) unsetAt(fam, key, attr string, at linters.Range) linters.Range {
	if bad := b.p.broken[fam+key+"."+attr]; bad != nil {
		t := &bad.File.Tokens[bad.Tok]
		return b.ix[bad.File].Range(t.Offset, t.End())
	}
	return at
}

func securityOf(v int64) linters.Security {
	switch v {
	case 0:
		return linters.SecurityNone
	case 1:
		return linters.SecurityStartTLSOptional
	case 2:
		return linters.SecurityStartTLS
	case 3:
		return linters.SecurityImplicitTLS
	}
	return linters.SecurityUnknown
}

// authMechs maps Thunderbird's authMethod (MailNewsTypes2.idl) to the
// mechanism names of the model.
var authMechs = map[int64]string{3: "plain", 4: "cram-md5", 5: "gssapi", 6: "ntlm", 7: "external", 10: "xoauth2"}

// defaultPort is the port Thunderbird uses when none is set.
func defaultPort(proto linters.Protocol, s linters.Security) int {
	if proto == linters.IMAP {
		if s == linters.SecurityImplicitTLS {
			return 993
		}
		return 143
	}
	if s == linters.SecurityImplicitTLS {
		return 465
	}
	return 587
}

// smtpServer builds (once) the endpoint of mail.smtpserver.<key>; ref is
// where the server is named, for a server without prefs of its own.
func (b *builder) smtpServer(key string, ref linters.Range) *Server {
	if s, ok := b.smtp[key]; ok {
		return s
	}
	p := b.p
	at := ref
	anchor := p.attr(famSMTP, key, "hostname")
	if anchor == nil {
		anchor = b.firstWithPrefix(famSMTP + key + ".")
	}
	if anchor != nil {
		at = b.stmtRange(anchor)
	}
	ep := &linters.Endpoint{Protocol: linters.SMTP, At: at}
	// SmtpServer.sys.mjs: hostname, port and username have no fallback;
	// try_ssl and authMethod fall back to mail.smtpserver.default.
	ep.Host = b.strSetting([]*Assign{p.attr(famSMTP, key, "hostname")}, b.unsetAt(famSMTP, key, "hostname", at))
	v, set, rng := b.intSetting([]*Assign{p.attr(famSMTP, key, "try_ssl"), p.attr(famSMTP, "default", "try_ssl")}, 0, b.unsetAt(famSMTP, key, "try_ssl", at))
	ep.Security = linters.Setting[linters.Security]{Val: securityOf(v), Set: set, At: rng}
	v, set, rng = b.intSetting([]*Assign{p.attr(famSMTP, key, "port")}, 0, b.unsetAt(famSMTP, key, "port", at))
	if v == 0 {
		// SmtpClient: port 0 or unset means 465 for try_ssl 3, else 587.
		ep.Port = linters.Setting[int]{Val: defaultPort(linters.SMTP, ep.Security.Val), At: rng}
	} else {
		ep.Port = linters.Setting[int]{Val: int(v), Set: set, At: rng}
	}
	v, set, rng = b.intSetting([]*Assign{p.attr(famSMTP, key, "authMethod"), p.attr(famSMTP, "default", "authMethod")}, 3, b.unsetAt(famSMTP, key, "authMethod", at))
	ep.Auth = linters.Setting[bool]{Val: v != 1, Set: set, At: rng}
	if m, ok := authMechs[v]; ok && set {
		ep.AuthMech = linters.Setting[string]{Val: m, Set: true, At: rng}
	} else {
		ep.AuthMech = linters.Setting[string]{At: rng}
	}
	ep.User = b.strSetting([]*Assign{p.attr(famSMTP, key, "username")}, b.unsetAt(famSMTP, key, "username", at))
	ep.CertCheck = linters.Setting[bool]{Val: true, At: at}
	b.password(ep, famSMTP+key+".password")
	s := &Server{Family: famSMTP, Key: key, Endpoint: ep}
	ep.Writer = &writer{p: p, srv: s}
	b.smtp[key] = s
	b.servers = append(b.servers, s)
	return s
}

// imapServer builds (once) the endpoint of mail.server.<key>, or returns
// nil when the server is not an IMAP server.
func (b *builder) imapServer(key string, ref linters.Range) *Server {
	if s, ok := b.imap[key]; ok {
		return s
	}
	p := b.p
	b.imap[key] = nil
	typ, _ := readString(p.attr(famServer, key, "type"))
	if typ == "" {
		typ, _ = readString(p.attr(famServer, "default", "type"))
	}
	if typ != "imap" {
		return nil
	}
	at := ref
	anchor := p.attr(famServer, key, "hostname")
	if anchor == nil {
		anchor = b.firstWithPrefix(famServer + key + ".")
	}
	if anchor != nil {
		at = b.stmtRange(anchor)
	}
	ep := &linters.Endpoint{Protocol: linters.IMAP, At: at}
	// nsMsgIncomingServer: every value falls back to mail.server.default.
	ep.Host = b.strSetting([]*Assign{p.attr(famServer, key, "hostname"), p.attr(famServer, "default", "hostname")}, b.unsetAt(famServer, key, "hostname", at))
	own := p.attr(famServer, key, "socketType")
	v, set, rng := b.intSetting([]*Assign{own}, 0, b.unsetAt(famServer, key, "socketType", at))
	shown := own != nil || p.broken[famServer+key+".socketType"] != nil
	if !set {
		// GetSocketType: a legacy isSecure=true means SSL, before the default.
		if sec := p.attr(famServer, key, "isSecure"); sec != nil && sec.Pref.Value.Type == TypeBool && sec.Pref.Value.Bool {
			v, set = 3, true
			if !shown {
				rng = b.valRange(sec)
			}
		} else {
			var r2 linters.Range
			v, set, r2 = b.intSetting([]*Assign{p.attr(famServer, "default", "socketType")}, 0, at)
			if !shown {
				rng = r2
			}
		}
	}
	ep.Security = linters.Setting[linters.Security]{Val: securityOf(v), Set: set, At: rng}
	v, set, rng = b.intSetting([]*Assign{p.attr(famServer, key, "port"), p.attr(famServer, "default", "port")}, -1, b.unsetAt(famServer, key, "port", at))
	if v == -1 {
		ep.Port = linters.Setting[int]{Val: defaultPort(linters.IMAP, ep.Security.Val), At: rng}
	} else {
		ep.Port = linters.Setting[int]{Val: int(v), Set: set, At: rng}
	}
	v, set, rng = b.intSetting([]*Assign{p.attr(famServer, key, "authMethod"), p.attr(famServer, "default", "authMethod")}, 3, at)
	ep.Auth = linters.Setting[bool]{Val: true, At: at} // an IMAP client always logs in
	if m, ok := authMechs[v]; ok && set {
		ep.AuthMech = linters.Setting[string]{Val: m, Set: true, At: rng}
	} else {
		ep.AuthMech = linters.Setting[string]{At: rng}
	}
	ep.User = b.strSetting([]*Assign{p.attr(famServer, key, "userName"), p.attr(famServer, "default", "userName")}, b.unsetAt(famServer, key, "userName", at))
	ep.CertCheck = linters.Setting[bool]{Val: true, At: at}
	b.password(ep, famServer+key+".password")
	s := &Server{Family: famServer, Key: key, Endpoint: ep}
	ep.Writer = &writer{p: p, srv: s}
	b.imap[key] = s
	b.servers = append(b.servers, s)
	return s
}

func (b *builder) password(ep *linters.Endpoint, name string) {
	if a := b.p.Effective(name); a != nil && a.Pref.Value.Type == TypeString && a.Pref.Value.Str != "" {
		ep.Password = linters.Password{Kind: linters.PasswordInline, At: b.nameRange(a)}
	}
}

// keysOf lists the keys of a family with prefs written, without "default".
func (b *builder) keysOf(fam string) []string {
	var out []string
	for _, k := range b.p.keys[fam] {
		if k != "default" {
			out = append(out, k)
		}
	}
	return out
}

// accounts builds one Account per mail.account (its IMAP server and the SMTP
// server of its first identity), one per further identity that sends
// through another SMTP server, and one per SMTP server reached by neither.
func (b *builder) accounts() {
	p := b.p
	firstRange := linters.Range{}
	if len(p.Files) > 0 {
		firstRange = b.ix[p.Files[0]].Range(0, 0)
	}
	rangeOf := func(name string, def linters.Range) linters.Range {
		if a := p.Effective(name); a != nil {
			return b.stmtRange(a)
		}
		return def
	}

	// Outgoing servers Thunderbird knows: mail.smtpservers; a fragment
	// without it (a user.js) is read as if it listed every server it has.
	smtpKeys := b.keysOf(famSMTP)
	if p.Entry("mail.smtpservers") != nil {
		smtpKeys = list(p.str("mail.smtpservers"))
	}
	smtpRef := rangeOf("mail.smtpservers", firstRange)
	defKey := p.str("mail.smtp.defaultserver")
	if defKey == "" && len(smtpKeys) > 0 {
		defKey = smtpKeys[0]
	}
	known := func(k string) bool {
		if k == "" || k == "default" {
			return false
		}
		for _, s := range smtpKeys {
			if s == k {
				return true
			}
		}
		for _, s := range b.keysOf(famSMTP) {
			if s == k {
				return true
			}
		}
		return false
	}
	identitySMTP := func(id string) (string, linters.Range) {
		name := "mail.identity." + id + ".smtpServer"
		if k := p.str(name); k != "" {
			return k, rangeOf(name, smtpRef)
		}
		return defKey, rangeOf("mail.smtp.defaultserver", smtpRef)
	}
	from := func(id string, def linters.Range) linters.Setting[string] {
		return b.strSetting([]*Assign{p.Effective("mail.identity." + id + ".useremail")}, def)
	}

	accKeys := []string{}
	fragment := p.Entry("mail.accountmanager.accounts") == nil
	if !fragment {
		accKeys = list(p.str("mail.accountmanager.accounts"))
	} else {
		seen := map[string]bool{}
		for _, name := range p.names {
			rest, ok := strings.CutPrefix(name, "mail.account.")
			if !ok {
				continue
			}
			k, attr, _ := strings.Cut(rest, ".")
			if (attr == "server" || attr == "identities") && !seen[k] {
				seen[k] = true
				accKeys = append(accKeys, k)
			}
		}
	}
	for _, a := range accKeys {
		accAt := rangeOf("mail.account."+a+".server", rangeOf("mail.account."+a+".identities", rangeOf("mail.accountmanager.accounts", firstRange)))
		acc := &linters.Account{Name: a, At: accAt, From: linters.Setting[string]{At: accAt}}
		if k := p.str("mail.account." + a + ".server"); k != "" {
			if s := b.imapServer(k, accAt); s != nil {
				acc.IMAP = s.Endpoint
			}
		}
		ids := list(p.str("mail.account." + a + ".identities"))
		firstKey := ""
		var extras []*linters.Account
		for i, id := range ids {
			k, ref := identitySMTP(id)
			if !known(k) {
				continue
			}
			if i == 0 {
				firstKey = k
				acc.From = from(id, accAt)
				acc.SMTP = b.smtpServer(k, ref).Endpoint
				continue
			}
			if k == firstKey {
				continue
			}
			idAt := rangeOf("mail.identity."+id+".smtpServer", accAt)
			extras = append(extras, &linters.Account{Name: a + "/" + id, At: idAt, From: from(id, idAt), SMTP: b.smtpServer(k, ref).Endpoint})
		}
		if acc.SMTP != nil || acc.IMAP != nil {
			b.doc.Accounts = append(b.doc.Accounts, acc)
		}
		b.doc.Accounts = append(b.doc.Accounts, extras...)
	}
	for _, k := range smtpKeys {
		if _, done := b.smtp[k]; done || !known(k) {
			continue
		}
		s := b.smtpServer(k, smtpRef)
		b.doc.Accounts = append(b.doc.Accounts, &linters.Account{Name: k, At: s.Endpoint.At, From: linters.Setting[string]{At: s.Endpoint.At}, SMTP: s.Endpoint})
	}
	if fragment {
		for _, k := range b.keysOf(famServer) {
			if _, done := b.imap[k]; done {
				continue
			}
			if s := b.imapServer(k, firstRange); s != nil {
				b.doc.Accounts = append(b.doc.Accounts, &linters.Account{Name: k, At: s.Endpoint.At, From: linters.Setting[string]{At: s.Endpoint.At}, IMAP: s.Endpoint})
			}
		}
	}
}

// maskBrokenSecrets masks the value after the name of a password pref in
// the statements libpref rejects (an unterminated string, a bare word, a
// number): they are not in f.Prefs, but the bytes are still the password
// and the findings about them show the line.
func maskBrokenSecrets(f *File, sf *linters.SourceFile) {
	next := func(i int) int {
		for i++; i < len(f.Tokens); i++ {
			if k := f.Tokens[i].Kind; k != TokSpace && k != TokComment {
				return i
			}
		}
		return -1
	}
	masked := map[int]bool{}
	for _, r := range sf.Secrets {
		masked[r.Start.Offset] = true
	}
	for i := range f.Tokens {
		t := &f.Tokens[i]
		if t.Kind != TokString || !isSecretName(f.Str(i)) {
			continue
		}
		// The value follows the name's comma, or the name itself when the
		// comma is missing (a statement libpref rejects).
		v := next(i)
		if v >= 0 && f.Tokens[v].Kind == TokPunct {
			if f.Text(v) != "," {
				continue
			}
			v = next(v)
		}
		if v < 0 || f.Tokens[v].Kind == TokPunct {
			continue
		}
		start, end := f.Tokens[v].Offset, f.Tokens[v].Offset
		if f.Tokens[v].Kind == TokString {
			start, end = f.StringRange(v)
		} else {
			// Up to the statement's end: ")", ";" or the line end.
			for k := v; k >= 0 && k < len(f.Tokens); k = next(k) {
				tk := &f.Tokens[k]
				if tk.Kind == TokPunct && (f.Text(k) == ")" || f.Text(k) == ";") || strings.ContainsAny(f.src[end:tk.Offset], "\r\n") {
					break
				}
				end = tk.End()
			}
		}
		if start < end && !masked[start] {
			sf.Secrets = append(sf.Secrets, sf.Index.Range(start, end))
		}
	}
}
