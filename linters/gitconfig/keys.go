package gitconfig

import (
	"strings"

	"github.com/maillint/maillint/linters"
)

// sendemailKeys are the keys git send-email reads from [sendemail] and
// [sendemail "identity"], lower-cased, with their documented spelling. The
// list is git 2.39's (the %config_*settings tables of git-send-email) plus
// keys added later, so a newer git's settings are not called unknown.
var sendemailKeys = map[string]string{
	"aliasesfile":             "aliasesFile",
	"aliasfiletype":           "aliasFileType",
	"annotate":                "annotate",
	"assume8bitencoding":      "assume8bitEncoding",
	"bcc":                     "bcc",
	"cc":                      "cc",
	"cccmd":                   "ccCmd",
	"cccover":                 "ccCover",
	"chainreplyto":            "chainReplyTo",
	"composeencoding":         "composeEncoding",
	"confirm":                 "confirm",
	"envelopesender":          "envelopeSender",
	"forbidsendmailvariables": "forbidSendmailVariables",
	"from":                    "from",
	"headercmd":               "headerCmd",
	"identity":                "identity",
	"mailmap":                 "mailmap",
	"multiedit":               "multiEdit",
	"outlookidfix":            "outlookIdFix",
	"sendmailcmd":             "sendmailCmd",
	"signedoffbycc":           "signedOffByCc",
	"signedoffcc":             "signedOffCc",
	"smtpauth":                "smtpAuth",
	"smtpbatchsize":           "smtpBatchSize",
	"smtpdomain":              "smtpDomain",
	"smtpencryption":          "smtpEncryption",
	"smtppass":                "smtpPass",
	"smtprelogindelay":        "smtpReloginDelay",
	"smtpserver":              "smtpServer",
	"smtpserveroption":        "smtpServerOption",
	"smtpserverport":          "smtpServerPort",
	"smtpsslcertpath":         "smtpSSLCertPath",
	"smtpsslclientcert":       "smtpSSLClientCert",
	"smtpsslclientkey":        "smtpSSLClientKey",
	"smtpuser":                "smtpUser",
	"suppresscc":              "suppressCc",
	"suppressfrom":            "suppressFrom",
	"thread":                  "thread",
	"to":                      "to",
	"tocmd":                   "toCmd",
	"tocover":                 "toCover",
	"transferencoding":        "transferEncoding",
	"validate":                "validate",
	"xmailer":                 "xmailer",
}

// mailmapKeys are the keys of git's [sendemail "mailmap"] subsection
// (sendemail.mailmap.file, sendemail.mailmap.blob), which is not an identity.
var mailmapKeys = map[string]bool{"file": true, "blob": true}

// keyFor spells a key in the style of its section: the documented
// camelCase, or all lower case when the section's keys are (see camelCase).
func keyFor(key string, camel bool) string {
	if s, ok := sendemailKeys[key]; ok && camel {
		return s
	}
	return key
}

// camelCase reports whether the keys of the section whose header is
// f.Nodes[hdr] are written with capitals (smtpServer) rather than all in
// lower case (smtpserver). An empty section counts as camelCase, git's
// documented spelling.
func camelCase(f *File, hdr int) bool {
	seen := false
	for i := hdr + 1; i < len(f.Nodes); i++ {
		n := &f.Nodes[i]
		if n.Kind == Header {
			break
		}
		if n.Kind != Entry {
			continue
		}
		seen = true
		if k := string(f.Src[n.KeyStart:n.KeyEnd]); k != strings.ToLower(k) {
			return true
		}
	}
	return !seen
}

// misspells reports whether an assignment is an ignored spelling of key:
// the deprecated smtpssl for smtpencryption, or an unknown key whose
// nearest known key is key.
func misspells(v *Var, key string) bool {
	if _, known := sendemailKeys[v.Key]; known || v.Base != "sendemail" {
		return false
	}
	if v.Key == "smtpssl" {
		return key == "smtpencryption"
	}
	near, _ := nearestKey(v.Key)
	return near == key
}

// nearestKey returns the known key closest to an unknown one and whether
// the match is exact once '-' is ignored (compose-encoding for
// composeEncoding); "" when nothing is close.
func nearestKey(key string) (string, bool) {
	norm := strings.ReplaceAll(key, "-", "")
	if _, ok := sendemailKeys[norm]; ok {
		return norm, true
	}
	if len(norm) < 5 {
		return "", false
	}
	best, bestD := "", 3
	for k := range sendemailKeys {
		if d := linters.EditDistance(norm, k, 2); d < bestD || d == bestD && k < best {
			best, bestD = k, d
		}
	}
	if bestD > 2 {
		return "", false
	}
	return best, false
}
