package raftlog

import "errors"

// Errors returned by a Store, wrapped with what was being done.
var (
	// ErrCorrupt means a stored entry or stable value cannot be decoded.
	ErrCorrupt = errors.New("corrupt value")
	// ErrIndexZero means an entry had index 0; Raft's indexes start at 1.
	ErrIndexZero = errors.New("raft indexes start at 1")
	// ErrUnreadable means a node's Raft log cannot be read back: a
	// damaged disk. Its data is on the other nodes (see the operations
	// docs).
	ErrUnreadable = errors.New("this node's Raft log cannot be read")
	// ErrClosed means the Store has been closed.
	ErrClosed = errors.New("raft log is closed")
)
