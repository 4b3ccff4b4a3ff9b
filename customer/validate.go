package customer

import (
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// Limits on one event's fields. They bound memory per event on every input
// path (HTTP, CSV, protocol frames) and keep profiles small.
const (
	MaxIDLen        = 128
	MaxTypeLen      = 64
	MaxSourceLen    = 160
	MaxTextLen      = 256
	MaxNoteLen      = 4096
	MaxAttributes   = 32
	MaxAttrKeyLen   = 64
	MaxAttrValueLen = 512
)

// Channels lists the channels an event may come from.
var Channels = []string{"web", "phone", "showroom", "email", "mail", "service", "event"}

// sourceKinds are the prefixes a source may carry.
var sourceKinds = []string{"web:", "phone:", "dealer:", "import:"}

var typePattern = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)

// ErrInvalid is wrapped by every validation failure.
var ErrInvalid = errors.New("invalid event")

// FieldError names the field that failed validation and why.
type FieldError struct {
	Field  string `json:"field"`
	Reason string `json:"reason"`
}

func (e *FieldError) Error() string { return e.Field + ": " + e.Reason }

// Unwrap lets callers test for ErrInvalid.
func (e *FieldError) Unwrap() error { return ErrInvalid }

func fieldErr(field, format string, args ...any) error {
	return &FieldError{Field: field, Reason: fmt.Sprintf(format, args...)}
}

// Validate checks an event against the contract and returns a *FieldError
// naming the first field that is wrong. It normalises OccurredAt to UTC.
// Ingest paths call Prepare, which drops hints that do not normalise
// (with a warning) before validating; Validate refuses an e-mail hint that
// is not an address.
func (e *Event) Validate() error { return e.validate(true) }

// ValidateFields checks what Validate checks except whether the identity
// hints normalise: for a client (a CSV import) that cannot know the region
// the server reads phone numbers in and leaves that to the server's
// Prepare.
func (e *Event) ValidateFields() error { return e.validate(false) }

func (e *Event) validate(hintsNormalise bool) error {
	checks := []func() error{e.validateHeader, func() error { return e.validateHints(hintsNormalise) }, e.validateBody}
	for _, check := range checks {
		if err := check(); err != nil {
			return err
		}
	}
	e.OccurredAt = e.OccurredAt.UTC()
	return nil
}

func (e *Event) validateHeader() error {
	if err := checkText("id", e.ID, 1, MaxIDLen); err != nil {
		return err
	}
	if !slices.Contains(Channels, e.Channel) {
		return fieldErr("channel", "must be one of %s", strings.Join(Channels, ", "))
	}
	if len(e.Type) > MaxTypeLen || !typePattern.MatchString(e.Type) {
		return fieldErr("type", "must be 1-%d lowercase letters, digits or _", MaxTypeLen)
	}
	if e.OccurredAt.IsZero() {
		return fieldErr("occurred_at", "is required (RFC 3339)")
	}
	// The range applies to the UTC instant stored, so that a valid event
	// stays valid after Validate normalises it.
	if y := e.OccurredAt.UTC().Year(); y < 1900 || y > 2200 {
		return fieldErr("occurred_at", "year %d is out of range", y)
	}
	return validateSource(e.Source)
}

func validateSource(s string) error {
	if err := checkText("source", s, 1, MaxSourceLen); err != nil {
		return err
	}
	for _, kind := range sourceKinds {
		if strings.HasPrefix(s, kind) && len(s) > len(kind) {
			return nil
		}
	}
	return fieldErr("source", "must be web:<site>, phone:<line>, dealer:<id> or import:<name>")
}

func (e *Event) validateHints(normalise bool) error {
	h := &e.Customer
	texts := map[string]string{
		"customer.customer_id": h.CustomerID, "customer.email": h.Email,
		"customer.phone": h.Phone, "customer.web_id": h.WebID,
		"customer.given_name": h.GivenName, "customer.family_name": h.FamilyName,
		"customer.birth_date": h.BirthDate,
	}
	for _, field := range sortedKeys(texts) {
		if err := checkText(field, texts[field], 0, MaxTextLen); err != nil {
			return err
		}
	}
	if normalise && h.Email != "" && NormalizeEmail(h.Email) == "" {
		return fieldErr("customer.email", "is not an email address")
	}
	if h.BirthDate != "" {
		if _, err := time.Parse(time.DateOnly, h.BirthDate); err != nil {
			return fieldErr("customer.birth_date", "must be YYYY-MM-DD")
		}
	}
	if err := h.Address.validate(); err != nil {
		return err
	}
	if h.empty() {
		return fieldErr("customer", "needs at least one identity hint")
	}
	return nil
}

func (a *Address) validate() error {
	if a == nil {
		return nil
	}
	fields := map[string]string{
		"customer.address.line1": a.Line1, "customer.address.city": a.City,
		"customer.address.postal_code": a.PostalCode, "customer.address.country": a.Country,
	}
	for _, field := range sortedKeys(fields) {
		if err := checkText(field, fields[field], 0, MaxTextLen); err != nil {
			return err
		}
	}
	return nil
}

func (h *Hints) empty() bool {
	return h.CustomerID == "" && h.Email == "" && h.Phone == "" && h.WebID == "" &&
		h.GivenName == "" && h.FamilyName == "" && h.BirthDate == "" &&
		(h.Address == nil || *h.Address == Address{})
}

func (e *Event) validateBody() error {
	if v := e.Vehicle; v != nil {
		if err := checkText("vehicle.model", v.Model, 0, MaxTextLen); err != nil {
			return err
		}
		if err := checkText("vehicle.vin", v.VIN, 0, 32); err != nil {
			return err
		}
		if v.Year != 0 && (v.Year < 1900 || v.Year > 2200) {
			return fieldErr("vehicle.year", "%d is out of range", v.Year)
		}
	}
	if len(e.Attributes) > MaxAttributes {
		return fieldErr("attributes", "has %d entries, at most %d allowed", len(e.Attributes), MaxAttributes)
	}
	for _, k := range sortedKeys(e.Attributes) {
		if err := checkText("attributes", k, 1, MaxAttrKeyLen); err != nil {
			return err
		}
		if err := checkText("attributes."+k, e.Attributes[k], 0, MaxAttrValueLen); err != nil {
			return err
		}
	}
	if err := checkText("note", e.Note, 0, MaxNoteLen); err != nil {
		return err
	}
	return checkText("staff", e.Staff, 0, MaxTextLen)
}

func checkText(field, s string, min, max int) error {
	switch {
	case !utf8.ValidString(s):
		return fieldErr(field, "is not valid UTF-8")
	case len(s) < min && min == 1:
		return fieldErr(field, "is required")
	case len(s) < min:
		return fieldErr(field, "must be at least %d bytes", min)
	case len(s) > max:
		return fieldErr(field, "is longer than %d bytes", max)
	case strings.ContainsAny(s, "\x00"):
		return fieldErr(field, "contains a NUL byte")
	}
	return nil
}
