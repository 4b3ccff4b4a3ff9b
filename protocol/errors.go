package protocol

import "errors"

// Errors returned by this package; test for them with errors.Is.
var (
	// ErrFrameTooLarge means a frame's length exceeds MaxFrameSize.
	ErrFrameTooLarge = errors.New("frame too large")
	// ErrEmptyFrame means a frame's length is zero, so it has no type byte.
	ErrEmptyFrame = errors.New("empty frame")
	// ErrUnknownType means a frame's type byte names no known message.
	ErrUnknownType = errors.New("unknown message type")
	// ErrUnexpectedType means a frame holds a different message than the
	// one the caller expected, or a message does not match its type.
	ErrUnexpectedType = errors.New("unexpected message type")
	// ErrUnknownStream means a stream starts with an unknown kind.
	ErrUnknownStream = errors.New("unknown stream kind")
	// ErrVersion means the agent and the hub share no protocol version.
	// Both *VersionError and a *RemoteError with CodeVersion match it.
	ErrVersion = errors.New("no common protocol version")
	// ErrInvalid means a decoded message breaks a rule of its Validate
	// method.
	ErrInvalid = errors.New("invalid message")
)

// RemoteError is an Error message received from the peer.
type RemoteError struct {
	Code    string // one of the Code constants
	Message string
}

// Error formats the error as "hub: <code>: <message>".
func (e *RemoteError) Error() string { return "hub: " + e.Code + ": " + e.Message }

// Is reports whether a version error matches ErrVersion.
func (e *RemoteError) Is(target error) bool {
	return target == ErrVersion && e.Code == CodeVersion
}
