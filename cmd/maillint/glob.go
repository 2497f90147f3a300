package main

import (
	"fmt"
	"regexp"
	"strings"
)

// pathGlob is a path pattern of .maillint.toml, matched against slash
// paths relative to the folder holding the config file:
//
//   - a pattern without a slash matches a file or folder name at any
//     depth ("*.example", "node_modules");
//   - a pattern with a slash is anchored at the config's folder
//     ("hosts/*/msmtprc"; a leading "/" changes nothing);
//   - "*" matches within one path element, "?" one character, "[a-z]" a
//     class ("[!a-z]" a negated one), "**" any number of folders;
//   - a pattern that matches a folder matches everything below it.
type pathGlob struct {
	src string
	re  *regexp.Regexp
}

func compileGlob(pat string) (*pathGlob, error) {
	p := strings.TrimSuffix(strings.ReplaceAll(pat, "\\", "/"), "/")
	if p == "" || p == "/" {
		return nil, fmt.Errorf("empty path pattern %q", pat)
	}
	anchored := strings.Contains(p, "/")
	p = strings.TrimPrefix(p, "/")
	var b strings.Builder
	if anchored {
		b.WriteString("^")
	} else {
		b.WriteString("(?:^|/)")
	}
	for i := 0; i < len(p); i++ {
		switch c := p[i]; c {
		case '*':
			if i+1 < len(p) && p[i+1] == '*' {
				// "**" as a whole element: any number of folders.
				atStart := i == 0 || p[i-1] == '/'
				i++
				switch {
				case atStart && i+1 < len(p) && p[i+1] == '/':
					b.WriteString("(?:.*/)?")
					i++
				case atStart && i+1 == len(p):
					b.WriteString(".*")
				default:
					return nil, fmt.Errorf("bad path pattern %q: \"**\" must be a whole path element", pat)
				}
				continue
			}
			b.WriteString("[^/]*")
		case '?':
			b.WriteString("[^/]")
		case '[':
			j := i + 1
			if j < len(p) && (p[j] == '!' || p[j] == '^') {
				j++
			}
			if j < len(p) && p[j] == ']' {
				j++
			}
			for j < len(p) && p[j] != ']' {
				j++
			}
			if j >= len(p) {
				return nil, fmt.Errorf("bad path pattern %q: unclosed [", pat)
			}
			class := p[i+1 : j]
			neg := strings.HasPrefix(class, "!") || strings.HasPrefix(class, "^")
			if neg {
				class = class[1:]
			}
			b.WriteString("[")
			if neg {
				b.WriteString("^/")
			}
			b.WriteString(strings.ReplaceAll(class, `\`, `\\`))
			b.WriteString("]")
			i = j
		default:
			b.WriteString(regexp.QuoteMeta(string(c)))
		}
	}
	b.WriteString("(?:/.*)?$")
	re, err := regexp.Compile(b.String())
	if err != nil {
		return nil, fmt.Errorf("bad path pattern %q: %v", pat, err)
	}
	return &pathGlob{src: pat, re: re}, nil
}

// match reports whether rel, a slash path relative to the config's
// folder, or one of its parent folders matches.
func (g *pathGlob) match(rel string) bool { return g.re.MatchString(rel) }
