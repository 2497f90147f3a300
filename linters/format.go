package linters

import "io/fs"

// ReadFunc reads a file a configuration refers to (a mutt `source`, a git
// `include`). It returns the bytes and the permission bits. Adapters use it
// instead of touching the file system, so tests can run in memory.
type ReadFunc func(path string) (data []byte, mode fs.FileMode, err error)

// Env is what an adapter may know about the user's environment to list the
// default configuration locations of its client.
type Env struct {
	Home   string
	Getenv func(string) string
	GOOS   string
}

// Format is implemented by each format adapter (one per client).
type Format interface {
	// Name is the --type name: msmtp, mutt, thunderbird, gitconfig.
	Name() string
	// Match reports whether a file path looks like this format's config, by
	// its name and location.
	Match(path string) bool
	// DefaultPaths lists where the client looks for its configuration.
	DefaultPaths(env Env) []string
	// Parse builds the Document of the file at path whose content is src.
	// It never runs anything the file names. It returns an error only when
	// the input is unusable (not text); syntax problems are Diagnostics.
	Parse(path string, src []byte, mode fs.FileMode, ctx *Context) (*Document, error)
}

// Context is what a parser may use besides the file itself.
type Context struct {
	// Read reads files the configuration includes; nil means includes are
	// reported as not followed.
	Read ReadFunc
	// Env expands ~ and $XDG_CONFIG_HOME in included paths.
	Env Env
}

// WriteGuard is implemented by formats whose files must not be written at
// some times: Thunderbird rewrites prefs.js while it runs, so an edit made
// then is lost. CheckWrite returns an error saying why the file at path
// must not be written now; lstat inspects the file system.
type WriteGuard interface {
	CheckWrite(path string, lstat func(string) (fs.FileInfo, error)) error
}
