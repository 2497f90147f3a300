package linters

import (
	"fmt"
	"strings"
	"testing"
)

// recorder is a Writer that writes the requested changes as text, so tests
// can see which changes a rule asked for without any format.
type recorder struct{}

func (recorder) Edits(changes ...Change) ([]TextEdit, error) {
	var parts []string
	for _, c := range changes {
		switch c.Field {
		case FieldHost, FieldUser:
			parts = append(parts, fmt.Sprintf("%s=%s", c.Field, c.Text))
		case FieldPort:
			parts = append(parts, fmt.Sprintf("port=%d", c.Port))
		case FieldSecurity:
			parts = append(parts, fmt.Sprintf("security=%s", c.Security))
		default:
			parts = append(parts, fmt.Sprintf("%s=%v", c.Field, c.On))
		}
	}
	return []TextEdit{{Path: "f", New: strings.Join(parts, ",")}}, nil
}

type epOpt func(*Endpoint, *Account)

func port(p int) epOpt {
	return func(e *Endpoint, _ *Account) { e.Port = Setting[int]{Val: p, Set: true} }
}
func defaultPort(p int) epOpt {
	return func(e *Endpoint, _ *Account) { e.Port = Setting[int]{Val: p} }
}
func security(s Security) epOpt {
	return func(e *Endpoint, _ *Account) { e.Security = Setting[Security]{Val: s, Set: true} }
}
func auth(on bool) epOpt {
	return func(e *Endpoint, _ *Account) { e.Auth = Setting[bool]{Val: on, Set: true} }
}
func user(u string) epOpt {
	return func(e *Endpoint, _ *Account) { e.User = Setting[string]{Val: u, Set: true} }
}
func from(f string) epOpt {
	return func(_ *Endpoint, a *Account) { a.From = Setting[string]{Val: f, Set: true} }
}
func certCheck(on bool) epOpt {
	return func(e *Endpoint, _ *Account) { e.CertCheck = Setting[bool]{Val: on, Set: true} }
}
func inlinePassword() epOpt {
	return func(e *Endpoint, _ *Account) { e.Password = Password{Kind: PasswordInline} }
}
func authMech(m string) epOpt {
	return func(e *Endpoint, _ *Account) { e.AuthMech = Setting[string]{Val: m, Set: true} }
}
func dynamicHost() epOpt { return func(e *Endpoint, _ *Account) { e.Host.Dynamic = true } }

// doc builds a document with one account whose endpoint has host and opts;
// by default port 587, STARTTLS, auth on, cert check on.
func doc(proto Protocol, host string, opts ...epOpt) *Document {
	ep := &Endpoint{Protocol: proto, Writer: recorder{},
		Host:      Setting[string]{Val: host, Set: true},
		Port:      Setting[int]{Val: 587, Set: true},
		Security:  Setting[Security]{Val: SecurityStartTLS, Set: true},
		CertCheck: Setting[bool]{Val: true},
		Auth:      Setting[bool]{Val: true, Set: true},
	}
	acc := &Account{Name: "a"}
	for _, o := range opts {
		o(ep, acc)
	}
	if proto == IMAP {
		acc.IMAP = ep
	} else {
		acc.SMTP = ep
	}
	return &Document{Format: "test", Accounts: []*Account{acc}}
}

// only runs one rule and returns "severity:fix" per finding.
func only(r *Rule, d *Document) []string {
	var out []string
	for _, f := range Run(d, nil, []*Rule{r}) {
		s := f.Severity.String()
		if f.Fix != nil {
			s += ":" + f.Fix.Applicability.String() + ":" + f.Fix.Edits[0].New
		}
		out = append(out, s)
	}
	return out
}

func TestRules(t *testing.T) {
	cases := []struct {
		name string
		rule *Rule
		doc  *Document
		want string // findings joined by "|"; "" = none
	}{
		{"imap host in smtp slot", SMTPHostIsIMAP, doc(SMTP, "imap.mail.me.com"), "error:safe:host=smtp.mail.me.com"},
		{"partition host is fine", SMTPHostIsIMAP, doc(SMTP, "p03-smtp.mail.me.com"), ""},
		{"smtp host right", SMTPHostIsIMAP, doc(SMTP, "smtp.mail.me.com"), ""},
		{"unknown host", SMTPHostIsIMAP, doc(SMTP, "imap.example.org"), ""},
		{"dynamic host not judged", SMTPHostIsIMAP, doc(SMTP, "imap.mail.me.com", dynamicHost()), ""},
		{"smtp host in imap slot", IMAPHostIsSMTP, doc(IMAP, "smtp.mail.me.com", port(993), security(SecurityImplicitTLS)), "error:safe:host=imap.mail.me.com"},
		{"legacy smtp.me.com", LegacyHost, doc(SMTP, "smtp.me.com"), "warning:safe:host=smtp.mail.me.com"},
		{"web host is an error", LegacyHost, doc(SMTP, "mail.icloud.com"), "error:safe:host=smtp.mail.me.com"},
		{"default port 25", SMTPPort, doc(SMTP, "smtp.mail.me.com", defaultPort(25)), "error:safe:port=587"},
		{"default port 25 without TLS", SMTPPort, doc(SMTP, "smtp.gmail.com", defaultPort(25), security(SecurityNone)), "error:safe:port=465,security=tls"},
		{"implicit TLS keeps its mode", SMTPPort, doc(SMTP, "smtp.gmail.com", port(2525), security(SecurityImplicitTLS)), "error:safe:port=465"},
		{"offered port", SMTPPort, doc(SMTP, "smtp.gmail.com", port(465), security(SecurityImplicitTLS)), ""},
		{"imap port", IMAPPort, doc(IMAP, "imap.gmail.com", port(995), security(SecurityImplicitTLS)), "error:safe:port=993"},
		{"implicit on 587", TLSModeMismatch, doc(SMTP, "smtp.gmail.com", security(SecurityImplicitTLS)), "error:safe:security=starttls"},
		{"starttls on 465 unknown host", TLSModeMismatch, doc(SMTP, "mail.example.org", port(465)), "error:safe:security=tls"},
		{"starttls on icloud 465 moves port", TLSModeMismatch, doc(SMTP, "smtp.mail.me.com", port(465)), "error:safe:port=587"},
		{"port 25 either way", TLSModeMismatch, doc(SMTP, "mail.example.org", port(25), security(SecurityImplicitTLS)), ""},
		{"match", TLSModeMismatch, doc(SMTP, "smtp.gmail.com"), ""},
		{"no TLS to provider", TLSMissing, doc(SMTP, "smtp.gmail.com", security(SecurityNone)), "error:safe:security=starttls"},
		{"opportunistic", TLSMissing, doc(SMTP, "smtp.gmail.com", security(SecurityStartTLSOptional)), "error:safe:security=starttls"},
		{"no TLS unknown with password", TLSMissing, doc(SMTP, "mail.example.org", security(SecurityNone)), "error:unsafe:security=starttls"},
		{"no TLS unknown no auth", TLSMissing, doc(SMTP, "mail.example.org", security(SecurityNone), auth(false)), "warning:unsafe:security=starttls"},
		{"loopback", TLSMissing, doc(SMTP, "127.0.0.1", security(SecurityNone)), "info"},
		{"cert off", CertCheckDisabled, doc(SMTP, "smtp.gmail.com", certCheck(false)), "error:unsafe:cert-check=true"},
		{"cert off loopback: no fix (a bridge is self-signed)", CertCheckDisabled, doc(SMTP, "localhost", certCheck(false)), "info"},
		{"cert on", CertCheckDisabled, doc(SMTP, "smtp.gmail.com"), ""},
		{"auth off", AuthMissing, doc(SMTP, "smtp.mail.me.com", auth(false)), "error:safe:auth=true"},
		{"auth off unknown", AuthMissing, doc(SMTP, "mail.example.org", auth(false)), ""},
		{"icloud local part", SMTPUserForm, doc(SMTP, "smtp.mail.me.com", user("emily"), from("emily@icloud.com")), "warning:unsafe:user=emily@icloud.com"},
		{"icloud local part, other from", SMTPUserForm, doc(SMTP, "smtp.mail.me.com", user("emily"), from("boss@example.org")), "warning"},
		{"icloud full", SMTPUserForm, doc(SMTP, "smtp.mail.me.com", user("emily@icloud.com")), ""},
		// From at another known provider is not the login here; from at a
		// domain no provider has (a custom domain) may be.
		{"m365, gmail from", SMTPUserForm, doc(SMTP, "smtp.office365.com", user("jane"), from("jane@gmail.com")), "warning"},
		{"m365, custom domain from", SMTPUserForm, doc(SMTP, "smtp.office365.com", user("jane"), from("jane@contoso.com")), "warning:unsafe:user=jane@contoso.com"},
		{"icloud, gmail from", SMTPUserForm, doc(SMTP, "smtp.mail.me.com", user("jane"), from("jane@gmail.com")), "warning"},
		{"icloud no user", SMTPUserForm, doc(SMTP, "smtp.mail.me.com", from("emily@icloud.com")), "warning:unsafe:user=emily@icloud.com"},
		{"imap local part fine", SMTPUserForm, doc(IMAP, "imap.mail.me.com", user("emily")), ""},
		{"outlook password", OAuthRequired, doc(SMTP, "smtp-mail.outlook.com", user("jane@outlook.com")), "warning"},
		{"outlook xoauth2", OAuthRequired, doc(SMTP, "smtp-mail.outlook.com", authMech("xoauth2")), ""},
		{"outlook imap, a list with OAuth2", OAuthRequired, doc(IMAP, "outlook.office365.com", authMech("oauthbearer xoauth2")), ""},
		{"outlook, a list that tries OAuth2 first", OAuthRequired, doc(SMTP, "smtp-mail.outlook.com", authMech("xoauth2 login")), ""},
		{"outlook, a list without OAuth2", OAuthRequired, doc(SMTP, "smtp-mail.outlook.com", authMech("login plain")), "warning"},
		{"m365 imap password", OAuthRequired, doc(IMAP, "outlook.office365.com", authMech("login")), "warning"},
		{"outlook, auth off: auth-missing's", OAuthRequired, doc(SMTP, "smtp-mail.outlook.com", auth(false)), ""},
		{"gmail password fine", OAuthRequired, doc(SMTP, "smtp.gmail.com"), ""},
		{"gmx.com on gmx.net", LoginProviderMismatch, doc(SMTP, "mail.gmx.net", user("jane@gmx.com")), "warning:unsafe:host=mail.gmx.com"},
		{"gmx.com imap on gmx.net", LoginProviderMismatch, doc(IMAP, "imap.gmx.net", user("jane@gmx.com")), "warning:unsafe:host=imap.gmx.com"},
		{"gmail on icloud", LoginProviderMismatch, doc(SMTP, "smtp.mail.me.com", user("jane@gmail.com")), "warning:unsafe:host=smtp.gmail.com"},
		{"gmx.de login on mail.gmx.net (one provider)", LoginProviderMismatch, doc(SMTP, "mail.gmx.net", user("jane@gmx.de")), ""},
		{"company login at google", LoginProviderMismatch, doc(SMTP, "smtp.gmail.com", user("jane@example.com")), ""},
		{"local part login", LoginProviderMismatch, doc(SMTP, "smtp.gmail.com", user("jane")), ""},
		{"hotmail on office365: outlook lists the host", LoginProviderMismatch, doc(SMTP, "smtp.office365.com", user("jane@hotmail.com")), ""},
		{"unknown host", LoginProviderMismatch, doc(SMTP, "relay.example.org", user("jane@gmail.com")), ""},
		{"no password", PlaintextPassword, doc(SMTP, "smtp.gmail.com", inlinePassword()), ""},
		{"undocumented 465", UndocumentedSetting, doc(SMTP, "smtp.mail.me.com", port(465), security(SecurityImplicitTLS)), "info:unsafe:port=587,security=starttls"},
		{"documented", UndocumentedSetting, doc(SMTP, "smtp.mail.me.com"), ""},
	}
	for _, c := range cases {
		got := strings.Join(only(c.rule, c.doc), "|")
		if got != c.want {
			t.Errorf("%s (%s): got %q, want %q", c.name, c.rule.ID, got, c.want)
		}
	}
}

func TestInsecurePermissions(t *testing.T) {
	d := &Document{Format: "msmtp", Files: []*SourceFile{{Path: "f", Mode: 0o644, StrictSecretMode: true, Passwords: []Range{{Path: "f"}}}}}
	if got := only(InsecurePermissions, d); strings.Join(got, "|") != "error" {
		t.Errorf("0644 strict: %v", got)
	}
	d.Files[0].StrictSecretMode = false
	if got := only(InsecurePermissions, d); strings.Join(got, "|") != "warning" {
		t.Errorf("0644: %v", got)
	}
	d.Files[0].Mode = 0o600
	if got := only(InsecurePermissions, d); len(got) != 0 {
		t.Errorf("0600: %v", got)
	}
	d.Files[0].Mode, d.Files[0].Passwords, d.Files[0].Secrets = 0o644, nil, []Range{{Path: "f"}}
	if got := only(InsecurePermissions, d); len(got) != 0 {
		t.Errorf("a masked value that is no clear-text password: %v", got)
	}
}

func TestPlaintextPasswordWhereverWritten(t *testing.T) {
	at := Range{Path: "f", Start: Pos{Offset: 9, Line: 1, Col: 10}, End: Pos{Offset: 15, Line: 1, Col: 16}}
	d := doc(SMTP, "smtp.mail.me.com", inlinePassword())
	d.Accounts[0].SMTP.Password.At = at
	d.Files = []*SourceFile{{Path: "f", Passwords: []Range{at, {Path: "f", Start: Pos{Offset: 30, Line: 3, Col: 1}}}}}
	fs := Run(d, nil, []*Rule{PlaintextPassword})
	if len(fs) != 2 {
		t.Fatalf("findings = %+v", fs)
	}
	if !strings.Contains(fs[0].Message, "iCloud Mail: ") || strings.Contains(fs[1].Message, "iCloud") {
		t.Errorf("provider note belongs to the endpoint's line only: %q / %q", fs[0].Message, fs[1].Message)
	}
	if fs[0].At.End != fs[0].At.Start {
		t.Errorf("the finding must not span the secret (its width would show the length): %+v", fs[0].At)
	}
}

func TestRegistry(t *testing.T) {
	seen := map[string]bool{}
	for _, r := range All() {
		if seen[r.ID] {
			t.Errorf("duplicate rule %s", r.ID)
		}
		seen[r.ID] = true
		if r.Summary == "" || r.Doc == "" || len(r.Examples) == 0 {
			t.Errorf("rule %s lacks summary, doc or example", r.ID)
		}
		if strings.ToLower(r.ID) != r.ID || strings.Contains(r.ID, " ") {
			t.Errorf("rule id %q is not kebab-case", r.ID)
		}
		if Lookup(r.ID) != r {
			t.Errorf("Lookup(%s) fails", r.ID)
		}
	}
}

func TestDedupe(t *testing.T) {
	at := Range{Path: "f", Start: Pos{Line: 2, Col: 1}}
	fs := Dedupe([]Finding{
		{Rule: "b", At: at, Message: "m"},
		{Rule: "a", At: at, Message: "m"},
		{Rule: "b", At: at, Message: "m"},
	})
	if len(fs) != 2 || fs[0].Rule != "a" {
		t.Errorf("Dedupe = %+v", fs)
	}
}

// TestDedupeKeepsTheWorst: of one rule's findings at one place, the most
// severe is kept, then one with a fix, whatever the messages' order.
func TestDedupeKeepsTheWorst(t *testing.T) {
	at := Range{Path: "f", Start: Pos{Line: 2, Col: 5}}
	fix := func(a Applicability) *Fix {
		return &Fix{Message: "x", Applicability: a, Edits: []TextEdit{{Path: "f", Start: 1, End: 2, New: "y"}}}
	}
	cases := []struct {
		name string
		in   []Finding
		want string // message of the finding kept
	}{
		{"severity", []Finding{
			{Rule: "tls-missing", At: at, Severity: Info, Message: "a: local bridge"},
			{Rule: "tls-missing", At: at, Severity: Error, Message: "b: gmail", Fix: fix(Safe)},
			{Rule: "tls-missing", At: at, Severity: Warning, Message: "c: other"},
		}, "b: gmail"},
		{"fix", []Finding{
			{Rule: "r", At: at, Severity: Error, Message: "a"},
			{Rule: "r", At: at, Severity: Error, Message: "b", Fix: fix(Unsafe)},
			{Rule: "r", At: at, Severity: Error, Message: "c", Fix: fix(Safe)},
		}, "c"},
		{"first message otherwise", []Finding{
			{Rule: "r", At: at, Severity: Warning, Message: "b"},
			{Rule: "r", At: at, Severity: Warning, Message: "a"},
		}, "a"},
	}
	for _, c := range cases {
		fs := Dedupe(c.in)
		if len(fs) != 1 || fs[0].Message != c.want {
			t.Errorf("%s: Dedupe = %+v, want only %q", c.name, fs, c.want)
		}
	}
}

// TestSMTPUserFormExample: the example login names the From domain when it
// may be the login, never another provider's, and "your-domain" for
// Microsoft 365, whose addresses are at its customers' domains.
func TestSMTPUserFormExample(t *testing.T) {
	for _, c := range []struct {
		d    *Document
		want string
	}{
		{doc(SMTP, "smtp.office365.com", user("jane"), from("jane@gmail.com")), "(for example jane@your-domain)"},
		{doc(SMTP, "smtp.office365.com", user("jane"), from("jane@contoso.com")), "(for example jane@contoso.com)"},
		{doc(SMTP, "smtp.mail.me.com", user("jane"), from("jane@gmail.com")), "(for example jane@icloud.com)"},
		{doc(SMTP, "smtp.mail.me.com", user("jane"), from("jane@me.com")), "(for example jane@me.com)"},
	} {
		fs := Run(c.d, nil, []*Rule{SMTPUserForm})
		if len(fs) != 1 || !strings.Contains(fs[0].Message, c.want) {
			t.Errorf("from %s: %+v, want %q", c.d.Accounts[0].From.Val, fs, c.want)
		}
	}
}

// TestPlaintextPasswordSharedLine: a password line two providers' accounts
// use gets neither provider's advice.
func TestPlaintextPasswordSharedLine(t *testing.T) {
	at := Range{Path: "f", Start: Pos{Offset: 9, Line: 1, Col: 10}, End: Pos{Offset: 15, Line: 1, Col: 16}}
	d := doc(SMTP, "smtp.gmail.com", inlinePassword())
	d.Accounts[0].SMTP.Password.At = at
	other := doc(SMTP, "smtp.office365.com", inlinePassword())
	other.Accounts[0].SMTP.Password.At = at
	d.Accounts = append(d.Accounts, other.Accounts[0])
	d.Files = []*SourceFile{{Path: "f", Passwords: []Range{at}}}
	fs := Run(d, nil, []*Rule{PlaintextPassword})
	if len(fs) != 1 || strings.Contains(fs[0].Message, "(") {
		t.Errorf("findings = %+v, want one without a provider's advice", fs)
	}
	d.Accounts = d.Accounts[:1]
	if fs := Run(d, nil, []*Rule{PlaintextPassword}); len(fs) != 1 || !strings.Contains(fs[0].Message, "(Gmail: ") {
		t.Errorf("one provider: %+v, want Gmail's advice", fs)
	}
}

func TestShellQuote(t *testing.T) {
	for in, want := range map[string]string{
		"/home/kim/.msmtprc":         "/home/kim/.msmtprc",
		"My Mail/muttrc":             "'My Mail/muttrc'",
		"it's/msmtprc":               `'it'\''s/msmtprc'`,
		"~user/.msmtprc":             "'~user/.msmtprc'",
		"dot_config/msmtp/config":    "dot_config/msmtp/config",
		"$(touch x)/msmtprc":         "'$(touch x)/msmtprc'",
		"C:\\Users\\kim\\.gitconfig": `'C:\Users\kim\.gitconfig'`,
	} {
		if got := shellQuote(in); got != want {
			t.Errorf("shellQuote(%q) = %s, want %s", in, got, want)
		}
	}
}

// TestOAuthRequiredDeadline: Microsoft 365's SMTP still takes passwords
// where the tenant allows it, until the end of December 2026; the message
// says so instead of "fails".
func TestOAuthRequiredDeadline(t *testing.T) {
	fs := Run(doc(SMTP, "smtp.office365.com", user("jane@contoso.com")), nil, []*Rule{OAuthRequired})
	if len(fs) != 1 || !strings.Contains(fs[0].Message, "turned off by default at the end of December 2026") || strings.Contains(fs[0].Message, "fails until") {
		t.Errorf("Microsoft 365 SMTP: %+v", fs)
	}
	// An Outlook.com account on that host is Outlook.com's: passwords fail.
	fs = Run(doc(SMTP, "smtp.office365.com", user("jane@hotmail.com")), nil, []*Rule{OAuthRequired})
	if len(fs) != 1 || !strings.Contains(fs[0].Message, "Outlook.com accepts only OAuth2") {
		t.Errorf("hotmail on smtp.office365.com: %+v", fs)
	}
	fs = Run(doc(IMAP, "outlook.office365.com", user("jane@contoso.com")), nil, []*Rule{OAuthRequired})
	if len(fs) != 1 || !strings.Contains(fs[0].Message, "fails until") {
		t.Errorf("Microsoft 365 IMAP (passwords off since 2022): %+v", fs)
	}
}

// TestInsecurePermissionsChezmoi: a chezmoi source named private_ is
// installed 0600 whatever its mode in the repository; one without gets the
// advice to rename it, not to chmod the source.
func TestInsecurePermissionsChezmoi(t *testing.T) {
	for path, want := range map[string]string{
		"home/.msmtprc":                           "run chmod 600 home/.msmtprc",
		"chezmoi/private_dot_msmtprc":             "",
		"chezmoi/encrypted_private_dot_msmtprc":   "",
		"chezmoi/dot_msmtprc":                     "name it with private_ (private_dot_msmtprc)",
		"chezmoi/private_dot_config/msmtp/config": "run chmod 600",
	} {
		pw := Range{Path: path, Start: Pos{Offset: 9, Line: 1, Col: 10}}
		d := &Document{Format: "msmtp", Files: []*SourceFile{{Path: path, Mode: 0o644, StrictSecretMode: true, Passwords: []Range{pw}}}}
		fs := Run(d, nil, []*Rule{InsecurePermissions})
		switch {
		case want == "" && len(fs) != 0:
			t.Errorf("%s: %+v, want nothing", path, fs)
		case want != "" && (len(fs) != 1 || !strings.Contains(fs[0].Message, want)):
			t.Errorf("%s: %+v, want %q", path, fs, want)
		}
	}
}

func TestUserinfoPasswords(t *testing.T) {
	for s, want := range map[string]string{
		"smtp://kim:Q22Secret@smtp.gmail.com":            "Q22Secret",
		"x smtps://a%40b.org:p@ss:w@host:465/ y":         "p@ss:w",
		"smtp://kim@smtp.gmail.com":                      "",
		"smtp://kim:@host":                               "",
		"smtp.gmail.com:587":                             "",
		"bob:pw@host":                                    "pw",
		"see http://example.org/ then imap://u:pw2@h":    "pw2",
		"jane@example.org, imaps://jane@imap.x.org:993/": "",
	} {
		got := ""
		for _, r := range UserinfoPasswords(s, " \t") {
			got += s[r[0]:r[1]]
		}
		if got != want {
			t.Errorf("UserinfoPasswords(%q) = %q, want %q", s, got, want)
		}
	}
}

// TestMaskSecretsWhole: a secret quoted in a message is masked where it
// stands alone, not inside a word of the message.
func TestMaskSecretsWhole(t *testing.T) {
	for _, tt := range []struct{ in, secret, want string }{
		{"a password is stored; use a password manager", "pass", "a password is stored; use a password manager"},
		{"connection to smtp://kim:pass@host", "pass", "connection to smtp://kim:********@host"},
		{"pass at the start and the end: pass", "pass", "******** at the start and the end: ********"},
		{"x:p@ss!:y", "p@ss!", "x:********:y"},
		{"é-pass-é", "pass", "é-********-é"},
	} {
		if got := maskWhole(tt.in, map[string]bool{tt.secret: true}, []int{len(tt.secret)}); got != tt.want {
			t.Errorf("maskWhole(%q, %q) = %q, want %q", tt.in, tt.secret, got, tt.want)
		}
	}
}
