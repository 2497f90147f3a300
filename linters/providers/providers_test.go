package providers

import (
	"errors"
	"strings"
	"testing"
)

func TestBuiltinParses(t *testing.T) {
	db, err := Parse("providers.toml", builtinData)
	if err != nil {
		t.Fatalf("embedded database: %v", err)
	}
	if len(db.Providers) != 19 {
		t.Errorf("got %d providers, want 19", len(db.Providers))
	}
	if Builtin() != Builtin() {
		t.Error("Builtin is not parsed once")
	}
}

func TestBuiltinSourcesAndIDs(t *testing.T) {
	ids := map[string]bool{}
	for _, p := range Builtin().Providers {
		if p.ID == "" || ids[p.ID] {
			t.Errorf("provider id %q empty or duplicate", p.ID)
		}
		ids[p.ID] = true
		if !strings.HasPrefix(p.Source, "https://") {
			t.Errorf("%s: source %q is not https", p.ID, p.Source)
		}
		if p.Name == "" || p.Note == "" || len(p.Domains) == 0 {
			t.Errorf("%s: name, note or domains missing", p.ID)
		}
		if len(p.SMTP) == 0 || len(p.IMAP) == 0 {
			t.Errorf("%s: want SMTP and IMAP servers", p.ID)
		}
		for _, role := range []Role{RoleSMTP, RoleIMAP} {
			for _, s := range p.Servers(role) {
				if !strings.HasPrefix(s.Source, "https://") {
					t.Errorf("%s %s %s: source %q is not https", p.ID, role, s.Host, s.Source)
				}
				if !s.Preferred().Documented {
					t.Logf("%s %s %s: no documented endpoint", p.ID, role, s.Host)
				}
				if role == RoleSMTP && !s.AuthRequired {
					t.Errorf("%s %s: auth_required not set", p.ID, s.Host)
				}
				for _, e := range s.Endpoints {
					if !e.Documented && e.Note == "" {
						t.Errorf("%s %s port %d: undocumented endpoint without note", p.ID, s.Host, e.Port)
					}
				}
			}
		}
		for _, l := range p.Legacy {
			if !strings.HasPrefix(l.Source, "https://") || l.Note == "" {
				t.Errorf("%s legacy %s: source %q not https or note missing", p.ID, l.Host, l.Source)
			}
			// A legacy name must not also be a current server name.
			if q, _, srv, _ := Builtin().ByHost(l.Host); srv != nil {
				t.Errorf("%s legacy %s is a current server of %s", p.ID, l.Host, q.ID)
			}
		}
	}
}

func TestEveryDomainMapsBack(t *testing.T) {
	db := Builtin()
	for _, p := range db.Providers {
		for _, d := range p.Domains {
			d = strings.Replace(d, "*", "tenant", 1)
			if got := db.ByDomain(strings.ToUpper(d) + "."); got != p {
				t.Errorf("ByDomain(%q) = %v, want %s", d, got, p.ID)
			}
			if got := db.ByAddress("Someone@" + d); got != p {
				t.Errorf("ByAddress(someone@%s) = %v, want %s", d, got, p.ID)
			}
		}
	}
}

func TestICloud(t *testing.T) {
	db := Builtin()
	p := db.ByID("icloud")
	if p == nil {
		t.Fatal("no icloud provider")
	}
	if got := strings.Join(p.Domains, " "); got != "icloud.com me.com mac.com" {
		t.Errorf("domains = %q", got)
	}
	if p.OAuthOnly || p.Loopback {
		t.Error("iCloud is neither oauth_only nor loopback")
	}
	if !strings.Contains(p.Note, "app-specific password") {
		t.Errorf("note %q does not mention the app-specific password", p.Note)
	}

	smtp := p.Server(RoleSMTP, "smtp.mail.me.com")
	if smtp == nil || len(p.SMTP) != 1 {
		t.Fatal("want exactly one SMTP server smtp.mail.me.com")
	}
	if got, want := smtp.Preferred(), (Endpoint{Port: 587, Security: SecuritySTARTTLS, Documented: true}); got != want {
		t.Errorf("SMTP preferred = %+v, want %+v", got, want)
	}
	e465, ok := smtp.Endpoint(465, SecurityTLS)
	if !ok || e465.Documented || e465.Note != "not in Apple's documentation; reported working" {
		t.Errorf("SMTP 465 = %+v, %v", e465, ok)
	}
	if _, ok := smtp.Endpoint(587, SecurityTLS); ok {
		t.Error("587 with implicit TLS must not be offered")
	}
	if _, ok := smtp.Endpoint(465, SecuritySTARTTLS); ok {
		t.Error("465 with STARTTLS must not be offered")
	}
	if len(smtp.Endpoints) != 2 || smtp.Lookup(25) != nil {
		t.Errorf("SMTP endpoints = %+v", smtp.Endpoints)
	}
	if smtp.Login != LoginAddress || !smtp.AuthRequired {
		t.Errorf("SMTP login = %q, auth = %v", smtp.Login, smtp.AuthRequired)
	}
	if smtp.Login.Accepts("emilyparker") || !smtp.Login.Accepts("emilyparker@icloud.com") {
		t.Error("SMTP login must require the full address")
	}

	imap := p.Server(RoleIMAP, "imap.mail.me.com")
	if imap == nil {
		t.Fatal("no IMAP server imap.mail.me.com")
	}
	if got := imap.Endpoints; len(got) != 1 || got[0] != (Endpoint{Port: 993, Security: SecurityTLS, Documented: true}) {
		t.Errorf("IMAP endpoints = %+v", got)
	}
	if !imap.Login.Accepts("emilyparker") || !imap.Login.Accepts("emilyparker@icloud.com") {
		t.Errorf("IMAP login %q must accept the name part and the full address", imap.Login)
	}

	want := map[string]struct {
		role Role
		repl string
	}{
		"mail.me.com":          {RoleIMAP, "imap.mail.me.com"},
		"smtp.me.com":          {RoleSMTP, "smtp.mail.me.com"},
		"smtp.mac.com":         {RoleSMTP, "smtp.mail.me.com"},
		"smtp.icloud.com":      {RoleSMTP, "smtp.mail.me.com"},
		"imap.mail.icloud.com": {RoleIMAP, "imap.mail.me.com"},
		"smtp.mail.icloud.com": {RoleSMTP, "smtp.mail.me.com"},
		"mail.icloud.com":      {RoleWeb, ""},
		"pop.mail.me.com":      {RolePOP, "imap.mail.me.com"},
	}
	if len(p.Legacy) != len(want) {
		t.Errorf("%d legacy hosts, want %d", len(p.Legacy), len(want))
	}
	for host, w := range want {
		q, role, srv, l := db.ByHost(host)
		if q != p || srv != nil || l == nil || role != w.role || l.Role != w.role || l.Replacement != w.repl {
			t.Errorf("ByHost(%q) = %v, %q, %v, %+v; want legacy %+v", host, q, role, srv, l, w)
		}
	}
	// Replacement depends on the slot the legacy name was found in.
	l := p.LegacyHost("mail.me.com")
	if got := p.Replacement(l, RoleSMTP); got != "smtp.mail.me.com" {
		t.Errorf("mail.me.com in an SMTP slot: replacement %q", got)
	}
	if got := p.Replacement(l, RoleIMAP); got != "imap.mail.me.com" {
		t.Errorf("mail.me.com in an IMAP slot: replacement %q", got)
	}
	if got := p.Replacement(p.LegacyHost("mail.icloud.com"), RoleSMTP); got != "smtp.mail.me.com" {
		t.Errorf("mail.icloud.com in an SMTP slot: replacement %q", got)
	}

	for _, tc := range []struct {
		host string
		role Role
	}{
		{"smtp.mail.me.com", RoleSMTP},
		{"p03-smtp.mail.me.com", RoleSMTP},
		{"P71-SMTP.mail.me.com.", RoleSMTP},
		{"IMAP.MAIL.ME.COM.", RoleIMAP},
		{"p42-imap.mail.me.com", RoleIMAP},
	} {
		q, role, srv, l := db.ByHost(tc.host)
		if q != p || role != tc.role || srv == nil || l != nil {
			t.Errorf("ByHost(%q) = %v, %q, %v, %v; want icloud %s", tc.host, q, role, srv, l, tc.role)
		}
	}
	if _, role, srv, _ := db.ByHost("imap.mail.me.com"); role != RoleIMAP || srv != &p.IMAP[0] {
		t.Error("ByHost must return a pointer into the provider")
	}
}

func TestGmailBothPorts(t *testing.T) {
	s := Builtin().ByID("gmail").Server(RoleSMTP, "smtp.gmail.com")
	for _, e := range []Endpoint{{Port: 465, Security: SecurityTLS}, {Port: 587, Security: SecuritySTARTTLS}} {
		got, ok := s.Endpoint(e.Port, e.Security)
		if !ok || !got.Documented {
			t.Errorf("gmail %d/%s: %+v %v", e.Port, e.Security, got, ok)
		}
	}
	if l := s.Lookup(587); len(l) != 1 || l[0].Security != SecuritySTARTTLS {
		t.Errorf("Lookup(587) = %+v", l)
	}
}

// TestFastmailDocuments465Only: Fastmail documents 465 with implicit TLS
// only; 587/STARTTLS, from secondary sources, is listed as undocumented,
// like Yahoo's 587 and iCloud's 465.
func TestFastmailDocuments465Only(t *testing.T) {
	p := Builtin().ByAddress("me@fastmail.com")
	if p == nil || p.ID != "fastmail" {
		t.Fatalf("ByAddress = %v", p)
	}
	if len(p.SMTP) != 1 {
		t.Fatalf("%d SMTP servers", len(p.SMTP))
	}
	var documented, listed []Endpoint
	for _, e := range p.SMTP[0].Endpoints {
		listed = append(listed, e)
		if e.Documented {
			documented = append(documented, e)
		}
	}
	if len(documented) != 1 || documented[0] != (Endpoint{Port: 465, Security: SecurityTLS, Documented: true}) {
		t.Errorf("Fastmail documented SMTP endpoints = %+v, want only 465/tls", documented)
	}
	if len(listed) != 2 || listed[1].Port != 587 || listed[1].Security != SecuritySTARTTLS || listed[1].Note == "" {
		t.Errorf("Fastmail SMTP endpoints = %+v, want 587/starttls listed with a note", listed)
	}
}

func TestOAuthOnlyAndLoopback(t *testing.T) {
	db := Builtin()
	for _, id := range []string{"outlook", "microsoft365"} {
		if !db.ByID(id).OAuthOnly {
			t.Errorf("%s must be oauth_only", id)
		}
	}
	if p := db.ByAddress("a@hotmail.co.uk"); p == nil || p.ID != "outlook" || !p.OAuthOnly {
		t.Errorf("hotmail.co.uk -> %v", p)
	}
	if p := db.ByAddress("a@contoso.onmicrosoft.com"); p == nil || p.ID != "microsoft365" {
		t.Errorf("contoso.onmicrosoft.com -> %v", p)
	}
	var loop []string
	for _, p := range db.Providers {
		if p.OAuthOnly && p.ID != "outlook" && p.ID != "microsoft365" {
			t.Errorf("%s: unexpected oauth_only", p.ID)
		}
		if p.Loopback {
			loop = append(loop, p.ID)
		}
	}
	if strings.Join(loop, ",") != "proton-bridge" {
		t.Errorf("loopback providers = %v", loop)
	}
	pb := db.ByAddress("x@pm.me")
	if pb == nil || pb.ID != "proton-bridge" || pb.Server(RoleIMAP, "127.0.0.1") == nil || pb.Server(RoleSMTP, "LOCALHOST") == nil {
		t.Errorf("proton bridge lookup: %v", pb)
	}
	if pb.SMTP[0].Preferred().Port != 1025 || pb.IMAP[0].Preferred().Port != 1143 {
		t.Error("bridge default ports")
	}
	if p, _, _, _ := db.ByHost("127.0.0.1"); p != nil {
		t.Errorf("ByHost(127.0.0.1) = %s, want nil: loopback names no provider", p.ID)
	}
	// Outlook legacy names.
	for host, repl := range map[string]string{
		"imap-mail.outlook.com": "outlook.office365.com",
		"smtp.live.com":         "smtp-mail.outlook.com",
		"pop3.live.com":         "outlook.office365.com",
	} {
		p, _, _, l := db.ByHost(host)
		if p == nil || p.ID != "outlook" || l == nil || l.Replacement != repl {
			t.Errorf("ByHost(%q) = %v %+v", host, p, l)
		}
	}
	if p, role, _, _ := db.ByHost("smtp.office365.com"); p.ID != "microsoft365" || role != RoleSMTP {
		t.Errorf("smtp.office365.com -> %s", p.ID)
	}
	if p, _, _, l := db.ByHost("mail.messagingengine.com"); p.ID != "fastmail" || l == nil {
		t.Error("mail.messagingengine.com is a Fastmail legacy host")
	}
}

func TestPreferredSMTP(t *testing.T) {
	db := Builtin()
	for _, tc := range []struct {
		addr, host string
		port       int
		sec        Security
	}{
		{"a@icloud.com", "smtp.mail.me.com", 587, SecuritySTARTTLS},
		{"a@me.com", "smtp.mail.me.com", 587, SecuritySTARTTLS},
		{"a@gmail.com", "smtp.gmail.com", 465, SecurityTLS},
		{"a@outlook.com", "smtp-mail.outlook.com", 587, SecuritySTARTTLS},
		{"a@x.onmicrosoft.com", "smtp.office365.com", 587, SecuritySTARTTLS},
		{"a@yahoo.com", "smtp.mail.yahoo.com", 465, SecurityTLS},
		{"a@aol.com", "smtp.aol.com", 465, SecurityTLS},
		{"a@fastmail.fm", "smtp.fastmail.com", 465, SecurityTLS},
		{"a@zohomail.eu", "smtp.zoho.com", 465, SecurityTLS},
		{"a@gmx.de", "mail.gmx.net", 465, SecurityTLS},
		{"a@gmx.com", "mail.gmx.com", 465, SecurityTLS},
		{"a@web.de", "smtp.web.de", 465, SecurityTLS},
		{"a@bk.ru", "smtp.mail.ru", 465, SecurityTLS},
		{"a@ya.ru", "smtp.yandex.com", 465, SecurityTLS},
		{"a@posteo.net", "posteo.de", 465, SecurityTLS},
		{"a@mailbox.org", "smtp.mailbox.org", 465, SecurityTLS},
		{"a@proton.me", "127.0.0.1", 1025, SecuritySTARTTLS},
		{"a@magenta.de", "securesmtp.t-online.de", 465, SecurityTLS},
		{"a@comcast.net", "smtp.comcast.net", 465, SecurityTLS},
		{"a@sbcglobal.net", "outbound.att.net", 465, SecurityTLS},
	} {
		p := db.ByAddress(tc.addr)
		if p == nil {
			t.Errorf("%s: no provider", tc.addr)
			continue
		}
		s := p.SMTP[0]
		e := s.Preferred()
		if s.Host != tc.host || e.Port != tc.port || e.Security != tc.sec || !e.Documented {
			t.Errorf("%s: preferred SMTP %s:%d/%s (documented %v), want %s:%d/%s",
				tc.addr, s.Host, e.Port, e.Security, e.Documented, tc.host, tc.port, tc.sec)
		}
	}
}

func TestLookupMisses(t *testing.T) {
	db := Builtin()
	for _, a := range []string{"", "no-at-sign", "a@", "a@example.invalid"} {
		if p := db.ByAddress(a); p != nil {
			t.Errorf("ByAddress(%q) = %s", a, p.ID)
		}
	}
	if p, role, srv, l := db.ByHost("smtp.example.invalid"); p != nil || role != "" || srv != nil || l != nil {
		t.Error("unknown host matched")
	}
	if p := db.ByAddress("Emily <emily@ICLOUD.COM>"); p == nil || p.ID != "icloud" {
		t.Errorf("angle-bracket address: %v", p)
	}
	// A WEB.DE address may log in either way.
	if s := db.ByID("webde").SMTP[0]; !s.Login.Accepts("name") || !s.Login.Accepts("name@web.de") {
		t.Error("webde login")
	}
}

const userDB = `
[[provider]]
id = "icloud"
name = "My iCloud override"
domains = ["icloud.com"]
source = "https://example.org/icloud"

  [[provider.smtp]]
  host = "relay.example.org"
  source = "https://example.org/icloud"
  endpoints = [ { port = 2525, security = "starttls", documented = true } ]

[[provider]]
id = "corp"
domains = ["corp.example", "*.corp.example"]
source = "https://wiki.corp.example/mail"

  [[provider.smtp]]
  host = "SMTP.Corp.Example."
  login = "localpart"
  auth_required = true
  source = "https://wiki.corp.example/mail"
  endpoints = [
    { port = 465, security = "tls", documented = true },
  ]
`

func TestMerge(t *testing.T) {
	user, err := Parse("user.toml", []byte(userDB))
	if err != nil {
		t.Fatal(err)
	}
	base := Builtin()
	n := len(base.Providers)
	db := base.Merge(user)
	if len(db.Providers) != n+1 {
		t.Errorf("merged %d providers, want %d", len(db.Providers), n+1)
	}
	if len(base.Providers) != n || base.ByID("icloud").Name != "iCloud Mail" {
		t.Error("Merge modified the builtin database")
	}
	if db.Providers[0].ID != "icloud" || db.Providers[1].ID != "corp" {
		t.Error("user entries must come first")
	}
	ic := db.ByID("icloud")
	if ic.Name != "My iCloud override" || len(ic.IMAP) != 0 || len(ic.Legacy) != 0 {
		t.Errorf("icloud not replaced: %+v", ic)
	}
	if p := db.ByAddress("x@me.com"); p != nil {
		t.Errorf("me.com should be gone with the replaced entry, got %s", p.ID)
	}
	if p, _, _, _ := db.ByHost("smtp.mail.me.com"); p != nil {
		t.Error("builtin iCloud hosts survived the replacement")
	}
	corp := db.ByAddress("a@eng.corp.example")
	if corp == nil || corp.ID != "corp" || corp.Name != "corp" {
		t.Fatalf("corp lookup: %+v", corp)
	}
	if p, role, srv, _ := db.ByHost("smtp.corp.example"); p != corp || role != RoleSMTP || srv.Host != "smtp.corp.example" {
		t.Error("corp host lookup")
	}
	if corp.SMTP[0].Login != LoginLocalpart {
		t.Error("login not parsed")
	}
	if user.ByID("icloud").SMTP[0].Login != LoginAny {
		t.Error("missing login should default to any")
	}
	if db.ByID("gmail") == nil {
		t.Error("builtin gmail lost")
	}
	if got := base.Merge(nil); len(got.Providers) != n {
		t.Error("Merge(nil)")
	}
}

func TestParseUnknownKey(t *testing.T) {
	data := `# user providers
[[provider]]
id = "corp"
source = "https://wiki.corp.example/mail"

  [[provider.smtp]]
  host = "smtp.corp.example"
  source = "https://wiki.corp.example/mail"
  endpoints = [
    { port = 465, security = "tls" },
    { port = 587, securty = "starttls" },
  ]
  hots = "typo"
`
	_, err := Parse("user.toml", []byte(data))
	if err == nil {
		t.Fatal("unknown keys accepted")
	}
	msg := err.Error()
	for _, want := range []string{
		`user.toml:11: unknown key "provider.smtp.endpoints.securty"`,
		`user.toml:13: unknown key "provider.smtp.hots"`,
		`user.toml:6: provider "corp" smtp server "smtp.corp.example" endpoint 2: missing security`,
	} {
		if !strings.Contains(msg, want) {
			t.Errorf("error %q\ndoes not contain %q", msg, want)
		}
	}
	var pe *ParseError
	if !errors.As(err, &pe) || pe.Name != "user.toml" || pe.Line != 11 {
		t.Errorf("first ParseError = %+v", pe)
	}
}

func TestParseUnknownKeyLinesRepeated(t *testing.T) {
	// The same unknown key in a later array element is found at its own line.
	data := `[[provider]]
id = "a"
source = "https://a.example"
colour = "red"

[[provider]]
id = "b"
source = "https://b.example"
"colour" = "blue"   # quoted key, same path
[provider.extra]
x = 1
`
	_, err := Parse("u.toml", []byte(data))
	msg := ""
	if err != nil {
		msg = err.Error()
	}
	for _, want := range []string{
		`u.toml:4: unknown key "provider.colour"`,
		`u.toml:9: unknown key "provider.colour"`,
		`u.toml:10: unknown key "provider.extra"`,
	} {
		if !strings.Contains(msg, want) {
			t.Errorf("error %q\ndoes not contain %q", msg, want)
		}
	}
	if strings.Contains(msg, "provider.extra.x") {
		t.Errorf("keys below an unknown table reported again: %q", msg)
	}
}

func TestParseErrors(t *testing.T) {
	for _, tc := range []struct {
		name, data, want string
	}{
		{"missing id", `
[[provider]]
source = "https://x.example"`, `t.toml:2: provider 1: missing id`},
		{"missing source", `
[[provider]]
id = "x"`, `t.toml:2: provider "x": missing source`},
		{"bad source", `
[[provider]]
id = "x"
source = "see the wiki"`, `source "see the wiki" is not an http(s) URL`},
		{"duplicate id", `
[[provider]]
id = "x"
source = "https://x.example"

[[provider]]
id = "x"
source = "https://x.example"`, `t.toml:6: duplicate provider id "x" (first defined at line 2)`},
		{"bad security", `
[[provider]]
id = "x"
source = "https://x.example"
  [[provider.smtp]]
  host = "smtp.x.example"
  source = "https://x.example"
  endpoints = [{ port = 587, security = "ssl" }]`, `t.toml:5: provider "x" smtp server "smtp.x.example" endpoint 1: bad security "ssl"`},
		{"bad login", `
[[provider]]
id = "x"
source = "https://x.example"
  [[provider.imap]]
  host = "imap.x.example"
  login = "email"
  source = "https://x.example"
  endpoints = [{ port = 993, security = "tls" }]`, `imap server "imap.x.example": bad login "email"`},
		{"server source", `
[[provider]]
id = "x"
source = "https://x.example"
  [[provider.imap]]
  host = "imap.x.example"
  endpoints = [{ port = 993, security = "tls" }]`, `imap server "imap.x.example": missing source`},
		{"bad role", `
[[provider]]
id = "x"
source = "https://x.example"
  [[provider.legacy]]
  host = "old.x.example"
  role = "smtps"
  source = "https://x.example"`, `t.toml:5: provider "x" legacy host "old.x.example": bad role "smtps"`},
		{"duplicate domain", `
[[provider]]
id = "x"
source = "https://x.example"
domains = ["x.example"]
[[provider]]
id = "y"
source = "https://y.example"
domains = ["X.example"]`, `t.toml:6: provider "y": domain "x.example" is already served by provider "x"`},
		{"type mismatch", `
[[provider]]
id = "x"
source = "https://x.example"
  [[provider.smtp]]
  host = "smtp.x.example"
  source = "https://x.example"
  endpoints = [{ port = "587", security = "starttls" }]`, `t.toml`},
		{"syntax", `
[[provider]]
id = "x
`, `t.toml:3: `},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse("t.toml", []byte(tc.data))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("got %v, want error containing %q", err, tc.want)
			}
		})
	}
}

func TestKeyLines(t *testing.T) {
	src := `a = """multi
line = not a key
""" # b = 1
[t]   # comment
'lit.key' = { x = [1, {y = 2}], "z w" = 'q' }
`
	got := keyLines([]byte(src))
	for key, want := range map[string]int{
		"a": 1, "t": 4, `t."lit.key"`: 5, `t."lit.key".x`: 5, `t."lit.key".x.y`: 5, `t."lit.key"."z w"`: 5,
	} {
		if l := got[key]; len(l) != 1 || l[0] != want {
			t.Errorf("%s: lines %v, want [%d]", key, l, want)
		}
	}
	if _, ok := got["line"]; ok {
		t.Error("key inside a multi-line string recorded")
	}
	if _, ok := got["b"]; ok {
		t.Error("key inside a comment recorded")
	}
}
