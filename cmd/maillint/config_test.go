package main

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/maillint/maillint/linters"
	"github.com/spf13/afero"
)

func TestGlob(t *testing.T) {
	tests := []struct {
		pat  string
		yes  []string
		no   []string
		fail bool
	}{
		{pat: "*.example", yes: []string{"a.example", "x/y/msmtprc.example"}, no: []string{"a.example.bak", "example"}},
		{pat: "vendor", yes: []string{"vendor", "vendor/msmtprc", "a/vendor/b/c"}, no: []string{"vendors/x", "avendor"}},
		{pat: "vendor/", yes: []string{"vendor/msmtprc", "a/vendor/x"}},
		{pat: "hosts/*/msmtprc", yes: []string{"hosts/a/msmtprc"}, no: []string{"hosts/a/b/msmtprc", "x/hosts/a/msmtprc"}},
		{pat: "/hosts/legacy-*/**", yes: []string{"hosts/legacy-1/msmtprc", "hosts/legacy-x/a/b"}, no: []string{"hosts/web/msmtprc"}},
		{pat: "**/private_*", yes: []string{"private_dot_msmtprc", "a/b/private_x"}, no: []string{"a/xprivate_"}},
		{pat: "a/**/b", yes: []string{"a/b", "a/x/y/b", "a/x/b/c"}, no: []string{"a/xb"}},
		{pat: "host-?[0-9]", yes: []string{"x/host-a1"}, no: []string{"host-1", "host-ab"}},
		{pat: "[!.]*rc", yes: []string{"msmtprc"}, no: []string{".msmtprc"}},
		{pat: "a.b+c(d)", yes: []string{"a.b+c(d)"}, no: []string{"aXb+c(d)"}},
		{pat: "[", fail: true},
		{pat: "a**", fail: true},
		{pat: "", fail: true},
	}
	for _, tt := range tests {
		g, err := compileGlob(tt.pat)
		if tt.fail {
			if err == nil {
				t.Errorf("compileGlob(%q) succeeded", tt.pat)
			}
			continue
		}
		if err != nil {
			t.Errorf("compileGlob(%q): %v", tt.pat, err)
			continue
		}
		for _, p := range tt.yes {
			if !g.match(p) {
				t.Errorf("%q does not match %q", tt.pat, p)
			}
		}
		for _, p := range tt.no {
			if g.match(p) {
				t.Errorf("%q matches %q", tt.pat, p)
			}
		}
	}
}

func TestParseConfigErrors(t *testing.T) {
	tests := []struct{ src, want string }{
		{"selct = 1\n", `c.toml:1: unknown key "selct"`},
		{"\n\n[severity]\nsmtp-port = \"fatal\"\n", `c.toml:4: severity.smtp-port: severity "fatal" is not error, warning or info`},
		{"[severity]\nno-rule = \"error\"\n", `c.toml:2: severity: unknown rule "no-rule"`},
		{"select = [\"no-rule\"]\n", `c.toml:1: select: unknown rule "no-rule"`},
		{"ignore = [\"smtp-port\", \"no-rule\"]\n", `c.toml:1: ignore: unknown rule "no-rule"`},
		{"fail-on = \"sometimes\"\n", `c.toml:1: fail-on: "sometimes" is not error, warning, info or never`},
		{"exclude = [\"a**\"]\n", `c.toml:1: exclude: bad path pattern "a**": "**" must be a whole path element`},
		{"[[per-path]]\nignore = [\"smtp-port\"]\n", `c.toml:1: per-path #1: paths is missing or empty`},
		{"[[per-path]]\npaths = [\"a\"]\n[[per-path]]\npaths = [\"b\"]\nignore = [\"nope\"]\n", `c.toml:5: per-path #2: ignore: unknown rule "nope"`},
		{"[type]\nmsmpt = [\"*.conf\"]\n", `c.toml:2: type: unknown format "msmpt"`},
		{"select = \"smtp-port\"\n", `c.toml:1: select: incompatible types`},
		{"a = [\n", `c.toml:1: `},
		{"[[provider]]\nid = \"x\"\n", `c.toml:1: provider "x": missing source`},
		{"[severity.x]\ny = 1\n", `c.toml:1: severity.x: incompatible types`},
	}
	for _, tt := range tests {
		_, err := parseConfig("c.toml", "/", []byte(tt.src))
		if err == nil {
			t.Errorf("%q: no error, want %s", tt.src, tt.want)
			continue
		}
		if !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%q:\n got %v\nwant %s", tt.src, err, tt.want)
		}
	}
}

func TestConfigApplies(t *testing.T) {
	src := `select = ["smtp-port", "tls-missing", "smtp-user-form", "plaintext-password"]
ignore = ["plaintext-password"]
fail-on = "error"
[severity]
smtp-user-form = "error"
[[per-path]]
paths = ["legacy/**"]
ignore = ["tls-missing"]
severity = { smtp-port = "info" }
[[per-path]]
paths = ["*.off"]
ignore = ["*"]
`
	cfg, err := parseConfig("c.toml", "/repo", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	c := &Command{Wd: "/repo"}
	for _, tt := range []struct {
		path, rule string
		want       bool
	}{
		{"a/msmtprc", "smtp-port", true},
		{"a/msmtprc", "legacy-host", false},        // not selected
		{"a/msmtprc", "plaintext-password", false}, // ignored
		{"legacy/x/msmtprc", "tls-missing", false}, // per-path
		{"a/msmtprc", "tls-missing", true},
		{"/repo/legacy/msmtprc", "tls-missing", false},
		{"/elsewhere/legacy/msmtprc", "tls-missing", true}, // outside the config's folder
		{"x/msmtprc.off", "smtp-port", false},
	} {
		if got := cfg.enabled(c, tt.path, tt.rule); got != tt.want {
			t.Errorf("enabled(%s, %s) = %v, want %v", tt.path, tt.rule, got, tt.want)
		}
	}
	if got := cfg.severityOf(c, "a/msmtprc", "smtp-user-form", linters.Warning); got != linters.Error {
		t.Errorf("[severity] not applied: %v", got)
	}
	if got := cfg.severityOf(c, "legacy/msmtprc", "smtp-port", linters.Error); got != linters.Info {
		t.Errorf("per-path severity not applied: %v", got)
	}
	if cfg.failLevel() != linters.Error {
		t.Errorf("fail-on = %v", cfg.failLevel())
	}
	var none *config
	if !none.enabled(c, "x", "smtp-port") || none.failLevel() != linters.Warning || none.providerDB() == nil {
		t.Error("the nil config is not the default")
	}
}

// TestInitTemplate checks that `maillint init` writes a config that parses,
// and that it still parses with every commented-out example turned on.
func TestInitTemplate(t *testing.T) {
	if _, err := parseConfig("init", "/", []byte(initTemplate)); err != nil {
		t.Fatalf("the template does not parse: %v", err)
	}
	setting := regexp.MustCompile(`^#( *)(\[\[?[a-z.-]+\]\]?|[a-z_-]+ = .*)$`)
	var on []string
	n := 0
	for _, l := range strings.Split(initTemplate, "\n") {
		if m := setting.FindStringSubmatch(l); m != nil {
			l = m[1] + m[2]
			n++
		}
		on = append(on, l)
	}
	if n < 10 {
		t.Fatalf("only %d commented-out settings found", n)
	}
	if _, err := parseConfig("init", "/", []byte(strings.Join(on, "\n"))); err != nil {
		t.Errorf("the template with every example turned on does not parse: %v\n%s", err, strings.Join(on, "\n"))
	}
}

// TestREADMEConfigExample checks that the .maillint.toml example in the
// README parses.
func TestREADMEConfigExample(t *testing.T) {
	b, err := os.ReadFile(filepath.Join(repoRootDir, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile("(?s)```toml\n(# \\.maillint\\.toml.*?)```").FindSubmatch(b)
	if m == nil {
		t.Fatal("README has no ```toml block starting with # .maillint.toml")
	}
	if _, err := parseConfig("README", "/", m[1]); err != nil {
		t.Errorf("README's example config: %v", err)
	}
}

func TestInitRefusesToOverwrite(t *testing.T) {
	fs := afero.NewMemMapFs()
	var errOut bytes.Buffer
	c := &Command{Stdout: &bytes.Buffer{}, Stderr: &errOut, Fs: fs, Wd: "/w"}
	fs.MkdirAll("/w", 0o755)
	if code := c.Main([]string{"init"}); code != ExitClean {
		t.Fatalf("init: exit %d: %s", code, errOut.String())
	}
	afero.WriteFile(fs, "/w/.maillint.toml", []byte("# mine\n"), 0o644)
	if code := c.Main([]string{"init"}); code != ExitError {
		t.Fatalf("second init: exit %d", code)
	}
	if b, _ := afero.ReadFile(fs, "/w/.maillint.toml"); string(b) != "# mine\n" {
		t.Errorf("init overwrote the file: %q", b)
	}
}

func TestFindConfigUpwards(t *testing.T) {
	fs := afero.NewMemMapFs()
	fs.MkdirAll("/repo/a/b", 0o755)
	afero.WriteFile(fs, "/repo/.maillint.toml", []byte("fail-on = \"never\"\n"), 0o644)
	c := &Command{Fs: fs, Wd: "/repo/a/b"}
	if got := c.findConfig(); got != "/repo/.maillint.toml" {
		t.Errorf("findConfig = %q", got)
	}
	c.Wd = "/"
	if got := c.findConfig(); got != "" {
		t.Errorf("findConfig from / = %q", got)
	}
}
