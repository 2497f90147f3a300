package linters

import (
	"strings"
	"testing"
)

func TestLikelySecrets(t *testing.T) {
	for _, tt := range []struct{ line, want string }{
		{"password LEAK1", "password ********"},
		{"password=LEAK2", "password=********"},
		{"password\u00a0LEAK3", "password********"},
		{"set smtp_pass-LEAK4 # x", "set smtp_pass********"},
		{`user_pref("mail.server.s1.password", "x", "LEAK5");`, `user_pref("mail.server.s1.password", "********`},
		{`user_pref("mail.server.s1.password", "");`, `user_pref("mail.server.s1.password", "");`},
		{"host smtp.gmail.com # password LEAK6", "host smtp.gmail.com # password ********"},
		{"\tsmtpServer = smtp://kim:LEAK7@smtp.gmail.com", "\tsmtpServer = smtp://kim:********@smtp.gmail.com"},
		{`user_pref("mail.smtpserver.smtp1.hostname", "bob:LEAK8@imap.gmail.com");`, `user_pref("mail.smtpserver.smtp1.hostname", "bob:********@imap.gmail.com");`},
		{"set imap_passive = yes", "set imap_passive = yes"},
		{"set from = jane@example.org", "set from = jane@example.org"},
		{"set folder = imaps://jane@imap.example.org:993/", "set folder = imaps://jane@imap.example.org:993/"},
		{"set smtp_pass\r  LEAK9", "set smtp_pass\r  ********"},
		{"password\rLEAK10\nhost x", "password\r********\nhost x"},
		{`user_pref("mail.server.server1.pw", "LEAK11");`, `user_pref("mail.server.server1.pw", "********`},
		{"set my_gmail_pw = LEAK12", "set my_gmail_pw = ********"},
		{"set pwd=LEAK13", "set pwd=********"},
		{"\tsmtpServer = smtp://bob:LEAK14\"ee\"@mail.example.com", "\tsmtpServer = smtp://bob:********@mail.example.com"},
		{"password\n  LEAK15 \nhost x", "password\n  ******** \nhost x"},
		{"\tsmtpPassLEAK20 = x", "\tsmtpPass******** = ********"},
		{"set smtp_passs = x", "set smtp_passs = ********"},
		{"passwordeval pass show x", "passwordeval ********"},
		{`user_pref("mail.smtpserver.smtp1.passwordLEAK21", "x");`, `user_pref("mail.smtpserver.smtp1.password********", "********`},
		{"set ?imap_pass\nset imap_keepalive = 300", "set ?imap_pass\nset imap_keepalive = 300"},
		{"\tsmtppassword\n\tLEAK18", "\tsmtppassword\n\t********"},
		{"set smtp_pass=abc # old password: LEAK19", "set smtp_pass=********"},
		{"set smtp_pass=\"\n LEAK16\"\nset x=y", "set smtp_pass=\"\n ********\nset x=y"},
		{"\tsmtpPass = \\\n\tLEAK17\n", "\tsmtpPass = \\\n\t********\n"},
	} {
		if got := maskRanges(tt.line, LikelySecrets(tt.line)); got != tt.want {
			t.Errorf("%q:\n got %q\nwant %q", tt.line, got, tt.want)
		}
	}
}

func TestScrubMessage(t *testing.T) {
	for _, tt := range []struct{ msg, want string }{
		{"a password is stored in clear text; use a password manager", "a password is stored in clear text; use a password manager"},
		{`unknown variable "smtp_pass-LEAK1"`, `unknown variable "smtp_pass********"`},
		{`git send-email hands mail to the command "msmtp --passwordeval 'echo LEAK2'"`, `git send-email hands mail to the command "msmtp --passwordeval '********"`},
		{"the SMTP connection to smtp://bob:LEAK3@smtp.gmail.com does not use TLS", "the SMTP connection to smtp://bob:********@smtp.gmail.com does not use TLS"},
		{"the SMTP connection to smtp.gmail.com \tsmtpPass = LEAK4 does not use TLS", "the SMTP connection to smtp.gmail.com \tsmtpPass = ******** does not use TLS"},
		{`unknown command "password=…": msmtp takes password and its value separated by a space`, `unknown command "password=********": msmtp takes password and its value separated by a space`},
		{`"# password LEAK5" is part of the value of host`, `"# password ********" is part of the value of host`},
		{"write smtp_pass (did you mean smtp_pass?)", "write smtp_pass (did you mean smtp_pass?)"},
		{`unknown variable "smtp_passLEAK22" (did you mean "smtp_pass"?)`, `unknown variable "smtp_pass********" (did you mean "smtp_pass"?)`},
		{`git send-email has no setting "smtpPassword" and ignores it`, `git send-email has no setting "smtpPassword" and ignores it`},
		{"set jane@outlook.com as the login", "set jane@outlook.com as the login"},
	} {
		if got := ScrubMessage(tt.msg); got != tt.want {
			t.Errorf("%q:\n got %q\nwant %q", tt.msg, got, tt.want)
		}
	}
}

// TestSecretHeuristicsHostile runs the heuristics on megabyte inputs built
// to make a careless scan quadratic (a keyword at every byte, a '@' every
// four bytes, a key ended by a million blanks); each finishes in a fraction
// of a second when linear, in minutes when not (the test's time limit is the
// guard, no timing is asserted), and still finds the planted value.
func TestSecretHeuristicsHostile(t *testing.T) {
	for name, tt := range map[string]struct{ text, planted string }{
		"keywords": {strings.Repeat("pass", 250000) + "\npassword LEAK1", "LEAK1"},
		"assigns":  {strings.Repeat("pass=x ", 150000) + "\npwd=LEAK2", "LEAK2"},
		"ats":      {strings.Repeat("a:b@", 250000) + " smtp://u:LEAK3@h", "LEAK3"},
		"lines":    {strings.Repeat("password\n", 100000) + "smtp_pass=LEAK4", "LEAK4"},
		"blanks":   {"smtp_pass=" + strings.Repeat(" ", 1000000) + "\nLEAK5", "LEAK5"},
		"ident":    {"x" + strings.Repeat("p", 1000000) + "\ntoken: LEAK6", "LEAK6"},
		"bypass":   {"# bypass" + strings.Repeat("pass", 250000) + "\npassword LEAK7", "LEAK7"},
		"bypass=":  {"set x_bypass" + strings.Repeat("pass", 250000) + "=\npwd LEAK8", "LEAK8"},
	} {
		if got := maskRanges(tt.text, LikelySecrets(tt.text)); strings.Contains(got, tt.planted) {
			t.Errorf("%s: %s not masked", name, tt.planted)
		}
		ScrubMessage(tt.text)
		nextLineSecrets([]byte(tt.text))
	}
}
