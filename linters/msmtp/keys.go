package msmtp

import (
	"github.com/maillint/maillint/linters"
	"strings"
)

// argKind is what a command accepts as its argument.
type argKind int

const (
	argAny      argKind = iota // any text, empty allowed
	argNone                    // no argument (defaults, legacy switches)
	argOnOff                   // on, off, or empty (= on)
	argNonEmpty                // any non-empty text
	argPort                    // 1..65535
	argAuth                    // on, off, empty, or a method
	argAccount                 // account NAME [: PARENT,...]
)

// commands lists every command msmtp 1.8 accepts (man msmtp, conf.c),
// including legacy ones it still reads.
var commands = map[string]argKind{
	"defaults":                argNone,
	"account":                 argAccount,
	"host":                    argNonEmpty,
	"port":                    argPort,
	"source_ip":               argAny,
	"proxy_host":              argAny,
	"proxy_port":              argPort,
	"socket":                  argAny,
	"timeout":                 argAny,
	"protocol":                argNonEmpty,
	"domain":                  argAny,
	"auth":                    argAuth,
	"user":                    argAny,
	"password":                argAny,
	"passwordeval":            argAny,
	"ntlmdomain":              argAny,
	"tls":                     argOnOff,
	"tls_starttls":            argOnOff,
	"tls_trust_file":          argAny,
	"tls_crl_file":            argAny,
	"tls_fingerprint":         argAny,
	"tls_key_file":            argAny,
	"tls_cert_file":           argAny,
	"tls_certcheck":           argOnOff,
	"tls_priorities":          argAny,
	"tls_host_override":       argAny,
	"tls_min_dh_prime_bits":   argAny,
	"from":                    argAny,
	"from_full_name":          argAny,
	"allow_from_override":     argOnOff,
	"set_from_header":         argAny,
	"set_date_header":         argAny,
	"set_msgid_header":        argAny,
	"remove_bcc_headers":      argOnOff,
	"undisclosed_recipients":  argOnOff,
	"dsn_notify":              argAny,
	"dsn_return":              argAny,
	"logfile":                 argAny,
	"logfile_time_format":     argAny,
	"syslog":                  argAny,
	"aliases":                 argAny,
	"auto_from":               argOnOff,
	"maildomain":              argAny,
	"add_missing_from_header": argOnOff,
	"add_missing_date_header": argOnOff,
	"keepbcc":                 argOnOff,
	"eval":                    argAny,
	// Legacy switches, still accepted.
	"tls_nocertcheck": argNone,
	"tls_nostarttls":  argNone,
	"tls_force_sslv3": argOnOff,
}

// newerCommands are accepted by current msmtp but not by 1.8.23 (Debian 12,
// the oracle here): msmtp 1.8.23 says "unknown command". maillint accepts
// them; the oracle test skips files that use them.
var newerCommands = map[string]bool{"from_full_name": true}

// authMethods are the values of `auth` besides on/off.
var authMethods = map[string]bool{
	"plain": true, "scram-sha-1": true, "scram-sha-256": true, "cram-md5": true,
	"digest-md5": true, "login": true, "ntlm": true, "external": true,
	"gssapi": true, "oauthbearer": true, "xoauth2": true,
}

// secretCommands hold a password in clear text.
var secretCommands = map[string]bool{"password": true}

// passwordLike reports whether an unknown command is probably a misspelled
// password (passwd, Password, pasword): its value is masked like one.
func passwordLike(cmd string) bool {
	if _, known := commands[cmd]; known {
		return false
	}
	return linters.SecretLike(cmd, "password", "passwordeval")
}

// gluedSecret returns where the value starts in a command word that glues
// a password to a password-like name ("password=x", "passwd:x",
// "passwordx"; msmtp reads the whole word as the command name), or -1.
func gluedSecret(cmd string) int {
	if k := strings.IndexAny(cmd, "=:"); k > 0 && (secretCommands[cmd[:k]] || passwordLike(cmd[:k])) {
		return k + 1
	}
	// "passwordx", "password\u00a0x": the value glued with no separator
	// msmtp knows (it splits at blanks: space, tab, CR, VT, FF).
	if rest, ok := strings.CutPrefix(cmd, "password"); ok && rest != "" {
		if _, known := commands[cmd]; !known {
			return len("password")
		}
	}
	return -1
}

// strayPassword reports whether line i is an unknown command right after
// a password command with no value (or only a backslash: msmtp has no
// continuation lines): the password, typed on the next line.
func strayPassword(lines []Line, i int) bool {
	if i == 0 || lines[i].Kind != Command {
		return false
	}
	if _, known := commands[lines[i].Cmd]; known {
		return false
	}
	p := &lines[i-1]
	return p.Kind == Command && (secretCommands[p.Cmd] || passwordLike(p.Cmd)) && (p.Arg == "" || p.Arg == "\\")
}

// nearestCommand returns the known command closest to name (edit distance
// at most 2), or "".
func nearestCommand(name string) string {
	best, bestD := "", 3
	if len(name) > 32 {
		return ""
	}
	for c := range commands {
		if d := len(c) - len(name); d > 2 || d < -2 {
			continue
		}
		if d := linters.EditDistance(name, c, 2); d < bestD || (d == bestD && c < best) {
			best, bestD = c, d
		}
	}
	if bestD <= 2 {
		return best
	}
	return ""
}
