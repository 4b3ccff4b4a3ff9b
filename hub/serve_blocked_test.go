package main

import (
	"slices"
	"strings"
	"testing"
)

// --blocked-identifiers takes values in any written form and normalises
// them as events' identifiers are, phones in --default-region; a value
// that is no identifier is refused at start-up, naming the flag.
func TestServeConfig_BlockedIdentifiersInAnyForm(t *testing.T) {
	c := validServe()
	c.DefaultRegion = "DE"
	c.Blocked = []string{"phone:030 1234567", "+1 (312) 555-0100", "email:Front.Desk@Dealer.example", "Info@Dealer.example", "cid:C-1"}
	if err := c.Validate(); err != nil {
		t.Fatalf("Validate: %v", err)
	}
	got, err := c.blocked()
	want := []string{"phone:+49301234567", "phone:+13125550100", "email:front.desk@dealer.example", "email:info@dealer.example", "cid:C-1"}
	if err != nil || !slices.Equal(got, want) {
		t.Errorf("blocked = %q, %v; want %q", got, err, want)
	}
	for _, bad := range []string{"phone:call me", "(312) 555-0100", "email:nobody", "cid:"} {
		c.Blocked = []string{bad}
		if err := c.Validate(); err == nil || !strings.HasPrefix(err.Error(), "--blocked-identifiers:") {
			t.Errorf("Validate with %q = %v, want an error naming --blocked-identifiers", bad, err)
		}
	}
}
