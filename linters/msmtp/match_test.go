package msmtp

import "testing"

func TestMatch(t *testing.T) {
	for _, p := range []string{
		"msmtprc", ".msmtprc", "/etc/msmtprc", "/home/a/.config/msmtp/config", "msmtp/config",
		"dot_msmtprc", "private_dot_msmtprc", "private_readonly_dot_msmtprc", "executable_dot_msmtprc",
		"create_private_dot_msmtprc", "private_empty_dot_msmtprc",
		"dot_config/msmtp/config", "private_dot_config/private_msmtp/private_config", "home/exact_msmtp/config",
		"work.msmtprc", "/home/a/.work.msmtprc",
	} {
		if !(Format{}).Match(p) {
			t.Errorf("Match(%q) = false", p)
		}
	}
	for _, p := range []string{
		"msmtprc.example", "dot_msmtprc.tmpl", "msmtp.log", "config", "git/config", "msmtp/configs",
		"dot_dot_msmtprc", "x/msmtp", "notmsmtprc",
		// chezmoi: prefixes out of order are part of the name; literal_
		// ends them; ciphertext and modify_ scripts are not the file.
		"readonly_private_dot_msmtprc", "literal_dot_msmtprc", "encrypted_private_dot_msmtprc", "modify_dot_msmtprc",
	} {
		if (Format{}).Match(p) {
			t.Errorf("Match(%q) = true", p)
		}
	}
}
