package mutt

import (
	"fmt"
	"net/mail"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/maillint/maillint/linters"
)

// acctState is the state of the variables for one account: the state
// after reading the files, or that state changed by a hook's command.
type acctState struct {
	name string
	at   linters.Range
	st   *state
	// hooks are the hooks whose commands changed st, in the order run.
	hooks []*hookDef
}

// accountStates returns the accounts of a configuration. The first is the
// state after reading the files, changed by the account-hooks that match
// its servers. Each other hook whose command sets a variable of the model
// (a folder-hook switching accounts, a send-hook changing smtp_url) gives
// one more account: that state changed by the hook's command and by the
// account-hooks that match. An account-hook that matches no account gives
// its own.
func (e *evaluator) accountStates(g *state, at linters.Range) []acctState {
	var acct, other []*hookDef
	for _, h := range e.hooks {
		if h.kind == "account-hook" {
			acct = append(acct, h)
		} else {
			other = append(other, h)
		}
	}
	used := make([]bool, len(acct))
	applyAcct := func(st *state, urls []string) []*hookDef {
		var ran []*hookDef
		for i, h := range acct {
			if hookMatches(h, urls) {
				used[i] = true
				e.runHook(st, h)
				ran = append(ran, h)
			}
		}
		return ran
	}
	gst := g.clone()
	ran := applyAcct(gst, accountURLs(gst))
	out := []acctState{{name: "global", at: at, st: gst, hooks: ran}}
	for _, h := range other {
		probe := g.clone()
		e.runHook(probe, h)
		if !touchesModel(probe) {
			continue
		}
		urls := accountURLs(probe)
		if h.kind == "folder-hook" && !probe.touched["folder"] {
			// The folder opened is one the hook's pattern matches, not $folder.
			urls = append([]string{h.pattern}, accountURLs(onlySMTP(probe))...)
		}
		// The account-hooks of the servers fill in what the hook does not
		// set (typically the login); what the hook sets wins.
		hs := g.clone()
		ran := applyAcct(hs, urls)
		e.runHook(hs, h)
		out = append(out, acctState{name: h.kind + " " + printable(h.pattern), at: h.at, st: hs, hooks: append(ran, h)})
	}
	for i, h := range acct {
		if used[i] {
			continue
		}
		hs := g.clone()
		e.runHook(hs, h)
		if touchesModel(hs) {
			out = append(out, acctState{name: h.kind + " " + printable(h.pattern), at: h.at, st: hs, hooks: []*hookDef{h}})
		}
	}
	return out
}

// onlySMTP returns a copy of st without its mailboxes, for the URLs of its
// SMTP server alone.
func onlySMTP(st *state) *state {
	n := st.clone()
	empty := &value{typ: varString, s: &rstr{}}
	n.vars["folder"], n.vars["spool_file"] = empty, empty
	return n
}

func (e *evaluator) runHook(st *state, h *hookDef) {
	e.runLine(st, h.file, h.body, nil, true, 1)
}

func touchesModel(st *state) bool {
	for k := range st.touched {
		if relevantVars[k] {
			return true
		}
	}
	return false
}

// accountURLs lists the server URLs of a state that an account-hook's
// regular expression is matched against.
func accountURLs(st *state) []string {
	var out []string
	for _, name := range []string{"folder", "spool_file", "smtp_url"} {
		v := st.get(name)
		if v.dyn != "" || v.s == nil || v.s.len() == 0 {
			continue
		}
		s := v.s.String()
		out = append(out, s)
		if u, ok := parseMailURL(v.s); ok && u.Err == "" {
			out = append(out, u.Scheme+"://"+string(v.s.b[u.host[0]:u.host[1]])+"/")
			if u.hasUser {
				out = append(out, u.Scheme+"://"+string(v.s.b[u.user[0]:u.user[1]])+"@"+string(v.s.b[u.host[0]:u.host[1]])+"/")
			}
		}
	}
	return out
}

// hookMatches reports whether an account-hook's pattern matches one of the
// URLs (mutt matches a POSIX regular expression, case-sensitively).
func hookMatches(h *hookDef, urls []string) bool {
	for _, u := range urls {
		if u == h.pattern {
			return !h.not // account-hook $folder "...": the same value
		}
	}
	if strings.IndexByte(h.pattern, 0) >= 0 || len(urls) == 0 {
		return false
	}
	re, err := regexp.Compile(h.pattern)
	if err != nil {
		return false
	}
	for _, u := range urls {
		if re.MatchString(u) != h.not {
			return true
		}
	}
	return false
}

// document maps what the evaluator read onto maillint's model.
func (e *evaluator) document(g *state) *linters.Document {
	main := e.files[0]
	at := main.sf.Index.Range(0, 0)
	for _, lg := range main.file.Logical {
		if len(lg.Commands) > 0 {
			c := lg.Commands[0]
			at = main.sf.Index.Range(lg.Offset(c.Start), lg.Offset(c.End-1)+1)
			break
		}
	}
	doc := &linters.Document{Format: Name}
	e.states = e.accountStates(g, at)
	for _, as := range e.states {
		doc.Accounts = append(doc.Accounts, e.account(as))
	}
	for _, f := range e.files {
		doc.Files = append(doc.Files, f.sf)
	}
	e.settleRenames()
	doc.Diagnostics = e.diags
	return doc
}

// valueAt is where a value is written: its value word, or the variable
// name of a boolean; def when it is the default.
func (e *evaluator) valueAt(v *value, def linters.Range) linters.Range {
	switch {
	case v.asg != nil && v.asg.valW != [2]int{}:
		return e.shown(v.asg.file, v.asg.src, v.asg.valW[0], v.asg.valW[1])
	case v.asg != nil:
		return e.shown(v.asg.file, v.asg.src, v.asg.prefix[0], v.asg.nameW[1])
	case v.dynAt != nil:
		return *v.dynAt
	}
	return def
}

// account builds one account of the model.
func (e *evaluator) account(as acctState) *linters.Account {
	st := as.st
	acc := &linters.Account{Name: as.name, At: as.at}
	from := st.get("from")
	acc.From = linters.Setting[string]{At: e.valueAt(from, as.at), Set: from.asg != nil}
	if from.dyn != "" {
		acc.From.Dynamic = true
	} else if d, _ := from.s.dynamic(0, from.s.len()); d {
		acc.From.Dynamic = true
	} else {
		acc.From.Val = address(from.s.String())
	}

	smtp := st.get("smtp_url")
	switch {
	case smtp.dyn != "":
		ep := &linters.Endpoint{Protocol: linters.SMTP, At: e.valueAt(smtp, as.at)}
		ep.Host = linters.Setting[string]{At: ep.At, Dynamic: true}
		ep.Port = linters.Setting[int]{At: ep.At, Dynamic: true}
		ep.Security = linters.Setting[linters.Security]{At: ep.At, Dynamic: true}
		ep.CertCheck = linters.Setting[bool]{Val: true, At: ep.At, Dynamic: true}
		ep.Auth = linters.Setting[bool]{At: ep.At, Dynamic: true}
		ep.AuthMech = linters.Setting[string]{At: ep.At, Dynamic: true}
		ep.User = linters.Setting[string]{At: ep.At, Dynamic: true}
		acc.SMTP = ep
		e.diag("dynamic-value", linters.Info, ep.At, nil, "smtp_url %s; the SMTP server is not checked", smtp.dyn)
	case smtp.s.len() == 0:
		sm := st.get("sendmail")
		acc.Delegate = linters.Setting[string]{At: e.valueAt(sm, as.at), Set: sm.asg != nil}
		if sm.dyn != "" {
			acc.Delegate.Dynamic = true
		} else {
			acc.Delegate.Val = sm.s.String()
			if d, _ := sm.s.dynamic(0, sm.s.len()); d {
				acc.Delegate.Dynamic = true
			}
		}
		if sm.asg != nil && !acc.Delegate.Dynamic {
			prog := program(acc.Delegate.Val)
			where := prog + "'s configuration"
			if prog == "msmtp" || prog == "msmtpq" || prog == "msmtp-enqueue.sh" {
				where = "msmtp's configuration (~/.msmtprc or ~/.config/msmtp/config)"
			}
			e.diag("delegated-sending", linters.Info, acc.Delegate.At, nil,
				"mutt hands outgoing mail to %s (sendmail) instead of sending it itself; the SMTP settings are checked in %s, not here", prog, where)
		}
	default:
		acc.SMTP = e.endpoint(linters.SMTP, st, "smtp_url", smtp)
	}

	for _, name := range []string{"folder", "spool_file"} {
		v := st.get(name)
		if v.dyn != "" || v.s == nil {
			continue
		}
		u, ok := parseMailURL(v.s)
		if !ok {
			continue
		}
		if d, _ := v.s.dynamic(u.scheme[0], u.scheme[1]); !d && u.Scheme != "imap" && u.Scheme != "imaps" {
			continue
		}
		acc.IMAP = e.endpoint(linters.IMAP, st, name, v)
		break
	}
	return acc
}

// address extracts the address of a From value ("Name <a@b>" or "a@b").
func address(s string) string {
	s = strings.TrimSpace(s)
	if a, err := mail.ParseAddress(s); err == nil {
		return a.Address
	}
	if i := strings.LastIndexByte(s, '<'); i >= 0 {
		if j := strings.IndexByte(s[i:], '>'); j > 0 {
			return strings.TrimSpace(s[i+1 : i+j])
		}
	}
	return s
}

// program returns the name of the program a sendmail value runs.
func program(cmd string) string {
	f := strings.Fields(cmd)
	if len(f) == 0 {
		return cmd
	}
	return filepath.Base(f[0])
}

// endpoint builds the endpoint of a URL variable (smtp_url, folder).
func (e *evaluator) endpoint(proto linters.Protocol, st *state, name string, v *value) *linters.Endpoint {
	s := v.s
	whole := e.valueAt(v, linters.Range{})
	file := -1
	if v.asg != nil {
		file = v.asg.file
	}
	u, ok := parseMailURL(s)
	if !ok {
		if d, _ := s.dynamic(0, s.len()); d {
			e.diag("dynamic-value", linters.Info, whole, nil, "%s depends on %s; the %s server is not checked", name, dynWhy(s), slot(proto))
			return nil
		}
		e.diag("syntax", linters.Error, whole, nil, "%s must be a URL such as smtps://user%%40example.org@smtp.example.org:465; mutt cannot send mail with this value", name)
		return nil
	}
	schemeDyn, schemeWhy := s.dynamic(u.scheme[0], u.scheme[1])
	if !schemeDyn {
		wantSchemes := []string{"smtp", "smtps"}
		if proto == linters.IMAP {
			wantSchemes = []string{"imap", "imaps"}
		}
		if u.Scheme != wantSchemes[0] && u.Scheme != wantSchemes[1] {
			at := e.shown(file, s, u.scheme[0], u.scheme[1])
			var fix *linters.Fix
			if best := closest(u.Scheme, wantSchemes); best != "" {
				if te, ok := e.edit(file, s, u.scheme[0], u.scheme[1], best); ok {
					fix = &linters.Fix{Message: "write " + best + "://", Applicability: linters.Unsafe, Edits: []linters.TextEdit{te}}
				}
			}
			e.diag("syntax", linters.Error, at, fix, "%s must start with %s:// or %s://, not %s://; mutt refuses to send mail",
				name, wantSchemes[0], wantSchemes[1], printable(string(s.b[u.scheme[0]:u.scheme[1]])))
			return nil
		}
	}
	if u.Err != "" {
		e.diag("syntax", linters.Error, whole, nil, "%s is not a valid URL (%s); mutt cannot use it", name, u.Err)
		return nil
	}
	shown := func(r [2]int) linters.Range {
		if file < 0 {
			return whole
		}
		if r[0] == r[1] {
			a, _ := s.shownAt(r[0], r[0])
			if r[0] > 0 {
				_, a = s.shownAt(r[0]-1, r[0])
			}
			return e.rangeOf(file, a, a)
		}
		return e.shown(file, s, r[0], r[1])
	}
	ep := &linters.Endpoint{Protocol: proto, At: whole}
	var dynParts []string
	var firstDyn linters.Range
	var why string
	noteDyn := func(part string, r [2]int) bool {
		d, w := s.dynamic(r[0], r[1])
		if d {
			if dynParts == nil {
				firstDyn, why = shown(r), w
			}
			dynParts = append(dynParts, part)
		}
		return d
	}

	// Host.
	ep.Host = linters.Setting[string]{Val: u.Host, Set: true, At: shown(u.host)}
	if noteDyn("host", u.host) {
		ep.Host.Val, ep.Host.Dynamic = "", true
	}

	// Security.
	implicit := u.Scheme == "smtps" || u.Scheme == "imaps"
	secAt := shown(u.scheme)
	switch {
	case schemeDyn:
		ep.Security = linters.Setting[linters.Security]{At: secAt, Dynamic: true}
		if dynParts == nil {
			firstDyn, why = secAt, schemeWhy
		}
		dynParts = append(dynParts, "TLS mode")
	case implicit:
		ep.Security = linters.Setting[linters.Security]{Val: linters.SecurityImplicitTLS, Set: true, At: secAt}
	default:
		force := st.get("ssl_force_tls")
		starttls := st.get("ssl_starttls")
		switch {
		case force.dyn != "":
			ep.Security = linters.Setting[linters.Security]{At: e.valueAt(force, secAt), Dynamic: true}
			if force.asg != nil {
				e.diag("dynamic-value", linters.Info, e.valueAt(force, secAt), nil, "ssl_force_tls depends on %s; the TLS mode of the %s connection is not checked", force.dyn, slot(proto))
			}
		case force.on:
			ep.Security = linters.Setting[linters.Security]{Val: linters.SecurityStartTLS, Set: true, At: secAt}
		case starttls.dyn != "":
			ep.Security = linters.Setting[linters.Security]{At: e.valueAt(starttls, secAt), Dynamic: true}
		case starttls.quad == "no":
			ep.Security = linters.Setting[linters.Security]{Val: linters.SecurityNone, Set: true, At: e.valueAt(force, secAt)}
		default:
			ep.Security = linters.Setting[linters.Security]{Val: linters.SecurityStartTLSOptional, Set: true, At: e.valueAt(force, secAt)}
		}
	}

	// Port.
	def := 25
	switch {
	case proto == linters.SMTP && implicit:
		def = 465
	case proto == linters.IMAP && implicit:
		def = 993
	case proto == linters.IMAP:
		def = 143
	}
	portText := string(s.b[u.port[0]:u.port[1]])
	switch {
	case noteDyn("port", u.port):
		ep.Port = linters.Setting[int]{At: shown(u.port), Dynamic: true}
	case u.hasPort && portText != "" && u.Port != 0:
		ep.Port = linters.Setting[int]{Val: u.Port, Set: true, At: shown(u.port)}
	default:
		ep.Port = linters.Setting[int]{Val: def, At: whole, Dynamic: schemeDyn}
	}

	// Certificate checks.
	vh, vd := st.get("ssl_verify_host"), st.get("ssl_verify_dates")
	ep.CertCheck = linters.Setting[bool]{Val: true, At: whole}
	for _, c := range []*value{vh, vd} {
		switch {
		case c.dyn != "":
			ep.CertCheck.Dynamic = true
			if c.asg != nil {
				ep.CertCheck.At, ep.CertCheck.Set = e.valueAt(c, whole), true
			}
		case !c.on && ep.CertCheck.Val:
			ep.CertCheck = linters.Setting[bool]{Val: false, Set: c.asg != nil, At: e.valueAt(c, whole), Dynamic: ep.CertCheck.Dynamic}
		}
	}

	// Login and password.
	userVar, passVar, authVar := "smtp_user", "smtp_pass", "smtp_authenticators"
	if proto == linters.IMAP {
		userVar, passVar, authVar = "imap_user", "imap_pass", "imap_authenticators"
	}
	switch {
	case u.hasUser:
		ep.User = linters.Setting[string]{Val: u.User, Set: true, At: shown(u.user)}
		if d, _ := s.dynamic(u.user[0], u.user[1]); d && proto == linters.IMAP {
			ep.User.Val, ep.User.Dynamic = "", true // no rule judges the IMAP login
		} else if noteDyn("login", u.user) {
			ep.User.Val, ep.User.Dynamic = "", true
		}
	default:
		uv := st.get(userVar)
		ep.User = linters.Setting[string]{At: e.valueAt(uv, whole), Set: uv.asg != nil}
		switch {
		case uv.dyn != "":
			ep.User.Dynamic = true
		case uv.s != nil:
			ep.User.Val = uv.s.String()
			if d, _ := uv.s.dynamic(0, uv.s.len()); d {
				ep.User.Val, ep.User.Dynamic = "", true
			}
		}
		if ep.User.Val == "" && !ep.User.Dynamic {
			ep.User.Set = false
			ep.User.At = whole
		}
	}
	if proto == linters.IMAP {
		ep.Auth = linters.Setting[bool]{Val: true, At: whole}
	} else {
		// mutt authenticates only when the URL names a user; neomutt also
		// when $smtp_user is set.
		ep.Auth = linters.Setting[bool]{Val: u.hasUser || ep.User.Val != "" || ep.User.Dynamic, Set: u.hasUser || ep.User.Set, At: ep.User.At}
		if !ep.Auth.Val {
			ep.Auth.At = whole
		}
	}
	if av := st.get(authVar); av.dyn == "" && av.s != nil && av.s.len() > 0 {
		list := strings.ToLower(av.s.String())
		ep.AuthMech = linters.Setting[string]{Set: true, At: e.valueAt(av, whole)}
		if d, _ := av.s.dynamic(0, av.s.len()); d {
			ep.AuthMech.Dynamic = true
		} else {
			// mutt separates the mechanisms with colons (blanks around
			// them are dropped too).
			ep.AuthMech.Val = strings.Join(strings.FieldsFunc(list, func(r rune) bool { return r == ':' || r == ' ' || r == '\t' }), " ")
		}
	} else {
		ep.AuthMech = linters.Setting[string]{At: whole, Dynamic: av.dyn != ""}
	}
	switch {
	case u.hasPass && u.pass[0] < u.pass[1]:
		at := shown(u.pass)
		if d, w := s.dynamic(u.pass[0], u.pass[1]); d {
			ep.Password = linters.Password{Kind: passwordKind(w), At: at}
		} else {
			ep.Password = linters.Password{Kind: linters.PasswordInline, At: at}
			e.secretOf(s, u.pass[0], u.pass[1])
			e.passwordOf(s, u.pass[0], u.pass[1])
		}
	default:
		pv := st.get(passVar)
		at := e.valueAt(pv, whole)
		switch {
		case pv.dyn != "":
			ep.Password = linters.Password{Kind: passwordKind(pv.dyn), At: at}
		case pv.s != nil && pv.s.len() > 0:
			if d, w := pv.s.dynamic(0, pv.s.len()); d {
				ep.Password = linters.Password{Kind: passwordKind(w), At: at}
			} else {
				ep.Password = linters.Password{Kind: linters.PasswordInline, At: at}
				e.secretOf(pv.s, 0, pv.s.len())
				e.passwordOf(pv.s, 0, pv.s.len())
			}
		}
	}

	if dynParts != nil {
		e.diag("dynamic-value", linters.Info, firstDyn, nil, "%s: the %s of the %s server %s on %s; maillint does not guess %s, so %s not checked",
			name, strings.Join(dynParts, " and "), slot(proto), verb(dynParts, "depends", "depend"), why, pronoun(dynParts), pronounBe(dynParts))
	}
	if file >= 0 {
		ep.Writer = &writer{e: e, proto: proto, st: st, url: u, val: v}
	}
	return ep
}

func verb(parts []string, one, many string) string {
	if len(parts) == 1 {
		return one
	}
	return many
}

func pronoun(parts []string) string {
	if len(parts) == 1 {
		return "it"
	}
	return "them"
}

func pronounBe(parts []string) string {
	if len(parts) == 1 {
		return "it is"
	}
	return "they are"
}

// passwordKind says where a password that is not written comes from.
func passwordKind(why string) linters.PasswordKind {
	if strings.Contains(why, "command") {
		return linters.PasswordCommand
	}
	return linters.PasswordExternal
}

func slot(proto linters.Protocol) string {
	if proto == linters.IMAP {
		return "IMAP"
	}
	return "SMTP"
}

// closest returns the candidate within edit distance 1 of s (a typo such
// as smpt), if one.
func closest(s string, cands []string) string {
	for _, c := range cands {
		if linters.EditDistance(s, c, 1) <= 1 {
			return c
		}
	}
	return ""
}

// printable quotes s for a message when it holds unusual bytes.
func printable(s string) string {
	s = strings.ReplaceAll(s, "\x00", "…")
	for i := 0; i < len(s); i++ {
		if s[i] < ' ' || s[i] >= 0x7f {
			return fmt.Sprintf("%q", s)
		}
	}
	return s
}
