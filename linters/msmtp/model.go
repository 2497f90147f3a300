package msmtp

import (
	"strconv"

	"github.com/maillint/maillint/linters"
)

// document maps a resolved configuration onto maillint's model.
func document(path string, src []byte, c *Config) *linters.Document {
	ix := linters.NewLineIndex(path, src)
	sf := &linters.SourceFile{Path: path, Src: src, Index: ix, StrictSecretMode: true}
	doc := &linters.Document{Format: Name, Files: []*linters.SourceFile{sf}}
	f := c.File

	lineRange := func(i int) linters.Range {
		l := &f.Lines[i]
		return ix.Range(l.CmdOffset(), l.Offset+l.Len()-len(l.EOL))
	}
	valueRange := func(a *Assignment) linters.Range {
		l := &f.Lines[a.Line]
		_, s, e := Intended(l)
		if s == e || a.Legacy {
			return lineRange(a.Line)
		}
		return ix.Range(s, e)
	}

	for i := range f.Lines {
		l := &f.Lines[i]
		if l.Kind == Command && l.Arg != "" && (secretCommands[l.Cmd] || passwordLike(l.Cmd)) {
			r := ix.Range(l.ArgOffset(), l.ArgOffset()+len(l.Arg))
			sf.Secrets = append(sf.Secrets, r)
			if l.Cmd != "passwordeval" {
				sf.Passwords = append(sf.Passwords, r)
			}
		}
		if k := gluedSecret(l.Cmd); l.Kind == Command && k >= 0 && k < len(l.Cmd) {
			sf.Secrets = append(sf.Secrets, ix.Range(l.CmdOffset()+k, l.CmdOffset()+len(l.Cmd)))
		}
		if strayPassword(f.Lines, i) {
			sf.Secrets = append(sf.Secrets, ix.Range(l.CmdOffset(), max(l.CmdOffset()+len(l.Cmd), l.ArgOffset()+len(l.Arg))))
		}
	}

	for _, p := range c.Problems {
		sev := linters.Error
		if r := linters.Lookup(p.Rule); r != nil {
			sev = r.Severity
		}
		fd := linters.Finding{Rule: p.Rule, Severity: sev, Message: p.Message, At: ix.Range(p.Start, p.End)}
		if p.Fix != nil {
			fx := &linters.Fix{Message: p.Fix.message}
			if p.Fix.unsafe {
				fx.Applicability = linters.Unsafe
			}
			for _, e := range p.Fix.edits {
				fx.Edits = append(fx.Edits, linters.TextEdit{Path: path, Start: e.start, End: e.end, New: e.text})
			}
			fd.Fix = fx
		}
		doc.Diagnostics = append(doc.Diagnostics, fd)
	}

	for _, a := range c.Accounts {
		var header linters.Range
		if a.Block.Header >= 0 {
			header = lineRange(a.Block.Header)
		} else if len(a.Block.Commands) > 0 {
			header = lineRange(a.Block.Commands[0])
		}
		str := func(key string) linters.Setting[string] {
			if as := a.Values[key]; as != nil {
				return linters.Setting[string]{Val: as.Value, Set: true, At: valueRange(as)}
			}
			return linters.Setting[string]{At: header}
		}
		onOff := func(key string, def bool) linters.Setting[bool] {
			if as := a.Values[key]; as != nil {
				return linters.Setting[bool]{Val: as.Value != "off", Set: true, At: valueRange(as)}
			}
			return linters.Setting[bool]{Val: def, At: header}
		}
		acc := &linters.Account{Name: a.Name, At: header, From: str("from")}
		ep := &linters.Endpoint{Protocol: linters.SMTP, At: header}
		ep.Host = str("host")
		tls := onOff("tls", false)
		starttls := onOff("tls_starttls", true)
		switch {
		case !tls.Val:
			ep.Security = linters.Setting[linters.Security]{Val: linters.SecurityNone, Set: tls.Set, At: tls.At}
		case starttls.Val:
			// STARTTLS rather than implicit TLS is tls_starttls's doing
			// when it is written: a finding about the mode points there.
			at := tls.At
			if starttls.Set {
				at = starttls.At
			}
			ep.Security = linters.Setting[linters.Security]{Val: linters.SecurityStartTLS, Set: true, At: at}
		default:
			ep.Security = linters.Setting[linters.Security]{Val: linters.SecurityImplicitTLS, Set: true, At: starttls.At}
		}
		if as := a.Values["port"]; as != nil {
			n, _ := strconv.Atoi(as.Value)
			ep.Port = linters.Setting[int]{Val: n, Set: true, At: valueRange(as)}
		} else {
			def := 25
			if ep.Security.Val == linters.SecurityImplicitTLS {
				def = 465
			}
			ep.Port = linters.Setting[int]{Val: def, At: header}
		}
		ep.CertCheck = onOff("tls_certcheck", true)
		if as := a.Values["auth"]; as != nil {
			ep.Auth = linters.Setting[bool]{Val: as.Value != "off", Set: true, At: valueRange(as)}
			if authMethods[as.Value] {
				ep.AuthMech = linters.Setting[string]{Val: as.Value, Set: true, At: valueRange(as)}
			}
		} else {
			ep.Auth = linters.Setting[bool]{Val: false, At: header}
		}
		ep.User = str("user")
		switch {
		case a.Values["passwordeval"] != nil:
			l := &f.Lines[a.Values["passwordeval"].Line]
			ep.Password = linters.Password{Kind: linters.PasswordCommand, At: lineRange(a.Values["passwordeval"].Line),
				Value: ix.Range(l.ValueOffset(), l.ValueOffset()+len(l.Value())), Raw: true}
		case a.Values["password"] != nil && a.Values["password"].Value != "":
			l := &f.Lines[a.Values["password"].Line]
			ep.Password = linters.Password{Kind: linters.PasswordInline, At: ix.Range(l.CmdOffset(), l.CmdOffset()+len(l.Cmd)),
				Value: ix.Range(l.ValueOffset(), l.ValueOffset()+len(l.Value())), Raw: true}
		}
		if a.HasEval {
			// An eval line may set anything: nothing is certain.
			for _, s := range []*linters.Setting[string]{&ep.Host, &ep.User, &acc.From} {
				s.Dynamic = !s.Set
			}
			ep.Port.Dynamic = !ep.Port.Set
			ep.Security.Dynamic = !ep.Security.Set
			ep.Auth.Dynamic = !ep.Auth.Set
		}
		ep.Writer = &writer{path: path, file: f, cfg: c, acc: a}
		acc.SMTP = ep
		doc.Accounts = append(doc.Accounts, acc)
	}
	return doc
}
