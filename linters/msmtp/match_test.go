package msmtp

import "testing"

func TestMatch(t *testing.T) {
	for _, p := range []string{
		"msmtprc", ".msmtprc", "/etc/msmtprc", "/home/a/.config/msmtp/config", "msmtp/config",
		"dot_msmtprc", "private_dot_msmtprc", "readonly_private_dot_msmtprc", "executable_dot_msmtprc",
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
	} {
		if (Format{}).Match(p) {
			t.Errorf("Match(%q) = true", p)
		}
	}
}
