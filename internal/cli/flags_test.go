package cli

import "testing"

// Subcommand is the first argument unless it is a flag.
func TestSubcommand(t *testing.T) {
	for _, tt := range []struct {
		args []string
		want string
	}{
		{nil, ""}, {[]string{"list"}, "list"}, {[]string{"list", "--json"}, "list"},
		{[]string{"--json", "list"}, ""}, {[]string{"-h"}, ""}, {[]string{"C-1", "--json"}, "C-1"},
	} {
		if got := Subcommand(tt.args); got != tt.want {
			t.Errorf("Subcommand(%q) = %q, want %q", tt.args, got, tt.want)
		}
	}
}
