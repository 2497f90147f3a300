package mutt

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/maillint/maillint/linters"
)

// writer implements linters.Writer for one endpoint: the URL in smtp_url
// (or folder) and the ssl_* variables that apply to it. It rewrites only
// the part of the URL that changes (scheme, host, port, user), keeping the
// quoting, and flips an ssl_* assignment in place, or adds a set line after
// it when it cannot.
type writer struct {
	e     *evaluator
	proto linters.Protocol
	st    *state
	url   *mailURL
	val   *value
}

// errCannotWrite is returned for changes the writer cannot express.
var errCannotWrite = errors.New("mutt: cannot write this change")

type rep struct {
	i, j int
	text string
}

// Edits returns the edits that give the endpoint the changed values.
func (w *writer) Edits(changes ...linters.Change) ([]linters.TextEdit, error) {
	u := w.url
	s := u.v
	file := w.val.asg.file
	plain, tls := "smtp", "smtps"
	if w.proto == linters.IMAP {
		plain, tls = "imap", "imaps"
	}
	scheme := u.Scheme
	newPort := -1
	var reps []rep
	var extra []linters.TextEdit
	for _, ch := range changes {
		switch ch.Field {
		case linters.FieldHost:
			if !validHost(ch.Text) {
				return nil, fmt.Errorf("mutt: bad host %q", ch.Text)
			}
			if ch.Text != u.Host {
				reps = append(reps, rep{u.host[0], u.host[1], ch.Text})
			}
		case linters.FieldPort:
			if ch.Port <= 0 || ch.Port > 65535 {
				return nil, fmt.Errorf("mutt: bad port %d", ch.Port)
			}
			newPort = ch.Port
		case linters.FieldSecurity:
			switch ch.Security {
			case linters.SecurityImplicitTLS:
				scheme = tls
			case linters.SecurityStartTLS:
				scheme = plain
				edits, err := w.turnOn("ssl_force_tls")
				if err != nil {
					return nil, err
				}
				extra = append(extra, edits...)
			default:
				return nil, fmt.Errorf("mutt: will not write security %v", ch.Security)
			}
		case linters.FieldCertCheck:
			if !ch.On {
				return nil, errCannotWrite
			}
			for _, name := range []string{"ssl_verify_host", "ssl_verify_dates"} {
				edits, err := w.turnOn(name)
				if err != nil {
					return nil, err
				}
				extra = append(extra, edits...)
			}
		case linters.FieldAuth:
			if !ch.On {
				return nil, errCannotWrite
			}
			if w.proto == linters.SMTP && !u.hasUser && !w.hasSMTPUser() {
				// Authentication needs a user in the URL, and maillint
				// does not guess one.
				return nil, errCannotWrite
			}
		case linters.FieldUser:
			if ch.Text == "" {
				return nil, errCannotWrite
			}
			enc := pctEncode(ch.Text)
			switch {
			case u.hasUser:
				if ch.Text != u.User {
					reps = append(reps, rep{u.user[0], u.user[1], enc})
				}
			case w.proto == linters.SMTP && w.hasSMTPUser():
				v := w.st.get("smtp_user")
				if v.asg == nil || v.asg.valW == [2]int{} {
					return nil, errCannotWrite
				}
				te, err := w.replaceWord(v.asg, ch.Text)
				if err != nil {
					return nil, err
				}
				extra = append(extra, te)
			default:
				reps = append(reps, rep{u.auth[0], u.auth[0], enc + "@"})
			}
		default:
			return nil, errCannotWrite
		}
	}

	if scheme != u.Scheme {
		reps = append(reps, rep{u.scheme[0], u.scheme[1], scheme})
	}
	portText := string(s.b[u.port[0]:u.port[1]])
	explicit := u.hasPort && portText != "" && u.Port != 0
	current := u.Port
	if !explicit {
		current = defaultPort(w.proto, u.Scheme)
	}
	if newPort < 0 && scheme != u.Scheme && !explicit && defaultPort(w.proto, scheme) != current {
		newPort = current // keep the port the scheme's default gave
	}
	if newPort >= 0 {
		np := strconv.Itoa(newPort)
		switch {
		case explicit:
			if newPort != u.Port {
				reps = append(reps, rep{u.port[0], u.port[1], np})
			}
		case u.hasPort && u.hasPath && digitsPath(string(s.b[u.path[0]:u.path[1]])):
			// "host:/587/": the port was written as a path; put it back.
			reps = append(reps, rep{u.port[0] - 1, u.path[1], ":" + np + "/"})
		case u.hasPort:
			reps = append(reps, rep{u.port[0], u.port[1], np})
		case newPort != defaultPort(w.proto, scheme):
			reps = append(reps, rep{u.host[1], u.host[1], ":" + np})
		}
	}

	var edits []linters.TextEdit
	for _, r := range reps {
		te, ok := w.e.edit(file, s, r.i, r.j, r.text)
		if !ok {
			return nil, fmt.Errorf("mutt: the %s value is not written literally here", w.val.asg.written)
		}
		edits = append(edits, te)
	}
	return append(edits, extra...), nil
}

func defaultPort(proto linters.Protocol, scheme string) int {
	switch {
	case proto == linters.IMAP && scheme == "imaps":
		return 993
	case proto == linters.IMAP:
		return 143
	case scheme == "smtps":
		return 465
	}
	return 25
}

func digitsPath(p string) bool {
	p = strings.TrimSuffix(p, "/")
	if p == "" {
		return false
	}
	for i := 0; i < len(p); i++ {
		if !isDigit(p[i]) {
			return false
		}
	}
	return true
}

func validHost(h string) bool {
	if h == "" {
		return false
	}
	for i := 0; i < len(h); i++ {
		c := h[i]
		if !(isAlnum(c) || c == '.' || c == '-' || c == '[' || c == ']' || c == ':') {
			return false
		}
	}
	return true
}

func (w *writer) hasSMTPUser() bool {
	v := w.st.get("smtp_user")
	return v.dyn == "" && v.s != nil && v.s.len() > 0
}

// replaceWord replaces the value word of an assignment, keeping its quotes.
func (w *writer) replaceWord(a *assign, text string) (linters.TextEdit, error) {
	i, j := a.valW[0], a.valW[1]
	raw := a.src.b[i:j]
	if n := len(raw); n >= 2 && (raw[0] == '"' || raw[0] == '\'') && raw[n-1] == raw[0] && !containsAny(raw[1:n-1], "\"'\\$`") {
		i, j = i+1, j-1
	}
	if strings.ContainsAny(text, " \t\"'\\$`#;") {
		return linters.TextEdit{}, errCannotWrite
	}
	te, ok := w.e.edit(a.file, a.src, i, j, text)
	if !ok {
		return linters.TextEdit{}, errCannotWrite
	}
	return te, nil
}

func containsAny(b []byte, chars string) bool { return strings.ContainsAny(string(b), chars) }

// turnOn returns the edits that make a boolean (or quadoption) yes.
func (w *writer) turnOn(name string) ([]linters.TextEdit, error) {
	v := w.st.get(name)
	if v.dyn != "" {
		return nil, fmt.Errorf("mutt: %s is not known", name)
	}
	if (v.typ == varBool && v.on) || (v.typ == varQuad && v.quad == "yes") {
		return nil, nil
	}
	a := v.asg
	if a == nil {
		return nil, errCannotWrite
	}
	e := w.e
	switch a.op {
	case opValue:
		te, err := w.replaceWord(a, "yes")
		if err == nil {
			return []linters.TextEdit{te}, nil
		}
	case opNo, opInv:
		if te, ok := e.edit(a.file, a.src, a.prefix[0], a.prefix[1], ""); ok && a.cmd != nil && string(a.src.b[a.cmdW[0]:a.cmdW[1]]) == "set" {
			return []linters.TextEdit{te}, nil
		}
	case opUnset, opToggle:
		if a.cmd != nil && a.cmd.n == 1 {
			if te, ok := e.edit(a.file, a.src, a.cmdW[0], a.cmdW[1], "set"); ok {
				return []linters.TextEdit{te}, nil
			}
		}
	}
	return w.insertAfter(a, name)
}

// insertAfter adds "set NAME=yes" on a line of its own after the logical
// line of assignment a.
func (w *writer) insertAfter(a *assign, name string) ([]linters.TextEdit, error) {
	if a.inHook || a.logical == nil {
		return nil, errCannotWrite
	}
	sf := w.e.files[a.file]
	f := sf.file
	lg := a.logical
	last := f.Lines[lg.Last]
	first := f.Lines[lg.First]
	indent := first.Text[:len(first.Text)-len(strings.TrimLeft(first.Text, " \t"))]
	sep := "="
	if strings.Contains(lg.Text(), " = ") {
		sep = " = "
	}
	text := indent + "set " + name + sep + "yes"
	off := last.Offset + len(last.Text) + len(last.EOL)
	if last.EOL == "" {
		text = f.EOL() + text
	} else {
		text += last.EOL
	}
	return []linters.TextEdit{{Path: sf.sf.Path, Start: off, End: off, New: text}}, nil
}
