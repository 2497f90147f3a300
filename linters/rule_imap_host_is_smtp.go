package linters

// IMAPHostIsSMTP flags an IMAP slot that holds the provider's SMTP server.
var IMAPHostIsSMTP = &Rule{
	ID:       "imap-host-is-smtp",
	Severity: Error,
	Fixable:  SafeFix,
	Summary:  "the IMAP (incoming) host is the provider's SMTP (outgoing) server",
	Doc: `The incoming server is set to the provider's outgoing (SMTP) server, which
does not speak IMAP. The fix writes the provider's documented IMAP host.`,
	Examples: []Example{{Format: "mutt",
		Bad:  "set folder = \"imaps://smtp.mail.me.com/\"\n",
		Good: "set folder = \"imaps://imap.mail.me.com/\"\n"}},
	Check: func(p *Pass) { checkWrongSlot(p, IMAP) },
}
