package customer

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

// Any body an ingest endpoint receives is split, decoded, validated and
// prepared without panicking; every failure names a field; an event that
// validates survives a JSON round trip unchanged and still valid; and a
// prepared event drops nothing when prepared again.
func FuzzDecodeEvent(f *testing.F) {
	for _, seed := range []string{
		designExample,
		`{"events": [` + designExample + `, {"id": "b"}]}`,
		`{"id":"w-1","channel":"web","type":"page_view","occurred_at":"2026-10-28T20:14:09Z","source":"web:zot.example","customer":{"web_id":"w-5521"}}`,
		`{"id":"x","channel":"phone","type":"call_inbound","occurred_at":"2200-12-31T23:00:00-05:00","source":"phone:main","customer":{"phone":"312-555-0142"}}`,
		`{"id":"x","channel":"mail","type":"a","occurred_at":"1900-01-01T00:30:00+01:00","source":"import:x","customer":{"given_name":"\u00c5sa"}}`,
		`{"id":"x","channel":"web","type":"a","occurred_at":"2026-01-01T00:00:00.123456789Z","source":"web:x","customer":{"email":"a@b"},"attributes":{},"vehicle":{}}`,
		`{"id":"\u0000","note":"\ud800","customer":{"address":{}}}`,
		`{"id":"x","channel":"phone","type":"call_inbound","occurred_at":"2026-01-01T00:00:00Z","source":"phone:main","customer":{"phone":"call me","email":"no-at","web_id":" "}}`,
		`{"id":"x","customer":{"mobile":"312-555-0142","address":{"street":"x"}},"vehicle":{"colour":"red"},"fax":1}`,
		`{"ID":"x","Customer":{"EMAIL":"a@b"},"attributes":{"mobile":"1"}}`,
		`{"occurred_at": 5}`,
		`{"events": []}`,
		`{"events": null}`,
		`[1, 2]`,
		`null`,
		``,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		raws, err := SplitEvents(body)
		if err != nil {
			return
		}
		if len(raws) == 0 || len(raws) > MaxEventsPerRequest {
			t.Fatalf("SplitEvents returned %d events", len(raws))
		}
		for _, raw := range raws {
			e, fe := DecodeEvent(raw)
			if fe != nil {
				if fe.Field == "" || fe.Reason == "" {
					t.Fatalf("DecodeEvent(%q) = %#v, want a field and a reason", raw, fe)
				}
				continue
			}
			checkPrepare(t, e)
			if err := e.Validate(); err != nil {
				if fe := AsFieldError(err); fe.Field == "" || fe.Reason == "" {
					t.Fatalf("Validate = %#v, want a field and a reason", fe)
				}
				continue
			}
			encoded, err := json.Marshal(e)
			if err != nil {
				t.Fatalf("encode valid event %+v: %v", e, err)
			}
			again, fe := DecodeEvent(encoded)
			if fe != nil {
				t.Fatalf("decode re-encoded %s: %v", encoded, fe)
			}
			if err := again.Validate(); err != nil {
				t.Fatalf("re-encoded %s no longer validates: %v", encoded, err)
			}
			if reencoded, _ := json.Marshal(again); !bytes.Equal(reencoded, encoded) {
				t.Fatalf("round trip changed the event:\n%s\n%s", encoded, reencoded)
			}
		}
	})
}

// checkPrepare prepares a copy of e: a rejection names a field and a
// reason, every warning names a customer field, and preparing again drops
// nothing more.
func checkPrepare(t *testing.T, e Event) {
	t.Helper()
	warnings, err := e.Prepare("DE")
	if err != nil {
		if fe := AsFieldError(err); fe.Field == "" || fe.Reason == "" {
			t.Fatalf("Prepare = %#v, want a field and a reason", fe)
		}
		return
	}
	for _, w := range warnings {
		if !strings.HasPrefix(w.Field, "customer.") || w.Reason == "" {
			t.Fatalf("warning %+v, want a customer field and a reason", w)
		}
	}
	if again, err := e.Prepare("DE"); err != nil || len(again) != 0 {
		t.Fatalf("preparing %+v again = %v, %v", e, again, err)
	}
}
