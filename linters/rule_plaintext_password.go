package linters

// PlaintextPassword flags a password written in the config file.
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
		p.Endpoints(func(acc *Account, ep *Endpoint) {
			if ep.Password.Kind != PasswordInline {
				return
			}
			p.Report(ep.Password.At, nil, "the %s password is stored in clear text in the file; have the client read it from a password manager or keyring",
				slotName(ep.Protocol))
		})
	},
}
