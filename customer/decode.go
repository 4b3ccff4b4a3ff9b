package customer

import (
	"encoding/json"
	"errors"
	"fmt"
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

// DecodeEvent decodes one event's JSON without validating it; a decoding
// failure names the field when it can.
func DecodeEvent(raw json.RawMessage) (Event, *FieldError) {
	var e Event
	err := json.Unmarshal(raw, &e)
	if err == nil {
		return e, nil
	}
	var typeErr *json.UnmarshalTypeError
	var timeErr *time.ParseError
	switch {
	case errors.As(err, &typeErr):
		return e, &FieldError{Field: typeErr.Field, Reason: "must be a JSON " + typeErr.Type.Kind().String()}
	case errors.As(err, &timeErr):
		return e, &FieldError{Field: "occurred_at", Reason: "must be an RFC 3339 time"}
	}
	return e, &FieldError{Field: "event", Reason: strings.TrimPrefix(err.Error(), "json: ")}
}

// AsFieldError returns err as a *FieldError, wrapping other errors.
func AsFieldError(err error) *FieldError {
	var fe *FieldError
	if errors.As(err, &fe) {
		return fe
	}
	return &FieldError{Field: "event", Reason: err.Error()}
}
