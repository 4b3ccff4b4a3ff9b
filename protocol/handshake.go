package protocol

import (
	"fmt"
	"io"
)

// ClientHandshake sends hello on the control stream and waits for the
// hub's Welcome. Zero MinVersion and MaxVersion are filled with this
// build's range. If the hub refuses, the error is a *RemoteError; when no
// version is common the error matches ErrVersion, whether the hub said so
// or the Welcome names a version outside the agent's range.
func ClientHandshake(rw io.ReadWriter, hello Hello) (*Welcome, error) {
	if hello.MinVersion == 0 && hello.MaxVersion == 0 {
		hello.MinVersion, hello.MaxVersion = MinSupportedVersion, CurrentVersion
	}
	if err := WriteFrame(rw, TypeHello, &hello); err != nil {
		return nil, fmt.Errorf("handshake: %w", err)
	}
	w, err := Expect[Welcome](rw, TypeWelcome)
	if err != nil {
		return nil, fmt.Errorf("handshake: %w", err)
	}
	if w.Version < hello.MinVersion || w.Version > hello.MaxVersion {
		return nil, fmt.Errorf("handshake: %w", &VersionError{
			AgentMin: hello.MinVersion, AgentMax: hello.MaxVersion,
			HubMin: w.Version, HubMax: w.Version,
		})
	}
	return w, nil
}

// ReadHello reads the agent's Hello on the hub side and checks its field
// lengths. It does not negotiate; call Negotiate next.
func ReadHello(r io.Reader) (*Hello, error) {
	h, err := Expect[Hello](r, TypeHello)
	if err != nil {
		return nil, fmt.Errorf("handshake: %w", err)
	}
	if err := h.Validate(); err != nil {
		return nil, fmt.Errorf("handshake: %w", err)
	}
	return h, nil
}

// WriteError sends an Error message with one of the Code constants.
func WriteError(w io.Writer, code, msg string) error {
	return WriteFrame(w, TypeError, &Error{Code: code, Message: msg})
}
