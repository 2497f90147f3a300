package linters

import (
	"io/fs"
	"strings"
)

// Protocol names the role of an endpoint.
type Protocol string

// The protocols maillint models.
const (
	SMTP Protocol = "smtp"
	IMAP Protocol = "imap"
)

// Security is how a connection is protected.
type Security int

// Security modes. StartTLSOptional is "STARTTLS if the server offers it": a
// man in the middle can strip the offer, so it counts as not enforced.
const (
	SecurityUnknown Security = iota
	SecurityNone
	SecurityStartTLSOptional
	SecurityStartTLS
	SecurityImplicitTLS
)

var securityNames = [...]string{"unknown", "none", "starttls-optional", "starttls", "tls"}

// String returns the stable name used in JSON output and the provider
// database: unknown, none, starttls-optional, starttls or tls.
func (s Security) String() string {
	if int(s) < len(securityNames) {
		return securityNames[s]
	}
	return "unknown"
}

// Describe returns words for messages: "implicit TLS", "STARTTLS", ...
func (s Security) Describe() string {
	switch s {
	case SecurityNone:
		return "no TLS"
	case SecurityStartTLSOptional:
		return "STARTTLS only if the server offers it"
	case SecurityStartTLS:
		return "STARTTLS"
	case SecurityImplicitTLS:
		return "implicit TLS"
	}
	return "unknown security"
}

// Encrypted reports whether s guarantees an encrypted session.
func (s Security) Encrypted() bool { return s == SecurityStartTLS || s == SecurityImplicitTLS }

// ParseSecurity is the inverse of Security.String.
func ParseSecurity(name string) (Security, bool) {
	for i, n := range securityNames {
		if n == name {
			return Security(i), true
		}
	}
	return SecurityUnknown, false
}

// Setting is one effective value of the model and where it came from.
type Setting[T any] struct {
	// Val is the value the client uses: written in a file, or the client's default.
	Val T
	// Set is true when Val is written in a file, false when it is the client default.
	Set bool
	// At is where the value is written. For a default, it is where the
	// account or endpoint starts, which is where findings about it are shown.
	At Range
	// Dynamic is true when the value depends on something unknown while linting
	// (a command, an environment variable): rules must not judge or fix it.
	Dynamic bool
}

// Known reports whether the value can be judged (it is not dynamic).
func (s Setting[T]) Known() bool { return !s.Dynamic }

// PasswordKind says where an endpoint's password comes from.
type PasswordKind int

// Password sources.
const (
	PasswordNone     PasswordKind = iota
	PasswordInline                // written in the file in clear text
	PasswordCommand               // produced by a command maillint never runs
	PasswordExternal              // a keyring, netrc, credential helper or OAuth token
)

// Password describes the password source of an endpoint. The secret itself
// is never part of the model.
type Password struct {
	Kind PasswordKind
	// At is the range of the line (or value) that sets it.
	At Range
	// Value is the range of the secret itself (PasswordInline) or of the
	// command (PasswordCommand), as the client reads it (quotes and escapes
	// already undone when Raw is false). maillint reads it only for
	// --verify-auth and never prints it.
	Value Range
	// Raw is true when the bytes at Value need no unquoting.
	Raw bool
}

// Endpoint is one server a client talks to, with its effective settings.
type Endpoint struct {
	Protocol  Protocol
	Host      Setting[string]
	Port      Setting[int]
	Security  Setting[Security]
	CertCheck Setting[bool]
	// Auth is whether the client authenticates at all.
	Auth Setting[bool]
	// AuthMech lists the mechanisms the client is limited to, in lower
	// case and separated by spaces ("plain", "xoauth2", "login plain";
	// AuthMechs splits it), or is "" when the client picks one from what
	// the server offers.
	AuthMech Setting[string]
	User     Setting[string]
	Password Password
	// At is where the endpoint is defined (an account header, a URL).
	At Range
	// Writer turns changes of this endpoint into edits; nil when the format
	// cannot write them.
	Writer Writer
}

// AuthMechs returns the mechanisms of AuthMech, one per element.
func (ep *Endpoint) AuthMechs() []string { return strings.Fields(ep.AuthMech.Val) }

// Account is one configured identity: an address, where mail goes out, and
// optionally where it comes in.
type Account struct {
	// Name is the account's name in the format ("work", a server key...).
	Name string
	// At is the account's header or first line.
	At Range
	// From is the sender address.
	From Setting[string]
	// SMTP is the outgoing endpoint, nil when the account sends no mail itself.
	SMTP *Endpoint
	// IMAP is the incoming endpoint, if any.
	IMAP *Endpoint
	// Delegate names the program that sends mail when the client hands
	// mail to another program (mutt's sendmail = msmtp), with its location.
	Delegate Setting[string]
}

// SourceFile is one file that contributed to a Document.
type SourceFile struct {
	Path string
	Src  []byte
	// Index maps offsets of Src to lines.
	Index *LineIndex
	// Mode is the file's permission bits; 0 when unknown.
	Mode fs.FileMode
	// Secrets are the byte ranges of inline secrets. Printers mask them.
	// They include values that only may be secrets (a password command, a
	// misspelled password key), so nothing is ever shown by mistake.
	Secrets []Range
	// Passwords are the byte ranges of passwords written in clear text
	// (a subset of Secrets): what plaintext-password and
	// insecure-permissions report, wherever they are written.
	Passwords []Range
	// StrictSecretMode is true when the client refuses this file if it holds
	// secrets and is readable by group or others (msmtp does).
	StrictSecretMode bool
}

// Document is what a format adapter made of one configuration: the files it
// read, the accounts they define, and the lexical findings of the parser.
type Document struct {
	// Format is the adapter's name: msmtp, mutt, thunderbird, gitconfig.
	Format string
	// Files are the files read; Files[0] is the one the user named.
	Files []*SourceFile
	// Accounts in the order the client reads them.
	Accounts []*Account
	// Diagnostics are findings the parser made itself (rules syntax,
	// unknown-key, inline-comment...). Their rule ids are in the registry.
	Diagnostics []Finding
}

// File returns the SourceFile with the given path, or nil.
func (d *Document) File(path string) *SourceFile {
	for _, f := range d.Files {
		if f.Path == path {
			return f
		}
	}
	return nil
}

// Field names a setting of an Endpoint that a Writer can change.
type Field string

// Fields a Writer can change.
const (
	FieldHost      Field = "host"
	FieldPort      Field = "port"
	FieldSecurity  Field = "security"
	FieldCertCheck Field = "cert-check"
	FieldAuth      Field = "auth"
	FieldUser      Field = "user"
)

// Change is one desired new value of an endpoint setting.
type Change struct {
	Field    Field
	Text     string   // FieldHost, FieldUser
	Port     int      // FieldPort
	Security Security // FieldSecurity
	On       bool     // FieldCertCheck, FieldAuth
}

// SetHost, SetPort, SetSecurity, SetCertCheck, SetAuth and SetUser build Changes.
func SetHost(h string) Change { return Change{Field: FieldHost, Text: h} }

// SetPort returns a Change of the port.
func SetPort(p int) Change { return Change{Field: FieldPort, Port: p} }

// SetSecurity returns a Change of the security mode.
func SetSecurity(s Security) Change { return Change{Field: FieldSecurity, Security: s} }

// SetCertCheck returns a Change of certificate checking.
func SetCertCheck(on bool) Change { return Change{Field: FieldCertCheck, On: on} }

// SetAuth returns a Change of whether to authenticate.
func SetAuth(on bool) Change { return Change{Field: FieldAuth, On: on} }

// SetUser returns a Change of the login name.
func SetUser(u string) Change { return Change{Field: FieldUser, Text: u} }

// Writer is implemented by format adapters: it knows how the format writes
// each setting of one endpoint and returns the minimal edits that give the
// endpoint the changed effective values, all at once (so a scheme and a port
// inside one URL become one edit).
type Writer interface {
	Edits(changes ...Change) ([]TextEdit, error)
}
