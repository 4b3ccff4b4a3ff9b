package protocol

import (
	"fmt"
	"io"
)

// Decode decodes the body of a frame of type t and returns a pointer to
// the message struct, such as *Push for TypePush. An unknown type gives an
// error matching ErrUnknownType.
func Decode(t Type, body []byte) (any, error) {
	msg := newMessage(t)
	if msg == nil {
		return nil, fmt.Errorf("decode %s: %w", t, ErrUnknownType)
	}
	if err := Unmarshal(body, msg); err != nil {
		return nil, fmt.Errorf("decode %s: %w", t, err)
	}
	return msg, nil
}

// Expect reads one frame and decodes it as a message of type want, whose
// struct must be T. If the peer sent an Error instead, Expect returns it as
// a *RemoteError; any other type gives an error matching
// ErrUnexpectedType. At a clean end of stream it returns io.EOF itself.
func Expect[T any](r io.Reader, want Type) (*T, error) {
	if _, ok := newMessage(want).(*T); !ok {
		return nil, fmt.Errorf("expect %s into %T: %w", want, (*T)(nil), ErrUnexpectedType)
	}
	t, body, err := ReadFrame(r)
	if err != nil {
		return nil, err
	}
	if t == TypeError && want != TypeError {
		return nil, remoteError(body)
	}
	if t != want {
		return nil, fmt.Errorf("expect %s: got %s: %w", want, t, ErrUnexpectedType)
	}
	msg := new(T)
	if err := Unmarshal(body, msg); err != nil {
		return nil, fmt.Errorf("decode %s: %w", t, err)
	}
	return msg, nil
}

// remoteError decodes an Error body into a *RemoteError.
func remoteError(body []byte) error {
	var e Error
	if err := Unmarshal(body, &e); err != nil {
		return fmt.Errorf("decode %s: %w", TypeError, err)
	}
	return &RemoteError{Code: e.Code, Message: e.Message}
}
