package httpapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/touchpoint/touchpoint/customer"
	"github.com/touchpoint/touchpoint/hub/state"
	"github.com/touchpoint/touchpoint/protocol"
)

// phoneCallsPath is the call centre's webhook.
const phoneCallsPath = "/v1/channels/phone/calls"

// PhoneCall is one call record as a telephony system posts it to
// POST /v1/channels/phone/calls, alone or as {"calls": [...]}. It becomes
// a call_inbound or call_outbound event of source phone:<line>.
type PhoneCall struct {
	ID              string `json:"id"`               // the call's id, unique per line (the idempotency key)
	Line            string `json:"line"`             // the line it came in on or went out from
	Direction       string `json:"direction"`        // inbound or outbound
	Caller          string `json:"caller"`           // the customer's number: who called in, or who was called
	Agent           string `json:"agent"`            // who took or made the call
	StartedAt       string `json:"started_at"`       // RFC 3339
	DurationSeconds *int   `json:"duration_seconds"` // 0 to 86400
	Disposition     string `json:"disposition"`      // see CallDispositions
	Notes           string `json:"notes"`
}

// CallDispositions are the outcomes a call record may name.
var CallDispositions = []string{"answered", "missed", "voicemail", "busy", "abandoned", "no_answer", "failed", "callback_requested"}

// linePattern is what a line's name may be.
var linePattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$`)

// callFieldOf names, in the call's words, an event field that failed
// validation.
var callFieldOf = map[string]string{
	"occurred_at": "started_at", "note": "notes", "staff": "agent",
	"customer.phone": "caller", "source": "line", "customer": "caller",
	"attributes.disposition": "disposition", "type": "direction",
}

// postPhoneCalls ingests call records. It answers like /v1/events: 200
// after the commit with a result per call, 400 naming the field (such as
// calls[3].started_at) when no call is valid.
func (s *Server) postPhoneCalls(w http.ResponseWriter, r *http.Request) {
	c := callerOf(r)
	if c.kind == state.KeyChannel && !strings.HasPrefix(c.source, "phone:") {
		writeError(w, http.StatusForbidden, "this key is for "+c.source+": the phone webhook takes a phone:<line> key or the operator token")
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxBodyBytes))
	if err != nil {
		writeError(w, http.StatusRequestEntityTooLarge, "body is larger than 1 MiB: send fewer calls per request")
		return
	}
	raws, batch, splitErr := splitCalls(body)
	if splitErr != nil {
		writeJSON(w, http.StatusBadRequest, splitErr)
		return
	}
	if !s.allowEvents(w, c.key, len(raws)) {
		return
	}
	results, valid, first := parsePhoneCalls(raws, batch, s.lineRegion)
	restrictLine(c, results, &valid, &first, batch)
	s.ingestResults(w, r, slices.Repeat([]string{"phone"}, len(results)), results, valid, first)
}

// lineRegion is the country of a line's caller numbers.
func (s *Server) lineRegion(line string) string {
	if cc, ok := s.intake.PhoneLineCountry[line]; ok {
		return cc
	}
	return s.store.Region()
}

// splitCalls splits a body holding one call or {"calls": [...]}, and
// says which it was.
func splitCalls(body []byte) ([]json.RawMessage, bool, *apiError) {
	var batch struct {
		Calls json.RawMessage `json:"calls"`
	}
	if err := json.Unmarshal(body, &batch); err != nil {
		reason := strings.TrimPrefix(err.Error(), "json: ")
		var typeErr *json.UnmarshalTypeError
		if errors.As(err, &typeErr) {
			reason = "is a JSON " + typeErr.Value
		}
		return nil, false, fieldError("body", `must be one call object or {"calls": [...]}: `+reason)
	}
	if batch.Calls == nil {
		return []json.RawMessage{body}, false, nil
	}
	var calls []json.RawMessage
	if err := json.Unmarshal(batch.Calls, &calls); err != nil || calls == nil {
		return nil, true, fieldError("calls", "must be an array of calls")
	}
	switch {
	case len(calls) == 0:
		return nil, true, fieldError("calls", "is empty")
	case len(calls) > customer.MaxEventsPerRequest:
		return nil, true, fieldError("calls", fmt.Sprintf("has %d calls, at most %d per request", len(calls), customer.MaxEventsPerRequest))
	}
	return calls, true, nil
}

// parsePhoneCalls decodes, maps and validates each call. Rejections name
// the field as calls[i].field in a batch, or field for a single call.
func parsePhoneCalls(raws []json.RawMessage, batch bool, regionOf func(line string) string) ([]protocol.Result, []customer.Event, apiError) {
	results := make([]protocol.Result, len(raws))
	var valid []customer.Event
	var first apiError
	for i, raw := range raws {
		call, e, warnings, fe := decodeCall(raw, regionOf)
		if fe != nil {
			if batch {
				fe.Field = fmt.Sprintf("calls[%d].%s", i, fe.Field)
			}
			results[i] = protocol.Result{ID: call.ID, Status: protocol.StatusRejected, Field: fe.Field, Reason: fe.Reason}
			if first.Error == "" {
				first = apiError{Error: fe.Error(), Field: fe.Field, Reason: fe.Reason}
			}
			continue
		}
		results[i].Warnings = warnings
		valid = append(valid, e)
	}
	return results, valid, first
}

// decodeCall decodes one call strictly, turns it into an event and
// prepares that as every ingest path does (customer.Event.Prepare).
func decodeCall(raw json.RawMessage, regionOf func(string) string) (PhoneCall, customer.Event, []customer.Warning, *customer.FieldError) {
	var call PhoneCall
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&call); err != nil {
		return call, customer.Event{}, nil, callDecodeError(err)
	}
	if dec.More() {
		return call, customer.Event{}, nil, &customer.FieldError{Field: "call", Reason: "has data after the call object"}
	}
	e, fe := callEvent(&call, regionOf)
	if fe != nil {
		return call, e, nil, fe
	}
	warnings, err := e.Prepare(regionOf(call.Line))
	if err != nil {
		fe := customer.AsFieldError(err)
		if name, ok := callFieldOf[fe.Field]; ok {
			fe = &customer.FieldError{Field: name, Reason: fe.Reason}
		}
		return call, e, nil, fe
	}
	return call, e, warnings, nil
}

// callDecodeError names the field a decoding error is about.
func callDecodeError(err error) *customer.FieldError {
	var typeErr *json.UnmarshalTypeError
	msg := strings.TrimPrefix(err.Error(), "json: ")
	switch {
	case errors.As(err, &typeErr) && typeErr.Field != "":
		return &customer.FieldError{Field: typeErr.Field, Reason: "must be a JSON " + jsonTypeOf(typeErr.Type)}
	case errors.As(err, &typeErr):
		return &customer.FieldError{Field: "call", Reason: "must be a JSON object"}
	case strings.HasPrefix(msg, `unknown field "`):
		name := strings.TrimSuffix(strings.TrimPrefix(msg, `unknown field "`), `"`)
		if name == "" || !utf8.ValidString(name) || len(name) > 64 {
			return &customer.FieldError{Field: "call", Reason: "has a field that is not a field of a call"}
		}
		return &customer.FieldError{Field: name, Reason: "is not a field of a call (id, line, direction, caller, agent, started_at, duration_seconds, disposition, notes)"}
	}
	return &customer.FieldError{Field: "call", Reason: msg}
}

// jsonTypeOf names the JSON type wanted for a call field's Go type.
func jsonTypeOf(t reflect.Type) string {
	switch {
	case t == nil:
		return "value"
	case t.Kind() == reflect.String:
		return "string"
	case t.Kind() == reflect.Int || t.Kind() == reflect.Pointer:
		return "integer"
	}
	return "object"
}

// callEvent maps a call to its event, checking the call's own fields.
func callEvent(c *PhoneCall, regionOf func(string) string) (customer.Event, *customer.FieldError) {
	bad := func(field, reason string) (customer.Event, *customer.FieldError) {
		return customer.Event{}, &customer.FieldError{Field: field, Reason: reason}
	}
	switch {
	case c.ID == "":
		return bad("id", "is required: the call's id in the telephony system")
	case !linePattern.MatchString(c.Line):
		return bad("line", "is required: 1-64 letters, digits, '.', '-' or '_'")
	case c.Direction != "inbound" && c.Direction != "outbound":
		return bad("direction", "must be inbound or outbound")
	case strings.TrimSpace(c.Caller) == "":
		return bad("caller", "is required: the customer's number")
	case c.StartedAt == "":
		return bad("started_at", "is required (RFC 3339)")
	case c.DurationSeconds != nil && (*c.DurationSeconds < 0 || *c.DurationSeconds > 86400):
		return bad("duration_seconds", "must be between 0 and 86400")
	case c.Disposition != "" && !slices.Contains(CallDispositions, c.Disposition):
		return bad("disposition", "must be one of "+strings.Join(CallDispositions, ", "))
	}
	started, err := time.Parse(time.RFC3339, c.StartedAt)
	if err != nil {
		return bad("started_at", "must be an RFC 3339 time like 2026-11-02T18:22:05Z")
	}
	region := regionOf(c.Line)
	phone := customer.NormalizePhone(c.Caller, region)
	if phone == "" || len(c.Caller) > customer.MaxTextLen {
		return bad("caller", "is not a valid phone number (read as a number of "+region+" when it has no country code)")
	}
	return customer.Event{
		ID: c.ID, Channel: "phone", Type: "call_" + c.Direction, OccurredAt: started,
		Source: "phone:" + c.Line, Customer: customer.Hints{Phone: phone},
		Attributes: callAttributes(c), Note: c.Notes, Staff: c.Agent,
	}, nil
}

// callAttributes keeps the call's outcome and length on the event.
func callAttributes(c *PhoneCall) map[string]string {
	attrs := map[string]string{}
	if c.Disposition != "" {
		attrs["disposition"] = c.Disposition
	}
	if c.DurationSeconds != nil {
		attrs["duration_seconds"] = strconv.Itoa(*c.DurationSeconds)
	}
	if len(attrs) == 0 {
		return nil
	}
	return attrs
}

// restrictLine rejects the calls a phone key may not post: only its own
// line. Operators post any line.
func restrictLine(c caller, results []protocol.Result, valid *[]customer.Event, first *apiError, batch bool) {
	if c.kind != state.KeyChannel {
		return
	}
	var kept []customer.Event
	j := 0
	for i := range results {
		if results[i].Status != "" {
			continue
		}
		e := (*valid)[j]
		j++
		if e.Source == c.source {
			kept = append(kept, e)
			continue
		}
		field, reason := "line", "this key may only post calls of line "+strings.TrimPrefix(c.source, "phone:")
		if batch {
			field = fmt.Sprintf("calls[%d].line", i)
		}
		results[i] = protocol.Result{ID: e.ID, Status: protocol.StatusRejected, Field: field, Reason: reason}
		if first.Error == "" {
			*first = apiError{Error: field + ": " + reason, Field: field, Reason: reason}
		}
	}
	*valid = kept
}
