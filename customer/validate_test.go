package customer

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
)

// Each rule of the event contract rejects a breaking event with a
// *FieldError that names the field and wraps ErrInvalid.
func TestValidate_NamesTheFieldOfEachRule(t *testing.T) {
	tests := []struct {
		name   string
		change func(e *Event)
		field  string
	}{
		{"id missing", func(e *Event) { e.ID = "" }, "id"},
		{"id too long", func(e *Event) { e.ID = strings.Repeat("x", MaxIDLen+1) }, "id"},
		{"channel missing", func(e *Event) { e.Channel = "" }, "channel"},
		{"channel unknown", func(e *Event) { e.Channel = "fax" }, "channel"},
		{"channel not lower case", func(e *Event) { e.Channel = "Web" }, "channel"},
		{"type missing", func(e *Event) { e.Type = "" }, "type"},
		{"type with capitals and dash", func(e *Event) { e.Type = "Test-Drive" }, "type"},
		{"type starting with a digit", func(e *Event) { e.Type = "2nd_visit" }, "type"},
		{"type too long", func(e *Event) { e.Type = strings.Repeat("t", MaxTypeLen+1) }, "type"},
		{"occurred_at zero", func(e *Event) { e.OccurredAt = time.Time{} }, "occurred_at"},
		{"occurred_at before 1900", func(e *Event) { e.OccurredAt = time.Date(1899, 12, 31, 0, 0, 0, 0, time.UTC) }, "occurred_at"},
		{"occurred_at after 2200", func(e *Event) { e.OccurredAt = time.Date(2201, 1, 1, 0, 0, 0, 0, time.UTC) }, "occurred_at"},
		{"source missing", func(e *Event) { e.Source = "" }, "source"},
		{"source of unknown kind", func(e *Event) { e.Source = "crm:salesforce" }, "source"},
		{"source kind without name", func(e *Event) { e.Source = "dealer:" }, "source"},
		{"source without kind", func(e *Event) { e.Source = "D-017" }, "source"},
		{"source too long", func(e *Event) { e.Source = "web:" + strings.Repeat("s", MaxSourceLen) }, "source"},
		{"no hints", func(e *Event) { e.Customer = Hints{} }, "customer"},
		{"only an empty address", func(e *Event) { e.Customer = Hints{Address: &Address{}} }, "customer"},
		{"email without @", func(e *Event) { e.Customer.Email = "anna.example.com" }, "customer.email"},
		{"email too long", func(e *Event) { e.Customer.Email = strings.Repeat("a", MaxTextLen) + "@x" }, "customer.email"},
		{"birth_date not a date", func(e *Event) { e.Customer.BirthDate = "17/05/1990" }, "customer.birth_date"},
		{"birth_date with no such month", func(e *Event) { e.Customer.BirthDate = "1990-13-01" }, "customer.birth_date"},
		{"birth_date with a time", func(e *Event) { e.Customer.BirthDate = "1990-05-17T00:00:00Z" }, "customer.birth_date"},
		{"given_name too long", func(e *Event) { e.Customer.GivenName = strings.Repeat("a", MaxTextLen+1) }, "customer.given_name"},
		{"address city too long", func(e *Event) { e.Customer.Address.City = strings.Repeat("c", MaxTextLen+1) }, "customer.address.city"},
		{"too many attributes", func(e *Event) { e.Attributes = attributes(MaxAttributes + 1) }, "attributes"},
		{"attribute with empty key", func(e *Event) { e.Attributes = map[string]string{"": "x"} }, "attributes"},
		{"attribute key too long", func(e *Event) { e.Attributes = map[string]string{strings.Repeat("k", MaxAttrKeyLen+1): "x"} }, "attributes"},
		{"attribute value too long", func(e *Event) { e.Attributes["trim"] = strings.Repeat("v", MaxAttrValueLen+1) }, "attributes.trim"},
		{"note too long", func(e *Event) { e.Note = strings.Repeat("n", MaxNoteLen+1) }, "note"},
		{"staff too long", func(e *Event) { e.Staff = strings.Repeat("s", MaxTextLen+1) }, "staff"},
		{"NUL byte in id", func(e *Event) { e.ID = "a\x00b" }, "id"},
		{"NUL byte in phone", func(e *Event) { e.Customer.Phone = "312\x00555" }, "customer.phone"},
		{"NUL byte in attribute key", func(e *Event) { e.Attributes = map[string]string{"t\x00": "x"} }, "attributes"},
		{"NUL byte in staff", func(e *Event) { e.Staff = "m.jones\x00" }, "staff"},
		{"invalid UTF-8 in note", func(e *Event) { e.Note = "caf\xe9" }, "note"},
		{"invalid UTF-8 in family_name", func(e *Event) { e.Customer.FamilyName = "Petrov\xff" }, "customer.family_name"},
		{"invalid UTF-8 in source", func(e *Event) { e.Source = "web:\xc3\x28" }, "source"},
		{"invalid UTF-8 in vehicle model", func(e *Event) { e.Vehicle.Model = "ZOT\xfe" }, "vehicle.model"},
		{"vehicle year before 1900", func(e *Event) { e.Vehicle.Year = 1899 }, "vehicle.year"},
		{"vehicle year after 2200", func(e *Event) { e.Vehicle.Year = 2201 }, "vehicle.year"},
		{"vehicle year negative", func(e *Event) { e.Vehicle.Year = -2020 }, "vehicle.year"},
		{"vehicle vin too long", func(e *Event) { e.Vehicle.VIN = strings.Repeat("V", 33) }, "vehicle.vin"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := validEvent()
			tt.change(&e)
			err := e.Validate()
			if !errors.Is(err, ErrInvalid) {
				t.Fatalf("Validate = %v, want an error wrapping ErrInvalid", err)
			}
			var fe *FieldError
			if !errors.As(err, &fe) {
				t.Fatalf("Validate = %T %v, want a *FieldError", err, err)
			}
			if fe.Field != tt.field || fe.Reason == "" {
				t.Errorf("Validate = %q (field %q), want field %q with a reason", err, fe.Field, tt.field)
			}
		})
	}
}

// Values at each limit, and any single kind of hint, are accepted.
func TestValidate_AcceptsEventsAtTheLimits(t *testing.T) {
	tests := []struct {
		name   string
		change func(e *Event)
	}{
		{"complete event", func(e *Event) {}},
		{"id at its limit", func(e *Event) { e.ID = strings.Repeat("x", MaxIDLen) }},
		{"type at its limit", func(e *Event) { e.Type = strings.Repeat("t", MaxTypeLen) }},
		{"unknown type kept", func(e *Event) { e.Type = "contact_updated" }},
		{"every channel", func(e *Event) { e.Channel = Channels[len(Channels)-1] }},
		{"import source", func(e *Event) { e.Source = "import:dms" }},
		{"phone source", func(e *Event) { e.Source = "phone:1-800-ZOT" }},
		{"web source", func(e *Event) { e.Source = "web:zot.example" }},
		{"occurred_at in 1900", func(e *Event) { e.OccurredAt = time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC) }},
		{"occurred_at in 2200", func(e *Event) { e.OccurredAt = time.Date(2200, 12, 31, 23, 59, 59, 0, time.UTC) }},
		{"only a web id", func(e *Event) { e.Customer = Hints{WebID: "w-5521"} }},
		{"only a given name", func(e *Event) { e.Customer = Hints{GivenName: "Anna"} }},
		{"only an address", func(e *Event) { e.Customer = Hints{Address: &Address{PostalCode: "60610"}} }},
		{"phone that does not normalise", func(e *Event) { e.Customer.Phone = "ext. 12" }},
		{"no vehicle", func(e *Event) { e.Vehicle = nil }},
		{"vehicle without year", func(e *Event) { e.Vehicle.Year = 0 }},
		{"attributes at their limit", func(e *Event) { e.Attributes = attributes(MaxAttributes) }},
		{"note at its limit", func(e *Event) { e.Note = strings.Repeat("n", MaxNoteLen) }},
		{"non-ASCII text", func(e *Event) { e.Customer.FamilyName, e.Note = "Петрова", "Zoë liked it ✓" }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := validEvent()
			tt.change(&e)
			if err := e.Validate(); err != nil {
				t.Errorf("Validate = %v, want nil", err)
			}
		})
	}
}

// ValidateFields checks every field's form and limits but leaves whether
// hints normalise to Prepare: an e-mail without @ passes it, not Validate.
func TestValidateFields_LeavesNormalisingToPrepare(t *testing.T) {
	e := validEvent()
	e.Customer = Hints{Email: "anna.example.com"}
	if err := e.ValidateFields(); err != nil {
		t.Errorf("ValidateFields = %v, want nil", err)
	}
	var fe *FieldError
	if err := e.Validate(); !errors.As(err, &fe) || fe.Field != "customer.email" {
		t.Errorf("Validate = %v, want a customer.email error", err)
	}
	e.Customer = Hints{Email: strings.Repeat("a", MaxTextLen) + "@x"}
	if err := e.ValidateFields(); !errors.As(err, &fe) || fe.Field != "customer.email" {
		t.Errorf("ValidateFields of a too long e-mail = %v, want a customer.email error", err)
	}
}

// A valid event's occurred_at is normalised to UTC, the same instant.
func TestValidate_NormalisesOccurredAtToUTC(t *testing.T) {
	e := validEvent()
	chicago := time.FixedZone("CST", -6*3600)
	e.OccurredAt = time.Date(2026, 11, 2, 12, 22, 5, 0, chicago)
	if err := e.Validate(); err != nil {
		t.Fatal(err)
	}
	if want := time.Date(2026, 11, 2, 18, 22, 5, 0, time.UTC); e.OccurredAt != want {
		t.Errorf("OccurredAt = %v, want %v", e.OccurredAt, want)
	}
}

// The year range applies to the UTC instant that is stored, so a valid
// event stays valid once normalised.
func TestValidate_ChecksYearOfUTCInstant(t *testing.T) {
	for _, when := range []time.Time{
		time.Date(2200, 12, 31, 23, 0, 0, 0, time.FixedZone("EST", -5*3600)), // 2201 in UTC
		time.Date(1900, 1, 1, 0, 30, 0, 0, time.FixedZone("CET", 3600)),      // 1899 in UTC
	} {
		t.Run(when.String(), func(t *testing.T) {
			e := validEvent()
			e.OccurredAt = when
			var fe *FieldError
			if err := e.Validate(); !errors.As(err, &fe) || fe.Field != "occurred_at" {
				t.Errorf("Validate = %v, want an occurred_at error", err)
			}
		})
	}
}

// attributes returns n distinct attributes.
func attributes(n int) map[string]string {
	m := make(map[string]string, n)
	for i := range n {
		m[fmt.Sprintf("k%02d", i)] = "v"
	}
	return m
}
