package csvimport

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"strconv"
	"strings"
	"time"

	"github.com/touchpoint/touchpoint/customer"
)

// Defaults fill what a file's columns do not say.
type Defaults struct {
	// Type is the event type of rows without a type column or value;
	// default contact_updated: a DMS export is a list of customer
	// records, not of sales, and contact_updated does not move anyone's
	// journey stage.
	Type string
	// Channel is the channel of rows without a channel column or value;
	// default showroom, where dealer systems' records come from.
	Channel string
	// OccurredAt is the time of rows without a date; zero means the file
	// must have a date column.
	OccurredAt time.Time
	// Location is the time zone of dates written without one; default UTC.
	Location *time.Location
}

func (d Defaults) withFallbacks() Defaults {
	if d.Type == "" {
		d.Type = "contact_updated"
	}
	if d.Channel == "" {
		d.Channel = "showroom"
	}
	if d.Location == nil {
		d.Location = time.UTC
	}
	return d
}

// eventPath is each field's JSON path in the event, as
// customer.FieldError names it.
var eventPath = map[string]string{
	"email": "customer.email", "phone": "customer.phone", "web_id": "customer.web_id",
	"given_name": "customer.given_name", "family_name": "customer.family_name",
	"birth_date": "customer.birth_date", "customer_id": "customer.customer_id",
	"line1": "customer.address.line1", "city": "customer.address.city",
	"postal_code": "customer.address.postal_code", "country": "customer.address.country",
	"vin": "vehicle.vin", "model": "vehicle.model", "year": "vehicle.year",
}

func pathOf(field string) string {
	if p, ok := eventPath[field]; ok {
		return p
	}
	if name, ok := strings.CutPrefix(field, attributePrefix); ok {
		return "attributes." + name
	}
	return field
}

// rowBuilder turns one record into an event.
type rowBuilder struct {
	cm       columnMap
	source   string
	defaults Defaults
	idCol    int // column of the id field, -1 when none
}

// build makes the event of record (already UTF-8), validates it and
// gives it its id. A problem names the column it came from.
func (b *rowBuilder) build(line int, record []string) (customer.Event, *RowError) {
	e := customer.Event{Source: b.source, Type: b.defaults.Type, Channel: b.defaults.Channel, OccurredAt: b.defaults.OccurredAt}
	empty := true
	for i, v := range record {
		v = strings.TrimSpace(v)
		if v == "" || b.cm.fields[i] == "" {
			continue
		}
		empty = false
		if reason := b.set(&e, b.cm.fields[i], v); reason != "" {
			return e, &RowError{Line: line, Column: b.cm.header[i], Field: pathOf(b.cm.fields[i]), Reason: reason}
		}
	}
	if empty {
		return e, &RowError{Line: line, Reason: "the row has no values in mapped columns"}
	}
	if e.ID == "" {
		e.ID = derivedID(e)
	}
	// Whether hints normalise depends on the region the server reads
	// phone numbers in: the server drops those that do not, with a
	// warning, and rejects a row that has no valid hint left.
	if err := e.ValidateFields(); err != nil {
		fe := customer.AsFieldError(err)
		return e, &RowError{Line: line, Column: b.columnOf(fe.Field), Field: fe.Field, Reason: fe.Reason}
	}
	return e, nil
}

// columnOf finds the header column that fills an event field path.
func (b *rowBuilder) columnOf(path string) string {
	for i, f := range b.cm.fields {
		if f != "" && pathOf(f) == path {
			return b.cm.header[i]
		}
	}
	return ""
}

// set stores one value; it returns a reason when the value is unusable.
func (b *rowBuilder) set(e *customer.Event, field, v string) string {
	h := &e.Customer
	switch field {
	case "id":
		e.ID = v
	case "type":
		e.Type = strings.ToLower(v)
	case "channel":
		e.Channel = strings.ToLower(v)
	case "occurred_at":
		t, ok := ParseTime(v, b.defaults.Location)
		if !ok {
			return "is not a date: use RFC 3339, YYYY-MM-DD[ HH:MM[:SS]] or DD.MM.YYYY[ HH:MM[:SS]]"
		}
		e.OccurredAt = t
	case "birth_date":
		t, ok := parseDate(v)
		if !ok {
			return "is not a date: use YYYY-MM-DD or DD.MM.YYYY"
		}
		h.BirthDate = t.Format(time.DateOnly)
	case "year":
		y, err := strconv.Atoi(v)
		if err != nil {
			return "is not a year"
		}
		vehicle(e).Year = y
	default:
		return setText(e, field, v)
	}
	return ""
}

// setText stores a field that is plain text.
func setText(e *customer.Event, field, v string) string {
	h := &e.Customer
	switch field {
	case "email":
		h.Email = v
	case "phone":
		h.Phone = v
	case "web_id":
		h.WebID = v
	case "given_name":
		h.GivenName = v
	case "family_name":
		h.FamilyName = v
	case "customer_id":
		h.CustomerID = v
	case "note":
		e.Note = v
	case "staff":
		e.Staff = v
	default:
		setPart(e, field, v)
	}
	return ""
}

// setPart stores an address, vehicle or attribute field.
func setPart(e *customer.Event, field, v string) {
	switch field {
	case "line1":
		address(e).Line1 = v
	case "city":
		address(e).City = v
	case "postal_code":
		address(e).PostalCode = v
	case "country":
		address(e).Country = strings.ToUpper(v)
	case "vin":
		vehicle(e).VIN = strings.ToUpper(v)
	case "model":
		vehicle(e).Model = v
	default:
		if e.Attributes == nil {
			e.Attributes = map[string]string{}
		}
		e.Attributes[strings.TrimPrefix(field, attributePrefix)] = v
	}
}

func address(e *customer.Event) *customer.Address {
	if e.Customer.Address == nil {
		e.Customer.Address = &customer.Address{}
	}
	return e.Customer.Address
}

func vehicle(e *customer.Event) *customer.Vehicle {
	if e.Vehicle == nil {
		e.Vehicle = &customer.Vehicle{}
	}
	return e.Vehicle
}

// derivedID is the id of a row without one: a hash of the source and the
// event's content, so that importing the same row again yields the same
// id and the hub's (source, id) deduplication drops it. Whitespace,
// column order and the file's encoding do not change it.
func derivedID(e customer.Event) string {
	e.ID = ""
	e.OccurredAt = e.OccurredAt.UTC()
	body, _ := json.Marshal(e) // a struct of strings, maps and times: cannot fail
	sum := sha256.Sum256(body)
	return "csv-" + hex.EncodeToString(sum[:16])
}

var timeLayouts = []string{
	time.RFC3339Nano, "2006-01-02T15:04:05", "2006-01-02T15:04", "2006-01-02 15:04:05", "2006-01-02 15:04",
	"02.01.2006 15:04:05", "02.01.2006 15:04",
}

// ParseTime reads a date or time as rows may write it: RFC 3339,
// YYYY-MM-DD[ HH:MM[:SS]] or DD.MM.YYYY[ HH:MM[:SS]]; one without a zone
// is in loc.
func ParseTime(v string, loc *time.Location) (time.Time, bool) {
	for _, layout := range timeLayouts {
		if t, err := time.ParseInLocation(layout, v, loc); err == nil {
			return t, true
		}
	}
	t, ok := parseDate(v)
	if !ok {
		return t, false
	}
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, loc), true
}

// parseDate reads YYYY-MM-DD, YYYY/MM/DD or DD.MM.YYYY. Slash dates with
// the year last are refused: 03/04/2025 is March in the US and April in
// Europe.
func parseDate(v string) (time.Time, bool) {
	for _, layout := range []string{time.DateOnly, "2006/01/02", "02.01.2006", "2.1.2006"} {
		if t, err := time.Parse(layout, v); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}
