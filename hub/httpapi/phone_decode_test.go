package httpapi

import (
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/touchpoint/touchpoint/customer"
)

// testLineRegion reads the "berlin" line's numbers as German, others as US.
func testLineRegion(line string) string {
	if line == "berlin" {
		return "DE"
	}
	return "US"
}

// validCall is a complete inbound call; fields overrides or adds fields
// (a nil value removes one).
func validCall(fields map[string]any) map[string]any {
	c := map[string]any{
		"id": "call-1", "line": "tollfree", "direction": "inbound", "caller": "(312) 555-0142",
		"agent": "kim", "started_at": "2026-11-02T18:22:05Z", "duration_seconds": 185,
		"disposition": "answered", "notes": "asked about the Sport trim",
	}
	for k, v := range fields {
		if v == nil {
			delete(c, k)
		} else {
			c[k] = v
		}
	}
	return c
}

func decodeTestCalls(t *testing.T, body []byte) (string, string, []customer.Event) {
	t.Helper()
	raws, batch, apiErr := splitCalls(body)
	if apiErr != nil {
		return apiErr.Field, apiErr.Reason, nil
	}
	results, valid, first := parsePhoneCalls(raws, batch, testLineRegion)
	if len(results) != len(raws) {
		t.Fatalf("%d results for %d calls", len(results), len(raws))
	}
	return first.Field, first.Reason, valid
}

// Every call field is checked and a rejection names it, as calls[i].field
// in a batch.
func TestPhoneCalls_ValidationNamesTheField(t *testing.T) {
	long := strings.Repeat("x", 4097)
	tests := []struct {
		name      string
		body      any
		wantField string
	}{
		{"valid call", validCall(nil), ""},
		{"valid outbound call without optional fields", validCall(map[string]any{"direction": "outbound", "agent": nil, "duration_seconds": nil, "disposition": nil, "notes": nil}), ""},
		{"missing id", validCall(map[string]any{"id": nil}), "id"},
		{"id too long", validCall(map[string]any{"id": strings.Repeat("i", 129)}), "id"},
		{"missing line", validCall(map[string]any{"line": nil}), "line"},
		{"line with a slash", validCall(map[string]any{"line": "a/b"}), "line"},
		{"unknown direction", validCall(map[string]any{"direction": "sideways"}), "direction"},
		{"missing caller", validCall(map[string]any{"caller": nil}), "caller"},
		{"caller not a number", validCall(map[string]any{"caller": "anonymous"}), "caller"},
		{"caller too short for its region", validCall(map[string]any{"caller": "555"}), "caller"},
		{"missing started_at", validCall(map[string]any{"started_at": nil}), "started_at"},
		{"started_at not RFC 3339", validCall(map[string]any{"started_at": "02/11/2026 18:22"}), "started_at"},
		{"started_at out of range", validCall(map[string]any{"started_at": "1800-01-01T00:00:00Z"}), "started_at"},
		{"negative duration", validCall(map[string]any{"duration_seconds": -1}), "duration_seconds"},
		{"duration over a day", validCall(map[string]any{"duration_seconds": 86401}), "duration_seconds"},
		{"duration not an integer", validCall(map[string]any{"duration_seconds": "3m"}), "duration_seconds"},
		{"duration a fraction", validCall(map[string]any{"duration_seconds": 1.5}), "duration_seconds"},
		{"unknown disposition", validCall(map[string]any{"disposition": "great"}), "disposition"},
		{"notes too long", validCall(map[string]any{"notes": long}), "notes"},
		{"agent too long", validCall(map[string]any{"agent": strings.Repeat("a", 257)}), "agent"},
		{"agent not a string", validCall(map[string]any{"agent": 7}), "agent"},
		{"unknown field", validCall(map[string]any{"start": "now"}), "start"},
		{"body not an object", []int{1}, "body"},
		{"batch names the index", map[string]any{"calls": []any{
			validCall(nil), validCall(map[string]any{"id": "c2"}), validCall(map[string]any{"id": "c3"}),
			validCall(map[string]any{"id": "c4", "started_at": "soon"}),
		}}, "calls[3].started_at"},
		{"batch entry not an object", map[string]any{"calls": []any{"x"}}, "calls[0].call"},
		{"calls not an array", map[string]any{"calls": "x"}, "calls"},
		{"empty batch", map[string]any{"calls": []any{}}, "calls"},
		{"more than 1000 calls", map[string]any{"calls": make([]any, 1001)}, "calls"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body, err := json.Marshal(tt.body)
			if err != nil {
				t.Fatal(err)
			}
			field, reason, _ := decodeTestCalls(t, body)
			if field != tt.wantField {
				t.Fatalf("field %q (%s), want %q", field, reason, tt.wantField)
			}
			if field != "" && reason == "" {
				t.Fatalf("field %q rejected without a reason", field)
			}
		})
	}
	if _, reason, _ := decodeTestCalls(t, []byte(`{"calls": [`+strings.Repeat(`{},`, 1000)+`{}]}`)); !strings.Contains(reason, "1000") {
		t.Errorf("batch limit reason %q does not name the limit", reason)
	}
	if field, _, _ := decodeTestCalls(t, []byte(`{"id":`)); field != "body" {
		t.Errorf("malformed JSON: field %q, want body", field)
	}
}

// A call becomes an event of its line, with the caller in E.164 read in
// the line's country, the agent as staff and the outcome as attributes.
func TestPhoneCalls_MapToEvents(t *testing.T) {
	body, _ := json.Marshal(map[string]any{"calls": []any{
		validCall(nil),
		validCall(map[string]any{"id": "call-2", "line": "berlin", "direction": "outbound", "caller": "030 12345678"}),
		validCall(map[string]any{"id": "call-3", "line": "berlin", "caller": "+1 312 555 0142"}),
	}})
	field, reason, events := decodeTestCalls(t, body)
	if field != "" || len(events) != 3 {
		t.Fatalf("rejected %s: %s; %d events", field, reason, len(events))
	}
	e := events[0]
	if e.Source != "phone:tollfree" || e.Channel != "phone" || e.Type != "call_inbound" || e.Customer.Phone != "+13125550142" ||
		e.Staff != "kim" || e.Note != "asked about the Sport trim" || e.Attributes["disposition"] != "answered" ||
		e.Attributes["duration_seconds"] != "185" || e.OccurredAt.Format("2006-01-02T15:04:05Z07:00") != "2026-11-02T18:22:05Z" {
		t.Errorf("call-1 mapped to %+v", e)
	}
	if e := events[1]; e.Type != "call_outbound" || e.Source != "phone:berlin" || e.Customer.Phone != "+493012345678" {
		t.Errorf("call-2 (German line) mapped to %+v", e)
	}
	if e := events[2]; e.Customer.Phone != "+13125550142" {
		t.Errorf("call-3 (international number on a German line) mapped to phone %q", e.Customer.Phone)
	}
}

// Any body gives either events that pass validation or a rejection that
// names a field with a reason; never a panic.
func FuzzPhoneCalls(f *testing.F) {
	seed := func(v any) {
		b, _ := json.Marshal(v)
		f.Add(b)
	}
	seed(validCall(nil))
	seed(map[string]any{"calls": []any{validCall(nil), validCall(map[string]any{"line": "berlin", "caller": "030 12345678"})}})
	f.Add([]byte(`{"id":"a","line":"l","direction":"inbound","caller":"1","started_at":5,"duration_seconds":1e400}`))
	seed(map[string]any{"calls": []any{1, nil, "x", []any{}}})
	f.Add([]byte(`{"calls": null, "id": "x"}`))
	f.Add([]byte(`{"id":"a","line":"l","direction":"inbound","caller":"+13125550142","started_at":"2026-11-02T18:22:05Z"} {}`))
	f.Add([]byte(`{"id":"\u0000","line":"l","direction":"inbound","caller":"+13125550142","started_at":"2026-11-02T18:22:05Z","notes":"\xff"}`))
	f.Add([]byte(strings.Repeat(`{"calls":[`, 1000)))
	f.Fuzz(func(t *testing.T, body []byte) {
		raws, batch, apiErr := splitCalls(body)
		if apiErr != nil {
			if apiErr.Field == "" || apiErr.Reason == "" {
				t.Fatalf("split error without field and reason: %+v", apiErr)
			}
			return
		}
		results, valid, first := parsePhoneCalls(raws, batch, testLineRegion)
		rejected := 0
		for _, r := range results {
			if r.Status == "" {
				continue
			}
			rejected++
			if r.Field == "" || r.Reason == "" || !utf8.ValidString(r.Reason) {
				t.Fatalf("rejection without a field or reason: %+v", r)
			}
		}
		if rejected+len(valid) != len(raws) {
			t.Fatalf("%d rejected + %d valid != %d calls", rejected, len(valid), len(raws))
		}
		if rejected > 0 && first.Field == "" {
			t.Fatal("rejections but no first error")
		}
		for _, e := range valid {
			if err := e.Validate(); err != nil {
				t.Fatalf("accepted call is not a valid event: %v", err)
			}
			if !strings.HasPrefix(e.Source, "phone:") || !strings.HasPrefix(e.Customer.Phone, "+") {
				t.Fatalf("accepted call mapped to source %q, phone %q", e.Source, e.Customer.Phone)
			}
		}
	})
}
