package linters

import (
	"cmp"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/maillint/maillint/linters/providers"
)

// Fixability says whether a rule offers fixes, and of which kind.
type Fixability string

// Fixabilities as shown by `maillint rules`.
const (
	NotFixable   Fixability = "no"
	SafeFix      Fixability = "safe"
	UnsafeFix    Fixability = "unsafe"
	SometimesFix Fixability = "safe/unsafe"
)

// Example is a wrong and a right way to write something in one format.
type Example struct {
	Format string
	Bad    string
	Good   string
}

// Rule is one check. Rules with a nil Check are reported by format parsers
// (syntax, unknown-key, inline-comment); they are listed for their docs.
type Rule struct {
	// ID is stable kebab-case; it is public API.
	ID       string
	Severity Severity
	Fixable  Fixability
	// Summary is one line for `maillint rules`.
	Summary string
	// Doc explains the rule for `maillint explain`.
	Doc      string
	Examples []Example
	Check    func(*Pass)
}

// Pass is what a rule sees while it checks one Document.
type Pass struct {
	Doc       *Document
	Providers *providers.DB
	rule      *Rule
	out       []Finding
	// lookups caches Lookup's answers for the rules of one Run; nil in a
	// Pass made elsewhere.
	lookups map[*Endpoint]*Match
}

// Report records a finding of the running rule at its default severity.
func (p *Pass) Report(at Range, fix *Fix, format string, args ...any) {
	p.ReportSeverity(p.rule.Severity, at, fix, format, args...)
}

// ReportSeverity records a finding with an explicit severity.
func (p *Pass) ReportSeverity(sev Severity, at Range, fix *Fix, format string, args ...any) {
	p.out = append(p.out, Finding{Rule: p.rule.ID, Severity: sev, Message: fmt.Sprintf(format, args...), At: at, Fix: fix})
}

// FixFor asks the endpoint's Writer for the edits of changes and wraps them
// in a Fix, or returns nil when the format cannot write them.
func FixFor(ep *Endpoint, app Applicability, message string, changes ...Change) *Fix {
	if ep == nil || ep.Writer == nil {
		return nil
	}
	edits, err := ep.Writer.Edits(changes...)
	if err != nil || len(edits) == 0 {
		return nil
	}
	return &Fix{Message: message, Applicability: app, Edits: edits}
}

// Run checks doc with rules and returns its findings, the parser's
// diagnostics included, without duplicates (a value inherited by several
// accounts is reported once), sorted by path, line, column and rule.
func Run(doc *Document, db *providers.DB, rules []*Rule) []Finding {
	if db == nil {
		db = providers.Builtin()
	}
	out := append([]Finding(nil), doc.Diagnostics...)
	lookups := map[*Endpoint]*Match{} // most rules look up every endpoint's provider
	for _, r := range rules {
		if r.Check == nil {
			continue
		}
		p := &Pass{Doc: doc, Providers: db, rule: r, lookups: lookups}
		r.Check(p)
		out = append(out, p.out...)
	}
	out = Dedupe(out)
	maskSecrets(doc, out)
	return out
}

// maskSecrets applies SecretMasker(doc) to the findings' messages and
// their fixes' messages.
func maskSecrets(doc *Document, fs []Finding) {
	mask := SecretMasker(doc)
	for i := range fs {
		fs[i].Message = mask(fs[i].Message)
		if fs[i].Fix != nil {
			if m := mask(fs[i].Fix.Message); m != fs[i].Fix.Message {
				fx := *fs[i].Fix
				fx.Message = m
				fs[i].Fix = &fx
			}
		}
	}
}

// SecretMasker returns a function that replaces, in a text about doc
// (a finding's message, a live check's report), the text of each inline
// secret of doc's files with asterisks, and then masks what ScrubMessage
// finds. Rules and adapters do not quote secrets, but a value the model
// reads as something else (a git smtpServer written as
// smtp://user:pass@host is a host name to git) may carry one into a
// message; and a value typed on the line after its key (nextLineSecrets)
// is quoted as an unknown command. Only whole occurrences are masked (not
// "pass" inside "password"), and secrets shorter than 3 bytes are left to
// ScrubMessage: masking them everywhere would garble words.
func SecretMasker(doc *Document) func(string) string {
	set := map[string]bool{}
	var lengths []int
	add := func(sec string) {
		if len(sec) >= 3 && !set[sec] {
			if !slices.ContainsFunc(lengths, func(n int) bool { return n == len(sec) }) {
				lengths = append(lengths, len(sec))
			}
			set[sec] = true
		}
	}
	for _, sf := range doc.Files {
		for _, r := range sf.Secrets {
			if a, b := r.Start.Offset, r.End.Offset; 0 <= a && a < b && b <= len(sf.Src) {
				add(string(sf.Src[a:b]))
			}
		}
		for _, r := range nextLineSecrets(sf.Src) {
			add(string(sf.Src[r[0]:r[1]]))
		}
	}
	// Longer first, so a secret that holds another is masked whole.
	sort.Sort(sort.Reverse(sort.IntSlice(lengths)))
	return func(s string) string {
		if len(set) > 0 {
			s = maskWhole(s, set, lengths)
		}
		return ScrubMessage(s)
	}
}

// maskWhole replaces the occurrences in s of the strings of set (whose
// lengths are lengths, longest first) that do not continue a word on
// either side (a password "pass" is masked in "kim:pass@host", not in
// "password") with eight asterisks. It costs a lookup per byte of s and
// length, however many strings set holds: a file of ten thousand
// passwords does not make each message ten thousand searches.
func maskWhole(s string, set map[string]bool, lengths []int) string {
	isWord := func(b byte) bool { return b >= 0x80 || isIdentByte(b) }
	var out strings.Builder
	last := 0
	for i := 0; i < len(s); i++ {
		for _, n := range lengths {
			j := i + n
			if j > len(s) || !set[s[i:j]] {
				continue
			}
			if i > 0 && isWord(s[i-1]) && isWord(s[i]) || j < len(s) && isWord(s[j]) && isWord(s[j-1]) {
				continue
			}
			out.WriteString(s[last:i])
			out.WriteString("********")
			last = j
			i = j - 1
			break
		}
	}
	if last == 0 {
		return s
	}
	out.WriteString(s[last:])
	return out.String()
}

// Dedupe sorts findings and keeps one finding per rule and place: a line
// shared by several accounts or endpoints (msmtp defaults, one mutt
// ssl_verify_host for SMTP and IMAP) is one problem, shown once; the others'
// fixes follow in the next round of the fix loop when they still apply.
// The one kept is the most severe, then one with a fix (safe before
// unsafe): a shared `tls off` that is fine for a local bridge but wrong
// for Gmail is reported as Gmail's error, not as the bridge's info.
//
// Two findings of different rules at the same place whose fixes make the
// same edits (git's smtpEncryption = starttls: not a value git knows, and
// so no TLS) are one problem too: the first, by rule id, is kept.
func Dedupe(fs []Finding) []Finding {
	Sort(fs)
	kept := fs[:0]
	for i := 0; i < len(fs); {
		best, j := i, i+1
		for ; j < len(fs) && fs[j].Rule == fs[i].Rule && fs[j].At == fs[i].At; j++ {
			if outranks(&fs[j], &fs[best]) {
				best = j
			}
		}
		kept = append(kept, fs[best])
		i = j
	}
	fs = kept
	out := make([]Finding, 0, len(fs))
	for i, f := range fs {
		dup := false
		for j := i - 1; j >= 0 && fs[j].At == f.At; j-- {
			if sameFix(fs[j].Fix, f.Fix) {
				dup = true
				break
			}
		}
		if !dup {
			out = append(out, f)
		}
	}
	return out
}

// outranks reports whether finding a is the one to keep rather than b of
// two findings of one rule at one place: more severe, else with a fix where
// b has none, else with a safe fix where b's is unsafe.
func outranks(a, b *Finding) bool {
	if a.Severity != b.Severity {
		return a.Severity > b.Severity
	}
	return fixRank(a.Fix) > fixRank(b.Fix)
}

func fixRank(f *Fix) int {
	switch {
	case f == nil || len(f.Edits) == 0:
		return 0
	case f.Applicability == Unsafe:
		return 1
	}
	return 2
}

// sameFix reports whether two fixes exist and make the same edits.
func sameFix(a, b *Fix) bool {
	return a != nil && b != nil && len(a.Edits) > 0 && slices.Equal(a.Edits, b.Edits)
}

// Sort orders findings by path, line, column, rule and message.
func Sort(fs []Finding) {
	slices.SortStableFunc(fs, func(a, b Finding) int {
		return cmp.Or(
			strings.Compare(a.At.Path, b.At.Path),
			cmp.Compare(a.At.Start.Line, b.At.Start.Line),
			cmp.Compare(a.At.Start.Col, b.At.Start.Col),
			strings.Compare(a.Rule, b.Rule),
			strings.Compare(a.Message, b.Message),
		)
	})
}
