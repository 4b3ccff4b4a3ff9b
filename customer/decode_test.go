package customer

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"
)

// designExample is the event of DESIGN.md's data model, the contract's
// own example.
const designExample = `{
  "id": "web-7f3a9c",
  "channel": "web",
  "type": "configurator_saved",
  "occurred_at": "2026-11-02T18:22:05Z",
  "source": "web:zot.example",
  "customer": {
    "customer_id": "", "email": "Anna.Petrova@example.com", "phone": "(312) 555-0142", "web_id": "w-5521",
    "given_name": "Anna", "family_name": "Petrova",
    "address": {"line1": "77 W Division St", "city": "Chicago", "postal_code": "60610", "country": "US"},
    "birth_date": "1990-05-17"
  },
  "vehicle": {"model": "ZOT 12", "vin": "", "year": 2026},
  "attributes": {"trim": "Sport"},
  "note": "",
  "staff": ""
}`

// A body holding one event splits into that event.
func TestSplitEvents_SingleEvent(t *testing.T) {
	raws, err := SplitEvents([]byte(designExample))
	if err != nil {
		t.Fatal(err)
	}
	if len(raws) != 1 || string(raws[0]) != designExample {
		t.Fatalf("SplitEvents = %d events, want the body itself", len(raws))
	}
}

// A body {"events": [...]} splits into its events, in order.
func TestSplitEvents_Batch(t *testing.T) {
	raws, err := SplitEvents([]byte(`{"events": [{"id": "a"}, {"id": "b"}, {"id": "c"}]}`))
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, raw := range raws {
		e, fe := DecodeEvent(raw)
		if fe != nil {
			t.Fatal(fe)
		}
		ids = append(ids, e.ID)
	}
	if got := strings.Join(ids, ","); got != "a,b,c" {
		t.Errorf("ids = %s, want a,b,c", got)
	}
}

// A batch holds 1 to MaxEventsPerRequest events.
func TestSplitEvents_BoundsBatchSize(t *testing.T) {
	tests := []struct {
		name    string
		n       int
		wantErr string
	}{
		{"empty batch", 0, "events: is empty"},
		{"one event", 1, ""},
		{"at the limit", MaxEventsPerRequest, ""},
		{"over the limit", MaxEventsPerRequest + 1, fmt.Sprintf("events: more than %d", MaxEventsPerRequest)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			raws, err := SplitEvents(batchOf(tt.n))
			switch {
			case tt.wantErr == "" && (err != nil || len(raws) != tt.n):
				t.Errorf("SplitEvents = %d events, %v; want %d events", len(raws), err, tt.n)
			case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
				t.Errorf("SplitEvents error = %v, want one containing %q", err, tt.wantErr)
			}
		})
	}
}

// A body that is neither an event nor a batch is refused, saying what
// shape is expected.
func TestSplitEvents_RejectsMalformedBodies(t *testing.T) {
	for _, body := range []string{"", "{", `{"id": "a",}`, "[]", `"event"`, "42", `{"events": {}}`, `{"events": "a"}`} {
		t.Run(body, func(t *testing.T) {
			raws, err := SplitEvents([]byte(body))
			if err == nil {
				t.Fatalf("SplitEvents = %d events, want an error", len(raws))
			}
			if !strings.Contains(err.Error(), `{"events": [...]}`) {
				t.Errorf("error %q does not say which shapes are accepted", err)
			}
		})
	}
}

// The contract's JSON names decode into the event's fields.
func TestDecodeEvent_DecodesContractNames(t *testing.T) {
	e, fe := DecodeEvent(json.RawMessage(designExample))
	if fe != nil {
		t.Fatal(fe)
	}
	if err := e.Validate(); err != nil {
		t.Fatalf("the contract's example does not validate: %v", err)
	}
	want := Event{
		ID: "web-7f3a9c", Channel: "web", Type: "configurator_saved",
		OccurredAt: time.Date(2026, 11, 2, 18, 22, 5, 0, time.UTC), Source: "web:zot.example",
		Customer: Hints{
			Email: "Anna.Petrova@example.com", Phone: "(312) 555-0142", WebID: "w-5521",
			GivenName: "Anna", FamilyName: "Petrova",
			Address:   &Address{Line1: "77 W Division St", City: "Chicago", PostalCode: "60610", Country: "US"},
			BirthDate: "1990-05-17",
		},
		Vehicle:    &Vehicle{Model: "ZOT 12", Year: 2026},
		Attributes: map[string]string{"trim": "Sport"},
	}
	if got, want := mustJSON(t, e), mustJSON(t, want); got != want {
		t.Errorf("decoded\n %s\nwant\n %s", got, want)
	}
}

// A value of the wrong JSON type is reported against its field, in JSON's
// words rather than Go's.
func TestDecodeEvent_WrongTypeNamesTheField(t *testing.T) {
	tests := []struct {
		raw, field, reason string
	}{
		{`{"id": 5}`, "id", "must be a JSON string"},
		{`{"id": true}`, "id", "must be a JSON string"},
		{`{"customer": {"phone": 3125550142}}`, "customer.phone", "must be a JSON string"},
		{`{"customer": {"address": {"country": ["US"]}}}`, "customer.address.country", "must be a JSON string"},
		{`{"customer": "Anna"}`, "customer", "must be a JSON object"},
		{`{"vehicle": {"year": "2026"}}`, "vehicle.year", "must be a JSON integer"},
		{`{"vehicle": {"year": 2026.5}}`, "vehicle.year", "must be a JSON integer"},
		{`{"attributes": ["trim"]}`, "attributes", "must be a JSON object"},
		{`{"attributes": {"doors": 4}}`, "attributes", "must be a JSON string"},
		{`"an event"`, "event", "must be a JSON object"},
		{`[{"id": "a"}]`, "event", "must be a JSON object"},
		{`42`, "event", "must be a JSON object"},
	}
	for _, tt := range tests {
		t.Run(tt.raw, func(t *testing.T) {
			_, fe := DecodeEvent(json.RawMessage(tt.raw))
			if fe == nil || fe.Field != tt.field || fe.Reason != tt.reason {
				t.Errorf("DecodeEvent = %#v, want field %q reason %q", fe, tt.field, tt.reason)
			}
		})
	}
}

// An occurred_at that is not an RFC 3339 time is reported against
// occurred_at.
func TestDecodeEvent_BadTimeNamesOccurredAt(t *testing.T) {
	for _, value := range []string{
		`"yesterday"`,
		`"2026-11-02"`,
		`"2026-11-02 18:22:05"`,
		`"2026-13-02T18:22:05Z"`,
		`"2026-11-02T18:22:05"`,
		`1793643725`,
		`true`,
		`{"at": "2026-11-02T18:22:05Z"}`,
	} {
		t.Run(value, func(t *testing.T) {
			_, fe := DecodeEvent(json.RawMessage(`{"id": "a", "occurred_at": ` + value + `}`))
			if fe == nil || fe.Field != "occurred_at" || fe.Reason != "must be an RFC 3339 time" {
				t.Errorf("DecodeEvent = %#v, want an occurred_at error", fe)
			}
		})
	}
}

// A field the contract does not name is refused with its path, at any
// depth, rather than dropped with the data it holds; attributes take any
// name. Names match without regard to case, as encoding/json matches
// them, and the first unknown field in the document is the one named.
func TestDecodeEvent_UnknownFieldNamesItsPath(t *testing.T) {
	tests := []struct {
		raw, field, reason string
	}{
		{`{"id": "a", "mobile": "312-555-0142"}`, "mobile", "is not a field of an event (id, channel, type, occurred_at, source, customer, vehicle, attributes, note, staff)"},
		{`{"customer": {"mobile": "312-555-0142"}}`, "customer.mobile", "is not a field of customer (customer_id, email, phone, web_id, given_name, family_name, address, birth_date)"},
		{`{"customer": {"email": "a@example.com", "address": {"street": "1 Main St"}}}`, "customer.address.street", "is not a field of customer.address (line1, city, postal_code, country)"},
		{`{"vehicle": {"model": "ZOT 12", "colour": "red"}}`, "vehicle.colour", "is not a field of vehicle (model, vin, year)"},
		{`{"customer": {"phone": "1", "Mobile": "2"}, "fax": "3"}`, "customer.Mobile", "is not a field of customer"},
		{`{"fax": "3", "customer": {"mobile": "2"}}`, "fax", "is not a field of an event"},
		{`{"Customer": {"EMAIL": "a@example.com", "Fax": "1"}}`, "customer.Fax", "is not a field of customer"},
		{`{"customer": {"` + strings.Repeat("m", 100) + `": "1"}}`, "customer", "has a field that is not one of (customer_id"},
		{`{"": 1}`, "event", "has a field that is not one of (id"},
	}
	for _, tt := range tests {
		t.Run(tt.raw, func(t *testing.T) {
			_, fe := DecodeEvent(json.RawMessage(tt.raw))
			if fe == nil || fe.Field != tt.field || !strings.HasPrefix(fe.Reason, tt.reason) || !strings.HasSuffix(fe.Reason, "other data goes in attributes") {
				t.Errorf("DecodeEvent = %#v, want field %q reason %q...", fe, tt.field, tt.reason)
			}
		})
	}
	for _, raw := range []string{
		`{"attributes": {"mobile": "312-555-0142", "colour": "red"}}`,
		`{"ID": "a", "Customer": {"Email": "a@example.com", "ADDRESS": {"City": "Chicago"}}, "Vehicle": {"VIN": "X"}}`,
		designExample,
	} {
		if e, fe := DecodeEvent(json.RawMessage(raw)); fe != nil {
			t.Errorf("DecodeEvent(%s) = %+v, %v; want it decoded", raw, e, fe)
		}
	}
}

// JSON that does not parse is reported against the event as a whole.
func TestDecodeEvent_MalformedJSONNamesEvent(t *testing.T) {
	for _, raw := range []string{`{"id": "a",}`, `{"id" "a"}`, `{`, ``, `{"id": "a"} {"id": "b"}`} {
		t.Run(raw, func(t *testing.T) {
			_, fe := DecodeEvent(json.RawMessage(raw))
			if fe == nil || fe.Field != "event" || fe.Reason == "" {
				t.Errorf("DecodeEvent = %#v, want an event error", fe)
			}
		})
	}
}

// Decoding does not validate: a missing field decodes to its zero value.
func TestDecodeEvent_DoesNotValidate(t *testing.T) {
	e, fe := DecodeEvent(json.RawMessage(`{"id": "a", "customer": null, "vehicle": null, "attributes": null}`))
	if fe != nil || e.ID != "a" {
		t.Fatalf("DecodeEvent = %+v, %v", e, fe)
	}
	var want *FieldError
	if err := e.Validate(); !errors.As(err, &want) || want.Field != "channel" {
		t.Errorf("Validate = %v, want a channel error", err)
	}
}

// AsFieldError keeps a *FieldError and wraps any other error as the event's.
func TestAsFieldError_WrapsOtherErrors(t *testing.T) {
	fe := &FieldError{Field: "note", Reason: "is longer than 4096 bytes"}
	if got := AsFieldError(fmt.Errorf("record: %w", fe)); got != fe {
		t.Errorf("AsFieldError lost the field error: %#v", got)
	}
	if got := AsFieldError(errors.New("boom")); got.Field != "event" || got.Reason != "boom" {
		t.Errorf("AsFieldError = %#v, want field event reason boom", got)
	}
	if !errors.Is(fe, ErrInvalid) || fe.Error() != "note: is longer than 4096 bytes" {
		t.Errorf("FieldError %q does not read as field: reason or wrap ErrInvalid", fe)
	}
}

// Every line of the Petrov family scenario is a valid event.
func TestDecodeEvent_ScenarioEventsValidate(t *testing.T) {
	f, err := os.Open("../../shared/scenarios/zot-family.jsonl")
	if errors.Is(err, os.ErrNotExist) {
		t.Skip("shared scenarios not present")
	}
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	lines := bufio.NewScanner(f)
	n := 0
	for lines.Scan() {
		if strings.TrimSpace(lines.Text()) == "" {
			continue
		}
		n++
		raws, err := SplitEvents(lines.Bytes())
		if err != nil {
			t.Fatalf("line %d: %v", n, err)
		}
		e, fe := DecodeEvent(raws[0])
		if fe != nil {
			t.Fatalf("line %d: %v", n, fe)
		}
		if err := e.Validate(); err != nil {
			t.Errorf("line %d (%s): %v", n, e.ID, err)
		}
	}
	if err := lines.Err(); err != nil {
		t.Fatal(err)
	}
	if n == 0 {
		t.Fatal("scenario has no events")
	}
}

// batchOf returns a body {"events": [...]} of n minimal events.
func batchOf(n int) []byte {
	events := make([]string, n)
	for i := range events {
		events[i] = fmt.Sprintf(`{"id": "e-%d"}`, i)
	}
	return []byte(`{"events": [` + strings.Join(events, ",") + `]}`)
}
