package linters

import "strings"

// PlaintextPassword flags a password written in the config file, wherever
// it is written (also a password variable no account uses).
var PlaintextPassword = &Rule{
	ID:       "plaintext-password",
	Severity: Error,
	Fixable:  NotFixable,
	Summary:  "a password is stored in clear text in the config file",
	Doc: `The password is written in the file. Dotfiles get committed, synced and
backed up; a password in them leaks with them. Keep it in a password
manager or keyring and let the client ask for it: msmtp passwordeval
("pass show mail/icloud"), mutt smtp_pass from a gpg-encrypted file or
` + "`" + `source "gpg -d …|"` + "`" + `, git send-email with a credential helper, Thunderbird's
own password store. For providers that issue app-specific passwords
(iCloud, Gmail, Yahoo, Fastmail) use one of those, never the account
password. maillint never prints the secret.`,
	Examples: []Example{{Format: "msmtp",
		Bad:  "account icloud\npassword hunter2\n",
		Good: "account icloud\npasswordeval \"pass show mail/icloud\"\n"}},
	Check: func(p *Pass) {
		// What the provider says about passwords, by the line of the
		// endpoint's password, for the message. A password line shared by
		// endpoints of different providers (a git [sendemail] smtpPass
		// inherited by an identity with another server, msmtp defaults)
		// gets no provider's advice: it would be someone else's.
		notes := map[string]string{}
		mixed := map[string]bool{}
		p.Endpoints(func(acc *Account, ep *Endpoint) {
			if ep.Password.Kind != PasswordInline {
				return
			}
			k, n := lineKey(ep.Password.At), ""
			if m := p.Lookup(ep); m != nil && m.Provider.Note != "" {
				n = m.Provider.Name + ": " + firstSentence(m.Provider.Note)
			}
			if old, seen := notes[k]; seen && old != n {
				mixed[k] = true
			}
			notes[k] = n
		})
		for k := range mixed {
			notes[k] = ""
		}
		for _, f := range p.Doc.Files {
			for _, pw := range f.Passwords {
				at := Range{Path: pw.Path, Start: pw.Start, End: pw.Start}
				msg := "a password is stored in clear text in the file; have the client read it from a password manager or keyring"
				if n := notes[lineKey(pw)]; n != "" {
					msg += " (" + n + ")"
				}
				p.Report(at, nil, "%s", msg)
			}
		}
	},
}

func lineKey(r Range) string { return r.Path + "\x00" + string(rune(r.Start.Line)) }

// firstSentence returns the first clause of s: up to its first full stop
// or parenthesis.
func firstSentence(s string) string {
	for _, sep := range []string{". ", " (", "; "} {
		if i := strings.Index(s, sep); i >= 0 {
			s = s[:i]
		}
	}
	return strings.TrimSuffix(s, ".")
}
