package linters

import (
	"fmt"
	"path/filepath"
	"strings"
)

// InsecurePermissions flags a file that holds a password and can be read by
// other users.
var InsecurePermissions = &Rule{
	ID:       "insecure-permissions",
	Severity: Error,
	Fixable:  NotFixable,
	Summary:  "a file holding a password is readable by group or others",
	Doc: `The file contains a password and its permissions let other users read it.
msmtp refuses such a file ("contains secrets and therefore must have no
more than user read/write permissions"). Run chmod 600 on it. maillint
reports this rather than changing permissions itself.`,
	Examples: []Example{{Format: "msmtp",
		Bad:  "-rw-r--r-- ~/.msmtprc   (holds a password line)\n",
		Good: "-rw------- ~/.msmtprc\n"}},
	Check: func(p *Pass) {
		for _, f := range p.Doc.Files {
			if len(f.Passwords) == 0 || f.Mode == 0 || f.Mode.Perm()&0o077 == 0 {
				continue
			}
			sev, why := Warning, "other users can read the password"
			if f.StrictSecretMode {
				sev, why = Error, fmt.Sprintf("%s refuses a file holding a password that group or others can read", p.Doc.Format)
			}
			if f.Mode.Perm()&0o100 != 0 && f.StrictSecretMode {
				why += " (or that is executable)"
			}
			at := Range{Path: f.Path, Start: f.Passwords[0].Start, End: f.Passwords[0].Start}
			_, attrs := ChezmoiTarget(filepath.Base(f.Path), true)
			switch {
			case attrs.Private:
				continue // a chezmoi source: installed 0600 whatever its mode here
			case attrs.Any():
				p.ReportSeverity(sev, at, nil, "file mode %04o: %s; chezmoi installs this file with these permissions: name it with private_ (private_%s) so that it is installed 0600",
					f.Mode.Perm(), why, filepath.Base(f.Path))
				continue
			}
			p.ReportSeverity(sev, at, nil, "file mode %04o: %s; run chmod 600 %s", f.Mode.Perm(), why, shellQuote(f.Path))
		}
	},
}

// shellQuote returns path as a shell word: as it is when it holds only
// characters a shell leaves alone, else in single quotes.
func shellQuote(path string) string {
	plain := path != ""
	for _, c := range path {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.ContainsRune("_./@%+=:,-~", c)) {
			plain = false
			break
		}
	}
	if plain && path[0] != '~' {
		return path
	}
	return "'" + strings.ReplaceAll(path, "'", `'\''`) + "'"
}
