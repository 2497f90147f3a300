package thunderbird

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/maillint/maillint/linters"
)

func TestMatch(t *testing.T) {
	yes := []string{
		"/home/u/.thunderbird/abcd1234.default/prefs.js",
		"/home/u/.thunderbird/abcd1234.default/user.js",
		"/home/u/.mozilla-thunderbird/x.default/prefs.js",
		"/Users/u/Library/Thunderbird/Profiles/x.default/prefs.js",
		`C:\Users\u\AppData\Roaming\Thunderbird\Profiles\x.default-release\user.js`,
		"dotfiles/thunderbird/user.js",
		"backup/profiles/x.default/prefs.js",
		"/home/u/.icedove/x.default/prefs.js",
		"/home/u/.thunderbird/profiles.ini",
		"/Users/u/Library/Thunderbird/profiles.ini",
		"dot_thunderbird/x.default/private_user.js",
	}
	no := []string{
		"prefs.js",
		"/home/u/.mozilla/firefox/x.default/prefs.js",
		"/Users/u/Library/Application Support/Firefox/Profiles/x.default/prefs.js",
		"/home/u/.mozilla/firefox/profiles.ini",
		"backup/profiles/profiles.ini",
		"/home/u/.thunderbird/x.default/prefs.js.bak",
		"/home/u/.thunderbird/x.default/Invalidprefs.js",
		"/home/u/.thunderbird/x.default/encrypted_private_user.js",
	}
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
}

func TestDefaultPaths(t *testing.T) {
	env := func(goos string, vars map[string]string) linters.Env {
		return linters.Env{Home: "/h", GOOS: goos, Getenv: func(k string) string { return vars[k] }}
	}
	got := (Format{}).DefaultPaths(env("linux", map[string]string{"XDG_CONFIG_HOME": "/x"}))
	want := []string{"/h/.thunderbird/profiles.ini", "/x/thunderbird/profiles.ini", "/h/.mozilla-thunderbird/profiles.ini",
		"/h/.var/app/org.mozilla.Thunderbird/.thunderbird/profiles.ini", "/h/snap/thunderbird/common/.thunderbird/profiles.ini"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("linux: %v", got)
	}
	if got := (Format{}).DefaultPaths(env("darwin", nil)); len(got) != 1 || got[0] != "/h/Library/Thunderbird/profiles.ini" {
		t.Errorf("darwin: %v", got)
	}
	if got := (Format{}).DefaultPaths(env("windows", map[string]string{"APPDATA": "/appdata"})); len(got) != 1 || got[0] != filepath.Join("/appdata", "Thunderbird", "profiles.ini") {
		t.Errorf("windows: %v", got)
	}
	if got := (Format{}).DefaultPaths(linters.Env{GOOS: "linux"}); len(got) != 0 {
		t.Errorf("no home: %v", got)
	}
}

func TestProfilesINI(t *testing.T) {
	cases := []struct{ ini, want string }{
		{"[Profile0]\nName=a\nIsRelative=1\nPath=Profiles/a.default\nDefault=1\n[Profile1]\nPath=Profiles/b\n", "/tb/Profiles/a.default"},
		{"[Profile0]\nPath=Profiles/a\n[Profile1]\nPath=Profiles/b\nDefault=1\n[Install123]\nDefault=Profiles/a\n", "/tb/Profiles/a"},
		{"[Profile0]\nIsRelative=0\nPath=/elsewhere/p\n", "/elsewhere/p"},
		{"\xef\xbb\xbf[Profile0]\r\nPath=Profiles/crlf\r\n", "/tb/Profiles/crlf"},
		{"[General]\nStartWithLastProfile=1\n", ""},
	}
	for _, c := range cases {
		if got := ParseProfilesINI([]byte(c.ini)).DefaultProfile("/tb"); got != filepath.FromSlash(c.want) {
			t.Errorf("%q: %q, want %q", c.ini, got, c.want)
		}
	}
}

// memRead serves files from a map, like the CLI's reader.
func memRead(files map[string]string) linters.ReadFunc {
	return func(p string) ([]byte, fs.FileMode, error) {
		if s, ok := files[p]; ok {
			return []byte(s), 0o600, nil
		}
		return nil, 0, fs.ErrNotExist
	}
}

func TestParseProfileFiles(t *testing.T) {
	prefs := `user_pref("mail.smtpserver.smtp1.hostname", "smtp.gmail.com");` + "\n" +
		`user_pref("mail.smtpserver.smtp1.try_ssl", 3);` + "\n" + `user_pref("mail.smtpservers", "smtp1");` + "\n"
	user := `user_pref("mail.smtpserver.smtp1.try_ssl", 2);` + "\n"
	files := map[string]string{"p/prefs.js": prefs, "p/user.js": user}
	ctx := &linters.Context{Read: memRead(files)}

	// prefs.js merges user.js: user.js wins.
	doc, err := (Format{}).Parse("p/prefs.js", []byte(prefs), 0o600, ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(doc.Files) != 2 || doc.Files[1].Path != "p/user.js" || len(doc.Accounts) != 1 {
		t.Fatalf("files %d, accounts %d", len(doc.Files), len(doc.Accounts))
	}
	if sec := doc.Accounts[0].SMTP.Security; sec.Val != linters.SecurityStartTLS || sec.At.Path != "p/user.js" {
		t.Errorf("security %+v", sec)
	}

	// user.js named alone is checked with the prefs.js beside it, the
	// same profile (a pre-commit hook passes only the staged user.js); it
	// is the Document's first file, the one named.
	doc, err = (Format{}).Parse("p/user.js", []byte(user), 0o600, ctx)
	if err != nil || len(doc.Files) != 2 || doc.Files[0].Path != "p/user.js" || doc.Files[1].Path != "p/prefs.js" || len(doc.Accounts) != 1 {
		t.Fatalf("user.js beside prefs.js: %+v %v", doc, err)
	}
	if sec := doc.Accounts[0].SMTP.Security; sec.Val != linters.SecurityStartTLS || sec.At.Path != "p/user.js" {
		t.Errorf("user.js over prefs.js: security %+v", sec)
	}
	if h := doc.Accounts[0].SMTP.Host; h.Val != "smtp.gmail.com" || h.At.Path != "p/prefs.js" {
		t.Errorf("host from prefs.js: %+v", h)
	}
	// A lone user.js is checked on its own.
	lone := `user_pref("mail.smtpserver.s.hostname", "smtp.gmail.com");` + "\n"
	doc, err = (Format{}).Parse("q/user.js", []byte(lone), 0o600, ctx)
	if err != nil || len(doc.Accounts) != 1 || doc.Accounts[0].SMTP.Host.Val != "smtp.gmail.com" {
		t.Errorf("lone user.js: %+v %v", doc, err)
	}

	// profiles.ini leads to the default profile.
	ini := "[Profile0]\nIsRelative=1\nPath=p\nDefault=1\n"
	doc, err = (Format{}).Parse("profiles.ini", []byte(ini), 0o644, ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(doc.Files) != 3 || doc.Files[0].Path != "profiles.ini" || doc.Files[1].Path != filepath.Join("p", "prefs.js") || len(doc.Accounts) != 1 {
		t.Errorf("profiles.ini: %d files, %d accounts", len(doc.Files), len(doc.Accounts))
	}
	if _, err := (Format{}).Parse("profiles.ini", []byte("[Profile0]\nPath=missing\n"), 0o644, ctx); err == nil {
		t.Error("profiles.ini naming a profile without prefs.js: no error")
	}

	if _, err := (Format{}).Parse("prefs.js", []byte("user_pref(\"a\", 1);\x00"), 0o600, nil); !errors.Is(err, ErrBinary) {
		t.Errorf("NUL: %v", err)
	}
}

func TestSecretsMasked(t *testing.T) {
	src := `user_pref("mail.smtpserver.s.hostname", "smtp.gmail.com");` + "\n" +
		`user_pref("mail.smtpserver.s.password", "hunter2");` + "\n"
	doc, err := (Format{}).Parse("user.js", []byte(src), 0o644, nil)
	if err != nil {
		t.Fatal(err)
	}
	sf := doc.Files[0]
	if len(sf.Secrets) != 1 || src[sf.Secrets[0].Start.Offset:sf.Secrets[0].End.Offset] != "hunter2" {
		t.Fatalf("secrets %+v", sf.Secrets)
	}
	ep := doc.Accounts[0].SMTP
	if ep.Password.Kind != linters.PasswordInline {
		t.Errorf("password %+v", ep.Password)
	}
	for _, f := range linters.Run(doc, nil, linters.All()) {
		if strings.Contains(f.Message, "hunter2") {
			t.Errorf("secret in message: %s", f.Message)
		}
	}
}

func TestCheckWrite(t *testing.T) {
	dir := t.TempDir()
	prefs := filepath.Join(dir, "prefs.js")
	user := filepath.Join(dir, "user.js")
	for _, p := range []string{prefs, user, filepath.Join(dir, ".parentlock")} {
		if err := os.WriteFile(p, nil, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	f := Format{}
	// .parentlock alone is no proof: Thunderbird never deletes it.
	if err := f.CheckWrite(prefs, os.Lstat); err != nil {
		t.Errorf(".parentlock alone: %v", err)
	}
	// The lock symlink (target IP:+PID, dangling) means Thunderbird runs.
	if err := os.Symlink("127.0.0.1:+3944", filepath.Join(dir, "lock")); err != nil {
		t.Skipf("no symlinks here: %v", err)
	}
	err := f.CheckWrite(prefs, os.Lstat)
	if err == nil || !strings.Contains(err.Error(), "quit Thunderbird") || !strings.Contains(err.Error(), "user.js") {
		t.Errorf("lock symlink: %v", err)
	}
	// user.js is only read by Thunderbird, at start: always allowed.
	if err := f.CheckWrite(user, os.Lstat); err != nil {
		t.Errorf("user.js: %v", err)
	}
	// A .parentlock symlink (macOS without fcntl locks) is a lock too.
	dir2 := t.TempDir()
	os.Symlink("127.0.0.1:+1", filepath.Join(dir2, ".parentlock"))
	if err := f.CheckWrite(filepath.Join(dir2, "prefs.js"), os.Lstat); err == nil {
		t.Error(".parentlock symlink: allowed")
	}
}

func TestCheckWriteWindows(t *testing.T) {
	defer func(g string, p func(string) bool) { goos, probeWindowsLock = g, p }(goos, probeWindowsLock)
	goos = "windows"
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "parent.lock"), nil, 0o600)
	held := false
	probeWindowsLock = func(string) bool { return held }
	if err := (Format{}).CheckWrite(filepath.Join(dir, "prefs.js"), os.Lstat); err != nil {
		t.Errorf("parent.lock not held: %v", err)
	}
	held = true
	if err := (Format{}).CheckWrite(filepath.Join(dir, "prefs.js"), os.Lstat); err == nil {
		t.Error("parent.lock held: allowed")
	}
	// On other systems a parent.lock (a copied Windows profile) means nothing.
	goos = "linux"
	if err := (Format{}).CheckWrite(filepath.Join(dir, "prefs.js"), os.Lstat); err != nil {
		t.Errorf("parent.lock on linux: %v", err)
	}
}

func TestIsSecretName(t *testing.T) {
	for name, want := range map[string]bool{
		"mail.server.server1.password":                   true,
		"mail.server.server1.PASSWORD":                   true,
		"mail.server.server2.pasword":                    true,
		"mail.server.server3.Passwd":                     true,
		"mail.smtpserver.smtp1.pwd":                      true,
		"mail.smtpserver.smtp1.passwort":                 true,
		"mail.compose.pasteAsQuotation":                  false,
		"mail.server.server1.userName":                   false,
		"browser.password":                               false,
		"mail.server.server1." + strings.Repeat("x", 40): false,
	} {
		if got := isSecretName(name); got != want {
			t.Errorf("isSecretName(%q) = %v, want %v", name, got, want)
		}
	}
}
