package protocol

import (
	"bytes"
	"errors"
	"io"
	"net"
	"testing"
)

// Each stream kind survives WriteStreamKind and ReadStreamKind, followed by a frame.
func TestStreamKind_RoundTrip(t *testing.T) {
	for _, kind := range []string{StreamControl, StreamPush, StreamFeed, StreamLookup, StreamReview} {
		a, b := net.Pipe()
		go func() {
			if WriteStreamKind(a, kind) == nil {
				_ = WriteFrame(a, TypeFeedRequest, &FeedRequest{Cursor: 1})
			}
		}()
		got, err := ReadStreamKind(b)
		if err != nil || got != kind {
			t.Fatalf("got %q, %v; want %q", got, err, kind)
		}
		if _, err := Expect[FeedRequest](b, TypeFeedRequest); err != nil {
			t.Fatalf("%s: frame after the kind: %v", kind, err)
		}
		a.Close()
		b.Close()
	}
}

// Only the four stream kinds are accepted, on either side.
func TestStreamKind_RejectsUnknown(t *testing.T) {
	if err := WriteStreamKind(io.Discard, "bulk"); !errors.Is(err, ErrUnknownStream) {
		t.Fatalf("write: err = %v", err)
	}
	tests := []struct {
		name string
		in   []byte
		want error
	}{
		{"unknown kind", append([]byte{4}, "bulk"...), ErrUnknownStream},
		{"zero length", []byte{0}, ErrUnknownStream},
		{"too long", append([]byte{255}, bytes.Repeat([]byte("x"), 255)...), ErrUnknownStream},
		{"prefix of a kind", append([]byte{4}, "cont"...), ErrUnknownStream},
		{"empty stream", nil, io.EOF},
		{"cut short", append([]byte{7}, "cont"...), io.ErrUnexpectedEOF},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := ReadStreamKind(bytes.NewReader(tt.in)); !errors.Is(err, tt.want) {
				t.Fatalf("err = %v, want %v", err, tt.want)
			}
		})
	}
}
