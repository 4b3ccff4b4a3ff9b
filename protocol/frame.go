package protocol

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"reflect"
)

// MaxFrameSize is the largest frame length N: the type byte plus the CBOR
// body.
const MaxFrameSize = 4 << 20

// headerSize is the length prefix plus the type byte.
const headerSize = 4 + 1

// firstChunk is how much ReadFrame allocates before any body bytes arrive;
// the buffer doubles as data comes in, up to the announced length.
const firstChunk = 64 << 10

// WriteFrame encodes msg, a message struct or a pointer to one, and writes
// it as one frame of type t. The frame goes out in a single Write call; a
// stream must still have only one writer at a time.
func WriteFrame(w io.Writer, t Type, msg any) error {
	if err := checkMessage(t, msg); err != nil {
		return fmt.Errorf("write frame: %w", err)
	}
	return writeFrame(w, t, msg)
}

// writeFrame encodes msg and writes it as one frame of type t.
func writeFrame(w io.Writer, t Type, msg any) error {
	var buf bytes.Buffer
	buf.Write(make([]byte, headerSize))
	if err := marshalTo(&buf, msg); err != nil {
		return fmt.Errorf("write frame: encode %s: %w", t, err)
	}
	frame := buf.Bytes()
	n := len(frame) - 4
	if n > MaxFrameSize {
		return fmt.Errorf("write frame: %s of %d bytes: %w", t, n, ErrFrameTooLarge)
	}
	binary.BigEndian.PutUint32(frame, uint32(n))
	frame[4] = byte(t)
	if _, err := w.Write(frame); err != nil {
		return fmt.Errorf("write frame: %w", err)
	}
	return nil
}

// checkMessage reports whether msg is the message struct for type t.
func checkMessage(t Type, msg any) error {
	want := newMessage(t)
	if want == nil {
		return fmt.Errorf("%s: %w", t, ErrUnknownType)
	}
	v := reflect.ValueOf(msg)
	if v.Kind() == reflect.Pointer {
		if v.IsNil() {
			return fmt.Errorf("nil %T for %s: %w", msg, t, ErrUnexpectedType)
		}
		v = v.Elem()
	}
	if !v.IsValid() || v.Type() != reflect.TypeOf(want).Elem() {
		return fmt.Errorf("%T is not a %s message: %w", msg, t, ErrUnexpectedType)
	}
	return nil
}

// ReadFrame reads one frame and returns its type and CBOR body. It refuses
// a length above MaxFrameSize (ErrFrameTooLarge) or of zero (ErrEmptyFrame)
// before reading further. At a clean end of stream between frames it
// returns io.EOF itself, unwrapped, so callers may compare with ==; a
// frame cut short gives an error matching io.ErrUnexpectedEOF.
func ReadFrame(r io.Reader) (Type, []byte, error) {
	var hdr [4]byte
	if _, err := io.ReadFull(r, hdr[:]); err != nil {
		if err == io.EOF {
			return 0, nil, io.EOF // clean end between frames, unwrapped like io.Reader's
		}
		return 0, nil, fmt.Errorf("read frame: %w", err)
	}
	n := binary.BigEndian.Uint32(hdr[:])
	switch {
	case n == 0:
		return 0, nil, fmt.Errorf("read frame: %w", ErrEmptyFrame)
	case n > MaxFrameSize:
		return 0, nil, fmt.Errorf("read frame: %d bytes: %w", n, ErrFrameTooLarge)
	}
	frame, err := readBody(r, int(n))
	if err != nil {
		return 0, nil, fmt.Errorf("read frame: %w", err)
	}
	return Type(frame[0]), frame[1:], nil
}

// readBody reads exactly n bytes. It starts with at most firstChunk bytes
// and doubles the buffer as data arrives, so memory follows what the peer
// actually sent rather than what it announced.
func readBody(r io.Reader, n int) ([]byte, error) {
	buf := make([]byte, min(n, firstChunk))
	have := 0
	for {
		m, err := io.ReadFull(r, buf[have:])
		have += m
		if errors.Is(err, io.EOF) {
			return nil, io.ErrUnexpectedEOF
		}
		if err != nil {
			return nil, err
		}
		if have == n {
			return buf, nil
		}
		next := make([]byte, min(2*len(buf), n))
		copy(next, buf)
		buf = next
	}
}
