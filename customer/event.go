package customer

import "time"

// Event is one touchpoint, immutable once written. Its JSON form is the
// product contract used by the ingest API, the agent API and exports.
type Event struct {
	ID         string            `json:"id"`
	Channel    string            `json:"channel"`
	Type       string            `json:"type"`
	OccurredAt time.Time         `json:"occurred_at"`
	Source     string            `json:"source"`
	Customer   Hints             `json:"customer"`
	Vehicle    *Vehicle          `json:"vehicle,omitempty"`
	Attributes map[string]string `json:"attributes,omitempty"`
	Note       string            `json:"note,omitempty"`
	Staff      string            `json:"staff,omitempty"`
}

// Hints are the identity clues an event carries; any subset, at least one.
type Hints struct {
	CustomerID string   `json:"customer_id,omitempty"`
	Email      string   `json:"email,omitempty"`
	Phone      string   `json:"phone,omitempty"`
	WebID      string   `json:"web_id,omitempty"`
	GivenName  string   `json:"given_name,omitempty"`
	FamilyName string   `json:"family_name,omitempty"`
	Address    *Address `json:"address,omitempty"`
	BirthDate  string   `json:"birth_date,omitempty"`
}

// Address is a postal address as a source wrote it.
type Address struct {
	Line1      string `json:"line1,omitempty"`
	City       string `json:"city,omitempty"`
	PostalCode string `json:"postal_code,omitempty"`
	Country    string `json:"country,omitempty"`
}

// Vehicle is a car an event is about.
type Vehicle struct {
	Model string `json:"model,omitempty"`
	VIN   string `json:"vin,omitempty"`
	Year  int    `json:"year,omitempty"`
}

// Key is the event's idempotency key: ids are unique per source.
func (e *Event) Key() string { return e.Source + "\x00" + e.ID }

// Before orders events on a timeline: by occurred_at, then id, then source.
func (e *Event) Before(o *Event) bool {
	if !e.OccurredAt.Equal(o.OccurredAt) {
		return e.OccurredAt.Before(o.OccurredAt)
	}
	if e.ID != o.ID {
		return e.ID < o.ID
	}
	return e.Source < o.Source
}
