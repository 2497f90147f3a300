package gitconfig

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/maillint/maillint/linters"
)

// smtpAuthRE is the check git send-email makes before authenticating
// (smtp_auth_maybe); a value that fails it stops send-email with
// "invalid smtp auth".
var smtpAuthRE = regexp.MustCompile(`^(\b[A-Z0-9-_]{1,20}\s*)*$`)

// encryptionIntent maps values of smtpEncryption that git reads as "no
// encryption" to the value the user evidently meant. Only exact "ssl" and
// "tls" enable TLS (git-send-email compares with eq).
var encryptionIntent = map[string]string{
	"starttls": "tls", "start-tls": "tls", "start_tls": "tls", "tls": "tls", "explicit": "tls",
	"ssl": "ssl", "smtps": "ssl", "ssl/tls": "ssl", "implicit": "ssl",
}

// meansOn are values that ask for encryption without saying which kind.
var meansOn = map[string]bool{"true": true, "yes": true, "on": true, "1": true}

// meansOff are values that ask for no encryption; git agrees (by accident).
var meansOff = map[string]bool{"": true, "none": true, "no": true, "off": true, "false": true, "0": true, "plain": true}

// check reports what git or git send-email rejects, ignores or misreads in
// the send-email settings of every file read.
func (c *Config) check() {
	forbid := true
	if w, _ := c.last("sendemail.forbidsendmailvariables", nil); w != nil && (w.Node.Value == "false" || w.Node.Value == "no" || w.Node.Value == "off" || w.Node.Value == "0") {
		forbid = false
	}
	subs := map[string]bool{}
	for _, v := range c.Vars {
		if !v.Opaque && v.Base == "sendemail" && v.HasSub {
			subs[v.Sub] = true
		}
	}
	for _, v := range c.Vars {
		if v.Opaque {
			continue
		}
		switch v.Base {
		case "sendemail":
			c.checkSendemail(v, subs)
		case "sendmail":
			if forbid && v.Node.Hdr >= 0 {
				h := &v.File.Nodes[v.Node.Hdr]
				end := h.NameStart + len("sendmail")
				fix := &linters.Fix{Message: "rename the section to sendemail", Edits: []linters.TextEdit{{Path: v.File.Path, Start: h.NameStart, End: end, New: "sendemail"}}}
				c.diag(linters.UnknownKey.ID, linters.Error, v.File, h.NameStart, end, fix,
					"git send-email refuses to run while sendmail.* settings exist (\"found configuration options for 'sendmail'\"); the section is [sendemail], with an e")
			}
		}
	}
}

func (c *Config) checkSendemail(v *Var, subs map[string]bool) {
	n, f := v.Node, v.File
	vs, ve := valueSpan(n)
	keyText := string(f.Src[n.KeyStart:n.KeyEnd])
	if v.HasSub && v.Sub == "mailmap" && mailmapKeys[v.Key] {
		return
	}
	switch v.Key {
	case "smtpssl":
		msg := "sendemail.smtpssl is deprecated and ignored since git 2.33: it does not turn TLS on; write smtpEncryption = ssl"
		var fix *linters.Fix
		on := n.Bare() || meansOn[strings.ToLower(n.Value)]
		if on && !c.hasKey(v.Prefix, "smtpencryption") {
			edits := []linters.TextEdit{{Path: f.Path, Start: n.KeyStart, End: n.KeyEnd, New: keyFor("smtpencryption", camelCase(f, n.Hdr))}}
			edits = append(edits, valueEdit(f, n, "ssl"))
			fix = &linters.Fix{Message: "write smtpEncryption = ssl", Applicability: linters.Unsafe, Edits: edits}
		} else if !on {
			msg = "sendemail.smtpssl is deprecated and ignored since git 2.33"
		}
		c.diag(linters.UnknownKey.ID, linters.Warning, f, n.KeyStart, n.KeyEnd, fix, "%s", msg)
		return
	case "smtpencryption":
		c.checkEncryption(v)
	case "smtpserverport":
		if !n.Bare() {
			if _, _, ok := parsePort(n.Value); !ok {
				c.diag(linters.Syntax.ID, linters.Error, f, vs, ve, nil,
					"smtpServerPort %q is not a port number or service name; git send-email cannot connect", n.Value)
			}
		}
	case "smtpauth":
		if !n.Bare() && n.Value != "none" && !smtpAuthRE.MatchString(n.Value) {
			var fix *linters.Fix
			if up := strings.ToUpper(n.Value); smtpAuthRE.MatchString(up) {
				fix = &linters.Fix{Message: "write " + up, Edits: []linters.TextEdit{valueEdit(f, n, up)}}
			}
			c.diag(linters.Syntax.ID, linters.Error, f, vs, ve, fix,
				"smtpAuth %q is not a list of upper-case SASL mechanisms (or none); git send-email stops with \"invalid smtp auth\"", n.Value)
		}
	case "smtpserver":
		switch {
		case n.Bare():
		case n.Value == "":
			c.diag(linters.Syntax.ID, linters.Error, f, vs, ve, nil, "smtpServer is empty; git send-email has no server to connect to")
		case strings.HasPrefix(n.Value, "~"):
			c.diag(linters.Syntax.ID, linters.Warning, f, vs, ve, nil,
				"git does not expand ~ in smtpServer: git send-email takes %q for a host name, not a program; write the absolute path", n.Value)
		}
	case "smtpsslcertpath":
		if n.Bare() {
			c.diag(linters.Syntax.ID, linters.Error, f, n.KeyStart, n.KeyEnd, nil,
				"smtpSSLCertPath has no value; git send-email stops with \"missing value for 'sendemail.smtpsslcertpath'\" (write smtpSSLCertPath = \"\" to turn verification off, or remove the line)")
		}
	case "identity":
		if !v.HasSub && !n.Bare() && n.Value != "" && !subs[n.Value] {
			c.checkIdentity(v, subs)
		}
	default:
		if _, ok := sendemailKeys[v.Key]; ok {
			return
		}
		near, exact := nearestKey(v.Key)
		var fix *linters.Fix
		msg := fmt.Sprintf("git send-email has no setting %q and ignores it", keyText)
		if near != "" {
			spelled := keyFor(near, camelCase(f, n.Hdr))
			fix = &linters.Fix{Message: "write " + spelled, Edits: []linters.TextEdit{{Path: f.Path, Start: n.KeyStart, End: n.KeyEnd, New: spelled}}}
			if !exact {
				fix.Applicability = linters.Unsafe
				msg += fmt.Sprintf(" (did you mean %s?)", spelled)
			} else {
				msg += fmt.Sprintf("; the setting is %s", spelled)
			}
		}
		c.diag(linters.UnknownKey.ID, linters.Warning, f, n.KeyStart, n.KeyEnd, fix, "%s", msg)
	}
}

// checkEncryption reports smtpEncryption values git reads as "no
// encryption" although they ask for it.
func (c *Config) checkEncryption(v *Var) {
	n, f := v.Node, v.File
	vs, ve := valueSpan(n)
	val := n.Value
	if !n.Bare() && (val == "ssl" || val == "tls" || meansOff[strings.ToLower(val)]) {
		return
	}
	want := encryptionIntent[strings.ToLower(val)]
	if want == "" && (n.Bare() || meansOn[strings.ToLower(val)]) {
		// Encryption is asked for; the port says which kind.
		if w, _ := c.last(v.Prefix+".smtpserverport", nil); w != nil {
			if p, _, ok := parsePort(w.Node.Value); ok {
				switch p {
				case 465:
					want = "ssl"
				case 587, 25:
					want = "tls"
				}
			}
		}
	}
	what := fmt.Sprintf("smtpEncryption %q is not a value git knows", val)
	if n.Bare() {
		what = "smtpEncryption has no value, which git send-email ignores"
	}
	var fix *linters.Fix
	hint := "; write tls (STARTTLS) or ssl (implicit TLS), in lower case"
	if want != "" {
		fix = &linters.Fix{Message: "write " + want, Edits: []linters.TextEdit{valueEdit(f, n, want)}}
		hint = fmt.Sprintf("; write %s (%s), in lower case", want, map[string]string{"tls": "STARTTLS", "ssl": "implicit TLS"}[want])
	}
	c.diag(linters.Syntax.ID, linters.Error, f, vs, ve, fix,
		"%s: git send-email accepts exactly \"ssl\" or \"tls\" and sends anything else in plain text%s", what, hint)
}

// checkIdentity reports a sendemail.identity that names no subsection.
func (c *Config) checkIdentity(v *Var, subs map[string]bool) {
	n, f := v.Node, v.File
	vs, ve := valueSpan(n)
	for s := range subs {
		if strings.EqualFold(s, n.Value) {
			fix := &linters.Fix{Message: "use identity " + s, Applicability: linters.Unsafe, Edits: []linters.TextEdit{valueEdit(f, n, s)}}
			c.diag(linters.Syntax.ID, linters.Warning, f, vs, ve, fix,
				"identity %q matches no [sendemail %q] section: subsection names are case-sensitive (and [sendemail.Name] lower-cases them), so git send-email uses only the [sendemail] settings; the section found is %q", n.Value, n.Value, s)
			return
		}
	}
	if !c.maybeSub(n.Value) {
		c.diag(linters.Syntax.ID, linters.Warning, f, vs, ve, nil,
			"identity %q matches no [sendemail %q] section, so git send-email uses only the [sendemail] settings", n.Value, n.Value)
	}
}

// maybeSub reports whether a file git may not read could define the
// identity subsection sub.
func (c *Config) maybeSub(sub string) bool {
	for _, v := range c.Vars {
		if v.Opaque || v.Cond && v.Base == "sendemail" && v.Sub == sub {
			return true
		}
	}
	return false
}

// hasKey reports whether any file read sets prefix.key.
func (c *Config) hasKey(prefix, key string) bool {
	for _, v := range c.Vars {
		if !v.Opaque && v.Prefix == prefix && v.Key == key {
			return true
		}
	}
	return false
}
