package linters

import "strings"

// ChezmoiAttrs are the attributes chezmoi reads from the prefixes of a
// source name (https://chezmoi.io/reference/source-state-attributes/).
type ChezmoiAttrs struct {
	// Create, Modify: a file chezmoi creates if missing, or a script that
	// modifies the target.
	Create, Modify bool
	// Remove, External, Exact: folder attributes.
	Remove, External, Exact bool
	// Encrypted: the source holds ciphertext.
	Encrypted bool
	// Private: installed without group and other permissions (0600).
	Private bool
	// Readonly, Empty, Executable: the other permission and content
	// attributes.
	Readonly, Empty, Executable bool
	// Dot: the target name starts with a dot (dot_msmtprc is .msmtprc).
	Dot bool
}

// Any reports whether the name had any attribute, that is whether it reads
// as a chezmoi source name at all.
func (a ChezmoiAttrs) Any() bool { return a != ChezmoiAttrs{} }

// ChezmoiTarget reads one path element as chezmoi reads a source name and
// returns the target name it installs (dot_msmtprc: .msmtprc) and the
// attributes. isFile tells a file's name from a folder's: their prefixes
// differ. chezmoi reads prefixes in a fixed order (files: create_ or
// modify_, encrypted_, private_, readonly_, empty_, executable_, dot_;
// folders: remove_, external_, exact_, private_, readonly_, dot_) and stops
// at literal_ (which it removes); a prefix out of that order is part of the
// name. A name without attributes or literal_ is returned unchanged.
func ChezmoiTarget(elem string, isFile bool) (string, ChezmoiAttrs) {
	var a ChezmoiAttrs
	type step struct {
		prefix string
		set    *bool
	}
	var steps []step
	if isFile {
		if t, ok := strings.CutPrefix(elem, "create_"); ok {
			elem, a.Create = t, true
		} else if t, ok := strings.CutPrefix(elem, "modify_"); ok {
			elem, a.Modify = t, true
		}
		steps = []step{{"encrypted_", &a.Encrypted}, {"private_", &a.Private}, {"readonly_", &a.Readonly},
			{"empty_", &a.Empty}, {"executable_", &a.Executable}, {"dot_", &a.Dot}}
	} else {
		steps = []step{{"remove_", &a.Remove}, {"external_", &a.External}, {"exact_", &a.Exact},
			{"private_", &a.Private}, {"readonly_", &a.Readonly}, {"dot_", &a.Dot}}
	}
	for _, s := range steps {
		if t, ok := strings.CutPrefix(elem, "literal_"); ok {
			return t, a
		}
		if t, ok := strings.CutPrefix(elem, s.prefix); ok {
			elem, *s.set = t, true
		}
	}
	if a.Dot {
		elem = "." + elem
	}
	return elem, a
}

// PlainName returns the name a path element stands for, for recognising
// a client's files: chezmoi's prefixes undone (ChezmoiTarget) and then a
// leading dot removed, so dot_msmtprc, private_dot_msmtprc, .msmtprc and
// msmtprc all give "msmtprc". It returns "" for a chezmoi source whose
// content is not the file's text: encrypted_ (ciphertext) and modify_ (a
// script that edits the file).
func PlainName(elem string, isFile bool) string {
	name, a := ChezmoiTarget(elem, isFile)
	if a.Encrypted || a.Modify {
		return ""
	}
	return strings.TrimPrefix(name, ".")
}
