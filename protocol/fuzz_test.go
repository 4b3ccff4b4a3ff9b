package protocol

import (
	"bytes"
	"reflect"
	"testing"
)

// mustFrame encodes one frame for a fuzz seed.
func mustFrame(f *testing.F, typ Type, msg any) []byte {
	f.Helper()
	var buf bytes.Buffer
	if err := WriteFrame(&buf, typ, msg); err != nil {
		f.Fatal(err)
	}
	return buf.Bytes()
}

// mustMarshal encodes a body for a fuzz seed.
func mustMarshal(f *testing.F, msg any) []byte {
	f.Helper()
	data, err := Marshal(msg)
	if err != nil {
		f.Fatal(err)
	}
	return data
}

// Arbitrary bytes never make ReadFrame and Decode panic. (How much
// ReadFrame allocates is checked by the frame tests: the heap counter is
// process-wide, and the fuzzing engine allocates beside the target.)
func FuzzReadFrame(f *testing.F) {
	var all []byte
	for typ, msg := range sampleMessages() {
		frame := mustFrame(f, typ, msg)
		f.Add(frame)
		all = append(all, frame...)
	}
	f.Add(all)
	f.Add(frameHeader(0))
	f.Add(frameHeader(MaxFrameSize))
	f.Add(frameHeader(MaxFrameSize + 1))
	f.Add(append(frameHeader(2), 99, 0xa0))
	f.Fuzz(func(t *testing.T, data []byte) {
		r := bytes.NewReader(data)
		for {
			typ, body, err := ReadFrame(r)
			if err != nil {
				return
			}
			if len(body) >= MaxFrameSize {
				t.Fatalf("body of %d bytes", len(body))
			}
			msg, err := Decode(typ, body)
			if err == nil && reflect.TypeOf(msg) != reflect.TypeOf(newMessage(typ)) {
				t.Fatalf("Decode(%s) returned %T", typ, msg)
			}
		}
	})
}

// A Push that decodes and validates re-encodes, and its encoding is stable.
func FuzzDecodePush(f *testing.F) {
	f.Add(mustMarshal(f, samplePush()))
	f.Add(mustMarshal(f, &Push{Seq: 1}))
	f.Add(mustHex(f, "a2 01 01 02 81 a2 62 6964 61 61 62 6964 61 62"))
	f.Fuzz(func(t *testing.T, body []byte) {
		var p Push
		if Unmarshal(body, &p) != nil {
			return
		}
		valid := p.Validate() == nil
		b1, err := Marshal(&p)
		if err != nil {
			if valid {
				t.Fatalf("valid push does not encode: %v", err)
			}
			return
		}
		checkStable(t, b1, new(Push))
	})
}

// A Changes that decodes re-encodes stably, and validating it never panics.
func FuzzDecodeChanges(f *testing.F) {
	f.Add(mustMarshal(f, sampleMessages()[TypeChanges]))
	f.Add(mustMarshal(f, &Changes{Cursor: 1}))
	f.Fuzz(func(t *testing.T, body []byte) {
		var c Changes
		if Unmarshal(body, &c) != nil {
			return
		}
		_ = c.Validate()
		b1, err := Marshal(&c)
		if err != nil {
			return // a time outside years 0-9999; events are validated before they reach the feed
		}
		checkStable(t, b1, new(Changes))
	})
}

// A Hello that decodes always re-encodes to an equal Hello, and validating and negotiating never panic.
func FuzzDecodeHello(f *testing.F) {
	f.Add(mustMarshal(f, sampleHello()))
	f.Add(mustMarshal(f, &Hello{}))
	f.Add(mustHex(f, "a2 01 01 18 63 63 6e6577"))
	f.Fuzz(func(t *testing.T, body []byte) {
		var h Hello
		if Unmarshal(body, &h) != nil {
			return
		}
		_ = h.Validate()
		_, _ = Negotiate(&h)
		b1, err := Marshal(&h)
		if err != nil {
			t.Fatalf("decoded hello does not encode: %v", err)
		}
		var again Hello
		if err := Unmarshal(b1, &again); err != nil || again != h {
			t.Fatalf("re-decoded %+v, %v; want %+v", again, err, h)
		}
	})
}

// checkStable decodes b1 into v, re-encodes it and requires the same bytes.
func checkStable(t *testing.T, b1 []byte, v any) {
	t.Helper()
	if err := Unmarshal(b1, v); err != nil {
		t.Fatalf("own encoding does not decode: %v\n%x", err, b1)
	}
	b2, err := Marshal(v)
	if err != nil {
		t.Fatalf("re-encoding failed: %v", err)
	}
	if !bytes.Equal(b1, b2) {
		t.Fatalf("encoding not stable:\n%x\n%x", b1, b2)
	}
}
