package linters

import (
	"strings"
	"testing"
)

// suppressDoc is a one-file Document of format with src, and a finding of
// rule on each line listed in lines.
func suppressDoc(format, src string, lines map[int]string) (*Document, []Finding) {
	sf := &SourceFile{Path: "f", Src: []byte(src), Index: NewLineIndex("f", []byte(src))}
	var fs []Finding
	for n, rule := range lines {
		start, end, _ := sf.Index.LineBounds(sf.Src, n)
		fs = append(fs, Finding{Rule: rule, Severity: Error, Message: "m", At: sf.Index.Range(start, end)})
	}
	Sort(fs)
	return &Document{Format: format, Files: []*SourceFile{sf}}, fs
}

func summarize(fs []Finding) string {
	var out []string
	for _, f := range fs {
		s := f.Rule + "@" + strings.TrimPrefix(f.At.String(), "f:")
		if f.Rule == UnusedSuppression.ID {
			s += " " + f.Message
		}
		out = append(out, s)
	}
	return strings.Join(out, "; ")
}

func TestSuppress(t *testing.T) {
	tests := []struct {
		name, format, src string
		findings          map[int]string
		want              string
	}{
		{"line before", "msmtp",
			"account a\n# maillint: ignore[plaintext-password] test box\npassword x\n",
			map[int]string{3: "plaintext-password"}, ""},
		{"skips blank and comment lines", "msmtp",
			"# maillint: ignore[plaintext-password]\n\n# other comment\npassword x\n",
			map[int]string{4: "plaintext-password"}, ""},
		{"only the named rule", "msmtp",
			"# maillint: ignore[plaintext-password]\npassword x\n",
			map[int]string{2: "smtp-port"}, "unused-suppression@1:20 unused suppression: no plaintext-password finding on line 2; smtp-port@2:1"},
		{"several ids, one unused", "msmtp",
			"#maillint:ignore[tls-missing, plaintext-password] why\npassword x\n",
			map[int]string{2: "plaintext-password"}, "unused-suppression@1:18 unused suppression: no tls-missing finding on line 2"},
		{"star", "msmtp",
			"# maillint: ignore[*]\nhost x\n",
			map[int]string{2: "smtp-port"}, ""},
		{"star unused", "msmtp",
			"# maillint: ignore[*]\nhost x\n",
			nil, "unused-suppression@1:20 unused suppression: no finding on line 2"},
		{"msmtp has no trailing comments", "msmtp",
			"password x # maillint: ignore[plaintext-password]\n",
			map[int]string{1: "plaintext-password"}, "plaintext-password@1:1"},
		{"mutt trailing", "mutt",
			"set smtp_pass = x # maillint: ignore[plaintext-password]\n",
			map[int]string{1: "plaintext-password"}, ""},
		{"gitconfig semicolon", "gitconfig",
			"[sendemail]\n\t; maillint: ignore[smtp-port] relay\n\tsmtpServerPort = 2525\n",
			map[int]string{3: "smtp-port"}, ""},
		{"thunderbird slashes", "thunderbird",
			"user_pref(\"mail.smtpserver.smtp1.port\", 25); // maillint: ignore[smtp-port]\n",
			map[int]string{1: "smtp-port"}, ""},
		{"wrong leader", "thunderbird",
			"# maillint: ignore[smtp-port]\nuser_pref(\"x\", 25);\n",
			map[int]string{2: "smtp-port"}, "smtp-port@2:1"},
		{"unknown rule", "msmtp",
			"# maillint: ignore[plaintext-pasword]\npassword x\n",
			map[int]string{2: "plaintext-password"}, "unused-suppression@1:20 unknown rule \"plaintext-pasword\" in a maillint: ignore[...] comment; plaintext-password@2:1"},
		{"at the end of the file", "msmtp",
			"password x\n# maillint: ignore[plaintext-password]\n",
			map[int]string{1: "plaintext-password"}, "plaintext-password@1:1; unused-suppression@2:20 suppression of plaintext-password applies to no line (nothing follows it)"},
		{"not a suppression", "msmtp",
			"# maillint: this file is checked\npassword x\n",
			map[int]string{2: "plaintext-password"}, "plaintext-password@2:1"},
		{"no format syntax", "other",
			"# maillint: ignore[plaintext-password]\npassword x\n",
			map[int]string{2: "plaintext-password"}, "plaintext-password@2:1"},
		{"crlf", "msmtp",
			"# maillint: ignore[plaintext-password] r\r\npassword x\r\n",
			map[int]string{2: "plaintext-password"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, fs := suppressDoc(tt.format, tt.src, tt.findings)
			got := summarize(Suppress(doc, fs, nil))
			if got != tt.want {
				t.Errorf("got  %s\nwant %s", got, tt.want)
			}
		})
	}
}

func TestSuppressDisabledRuleIsNotUnused(t *testing.T) {
	doc, fs := suppressDoc("msmtp", "# maillint: ignore[plaintext-password]\nhost x\n", nil)
	off := func(_, rule string) bool { return rule != "plaintext-password" }
	if got := Suppress(doc, fs, off); len(got) != 0 {
		t.Errorf("a suppression of a rule turned off was reported: %s", summarize(got))
	}
	none := func(_, rule string) bool { return rule != UnusedSuppression.ID }
	if got := Suppress(doc, fs, none); len(got) != 0 {
		t.Errorf("unused-suppression turned off but reported: %s", summarize(got))
	}
}

func TestSuppressIncludedFile(t *testing.T) {
	// A suppression in an included file suppresses there, but whether it
	// is used depends on the including file: unused ones are reported only
	// in the main file.
	doc, _ := suppressDoc("mutt", "source inc\n", nil)
	inc := &SourceFile{Path: "inc", Src: []byte("# maillint: ignore[smtp-port]\nset x\n# maillint: ignore[tls-missing]\nset y\n")}
	inc.Index = NewLineIndex("inc", inc.Src)
	doc.Files = append(doc.Files, inc)
	fs := []Finding{{Rule: "smtp-port", At: inc.Index.Range(30, 35)}}
	if got := Suppress(doc, fs, nil); len(got) != 0 {
		t.Errorf("got %s, want nothing", summarize(got))
	}
	// What is wrong in any context is reported there too: an unknown rule
	// id, a malformed comment.
	inc.Src = []byte("# maillint: ignore[smtp-prot]\nset x\n# maillint: ignore[tls-missing\nset y\n")
	inc.Index = NewLineIndex("inc", inc.Src)
	got := summarize(Suppress(doc, nil, nil))
	if !strings.Contains(got, `unused-suppression@inc:1:20 unknown rule "smtp-prot"`) || !strings.Contains(got, "unused-suppression@inc:3:3 this maillint comment suppresses nothing") {
		t.Errorf("got %s", got)
	}
}

func TestFindSuppressionsRanges(t *testing.T) {
	src := "  # maillint: ignore[ a ,b] because\nx\n"
	sf := &SourceFile{Path: "f", Src: []byte(src), Index: NewLineIndex("f", []byte(src))}
	ss := FindSuppressions("msmtp", sf)
	if len(ss) != 1 {
		t.Fatalf("got %d suppressions", len(ss))
	}
	s := ss[0]
	if s.Line != 2 || s.Reason != "because" || len(s.Rules) != 2 {
		t.Fatalf("got %+v", s)
	}
	for _, r := range s.Rules {
		if got := src[r.At.Start.Offset:r.At.End.Offset]; got != r.ID {
			t.Errorf("range of %q covers %q", r.ID, got)
		}
	}
	if got := src[s.At.Start.Offset:s.At.End.Offset]; got != "maillint: ignore[ a ,b]" {
		t.Errorf("marker range covers %q", got)
	}
}

// TestSuppressMalformed: a "maillint: ignore" comment without its brackets
// suppresses nothing and is reported, so a typo does not fail silently.
func TestSuppressMalformed(t *testing.T) {
	for src, format := range map[string]string{
		"# maillint: ignore[plaintext-password\npassword x\n":           "msmtp",
		"# maillint: ignore plaintext-password\npassword x\n":           "msmtp",
		"set smtp_pass = x # maillint: IGNORE(plaintext-password)\n\n":  "mutt",
		"# maillint: ignore-next-line plaintext-password\npassword x\n": "msmtp",
	} {
		doc, fs := suppressDoc(format, src, map[int]string{1: "plaintext-password", 2: "plaintext-password"})
		got := Suppress(doc, fs, nil)
		s := summarize(got)
		if strings.Count(s, "plaintext-password@") != 2 || !strings.Contains(s, "suppresses nothing: write it as maillint: ignore[rule-id,...]") {
			t.Errorf("%q: %s", src, s)
		}
	}
	// Other "maillint:" notes are not suppressions at all, also when they
	// start with the letters of "ignore".
	for _, note := range []string{"# maillint: see the wiki\n", "# maillint: ignored here, the relay is internal\n", "# maillint: Ignores nothing\n"} {
		doc, fs := suppressDoc("msmtp", note+"password x\n", map[int]string{2: "plaintext-password"})
		if s := summarize(Suppress(doc, fs, nil)); strings.Contains(s, "unused-suppression") || !strings.Contains(s, "plaintext-password@2") {
			t.Errorf("%q: a note taken for a suppression: %s", note, s)
		}
	}
}
