package linters

import "strings"

// Severity of a finding.
type Severity int

// Severities, weakest first.
const (
	Info Severity = iota
	Warning
	Error
)

// String returns info, warning or error.
func (s Severity) String() string {
	switch s {
	case Warning:
		return "warning"
	case Error:
		return "error"
	}
	return "info"
}

// ParseSeverity is the inverse of Severity.String.
func ParseSeverity(s string) (Severity, bool) {
	switch strings.ToLower(s) {
	case "info":
		return Info, true
	case "warning":
		return Warning, true
	case "error":
		return Error, true
	}
	return Info, false
}

// TextEdit replaces the bytes [Start, End) of the file at Path with New.
// Start == End is an insertion.
type TextEdit struct {
	Path  string
	Start int
	End   int
	New   string
}

// Applicability says whether a fix may be applied without review.
type Applicability int

// Fix applicabilities. A safe fix keeps what the user meant and only makes
// the client do it; an unsafe fix guesses (a login derived from the From
// address, re-enabling certificate checks on a server that may need them off).
const (
	Safe Applicability = iota
	Unsafe
)

// String returns safe or unsafe.
func (a Applicability) String() string {
	if a == Unsafe {
		return "unsafe"
	}
	return "safe"
}

// Fix is a suggested change: edits applied together or not at all.
type Fix struct {
	// Message says what the fix does, as a verb phrase.
	Message       string
	Applicability Applicability
	Edits         []TextEdit
}

// Finding is one problem found in a configuration.
type Finding struct {
	Rule     string
	Severity Severity
	Message  string
	// At is where the problem is shown.
	At Range
	// Fix is nil when no fix is offered.
	Fix *Fix
}
