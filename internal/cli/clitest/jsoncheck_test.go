package clitest

import (
	"strings"
	"testing"
)

// A --json output is one JSON value with snake_case keys at every depth
// and numbers without exponents; the error names where it is wrong.
func TestCheckJSONText(t *testing.T) {
	tests := []struct {
		name, text, wantErr string // wantErr: "" when valid
	}{
		{"object", `{"agents": [{"id": "a", "last_seen": "2026-11-02T18:00:00Z", "outbox_len": 3}], "silent_after": "5m0s"}`, ""},
		{"list and scalars", `[1, 2.5, "x", true, null, {"a1_b2": {}}]`, ""},
		{"big integer", `{"cursor": 16777217}`, ""},
		{"Go field name", `{"Agents": []}`, `$: key "Agents" is not snake_case`},
		{"deep Go field name", `{"agents": [{"id": "a", "Dealer": "D-1"}]}`, `$.agents[0]: key "Dealer" is not snake_case`},
		{"camelCase", `{"lastSeen": 1}`, `key "lastSeen"`},
		{"kebab-case", `{"last-seen": 1}`, `key "last-seen"`},
		{"leading underscore", `{"_id": 1}`, `key "_id"`},
		{"double underscore", `{"a__b": 1}`, `key "a__b"`},
		{"exponent", `{"hub": {"cursor": 1.6777217e+07}}`, `$.hub.cursor: number 1.6777217e+07 has an exponent`},
		{"empty", ``, "not JSON"},
		{"text", `no customer found`, "not JSON"},
		{"two values", `{} {}`, "more than one JSON value"},
		{"trailing text", `{"a": 1} done`, "more than one JSON value"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := CheckJSONText(tt.text)
			switch {
			case tt.wantErr == "" && err != nil:
				t.Fatalf("unexpected error: %v", err)
			case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
				t.Fatalf("error %v, want one with %q", err, tt.wantErr)
			}
		})
	}
}
