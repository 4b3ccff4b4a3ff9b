package protocol

import (
	"fmt"
	"io"
)

// maxKindLen is the length of the longest stream kind.
const maxKindLen = max(len(StreamControl), len(StreamPush), len(StreamFeed), len(StreamLookup), len(StreamReview))

// knownStream reports whether kind is one of the Stream constants.
func knownStream(kind string) bool {
	switch kind {
	case StreamControl, StreamPush, StreamFeed, StreamLookup, StreamReview:
		return true
	}
	return false
}

// WriteStreamKind starts a stream by naming its kind: one length byte and
// the ASCII name. It refuses kinds other than the Stream constants.
func WriteStreamKind(w io.Writer, kind string) error {
	if !knownStream(kind) {
		return fmt.Errorf("write stream kind %q: %w", kind, ErrUnknownStream)
	}
	buf := make([]byte, 0, 1+len(kind))
	buf = append(buf, byte(len(kind)))
	buf = append(buf, kind...)
	if _, err := w.Write(buf); err != nil {
		return fmt.Errorf("write stream kind: %w", err)
	}
	return nil
}

// ReadStreamKind reads the kind a stream starts with. Anything but one of
// the Stream constants gives an error matching ErrUnknownStream; a length
// longer than any kind is refused before its bytes are read.
func ReadStreamKind(r io.Reader) (string, error) {
	var buf [1 + maxKindLen]byte
	if _, err := io.ReadFull(r, buf[:1]); err != nil {
		return "", fmt.Errorf("read stream kind: %w", err)
	}
	n := int(buf[0])
	if n == 0 || n > maxKindLen {
		return "", fmt.Errorf("read stream kind: length %d: %w", n, ErrUnknownStream)
	}
	if _, err := io.ReadFull(r, buf[1:1+n]); err != nil {
		if err == io.EOF {
			err = io.ErrUnexpectedEOF
		}
		return "", fmt.Errorf("read stream kind: %w", err)
	}
	kind := string(buf[1 : 1+n])
	if !knownStream(kind) {
		return "", fmt.Errorf("read stream kind %q: %w", kind, ErrUnknownStream)
	}
	return kind, nil
}
