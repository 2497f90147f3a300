package gitconfig

import (
	"errors"
	"io/fs"
	"reflect"
	"testing"

	"github.com/maillint/maillint/linters"
)

// edit parses files (the main one is "f"), asks the writer of the named
// account for changes and returns the edited files.
func edit(t *testing.T, files map[string]string, account string, changes ...linters.Change) (map[string]string, error) {
	t.Helper()
	ctx := &linters.Context{Read: func(p string) ([]byte, fs.FileMode, error) {
		if s, ok := files[p]; ok {
			return []byte(s), 0o600, nil
		}
		return nil, 0, fs.ErrNotExist
	}}
	doc, err := Format{}.Parse("f", []byte(files["f"]), 0o600, ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range doc.Accounts {
		if a.Name != account {
			continue
		}
		if a.SMTP == nil {
			t.Fatalf("account %s has no SMTP endpoint", account)
		}
		edits, err := a.SMTP.Writer.Edits(changes...)
		if err != nil {
			return nil, err
		}
		in := map[string][]byte{}
		for k, v := range files {
			in[k] = []byte(v)
		}
		out, err := apply(in, edits)
		if err != nil {
			t.Fatal(err)
		}
		res := map[string]string{}
		for k, v := range out {
			res[k] = string(v)
		}
		return res, nil
	}
	t.Fatalf("no account %s", account)
	return nil, nil
}

func TestWriter(t *testing.T) {
	cases := []struct {
		name    string
		files   map[string]string
		account string
		changes []linters.Change
		want    map[string]string
	}{
		{
			name:    "insert after the server, lower-case style",
			files:   map[string]string{"f": "[sendemail]\n  smtpserver=x.example\n  smtpuser=u\n"},
			account: "sendemail",
			changes: []linters.Change{linters.SetPort(587), linters.SetSecurity(linters.SecurityStartTLS)},
			want:    map[string]string{"f": "[sendemail]\n  smtpserver=x.example\n  smtpserverport=587\n  smtpencryption=tls\n  smtpuser=u\n"},
		},
		{
			name:    "value keeps quotes and comment",
			files:   map[string]string{"f": "[sendemail]\n\tsmtpServer = \"x.example\" # c\n"},
			account: "sendemail",
			changes: []linters.Change{linters.SetHost("y.example")},
			want:    map[string]string{"f": "[sendemail]\n\tsmtpServer = \"y.example\" # c\n"},
		},
		{
			name:    "identity with its own server overrides the shared value",
			files:   map[string]string{"f": "[sendemail]\n\tsmtpServer = a.example\n\tsmtpEncryption = tls\n[sendemail \"w\"]\n\tsmtpServer = b.example\n"},
			account: "w",
			changes: []linters.Change{linters.SetSecurity(linters.SecurityImplicitTLS), linters.SetPort(465)},
			want:    map[string]string{"f": "[sendemail]\n\tsmtpServer = a.example\n\tsmtpEncryption = tls\n[sendemail \"w\"]\n\tsmtpServer = b.example\n\tsmtpServerPort = 465\n\tsmtpEncryption = ssl\n"},
		},
		{
			// The plain identity uses the same server but is another
			// account: what w needs goes into w's section.
			name:    "identity sharing the server writes in its own section",
			files:   map[string]string{"f": "[sendemail]\n\tsmtpServer = a.example\n\tsmtpEncryption = tls\n[sendemail \"w\"]\n\tsmtpUser = u\n"},
			account: "w",
			changes: []linters.Change{linters.SetSecurity(linters.SecurityImplicitTLS), linters.SetPort(465)},
			want:    map[string]string{"f": "[sendemail]\n\tsmtpServer = a.example\n\tsmtpEncryption = tls\n[sendemail \"w\"]\n\tsmtpUser = u\n\tsmtpServerPort = 465\n\tsmtpEncryption = ssl\n"},
		},
		{
			name:    "changing the encryption keeps the default port",
			files:   map[string]string{"f": "[sendemail]\n\tsmtpServer = a.example\n\tsmtpEncryption = ssl\n"},
			account: "sendemail",
			changes: []linters.Change{linters.SetSecurity(linters.SecurityStartTLS)},
			want:    map[string]string{"f": "[sendemail]\n\tsmtpServer = a.example\n\tsmtpServerPort = 465\n\tsmtpEncryption = tls\n"},
		},
		{
			name:    "the value is edited in the included file",
			files:   map[string]string{"f": "[include]\n\tpath = inc\n", "inc": "[sendemail]\n\tsmtpServer = a.example\n\tsmtpServerPort = 25\n"},
			account: "sendemail",
			changes: []linters.Change{linters.SetPort(587)},
			want:    map[string]string{"f": "[include]\n\tpath = inc\n", "inc": "[sendemail]\n\tsmtpServer = a.example\n\tsmtpServerPort = 587\n"},
		},
		{
			name:    "certificate check: every empty path that would take effect goes",
			files:   map[string]string{"f": "[sendemail]\n\tsmtpServer = a.example\n\tsmtpSSLCertPath =\n[sendemail \"w\"]\n\tsmtpSSLCertPath = \"\"\n"},
			account: "w",
			changes: []linters.Change{linters.SetCertCheck(true)},
			want:    map[string]string{"f": "[sendemail]\n\tsmtpServer = a.example\n[sendemail \"w\"]\n"},
		},
		{
			name:    "a bare key gets the value",
			files:   map[string]string{"f": "[sendemail]\n\tsmtpServer = a.example\n\tsmtpEncryption"},
			account: "sendemail",
			changes: []linters.Change{linters.SetSecurity(linters.SecurityStartTLS)},
			want:    map[string]string{"f": "[sendemail]\n\tsmtpServer = a.example\n\tsmtpEncryption = tls"},
		},
		{
			name:    "CRLF and no final newline",
			files:   map[string]string{"f": "[sendemail]\r\n\tsmtpServer = a.example"},
			account: "sendemail",
			changes: []linters.Change{linters.SetPort(587)},
			want:    map[string]string{"f": "[sendemail]\r\n\tsmtpServer = a.example\r\n\tsmtpServerPort = 587"},
		},
		{
			name:    "smtpAuth none is removed to authenticate",
			files:   map[string]string{"f": "[sendemail]\n\tsmtpServer = a.example\n\tsmtpUser = u\n\tsmtpAuth = none\n"},
			account: "sendemail",
			changes: []linters.Change{linters.SetAuth(true)},
			want:    map[string]string{"f": "[sendemail]\n\tsmtpServer = a.example\n\tsmtpUser = u\n"},
		},
		{
			name:    "aligned '=' stays aligned",
			files:   map[string]string{"f": "[sendemail]\n  smtpServer     = a.example\n  smtpUser       = u\n"},
			account: "sendemail",
			changes: []linters.Change{linters.SetPort(587)},
			want:    map[string]string{"f": "[sendemail]\n  smtpServer     = a.example\n  smtpServerPort = 587\n  smtpUser       = u\n"},
		},
		{
			name:    "a value that needs quotes gets them",
			files:   map[string]string{"f": "[sendemail]\n\tsmtpServer = a.example\n"},
			account: "sendemail",
			changes: []linters.Change{linters.SetUser("a#b")},
			want:    map[string]string{"f": "[sendemail]\n\tsmtpServer = a.example\n\tsmtpUser = \"a#b\"\n"},
		},
	}
	for _, c := range cases {
		got, err := edit(t, c.files, c.account, c.changes...)
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s:\n got %q\nwant %q", c.name, got, c.want)
		}
	}
}

func TestWriterNoLogin(t *testing.T) {
	_, err := edit(t, map[string]string{"f": "[sendemail]\n\tsmtpServer = a.example\n"}, "sendemail", linters.SetAuth(true))
	if !errors.Is(err, errNoLogin) {
		t.Errorf("SetAuth(true) without smtpUser: %v", err)
	}
}

func TestModel(t *testing.T) {
	src := "[user]\n\temail = u@example.org\n" +
		"[sendemail]\n\tsmtpServer = a.example\n\tsmtpServerPort = submission\n\tsmtpEncryption = tls\n\tsmtpUser = u\n\tsmtpPass = \"s#cret\"\n" +
		"[sendemail \"Work\"]\n\tsmtpServer = b.example\n\tsmtpEncryption = ssl\n\tsmtpAuth = none\n\tfrom = W <w@example.org>\n" +
		"[sendemail \"pipe\"]\n\tsmtpServer = /usr/bin/msmtp\n"
	doc, err := Format{}.Parse("f", []byte(src), 0o644, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(doc.Accounts) != 3 {
		t.Fatalf("%d accounts", len(doc.Accounts))
	}
	plain, work, pipe := doc.Accounts[0], doc.Accounts[1], doc.Accounts[2]
	ep := plain.SMTP
	if ep.Host.Val != "a.example" || ep.Port.Val != 587 || ep.Security.Val != linters.SecurityStartTLS || !ep.Auth.Val || ep.Password.Kind != linters.PasswordInline || plain.From.Val != "u@example.org" {
		t.Errorf("plain: %+v from %q", ep, plain.From.Val)
	}
	if sf := doc.Files[0]; len(sf.Secrets) != 1 || string(sf.Src[sf.Secrets[0].Start.Offset:sf.Secrets[0].End.Offset]) != `"s#cret"` {
		t.Errorf("secrets: %+v", sf.Secrets)
	}
	if !ep.Password.Raw || string(doc.Files[0].Src[ep.Password.Value.Start.Offset:ep.Password.Value.End.Offset]) != "s#cret" {
		t.Errorf("password value: %+v", ep.Password)
	}
	ew := work.SMTP
	// The identity's keys win; the rest comes from [sendemail].
	if work.Name != "Work" || ew.Host.Val != "b.example" || ew.Port.Val != 587 || ew.Security.Val != linters.SecurityImplicitTLS || ew.Auth.Val || work.From.Val != "w@example.org" {
		t.Errorf("work: %+v from %q", ew, work.From.Val)
	}
	if pipe.SMTP != nil || pipe.Delegate.Val != "/usr/bin/msmtp" {
		t.Errorf("pipe: %+v", pipe)
	}
	for _, d := range doc.Diagnostics {
		if d.Rule != linters.DelegatedSending.ID {
			t.Errorf("unexpected diagnostic %+v", d)
		}
	}
}

func TestDefaultPaths(t *testing.T) {
	env := func(m map[string]string) linters.Env {
		return linters.Env{Home: "/h", GOOS: "linux", Getenv: func(k string) string { return m[k] }}
	}
	cases := []struct {
		vars map[string]string
		want []string
	}{
		{nil, []string{"/etc/gitconfig", "/h/.config/git/config", "/h/.gitconfig"}},
		{map[string]string{"XDG_CONFIG_HOME": "/x", "GIT_CONFIG_NOSYSTEM": "1"}, []string{"/x/git/config", "/h/.gitconfig"}},
		{map[string]string{"GIT_CONFIG_GLOBAL": "/g", "GIT_CONFIG_SYSTEM": "/s"}, []string{"/s", "/g"}},
	}
	for _, c := range cases {
		if got := (Format{}).DefaultPaths(env(c.vars)); !reflect.DeepEqual(got, c.want) {
			t.Errorf("%v: got %v want %v", c.vars, got, c.want)
		}
	}
}

func TestIncludes(t *testing.T) {
	files := map[string][]byte{
		"/cfg/f":       []byte("[include]\n\tpath = sub/g\n[includeIf \"gitdir:/w/\"]\n\tpath = w\n[include]\n\tpath = ~/h\n\tpath = nope\n"),
		"/cfg/sub/g":   []byte("[sendemail]\n\tsmtpServer = g.example\n[include]\n\tpath = ../sub/g2\n"),
		"/cfg/sub/g2":  []byte("[sendemail]\n\tsmtpServerPort = 587\n"),
		"/cfg/w":       []byte("[sendemail]\n\tsmtpEncryption = ssl\n"),
		"/home/u/h":    []byte("[sendemail]\n\tsmtpUser = u\n"),
		"/cfg/unused":  []byte("x"),
		"/cfg/sub/g2~": []byte("x"),
	}
	ctx := &linters.Context{Env: linters.Env{Home: "/home/u"}, Read: func(p string) ([]byte, fs.FileMode, error) {
		if b, ok := files[p]; ok {
			return b, 0o600, nil
		}
		return nil, 0, fs.ErrNotExist
	}}
	doc, err := Format{}.Parse("/cfg/f", files["/cfg/f"], 0o600, ctx)
	if err != nil {
		t.Fatal(err)
	}
	var paths []string
	for _, f := range doc.Files {
		paths = append(paths, f.Path)
	}
	if want := []string{"/cfg/f", "/cfg/sub/g", "/cfg/sub/g2", "/cfg/w", "/home/u/h"}; !reflect.DeepEqual(paths, want) {
		t.Errorf("files %v, want %v", paths, want)
	}
	ep := doc.Accounts[0].SMTP
	if ep.Host.Val != "g.example" || ep.Host.At.Path != "/cfg/sub/g" || ep.Port.Val != 587 || ep.Port.At.Path != "/cfg/sub/g2" || ep.User.Val != "u" {
		t.Errorf("endpoint %+v", ep)
	}
	// The includeIf file may set the encryption: it is not known.
	if !ep.Security.Dynamic || ep.Port.Dynamic {
		t.Errorf("dynamic: security %v port %v", ep.Security.Dynamic, ep.Port.Dynamic)
	}
	rules := map[string]int{}
	for _, d := range doc.Diagnostics {
		rules[d.Rule]++
	}
	if rules[linters.DynamicValue.ID] != 1 || rules[linters.IncludeMissing.ID] != 1 {
		t.Errorf("diagnostics %v", rules)
	}
}
