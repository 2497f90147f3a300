package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// hookFiles returns the files: and exclude: regexes of each hook in
// .pre-commit-hooks.yaml.
func hookFiles(t *testing.T) map[string][2]*regexp.Regexp {
	b, err := os.ReadFile(filepath.Join(repoRootDir, ".pre-commit-hooks.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][2]*regexp.Regexp{}
	var id string
	var re [2]*regexp.Regexp
	for _, l := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(l, "- id: "); ok {
			id = v
		}
		for i, key := range []string{"  files: '", "  exclude: '"} {
			if v, ok := strings.CutPrefix(l, key); ok {
				re[i] = regexp.MustCompile(strings.TrimSuffix(v, "'"))
				out[id] = re
			}
		}
	}
	if len(out) != 2 {
		t.Fatalf("want hooks maillint and maillint-fix, got %v", out)
	}
	return out
}

// TestPreCommitFilesRegex: the hooks' files regex passes every name
// maillint recognises (for the formats wired into this build) and not
// files of other programs.
func TestPreCommitFilesRegex(t *testing.T) {
	recognised := map[string][]string{
		"msmtp": {"msmtprc", ".msmtprc", "etc/msmtprc", "home/.config/msmtp/config", "dot_msmtprc",
			"private_dot_msmtprc", "readonly_dot_msmtprc", "dot_config/msmtp/config", "private_dot_config/private_msmtp/private_config",
			"work.msmtprc", "dotfiles/.work.msmtprc", "create_private_dot_msmtprc"},
		"mutt": {"muttrc", ".muttrc", "neomuttrc", ".neomuttrc", "dot_muttrc", ".mutt/muttrc",
			".mutt/accounts/work", ".config/mutt/muttrc", "dot_config/neomutt/neomuttrc", "mutt/gmail.rc",
			"muttrc-work", "work.muttrc", "readonly_dot_muttrc"},
		"gitconfig": {".gitconfig", "gitconfig", "dot_gitconfig", "private_dot_gitconfig", ".config/git/config",
			"dot_config/git/config", "gitconfig.work", ".gitconfig-personal"},
		"thunderbird": {".thunderbird/abc.default/prefs.js", ".thunderbird/abc.default/user.js",
			"Thunderbird/Profiles/x.default-release/prefs.js", "dot_thunderbird/x.default/private_user.js"},
	}
	others := []string{"README.md", ".vimrc", "notes/smtp.txt", "msmtprc.example", "prefs.json",
		"src/git/configure", ".gitignore", ".gitattributes", "dot_msmtprc.tmpl"}
	for id, re := range hookFiles(t) {
		pass := func(p string) bool { return re[0].MatchString(p) && !re[1].MatchString(p) }
		for format, names := range recognised {
			f := formatByName(format)
			for _, n := range names {
				if !pass(n) {
					t.Errorf("hook %s skips %s (%s)", id, n, format)
				}
				if f != nil && !f.Match(n) {
					t.Errorf("hook %s passes %s, which the %s adapter does not recognise", id, n, format)
				}
			}
		}
		for _, n := range others {
			if pass(n) {
				t.Errorf("hook %s passes %s", id, n)
			}
		}
	}
}

// TestPreCommitTryRepo runs the real pre-commit on the hooks: a broken
// msmtprc fails and names the finding, a clean one passes. It copies the
// working tree into a temporary git repository and commits there (never
// in the real one). Go modules come from the local module cache.
func TestPreCommitTryRepo(t *testing.T) {
	if testing.Short() {
		t.Skip("builds maillint through pre-commit")
	}
	preCommit, err := exec.LookPath("pre-commit")
	git, gerr := exec.LookPath("git")
	if err != nil || gerr != nil {
		if os.Getenv("MAILLINT_REQUIRE_ORACLES") == "1" {
			t.Fatal("pre-commit and git are required (MAILLINT_REQUIRE_ORACLES=1); apt-get install pre-commit git")
		}
		t.Skip("pre-commit or git not installed")
	}
	run := func(dir string, env []string, name string, args ...string) (string, error) {
		cmd := exec.Command(name, args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), env...)
		out, err := cmd.CombinedOutput()
		return string(out), err
	}
	gitEnv := []string{"GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@example.org", "GIT_COMMITTER_NAME=t",
		"GIT_COMMITTER_EMAIL=t@example.org", "GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_NOSYSTEM=1"}
	must := func(dir, name string, args ...string) string {
		t.Helper()
		out, err := run(dir, gitEnv, name, args...)
		if err != nil {
			t.Fatalf("%s %v: %v\n%s", name, args, err, out)
		}
		return out
	}

	// The hook repository: the working tree's tracked and new files.
	hookRepo := filepath.Join(t.TempDir(), "maillint")
	list := must(repoRootDir, git, "ls-files", "-z", "--cached", "--others", "--exclude-standard")
	for _, rel := range strings.Split(list, "\x00") {
		if rel == "" {
			continue
		}
		b, err := os.ReadFile(filepath.Join(repoRootDir, rel))
		if err != nil {
			continue // deleted in the working tree
		}
		dst := filepath.Join(hookRepo, rel)
		os.MkdirAll(filepath.Dir(dst), 0o755)
		if err := os.WriteFile(dst, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	must(hookRepo, git, "init", "-q")
	must(hookRepo, git, "add", "-A")
	must(hookRepo, git, "commit", "-q", "-m", "hooks under test")

	// The user's repository.
	user := t.TempDir()
	must(user, git, "init", "-q")
	broken := "account icloud\nhost imap.mail.me.com\nport 587\ntls on\nauth on\nfrom emily@icloud.com\nuser emily@icloud.com\npasswordeval \"pass show icloud\"\n"
	clean := strings.Replace(broken, "imap.mail.me.com", "smtp.mail.me.com", 1)
	os.MkdirAll(filepath.Join(user, "clean"), 0o755)
	os.WriteFile(filepath.Join(user, "dot_msmtprc"), []byte(broken), 0o600)
	os.WriteFile(filepath.Join(user, "clean", "dot_msmtprc"), []byte(clean), 0o600)
	must(user, git, "add", "-A")

	modcache, _ := run(repoRootDir, nil, "go", "env", "GOMODCACHE")
	env := append(gitEnv, "PRE_COMMIT_HOME="+filepath.Join(t.TempDir(), "pre-commit"),
		"GOMODCACHE="+strings.TrimSpace(modcache), "GOFLAGS=-mod=mod", "GOPROXY=off", "CI=1")

	out, err := run(user, env, preCommit, "try-repo", hookRepo, "maillint", "--files", "dot_msmtprc")
	if err == nil {
		t.Fatalf("pre-commit passed a broken msmtprc:\n%s", out)
	}
	if !strings.Contains(out, "smtp-host-is-imap") || !strings.Contains(out, "dot_msmtprc:2:6") {
		t.Errorf("pre-commit output does not name the finding:\n%s", out)
	}
	out, err = run(user, env, preCommit, "try-repo", hookRepo, "maillint", "--files", "clean/dot_msmtprc")
	if err != nil {
		t.Errorf("pre-commit failed a clean msmtprc: %v\n%s", err, out)
	}
}
