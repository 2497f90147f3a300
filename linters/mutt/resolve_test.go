package mutt

import (
	"io/fs"
	"path/filepath"
	"strings"
	"testing"

	"github.com/maillint/maillint/fixers"
	"github.com/maillint/maillint/linters"
)

// memCtx reads files from a map.
func memCtx(files map[string]string) *linters.Context {
	return &linters.Context{Read: func(p string) ([]byte, fs.FileMode, error) {
		if s, ok := files[filepath.ToSlash(filepath.Clean(p))]; ok {
			return []byte(s), 0o600, nil
		}
		return nil, 0, fs.ErrNotExist
	}, Env: linters.Env{Home: "/home/u"}}
}

func parseDoc(t *testing.T, src string, files map[string]string) *linters.Document {
	t.Helper()
	doc, err := Format{}.Parse("muttrc", []byte(src), 0o600, memCtx(files))
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

func TestWords(t *testing.T) {
	cases := []struct {
		in   string
		want []string // command name and words
	}{
		{`set a=b`, []string{"set", "a=b"}},
		{`set a = "x y" # c`, []string{"set", "a", "=", "x y"}},
		{`set a=ab#cd`, []string{"set", "a=ab"}},
		{`set a='p#ss "w"'`, []string{"set", `a=p#ss "w"`}},
		{`set a="q\"x\ty"`, []string{"set", "a=q\"x\ty"}},
		{`set a=x\ y`, []string{"set", "a=x y"}},
		{`set a='$HOME' b="$HOME"`, []string{"set", "a=$HOME", "b=$HOME"}},
		{"set a=`cmd x` b", []string{"set", "a=\x00", "b"}},
		{`set a="x`, []string{"set", "a=x"}},
		{"set a=\\101", []string{"set", "a=A"}},
	}
	for _, c := range cases {
		f := Parse("x", []byte(c.in))
		if len(f.Logical) != 1 || len(f.Logical[0].Commands) != 1 {
			t.Fatalf("%q: %d logical lines", c.in, len(f.Logical))
		}
		cmd := f.Logical[0].Commands[0]
		got := []string{cmd.Name.Value()}
		for _, w := range cmd.Args {
			got = append(got, w.Value())
		}
		if strings.Join(got, "|") != strings.Join(c.want, "|") {
			t.Errorf("%q: got %q want %q", c.in, got, c.want)
		}
	}
}

func TestLogicalLines(t *testing.T) {
	src := "set a=\"x\\\ny\"\r\n# comment \\\nset b=1\nset c=2; set d=3\nlast\\"
	f := Parse("x", []byte(src))
	if string(f.Bytes()) != src {
		t.Fatal("round trip")
	}
	var texts []string
	for _, lg := range f.Logical {
		texts = append(texts, lg.Text())
	}
	want := []string{"set a=\"xy\"", "# comment set b=1", "set c=2; set d=3", "last\\"}
	if strings.Join(texts, "|") != strings.Join(want, "|") {
		t.Errorf("logical lines %q, want %q", texts, want)
	}
	if n := len(f.Logical[2].Commands); n != 2 {
		t.Errorf("%d commands in %q", n, texts[2])
	}
	if f.EOL() != "\n" {
		t.Errorf("EOL %q", f.EOL())
	}
}

func TestSetForms(t *testing.T) {
	doc := parseDoc(t, `set smtp_url="smtp://u%40x.org@smtp.example.org:587/"
set nossl_force_tls
toggle ssl_force_tls
toggle ssl_force_tls
set invssl_verify_dates
set ssl_starttls=NO
`, nil)
	ep := doc.Accounts[0].SMTP
	if ep.Security.Val != linters.SecurityNone {
		t.Errorf("security %v, want none (force_tls off, starttls no)", ep.Security.Val)
	}
	if ep.CertCheck.Val {
		t.Error("invssl_verify_dates should turn date checks off")
	}
	if ep.User.Val != "u@x.org" || !ep.Auth.Val {
		t.Errorf("user %q auth %v", ep.User.Val, ep.Auth.Val)
	}
}

func TestQueryStopsSet(t *testing.T) {
	// "set folder" is a query: mutt stops the set command there and reads
	// the next word as a command.
	doc := parseDoc(t, "set from=a@b.c folder ssl_force_tls=no\n", nil)
	if len(doc.Diagnostics) == 0 {
		t.Fatal("want a diagnostic for the value read as a command")
	}
	if doc.Accounts[0].From.Val != "a@b.c" {
		t.Errorf("from %q", doc.Accounts[0].From.Val)
	}
}

func TestVariables(t *testing.T) {
	doc := parseDoc(t, `set my_host = smtp.example.org
set imap_user = "me@example.org"
set smtp_url = "smtps://$imap_user@${my_host}:465"
`, nil)
	ep := doc.Accounts[0].SMTP
	if ep.Host.Val != "smtp.example.org" || ep.User.Val != "me@example.org" || ep.Port.Val != 465 {
		t.Errorf("got host %q user %q port %d", ep.Host.Val, ep.User.Val, ep.Port.Val)
	}
	if ep.Writer == nil {
		t.Fatal("no writer")
	}
	// The host comes from a variable: not written here, so no edit.
	if edits, err := ep.Writer.Edits(linters.SetHost("other.example.org")); err == nil {
		t.Errorf("edited a host written in a variable: %+v", edits)
	}
}

func TestDynamic(t *testing.T) {
	doc := parseDoc(t, "set smtp_url=\"smtp://`whoami`@$SMTP_HOST:587/\"\n", nil)
	ep := doc.Accounts[0].SMTP
	if !ep.Host.Dynamic || !ep.User.Dynamic || ep.Port.Dynamic || ep.Port.Val != 587 {
		t.Errorf("host dyn %v user dyn %v port %d dyn %v", ep.Host.Dynamic, ep.User.Dynamic, ep.Port.Val, ep.Port.Dynamic)
	}
	found := false
	for _, d := range doc.Diagnostics {
		found = found || d.Rule == "dynamic-value"
	}
	if !found {
		t.Error("no dynamic-value finding")
	}
}

func TestPipeSource(t *testing.T) {
	doc := parseDoc(t, "set ssl_force_tls=yes\nsource \"gpg -d x.gpg |\"\nset folder=imaps://imap.example.org/\n", nil)
	a := doc.Accounts[0]
	if a.SMTP == nil || !a.SMTP.Host.Dynamic {
		t.Errorf("smtp_url may come from the command: want a dynamic SMTP endpoint, got %+v", a.SMTP)
	}
	if a.IMAP == nil || a.IMAP.Host.Val != "imap.example.org" || a.IMAP.Security.Dynamic {
		t.Errorf("folder set after the command is known: %+v", a.IMAP)
	}
}

func TestSourceResolution(t *testing.T) {
	files := map[string]string{
		"conf/accounts/work": "set smtp_url=smtp://a@dir.example.org:587\n",
		"accounts/work":      "set smtp_url=smtp://a@cwd.example.org:587\n",
		"conf/loop":          "source loop\n",
	}
	doc, err := Format{}.Parse("conf/neomuttrc", []byte("source accounts/work\nsource loop\nsource nothere\n"), 0o600, memCtx(files))
	if err != nil {
		t.Fatal(err)
	}
	if h := doc.Accounts[0].SMTP.Host.Val; h != "dir.example.org" {
		t.Errorf("neomutt resolves against the sourcing file's folder first: got %s", h)
	}
	rules := map[string]int{}
	for _, d := range doc.Diagnostics {
		rules[d.Rule]++
	}
	if rules["syntax"] != 1 || rules["include-missing"] != 1 {
		t.Errorf("want one cycle and one missing file, got %v", rules)
	}
	if len(doc.Files) != 3 || doc.Files[0].Path != "conf/neomuttrc" {
		t.Errorf("files: %d, first %s", len(doc.Files), doc.Files[0].Path)
	}
	// Only the working directory has it: mutt's rule.
	delete(files, "conf/accounts/work")
	doc, _ = Format{}.Parse("conf/neomuttrc", []byte("source accounts/work\n"), 0o600, memCtx(files))
	if h := doc.Accounts[0].SMTP.Host.Val; h != "cwd.example.org" {
		t.Errorf("then against the working directory: got %s", h)
	}
}

func TestHooks(t *testing.T) {
	doc := parseDoc(t, `set folder=imaps://imap.gmail.com/
account-hook imaps://imap.gmail.com 'set smtp_url="smtps://a%40gmail.com@smtp.gmail.com:465"'
send-hook '~f work@example.org' "set smtp_url=\"smtp://w%40example.org@smtp.example.org:587\""
folder-hook . 'set sort=date'
`, nil)
	if len(doc.Accounts) != 2 {
		t.Fatalf("%d accounts, want global and the send-hook", len(doc.Accounts))
	}
	if h := doc.Accounts[0].SMTP.Host.Val; h != "smtp.gmail.com" {
		t.Errorf("account-hook matching $folder applies to the global account: %s", h)
	}
	ep := doc.Accounts[1].SMTP
	if ep.Host.Val != "smtp.example.org" || ep.User.Val != "w@example.org" {
		t.Errorf("send-hook account: %s %s", ep.Host.Val, ep.User.Val)
	}
	// Edits inside the escaped double quotes are exact.
	edits, err := ep.Writer.Edits(linters.SetPort(465), linters.SetSecurity(linters.SecurityImplicitTLS))
	if err != nil {
		t.Fatal(err)
	}
	out, err := fixers.ApplyEdits(doc.Files[0].Src, edits)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(out), `"set smtp_url=\"smtps://w%40example.org@smtp.example.org:465\""`) {
		t.Errorf("edited:\n%s", out)
	}
}

func TestSecrets(t *testing.T) {
	src := "set smtp_url=smtps://u:s3cr3t@h.example.org\nset imap_pass='p4ss' my_gmail_pw=\"x9\"\n#set smtp_url=smtp://u:old@h\n"
	doc := parseDoc(t, src, nil)
	var masked []string
	for _, s := range doc.Files[0].Secrets {
		masked = append(masked, src[s.Start.Offset:s.End.Offset])
	}
	got := strings.Join(masked, ",")
	for _, want := range []string{"s3cr3t", "p4ss", "x9", "old"} {
		if !strings.Contains(got, want) {
			t.Errorf("%q not masked (masked: %q)", want, masked)
		}
	}
	for _, f := range linters.Run(doc, nil, linters.All()) {
		for _, s := range []string{"s3cr3t", "p4ss", "x9"} {
			if strings.Contains(f.Message, s) {
				t.Errorf("secret in message: %s", f.Message)
			}
		}
	}
	if doc.Accounts[0].SMTP.Password.Kind != linters.PasswordInline {
		t.Error("URL password should be inline")
	}
}

func TestWriterEdits(t *testing.T) {
	cases := []struct {
		src    string
		change []linters.Change
		want   string
	}{
		{"set smtp_url=smtp://a@h.example.org\n", []linters.Change{linters.SetPort(587)}, "set smtp_url=smtp://a@h.example.org:587\n"},
		{"set smtp_url='smtps://a@h.example.org:587/'\n", []linters.Change{linters.SetSecurity(linters.SecurityStartTLS)}, "set smtp_url='smtp://a@h.example.org:587/'\n"},
		{"set smtp_url=smtps://a@h.example.org\n", []linters.Change{linters.SetSecurity(linters.SecurityStartTLS)}, "set smtp_url=smtp://a@h.example.org:465\n"},
		{"set smtp_url=smtp://h.example.org:587\nset nossl_force_tls\n", []linters.Change{linters.SetSecurity(linters.SecurityStartTLS)}, "set smtp_url=smtp://h.example.org:587\nset ssl_force_tls\n"},
		{"set smtp_url=smtp://h.example.org:587\nunset ssl_force_tls ssl_verify_host\n", []linters.Change{linters.SetSecurity(linters.SecurityStartTLS)},
			"set smtp_url=smtp://h.example.org:587\nunset ssl_force_tls ssl_verify_host\nset ssl_force_tls=yes\n"},
		{"set smtp_url=smtp://h.example.org:587 ssl_verify_host=\"no\"", []linters.Change{linters.SetCertCheck(true)}, "set smtp_url=smtp://h.example.org:587 ssl_verify_host=\"yes\""},
		{"set smtp_url=\"smtp://h.example.org:587\"\n", []linters.Change{linters.SetUser("me@example.org")}, "set smtp_url=\"smtp://me%40example.org@h.example.org:587\"\n"},
		{"set folder=imap://[::1]:993\n", []linters.Change{linters.SetSecurity(linters.SecurityImplicitTLS), linters.SetHost("imap.example.org")}, "set folder=imaps://imap.example.org:993\n"},
	}
	for _, c := range cases {
		doc := parseDoc(t, c.src, nil)
		a := doc.Accounts[0]
		ep := a.SMTP
		if ep == nil {
			ep = a.IMAP
		}
		edits, err := ep.Writer.Edits(c.change...)
		if err != nil {
			t.Errorf("%q: %v", c.src, err)
			continue
		}
		out, err := fixers.ApplyEdits([]byte(c.src), edits)
		if err != nil {
			t.Errorf("%q: %v", c.src, err)
			continue
		}
		if string(out) != c.want {
			t.Errorf("%q:\n got %q\nwant %q", c.src, out, c.want)
		}
	}
}

func TestMatch(t *testing.T) {
	yes := []string{"/home/u/.muttrc", "/home/u/.mutt/muttrc", "/home/u/.config/mutt/muttrc", "/home/u/.neomuttrc",
		"/home/u/.config/neomutt/neomuttrc", "dot_muttrc", "private_dot_config/mutt/muttrc", "dot_config/neomutt/neomuttrc",
		"/home/u/.mutt/accounts/gmail", "/home/u/.config/mutt/accounts/dr.example@gmail.com", "mutt/icloud.muttrc",
		"/home/u/.mutt/gpg.rc", "dot_mutt/accounts/work", "/etc/Muttrc", "muttrc-2.2.12"}
	no := []string{"/home/u/.msmtprc", "/home/u/.mutt/mailcap", "/home/u/.mutt/cache/headers", "/home/u/.gitconfig",
		"/home/u/.mutt/signature", "/home/u/.mutt/accounts/.work.swp", "/home/u/notes/muttrc.md", "/home/u/.mutt/msmtprc"}
	for _, p := range yes {
		if !(Format{}).Match(p) {
			t.Errorf("Match(%q) = false", p)
		}
	}
	for _, p := range no {
		if (Format{}).Match(p) {
			t.Errorf("Match(%q) = true", p)
		}
	}
	got := Format{}.DefaultPaths(linters.Env{Home: "/h", Getenv: func(string) string { return "" }})
	want := "/h/.muttrc /h/.mutt/muttrc /h/.config/mutt/muttrc /h/.neomuttrc /h/.neomutt/neomuttrc /h/.config/neomutt/neomuttrc"
	if strings.Join(got, " ") != want {
		t.Errorf("DefaultPaths = %v", got)
	}
}

func TestBinary(t *testing.T) {
	if _, err := (Format{}).Parse("muttrc", []byte("set a\x00"), 0, nil); err != ErrBinary {
		t.Errorf("err = %v", err)
	}
}

func TestRunAndIfdef(t *testing.T) {
	doc := parseDoc(t, "set smtp_url=smtp://a@b.example.org:25\nrun 'set smtp_url=smtps://x@y.example.org:465'\nifdef ssl_force_tls 'set from=me@example.org'\nifndef ssl_force_tls 'set from=no@example.org'\n", nil)
	a := doc.Accounts[0]
	if a.SMTP.Host.Val != "y.example.org" || a.From.Val != "me@example.org" {
		t.Errorf("host %s from %s", a.SMTP.Host.Val, a.From.Val)
	}
}

// TestAuthenticatorsList: mutt's colon-separated $smtp_authenticators is
// the model's list of mechanisms, one per word.
func TestAuthenticatorsList(t *testing.T) {
	for list, want := range map[string]string{"xoauth2:login": "xoauth2 login", "PLAIN": "plain", "login : plain": "login plain"} {
		doc := parseDoc(t, "set smtp_url = \"smtp://u%40x.org@smtp.example.org:587/\"\nset smtp_authenticators = \""+list+"\"\n", nil)
		ep := doc.Accounts[0].SMTP
		if !ep.AuthMech.Set || ep.AuthMech.Val != want {
			t.Errorf("%q: AuthMech %+v, want %q", list, ep.AuthMech, want)
		}
	}
}
