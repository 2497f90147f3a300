package linters

import (
	"slices"
	"strings"
	"sync"
)

// Parser-reported rules: the format adapters find these while parsing; the
// registry holds their documentation.
var (
	// Syntax is a line the client rejects or misreads.
	Syntax = &Rule{
		ID: "syntax", Severity: Error, Fixable: SometimesFix,
		Summary: "the client rejects or misreads this line",
		Doc: `The line breaks the client's syntax: a bad on/off value, a port that is not
a number, an account defined twice or inheriting from one defined later, a
line too long, a byte order mark msmtp reads as part of a command. The
client refuses the file (msmtp exits with status 78). Fixes are offered
where the intent is clear.`,
		Examples: []Example{{Format: "msmtp", Bad: "tls yes\n", Good: "tls on\n"}},
	}
	// UnknownKey is a setting the client does not know.
	UnknownKey = &Rule{
		ID: "unknown-key", Severity: Error, Fixable: SometimesFix,
		Summary: "a command or setting the client does not know",
		Doc: `The client does not know this command or setting. msmtp rejects the whole
file; mutt reports an error at start-up and ignores the rest of the line;
git and Thunderbird ignore the setting silently (reported as a warning
there), which is worse: the setting you meant is not set. When the name
differs only in case from a known one, the fix is safe (msmtp names are
case-sensitive); a close misspelling gets an unsafe fix.`,
		Examples: []Example{{Format: "msmtp", Bad: "Host smtp.mail.me.com\n", Good: "host smtp.mail.me.com\n"}},
	}
	// InlineComment is a "# comment" the client reads as part of a value.
	InlineComment = &Rule{
		ID: "inline-comment", Severity: Error, Fixable: SafeFix,
		Summary: "a trailing \"# comment\" that the client keeps as part of the value",
		Doc: `msmtp has no inline comments: only lines that start with "#" are comments.
In "tls on # use TLS" the argument is "on # use TLS", which msmtp rejects;
in "host smtp.example.org # work" the host name includes the comment. The
fix moves the comment to its own line above.`,
		Examples: []Example{{Format: "msmtp", Bad: "tls on   # encrypt\n", Good: "# encrypt\ntls on\n"}},
	}
	// DynamicValue is a value maillint cannot know without running something.
	DynamicValue = &Rule{
		ID: "dynamic-value", Severity: Info, Fixable: NotFixable,
		Summary: "a value comes from a command, a variable or a condition maillint does not evaluate",
		Doc: `The value is produced by something maillint never runs or cannot know while
linting: msmtp's eval, mutt backticks and environment variables, git's
includeIf conditions that need a repository. Rules do not judge or fix
such values; check them by hand, or with --verify.`,
		Examples: []Example{{Format: "msmtp", Bad: "eval echo host $(hostname -f)\n", Good: "host smtp.example.org\n"}},
	}
	// DelegatedSending says that another program sends the mail.
	DelegatedSending = &Rule{
		ID: "delegated-sending", Severity: Info, Fixable: NotFixable,
		Summary: "the client hands mail to another program (msmtp, sendmail); its config decides",
		Doc: `The client does not speak SMTP itself: it pipes mail to a program such as
msmtp or sendmail (mutt's sendmail, git's smtpServer set to a path). The
SMTP settings that matter are in that program's configuration; run
maillint on it too (with no arguments maillint checks every client's
default files).`,
		Examples: []Example{{Format: "mutt", Bad: "set sendmail = \"/usr/bin/msmtp\"\n", Good: "(check ~/.msmtprc as well)\n"}},
	}
	// VerifyFailed is a live handshake (--verify) that failed.
	VerifyFailed = &Rule{
		ID: "verify-failed", Severity: Error, Fixable: NotFixable,
		Summary: "with --verify: the live handshake with the configured server failed",
		Doc: `maillint connected to the server the config names (after applying the
proposed fixes with --diff or --write) and walked the handshake: TCP
connect, banner or TLS handshake, EHLO, STARTTLS, certificate chain and
host name, AUTH mechanisms (and a login with --verify-auth). The message
names the stage that failed and why, e.g. "port 465 speaks TLS
immediately (implicit TLS), but the config uses STARTTLS" or "certificate
is for mail.example.com, not smtp.example.org".`,
		Examples: []Example{{Format: "msmtp", Bad: "host smtp.gmail.com\nport 465\ntls on\n", Good: "host smtp.gmail.com\nport 465\ntls on\ntls_starttls off\n"}},
	}
	// IncludeMissing is an included file that is missing or was not followed.
	IncludeMissing = &Rule{
		ID: "include-missing", Severity: Info, Fixable: NotFixable,
		Summary: "an included or sourced file is missing, a cycle, or was not followed",
		Doc: `A file named by mutt's source or git's include does not exist, cannot be
read, includes itself, or nests too deep. Its settings are not checked.
Commands in source ("cmd |") are never run.`,
		Examples: []Example{{Format: "mutt", Bad: "source ~/.mutt/accounts/missing\n", Good: "source ~/.mutt/accounts/work\n"}},
	}
	// UnusedSuppression is an inline "maillint: ignore[...]" comment that
	// suppresses nothing (see Suppress).
	UnusedSuppression = &Rule{
		ID: "unused-suppression", Severity: Info, Fixable: NotFixable,
		Summary: "a \"maillint: ignore[rule]\" comment that suppresses nothing",
		Doc: `An inline suppression names a rule that reports nothing on the line it
covers: the problem was fixed, the comment sits too far from its line, or
the rule id is misspelled or unknown. Remove the comment, or move it to the
line just above the setting (or to the end of the setting's line where the
format allows trailing comments: mutt, git config, prefs.js; not msmtp).
Suppressions of rules that maillint's configuration turns off are not
reported.`,
		Examples: []Example{{Format: "msmtp",
			Bad:  "# maillint: ignore[plaintext-password] test box\npasswordeval \"pass show mail\"\n",
			Good: "passwordeval \"pass show mail\"\n"}},
	}
)

// registry is every rule, sorted by id, and an index by id.
var registry = sync.OnceValues(func() ([]*Rule, map[string]*Rule) {
	rs := []*Rule{
		AuthMissing, CertCheckDisabled, DelegatedSending, DynamicValue, IMAPHostIsSMTP, IncludeMissing,
		IMAPPort, InlineComment, InsecurePermissions, LegacyHost, LoginProviderMismatch, OAuthRequired, PlaintextPassword, SMTPHostIsIMAP,
		SMTPPort, SMTPUserForm, Syntax, TLSMissing, TLSModeMismatch,
		UndocumentedSetting, UnknownKey, UnusedSuppression, VerifyFailed,
	}
	slices.SortFunc(rs, func(a, b *Rule) int { return strings.Compare(a.ID, b.ID) })
	byID := make(map[string]*Rule, len(rs))
	for _, r := range rs {
		byID[r.ID] = r
	}
	return rs, byID
})

// All returns every rule, sorted by id.
func All() []*Rule {
	rs, _ := registry()
	return slices.Clone(rs)
}

// Lookup returns the rule with the given id, or nil.
func Lookup(id string) *Rule {
	_, byID := registry()
	return byID[id]
}
