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

// maskSecrets replaces the text of each inline secret of doc's files in
// the findings' messages (and their fixes' messages) with asterisks. Rules
// and adapters do not quote secrets, but a value the model reads as
// something else (a git smtpServer written as smtp://user:pass@host is a
// host name to git) may carry one into a message. Secrets shorter than 3
// bytes are left: masking them would garble words without hiding much.
func maskSecrets(doc *Document, fs []Finding) {
	var secrets []string
	for _, sf := range doc.Files {
		for _, r := range sf.Secrets {
			if a, b := r.Start.Offset, r.End.Offset; 0 <= a && a+3 <= b && b <= len(sf.Src) {
				secrets = append(secrets, string(sf.Src[a:b]))
			}
		}
	}
	if len(secrets) == 0 {
		return
	}
	// Longer first, so a secret that holds another is masked whole.
	sort.Slice(secrets, func(i, j int) bool { return len(secrets[i]) > len(secrets[j]) })
	mask := func(s string) string {
		for _, sec := range secrets {
			if strings.Contains(s, sec) {
				s = strings.ReplaceAll(s, sec, "********")
			}
		}
		return s
	}
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
