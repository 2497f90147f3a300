package thunderbird

import (
	"fmt"
	"io/fs"
	"path/filepath"
	"strings"

	"github.com/maillint/maillint/linters"
)

// IniProfile is one [ProfileN] section of profiles.ini.
type IniProfile struct {
	// Name is the profile's name; Path its folder.
	Name, Path string
	// IsRelative says Path is relative to the folder of profiles.ini.
	IsRelative bool
	// Default is set by Default=1.
	Default bool
}

// ProfilesINI is what maillint reads of profiles.ini.
type ProfilesINI struct {
	// Profiles are the [ProfileN] sections in file order.
	Profiles []IniProfile
	// InstallDefault is the Default= of the first [Install…] section: the
	// profile an installation starts with, which wins over Default=1.
	InstallDefault string
}

// ParseProfilesINI reads the sections and keys Thunderbird's profile
// service uses. Lines that are not "key=value" or "[section]" are ignored.
func ParseProfilesINI(src []byte) *ProfilesINI {
	out := &ProfilesINI{}
	section := ""
	var cur *IniProfile
	for _, line := range strings.FieldsFunc(string(src), func(r rune) bool { return r == '\n' || r == '\r' }) {
		line = strings.TrimSpace(strings.TrimPrefix(line, "\xef\xbb\xbf"))
		if line == "" || line[0] == ';' || line[0] == '#' {
			continue
		}
		if line[0] == '[' {
			section = strings.TrimSuffix(line[1:], "]")
			cur = nil
			if strings.HasPrefix(section, "Profile") {
				out.Profiles = append(out.Profiles, IniProfile{IsRelative: true})
				cur = &out.Profiles[len(out.Profiles)-1]
			}
			continue
		}
		k, v, ok := strings.Cut(line, "=")
		if !ok {
			continue
		}
		k, v = strings.TrimSpace(k), strings.TrimSpace(v)
		switch {
		case cur != nil && k == "Name":
			cur.Name = v
		case cur != nil && k == "Path":
			cur.Path = v
		case cur != nil && k == "IsRelative":
			cur.IsRelative = v != "0"
		case cur != nil && k == "Default":
			cur.Default = v == "1"
		case strings.HasPrefix(section, "Install") && k == "Default" && out.InstallDefault == "":
			out.InstallDefault = v
		}
	}
	return out
}

// DefaultProfile returns the folder of the profile Thunderbird starts with
// (the [Install…] default, else the profile marked Default=1, else the
// only or first profile), resolved against iniDir; "" when there is none.
func (p *ProfilesINI) DefaultProfile(iniDir string) string {
	resolve := func(path string, rel bool) string {
		native := filepath.FromSlash(path)
		if rel && !filepath.IsAbs(native) {
			return filepath.Join(iniDir, native)
		}
		return native
	}
	if p.InstallDefault != "" {
		for _, pr := range p.Profiles {
			if pr.Path == p.InstallDefault {
				return resolve(pr.Path, pr.IsRelative)
			}
		}
		return resolve(p.InstallDefault, true)
	}
	for _, pr := range p.Profiles {
		if pr.Default && pr.Path != "" {
			return resolve(pr.Path, pr.IsRelative)
		}
	}
	for _, pr := range p.Profiles {
		if pr.Path != "" {
			return resolve(pr.Path, pr.IsRelative)
		}
	}
	return ""
}

// parseProfilesINI checks the default profile a profiles.ini names. The
// Document lists profiles.ini first, then the profile's prefs.js and user.js.
func parseProfilesINI(path string, src []byte, mode fs.FileMode, read linters.ReadFunc) (*linters.Document, error) {
	ini := &linters.SourceFile{Path: path, Src: src, Index: linters.NewLineIndex(path, src), Mode: mode}
	dir := ParseProfilesINI(src).DefaultProfile(filepath.Dir(path))
	if dir == "" {
		return &linters.Document{Format: Name, Files: []*linters.SourceFile{ini}}, nil
	}
	if read == nil {
		return nil, fmt.Errorf("the default profile %s cannot be read here", dir)
	}
	prefs := filepath.Join(dir, "prefs.js")
	data, m, err := read(prefs)
	if err != nil {
		return nil, fmt.Errorf("profiles.ini names the profile %s, but its prefs.js cannot be read: %v", dir, err)
	}
	files, modes := []*File{Parse(prefs, data)}, []fs.FileMode{m}
	up := filepath.Join(dir, "user.js")
	data, m, upErr := read(up)
	if upErr == nil {
		files, modes = append(files, Parse(up, data)), append(modes, m)
	}
	doc, _ := profileDocument(files, modes, ini)
	userJSUnread(doc, prefs, upErr)
	return doc, nil
}
