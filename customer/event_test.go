package customer

import (
	"testing"
	"time"
)

// at returns a fixed UTC time on 2 November 2026, offset by minutes.
func at(minutes int) time.Time {
	return time.Date(2026, 11, 2, 18, 0, 0, 0, time.UTC).Add(time.Duration(minutes) * time.Minute)
}

// validEvent returns an event that passes Validate; tests change one field.
func validEvent() Event {
	return Event{
		ID:         "d017-td-3302",
		Channel:    "showroom",
		Type:       "test_drive",
		OccurredAt: at(0),
		Source:     "dealer:D-017",
		Customer: Hints{
			Email:      "anna.petrova@example.com",
			Phone:      "(312) 555-0142",
			GivenName:  "Anna",
			FamilyName: "Petrova",
			Address:    &Address{Line1: "77 W Division St", City: "Chicago", PostalCode: "60610", Country: "US"},
			BirthDate:  "1990-05-17",
		},
		Vehicle:    &Vehicle{Model: "ZOT 12", VIN: "1ZT12H7K2T0099887", Year: 2026},
		Attributes: map[string]string{"trim": "Sport"},
		Note:       "Liked the hybrid; call back Friday.",
		Staff:      "m.jones",
	}
}

// An event's idempotency key is its source and id: the same id from two
// sources is two events.
func TestEventKey_IsSourceAndID(t *testing.T) {
	a, b := validEvent(), validEvent()
	if a.Key() != b.Key() {
		t.Errorf("equal events have keys %q and %q", a.Key(), b.Key())
	}
	b.Source = "dealer:D-104"
	if a.Key() == b.Key() {
		t.Errorf("events of two sources share key %q", a.Key())
	}
	// The separator keeps "ab"+"c" apart from "a"+"bc".
	c, d := Event{Source: "web:ab", ID: "c"}, Event{Source: "web:a", ID: "bc"}
	if c.Key() == d.Key() {
		t.Errorf("distinct (source, id) pairs share key %q", c.Key())
	}
}

// The timeline orders events by occurred_at, then id, then source.
func TestEventBefore_OrdersByTimeThenIDThenSource(t *testing.T) {
	tests := []struct {
		name string
		a, b Event
	}{
		{"earlier time", Event{OccurredAt: at(0), ID: "z"}, Event{OccurredAt: at(1), ID: "a"}},
		{"same instant in two zones, then id", Event{OccurredAt: at(0), ID: "a"}, Event{OccurredAt: at(0).In(time.FixedZone("CST", -6*3600)), ID: "b"}},
		{"same time, then source", Event{OccurredAt: at(0), ID: "a", Source: "phone:main"}, Event{OccurredAt: at(0), ID: "a", Source: "web:zot.example"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !tt.a.Before(&tt.b) {
				t.Errorf("a.Before(b) = false, want true")
			}
			if tt.b.Before(&tt.a) {
				t.Errorf("b.Before(a) = true, want false")
			}
		})
	}
	e := validEvent()
	if e.Before(&e) {
		t.Errorf("an event is before itself")
	}
}
