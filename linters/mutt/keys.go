package mutt

import (
	"sort"
	"strings"

	"github.com/maillint/maillint/linters"
)

// varType is the type of a mutt variable, as far as the parser checks it.
type varType int

const (
	varUnknown varType = iota
	varBool
	varQuad
	varNumber
	varString
)

func words(s string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(s) {
		m[w] = true
	}
	return m
}

// typeOf returns the type of variable name (a name or synonym), varUnknown
// when neither mutt nor neomutt knows it. my_ variables are strings.
func typeOf(name string) varType {
	switch {
	case strings.HasPrefix(name, "my_"):
		return varString
	case boolVars[name]:
		return varBool
	case quadVars[name]:
		return varQuad
	case numberVars[name]:
		return varNumber
	case stringVars[name]:
		return varString
	}
	return varUnknown
}

// canonical returns the name under which the resolver keeps a variable:
// synonyms are folded into the name neomutt reports (spoolfile is
// spool_file, realname is real_name).
func canonical(name string) string {
	if c, ok := synonyms[name]; ok {
		return c
	}
	return name
}

// relevantVars are the variables the model reads. A hook whose command
// sets one of them describes an account.
var relevantVars = words(`smtp_url smtp_pass smtp_user smtp_authenticators
ssl_force_tls ssl_starttls ssl_verify_host ssl_verify_dates folder spool_file
imap_user imap_login imap_pass from sendmail`)

// hookCommands are the hooks whose last argument is a muttrc command that
// mutt runs later (when a folder is opened, a message is sent...).
var hookCommands = words(`account-hook folder-hook send-hook send2-hook reply-hook message-hook`)

// knownCommand reports whether mutt or neomutt knows the command name.
func knownCommand(name string) bool { return commandNames[name] }

// suggest returns the known name closest to name among candidates: a name
// that differs only in case (exact=true), or a unique one within a small
// edit distance.
func suggest(name string, candidates []map[string]bool) (best string, exact bool) {
	lower := strings.ToLower(name)
	var names []string
	for _, m := range candidates {
		for n := range m {
			if n == lower {
				return n, true
			}
			names = append(names, n)
		}
	}
	if len(name) < 5 {
		return "", false
	}
	sort.Strings(names)
	limit := 2
	if len(name) < 8 {
		limit = 1
	}
	bestD, count := limit+1, 0
	for _, n := range names {
		if d := linters.EditDistance(lower, n, limit); d < bestD {
			best, bestD, count = n, d, 1
		} else if d == bestD && n != best {
			count++
		}
	}
	if bestD > limit || count != 1 {
		return "", false
	}
	return best, false
}

// allVars lists the variable name sets, for suggestions.
var allVars = []map[string]bool{boolVars, quadVars, numberVars, stringVars}
