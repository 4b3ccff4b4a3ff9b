package protocol

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"net"
	"reflect"
	"runtime/metrics"
	"testing"
)

// frameHeader returns a length prefix for n bytes.
func frameHeader(n uint32) []byte { return binary.BigEndian.AppendUint32(nil, n) }

// heapAllocs returns the bytes allocated on the heap so far.
func heapAllocs() uint64 {
	s := []metrics.Sample{{Name: "/gc/heap/allocs:bytes"}}
	metrics.Read(s)
	return s[0].Value.Uint64()
}

// Every message type survives WriteFrame, ReadFrame and Decode over a real pipe unchanged.
func TestFrame_RoundTripsEveryType(t *testing.T) {
	msgs := sampleMessages()
	if len(msgs) != len(typeNames) {
		t.Fatalf("fixtures cover %d types, protocol has %d", len(msgs), len(typeNames))
	}
	for typ, msg := range msgs {
		t.Run(typ.String(), func(t *testing.T) {
			a, b := net.Pipe()
			defer a.Close()
			defer b.Close()
			errc := make(chan error, 1)
			go func() { errc <- WriteFrame(a, typ, msg) }()
			got, body, err := ReadFrame(b)
			if err != nil {
				t.Fatal(err)
			}
			if err := <-errc; err != nil {
				t.Fatal(err)
			}
			if got != typ {
				t.Fatalf("type = %s, want %s", got, typ)
			}
			decoded, err := Decode(got, body)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(decoded, msg) {
				t.Fatalf("decoded %#v\nwant    %#v", decoded, msg)
			}
		})
	}
}

// WriteFrame accepts a message by value as well as by pointer.
func TestWriteFrame_AcceptsValues(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteFrame(&buf, TypeFeedRequest, FeedRequest{Cursor: 5}); err != nil {
		t.Fatal(err)
	}
	got, err := Expect[FeedRequest](&buf, TypeFeedRequest)
	if err != nil || got.Cursor != 5 {
		t.Fatalf("got %+v, %v", got, err)
	}
}

// WriteFrame refuses a message that does not match its type, an unknown type and a nil pointer.
func TestWriteFrame_RefusesMismatchedMessages(t *testing.T) {
	tests := []struct {
		name string
		typ  Type
		msg  any
		want error
	}{
		{"wrong struct", TypePush, &Hello{}, ErrUnexpectedType},
		{"not a struct", TypePush, 42, ErrUnexpectedType},
		{"nil interface", TypePush, nil, ErrUnexpectedType},
		{"nil pointer", TypePush, (*Push)(nil), ErrUnexpectedType},
		{"unknown type", Type(200), &Hello{}, ErrUnknownType},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			err := WriteFrame(&buf, tt.typ, tt.msg)
			if !errors.Is(err, tt.want) {
				t.Fatalf("err = %v, want %v", err, tt.want)
			}
			if buf.Len() != 0 {
				t.Fatalf("wrote %d bytes", buf.Len())
			}
		})
	}
}

// WriteFrame refuses to send a frame longer than MaxFrameSize.
func TestWriteFrame_RefusesOversize(t *testing.T) {
	big := make([]byte, MaxFrameSize)
	var buf bytes.Buffer
	err := WriteFrame(&buf, TypeError, &Error{Code: CodeInternal, Message: string(big)})
	if !errors.Is(err, ErrFrameTooLarge) || buf.Len() != 0 {
		t.Fatalf("err = %v, wrote %d bytes", err, buf.Len())
	}
}

// WriteFrame hands the whole frame to a single Write call.
func TestWriteFrame_WritesOnce(t *testing.T) {
	w := &countingWriter{}
	if err := WriteFrame(w, TypePush, samplePush()); err != nil {
		t.Fatal(err)
	}
	if w.calls != 1 {
		t.Fatalf("Write called %d times, want 1", w.calls)
	}
}

type countingWriter struct{ calls int }

func (w *countingWriter) Write(p []byte) (int, error) { w.calls++; return len(p), nil }

// ReadFrame rejects a length above MaxFrameSize without reading or allocating the body.
func TestReadFrame_RefusesOversizeBeforeAllocating(t *testing.T) {
	for _, n := range []uint32{MaxFrameSize + 1, 1 << 31, 1<<32 - 1} {
		in := frameHeader(n)
		before := heapAllocs()
		_, _, err := ReadFrame(bytes.NewReader(in))
		allocated := heapAllocs() - before
		if !errors.Is(err, ErrFrameTooLarge) {
			t.Fatalf("n=%d: err = %v, want ErrFrameTooLarge", n, err)
		}
		if allocated > 64<<10 {
			t.Fatalf("n=%d: allocated %d bytes", n, allocated)
		}
	}
}

// A frame that announces MaxFrameSize and then stalls costs only the first chunk of memory.
func TestReadFrame_GrowsWithData(t *testing.T) {
	in := append(frameHeader(MaxFrameSize), byte(TypePush), 0xa0)
	before := heapAllocs()
	_, _, err := ReadFrame(bytes.NewReader(in))
	allocated := heapAllocs() - before
	if !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Fatalf("err = %v, want io.ErrUnexpectedEOF", err)
	}
	if allocated > 2*firstChunk {
		t.Fatalf("allocated %d bytes for a 2-byte body", allocated)
	}
}

// A frame of exactly MaxFrameSize is accepted.
func TestReadFrame_AcceptsMaxSize(t *testing.T) {
	in := append(frameHeader(MaxFrameSize), make([]byte, MaxFrameSize)...)
	in[4] = byte(TypePush)
	typ, body, err := ReadFrame(bytes.NewReader(in))
	if err != nil || typ != TypePush || len(body) != MaxFrameSize-1 {
		t.Fatalf("type %s, %d bytes, err %v", typ, len(body), err)
	}
}

// ReadFrame rejects a zero length, which has no room for a type byte.
func TestReadFrame_RejectsEmptyFrame(t *testing.T) {
	_, _, err := ReadFrame(bytes.NewReader(frameHeader(0)))
	if !errors.Is(err, ErrEmptyFrame) {
		t.Fatalf("err = %v, want ErrEmptyFrame", err)
	}
}

// A stream ending between frames gives io.EOF itself; ending inside one gives io.ErrUnexpectedEOF.
func TestReadFrame_Truncated(t *testing.T) {
	var full bytes.Buffer
	if err := WriteFrame(&full, TypeHello, sampleHello()); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		in   []byte
		want error
	}{
		{"nothing", nil, io.EOF},
		{"half a header", full.Bytes()[:2], io.ErrUnexpectedEOF},
		{"header only", full.Bytes()[:4], io.ErrUnexpectedEOF},
		{"half a body", full.Bytes()[:full.Len()-3], io.ErrUnexpectedEOF},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := ReadFrame(bytes.NewReader(tt.in))
			if !errors.Is(err, tt.want) {
				t.Fatalf("err = %v, want %v", err, tt.want)
			}
			if tt.want == io.EOF && err != io.EOF {
				t.Fatalf("err = %#v, want io.EOF unwrapped", err)
			}
			if tt.want == io.ErrUnexpectedEOF && errors.Is(err, io.EOF) {
				t.Fatalf("err = %v also matches io.EOF", err)
			}
		})
	}
}

// Decode and Expect reject a type byte that names no message.
func TestDecode_UnknownType(t *testing.T) {
	if _, err := Decode(Type(99), []byte{0xa0}); !errors.Is(err, ErrUnknownType) {
		t.Fatalf("Decode: err = %v, want ErrUnknownType", err)
	}
	in := append(frameHeader(2), 99, 0xa0)
	if _, err := Expect[Hello](bytes.NewReader(in), TypeHello); !errors.Is(err, ErrUnexpectedType) {
		t.Fatalf("Expect: err = %v, want ErrUnexpectedType", err)
	}
}

// Expect turns an Error frame into a *RemoteError and another type into ErrUnexpectedType.
func TestExpect(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteError(&buf, CodeUnauthorized, "unknown agent"); err != nil {
		t.Fatal(err)
	}
	_, err := Expect[Welcome](&buf, TypeWelcome)
	var remote *RemoteError
	if !errors.As(err, &remote) || remote.Code != CodeUnauthorized {
		t.Fatalf("err = %v, want *RemoteError", err)
	}
	if got, want := err.Error(), "hub: unauthorized: unknown agent"; got != want {
		t.Fatalf("Error() = %q, want %q", got, want)
	}

	buf.Reset()
	if err := WriteFrame(&buf, TypePush, samplePush()); err != nil {
		t.Fatal(err)
	}
	_, err = Expect[Welcome](&buf, TypeWelcome)
	if !errors.Is(err, ErrUnexpectedType) || err.Error() != "expect welcome: got push: unexpected message type" {
		t.Fatalf("err = %v", err)
	}
}

// Expect passes a clean end of stream through as io.EOF itself, so loops can stop on it.
func TestExpect_EOF(t *testing.T) {
	if _, err := Expect[Push](bytes.NewReader(nil), TypePush); err != io.EOF {
		t.Fatalf("err = %#v, want io.EOF", err)
	}
}

// Expect refuses a struct that does not belong to the wanted type, before reading.
func TestExpect_MismatchedStruct(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteFrame(&buf, TypeHello, sampleHello()); err != nil {
		t.Fatal(err)
	}
	n := buf.Len()
	if _, err := Expect[Push](&buf, TypeHello); !errors.Is(err, ErrUnexpectedType) {
		t.Fatalf("err = %v, want ErrUnexpectedType", err)
	}
	if buf.Len() != n {
		t.Fatal("Expect consumed the frame")
	}
}

// Type names are lowercase, and unknown types show their number.
func TestType_String(t *testing.T) {
	for typ, want := range map[Type]string{TypeFeedRequest: "feed_request", TypeError: "error", Type(0): "type(0)", Type(200): "type(200)"} {
		if got := typ.String(); got != want {
			t.Errorf("Type(%d).String() = %q, want %q", typ, got, want)
		}
	}
}
