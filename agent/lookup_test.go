package main

import (
	"strings"
	"testing"
	"time"

	"github.com/touchpoint/touchpoint/customer"
)

// lookup prints a profile as the staff page shows it: household members
// by name (by id when they are not cached here), the timeline newest
// first.
func TestLookup_HouseholdByNameTimelineNewestFirst(t *testing.T) {
	at := func(h int) time.Time { return time.Date(2026, 11, 2, h, 0, 0, 0, time.UTC) }
	anna := customer.BuildProfile("C-anna", []customer.Event{
		{ID: "call-1", Channel: "phone", Type: "call_inbound", OccurredAt: at(9), Source: "phone:tollfree",
			Customer: customer.Hints{Phone: "(312) 555-0142", GivenName: "Anna", FamilyName: "Petrova"}},
		{ID: "visit-1", Channel: "showroom", Type: "showroom_visit", OccurredAt: at(15), Source: "dealer:D-017",
			Customer: customer.Hints{Phone: "(312) 555-0142"}},
		{ID: "drive-1", Channel: "showroom", Type: "test_drive", OccurredAt: at(16), Source: "dealer:D-017",
			Customer: customer.Hints{Phone: "(312) 555-0142"}},
	}, "US")
	anna.Household.Members = []string{"C-anna", "C-ivan", "C-elsewhere"}
	ivan := customer.BuildProfile("C-ivan", []customer.Event{{ID: "w-1", Channel: "web", Type: "page_view",
		OccurredAt: at(8), Source: "web:zot.example", Customer: customer.Hints{Email: "ivan@example.org", GivenName: "Ivan", FamilyName: "Petrov"}}}, "US")
	addr, dir := mustStaffAPIWith(t, anna, ivan)

	out, err := captureStdout(t, func() error {
		return runLookup([]string{"--addr", addr, "--data-dir", dir, "--phone", "312-555-0142"})
	})
	if err != nil {
		t.Fatalf("lookup: %v\n%s", err, out)
	}
	if want := "household:  Anna Petrova (this customer), Ivan Petrov [C-ivan], C-elsewhere (not on this PC)"; !strings.Contains(out, want) {
		t.Errorf("no %q in\n%s", want, out)
	}
	drive, visit, call := strings.Index(out, "test_drive"), strings.Index(out, "showroom_visit"), strings.Index(out, "call_inbound")
	if !strings.Contains(out, "timeline (newest first)") || drive < 0 || !(drive < visit && visit < call) {
		t.Errorf("timeline not newest first (test_drive at %d, showroom_visit at %d, call_inbound at %d):\n%s", drive, visit, call, out)
	}
}
