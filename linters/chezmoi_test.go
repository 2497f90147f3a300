package linters

import "testing"

func TestChezmoiTarget(t *testing.T) {
	tests := []struct {
		elem   string
		isFile bool
		want   string
		attrs  ChezmoiAttrs
	}{
		{"msmtprc", true, "msmtprc", ChezmoiAttrs{}},
		{".msmtprc", true, ".msmtprc", ChezmoiAttrs{}},
		{"dot_msmtprc", true, ".msmtprc", ChezmoiAttrs{Dot: true}},
		{"private_dot_msmtprc", true, ".msmtprc", ChezmoiAttrs{Private: true, Dot: true}},
		{"encrypted_private_readonly_empty_executable_dot_x", true, ".x", ChezmoiAttrs{Encrypted: true, Private: true, Readonly: true, Empty: true, Executable: true, Dot: true}},
		{"create_private_dot_gitconfig", true, ".gitconfig", ChezmoiAttrs{Create: true, Private: true, Dot: true}},
		{"modify_dot_gitconfig", true, ".gitconfig", ChezmoiAttrs{Modify: true, Dot: true}},
		// Out of chezmoi's order, a prefix is part of the name.
		{"readonly_private_dot_msmtprc", true, "private_dot_msmtprc", ChezmoiAttrs{Readonly: true}},
		{"dot_private_msmtprc", true, ".private_msmtprc", ChezmoiAttrs{Dot: true}},
		// literal_ ends the prefixes.
		{"literal_dot_msmtprc", true, "dot_msmtprc", ChezmoiAttrs{}},
		{"private_literal_dot_x", true, "dot_x", ChezmoiAttrs{Private: true}},
		{"dot_literal_x", true, ".literal_x", ChezmoiAttrs{Dot: true}},
		// Folders have their own prefixes.
		{"exact_private_dot_config", false, ".config", ChezmoiAttrs{Exact: true, Private: true, Dot: true}},
		{"remove_external_mutt", false, "mutt", ChezmoiAttrs{Remove: true, External: true}},
		{"exact_mutt", true, "exact_mutt", ChezmoiAttrs{}},
		{"executable_msmtp", false, "executable_msmtp", ChezmoiAttrs{}},
	}
	for _, tt := range tests {
		got, attrs := ChezmoiTarget(tt.elem, tt.isFile)
		if got != tt.want || attrs != tt.attrs {
			t.Errorf("ChezmoiTarget(%q, %v) = %q, %+v; want %q, %+v", tt.elem, tt.isFile, got, attrs, tt.want, tt.attrs)
		}
		if attrs.Any() != (tt.attrs != ChezmoiAttrs{}) {
			t.Errorf("%q: Any() = %v", tt.elem, attrs.Any())
		}
	}
	for elem, want := range map[string]string{
		"private_dot_muttrc": "muttrc", ".muttrc": "muttrc", "muttrc": "muttrc", "create_dot_muttrc": "muttrc",
		"encrypted_private_dot_muttrc": "", "modify_dot_muttrc": "",
	} {
		if got := PlainName(elem, true); got != want {
			t.Errorf("PlainName(%q) = %q, want %q", elem, got, want)
		}
	}
}
