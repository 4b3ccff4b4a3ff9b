package customer

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strings"
	"time"
)

// MaxEventsPerRequest bounds one ingest request or batch.
const MaxEventsPerRequest = 1000

// SplitEvents splits a JSON body holding one event or {"events": [...]}
// into the raw JSON of each event.
func SplitEvents(body []byte) ([]json.RawMessage, error) {
	var batch struct {
		Events []json.RawMessage `json:"events"`
	}
	if err := json.Unmarshal(body, &batch); err != nil {
		return nil, fmt.Errorf("body is not a JSON event or {\"events\": [...]}: %s", strings.TrimPrefix(err.Error(), "json: "))
	}
	switch {
	case batch.Events == nil:
		return []json.RawMessage{body}, nil
	case len(batch.Events) == 0:
		return nil, errors.New("events: is empty")
	case len(batch.Events) > MaxEventsPerRequest:
		return nil, fmt.Errorf("events: more than %d in one request", MaxEventsPerRequest)
	}
	return batch.Events, nil
}

// DecodeEvent decodes one event's JSON strictly, without validating it: a
// field the contract does not name, anywhere outside attributes, is
// refused with its path (customer.mobile) rather than dropped. A decoding
// failure names the field when it can.
func DecodeEvent(raw json.RawMessage) (Event, *FieldError) {
	var e Event
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	err := dec.Decode(&e)
	if err == nil {
		if _, after := dec.Token(); after != io.EOF {
			return e, &FieldError{Field: "event", Reason: "has data after the event object"}
		}
		return e, nil
	}
	var typeErr *json.UnmarshalTypeError
	var timeErr *time.ParseError
	switch {
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		return e, unknownFieldError(raw)
	case errors.As(err, &typeErr):
		field := typeErr.Field
		if field == "" { // the event itself is not an object
			field = "event"
		}
		return e, &FieldError{Field: field, Reason: "must be a JSON " + jsonType(typeErr.Type)}
	case errors.As(err, &timeErr) || badOccurredAt(raw):
		return e, &FieldError{Field: "occurred_at", Reason: "must be an RFC 3339 time"}
	}
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return e, &FieldError{Field: "event", Reason: "is not complete JSON"}
	}
	return e, &FieldError{Field: "event", Reason: strings.TrimPrefix(err.Error(), "json: ")}
}

// jsonType names, in JSON's words, the type of value that decodes into t.
func jsonType(t reflect.Type) string {
	if t == nil {
		return "value"
	}
	switch t.Kind() {
	case reflect.Struct, reflect.Map:
		return "object"
	case reflect.Slice, reflect.Array:
		return "array"
	case reflect.Bool:
		return "boolean"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "integer"
	case reflect.Float32, reflect.Float64:
		return "number"
	}
	return t.Kind().String()
}

// badOccurredAt reports whether raw holds an occurred_at that is not a
// time. time.Time reports a value that is not a JSON string without naming
// the field or using a typed error.
func badOccurredAt(raw json.RawMessage) bool {
	var probe struct {
		OccurredAt json.RawMessage `json:"occurred_at"`
	}
	if json.Unmarshal(raw, &probe) != nil || probe.OccurredAt == nil {
		return false
	}
	var t time.Time
	return t.UnmarshalJSON(probe.OccurredAt) != nil
}

// AsFieldError returns err as a *FieldError, wrapping other errors.
func AsFieldError(err error) *FieldError {
	var fe *FieldError
	if errors.As(err, &fe) {
		return fe
	}
	return &FieldError{Field: "event", Reason: err.Error()}
}
