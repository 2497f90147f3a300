package mutt

import (
	"sort"
	"strings"
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
		if d := distance(lower, n, limit); d < bestD {
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

// distance is the Damerau-Levenshtein (optimal string alignment) distance
// of a and b, or limit+1 when it is larger than limit.
func distance(a, b string, limit int) int {
	if d := len(a) - len(b); d > limit || -d > limit {
		return limit + 1
	}
	prev2 := make([]int, len(b)+1)
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		rowMin := cur[0]
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
			rowMin = min(rowMin, cur[j])
		}
		if rowMin > limit {
			return limit + 1
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(b)]
}

// allVars lists the variable name sets, for suggestions.
var allVars = []map[string]bool{boolVars, quadVars, numberVars, stringVars}
