package protocol

import (
	"bytes"
	"encoding/hex"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/fxamacker/cbor/v2"
	"github.com/touchpoint/touchpoint/customer"
)

// mustHex decodes a hex string, ignoring spaces.
func mustHex(t testing.TB, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(strings.ReplaceAll(s, " ", ""))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// Times decode as UTC with every nanosecond, whatever zone they were encoded in.
func TestCodec_TimeRoundTripsAsUTC(t *testing.T) {
	zones := []*time.Location{time.UTC, time.FixedZone("CET", 3600), time.FixedZone("NST", -(3*3600 + 1800))}
	for _, loc := range zones {
		in := time.Date(2026, 11, 2, 19, 22, 5, 123456789, loc)
		data, err := Marshal(customer.Event{OccurredAt: in})
		if err != nil {
			t.Fatal(err)
		}
		var out customer.Event
		if err := Unmarshal(data, &out); err != nil {
			t.Fatal(err)
		}
		if !out.OccurredAt.Equal(in) || out.OccurredAt.Location() != time.UTC || out.OccurredAt != in.UTC() {
			t.Fatalf("%s: got %v, want %v", loc, out.OccurredAt, in.UTC())
		}
	}
}

// The same value always encodes to the same bytes, map keys sorted.
func TestCodec_Deterministic(t *testing.T) {
	e := sampleEvent()
	for i := range 30 {
		e.Attributes[strings.Repeat("k", i+1)] = "v"
	}
	first, err := Marshal(e)
	if err != nil {
		t.Fatal(err)
	}
	for range 20 {
		again, err := Marshal(e)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(first, again) {
			t.Fatal("encoding changed between calls")
		}
	}
	// The same instant in another zone encodes identically.
	e.OccurredAt = e.OccurredAt.In(time.FixedZone("X", 7200))
	other, _ := Marshal(e)
	if !bytes.Equal(first, other) {
		t.Fatal("encoding depends on the time zone")
	}
}

// The decoder rejects hostile or non-canonical shapes and ignores unknown fields.
func TestUnmarshal_UntrustedInput(t *testing.T) {
	hello := func() any { return new(Hello) }
	event := func() any { return new(customer.Event) }
	tests := []struct {
		name string
		in   string
		into func() any
		want string // part of the error message; empty when the input is fine
	}{
		{"duplicate int key", "a2 01 01 01 02", hello, "duplicate map key"},
		{"duplicate text key", "a2 62 6964 61 61 62 6964 61 62", event, "duplicate map key"},
		{"duplicate attribute key", "a1 6a 61747472696275746573 a2 61 61 61 31 61 61 61 32", event, "duplicate map key"},
		{"indefinite map", "bf 01 01 ff", hello, "indefinite-length"},
		{"indefinite text", "a1 03 7f 61 61 ff", hello, "indefinite-length"},
		{"tag", "c0 a1 01 01", hello, "tag isn't allowed"},
		{"tagged time", "a1 6b 6f636375727265645f6174 c1 1a 69077a6d", event, "tag isn't allowed"},
		{"invalid utf-8", "a1 03 62 ff fe", hello, "invalid UTF-8"},
		{"trailing bytes", "a1 01 01 00", hello, "extraneous data"},
		{"unknown field", "a2 01 01 18 63 63 6e6577", hello, ""},
		{"unknown text field", "a2 62 6964 61 61 63 6e6577 01", event, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := Unmarshal(mustHex(t, tt.in), tt.into())
			switch {
			case tt.want == "" && err != nil:
				t.Fatalf("err = %v, want nil", err)
			case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
				t.Fatalf("err = %v, want one containing %q", err, tt.want)
			}
		})
	}
}

// A duplicate key is reported as a *cbor.DupMapKeyError.
func TestUnmarshal_RejectsDuplicateKeys(t *testing.T) {
	var h Hello
	err := Unmarshal(mustHex(t, "a3 01 01 02 01 01 02"), &h)
	var dup *cbor.DupMapKeyError
	if !errors.As(err, &dup) {
		t.Fatalf("err = %v, want *cbor.DupMapKeyError", err)
	}
}

// Arrays longer than the decoder limit and nesting deeper than it are refused.
func TestUnmarshal_Limits(t *testing.T) {
	long := append(mustHex(t, "a1 02 9a"), 0, 0, 0x10, 0x01) // array of 4097
	long = append(long, bytes.Repeat([]byte{0xa0}, maxArrayElements+1)...)
	if err := Unmarshal(long, new(Push)); err == nil || !strings.Contains(err.Error(), "max number of elements") {
		t.Fatalf("array over the limit: err = %v", err)
	}
	deep := append(bytes.Repeat([]byte{0x81}, maxNestedLevels+1), 0x00)
	var v any
	if err := Unmarshal(deep, &v); err == nil || !strings.Contains(err.Error(), "max nested level") {
		t.Fatalf("nesting over the limit: err = %v", err)
	}
}
