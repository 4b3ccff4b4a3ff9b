package protocol

import "github.com/touchpoint/touchpoint/customer"

// Type identifies a message on the wire. Numbers are only ever added.
type Type uint8

// Message types.
const (
	TypeHello         Type = 1  // agent → hub: first frame on a connection's control stream
	TypeWelcome       Type = 2  // hub → agent: negotiated version and hub addresses
	TypeEnroll        Type = 3  // agent → hub: exchange an enrolment token for credentials
	TypeEnrolled      Type = 4  // hub → agent: the agent's credentials
	TypePush          Type = 5  // agent → hub: a batch of events from the outbox
	TypeAck           Type = 6  // hub → agent: per-event results, sent after Raft commit
	TypeFeedRequest   Type = 7  // agent → hub: start the change feed after a cursor
	TypeChanges       Type = 8  // hub → agent: a batch of changed profiles
	TypeLookup        Type = 9  // agent → hub: read-through search
	TypeLookupReply   Type = 10 // hub → agent: search results
	TypeError         Type = 11 // either way: the request failed
	TypeStatus        Type = 12 // agent → hub: health report (outbox, cursor)
	TypeRenew         Type = 13 // agent → hub: a new certificate request before expiry
	TypeRenewed       Type = 14 // hub → agent: the renewed certificate
	TypeCandidates    Type = 15 // agent → hub: open match candidates in scope
	TypeCandidateList Type = 16 // hub → agent: the candidates, both profiles each
	TypeDecide        Type = 17 // agent → hub: confirm or reject a candidate
	TypeDecided       Type = 18 // hub → agent: the decision, after Raft commit
)

// Stream kinds: the first bytes on every stream say what the stream is
// for (see WriteStreamKind), so a catch-up never blocks a lookup.
const (
	StreamControl = "control"
	StreamPush    = "push"
	StreamFeed    = "feed"
	StreamLookup  = "lookup"
	StreamReview  = "review" // match-candidate review
)

// Hello opens a connection: the versions the agent speaks and its
// credentials (empty when the agent is enrolling).
type Hello struct {
	MinVersion uint16 `cbor:"1,keyasint"`
	MaxVersion uint16 `cbor:"2,keyasint"`
	AgentID    string `cbor:"3,keyasint,omitempty"`
	Secret     string `cbor:"4,keyasint,omitempty"`
	Software   string `cbor:"5,keyasint,omitempty"`
}

// Welcome accepts a Hello.
type Welcome struct {
	Version  uint16   `cbor:"1,keyasint"`
	NodeID   string   `cbor:"2,keyasint"`
	DealerID string   `cbor:"3,keyasint,omitempty"`
	Hubs     []string `cbor:"4,keyasint,omitempty"` // every hub node's agent address
}

// Enroll asks for credentials with a token from `touchpoint-hub token create`.
// The agent generates its key and sends a certificate request (DER); the
// hub answers with a certificate from the cluster CA.
type Enroll struct {
	Token    string `cbor:"1,keyasint"`
	Hostname string `cbor:"2,keyasint,omitempty"`
	CSR      []byte `cbor:"3,keyasint,omitempty"`
}

// Enrolled carries the credentials an agent keeps in its data directory.
type Enrolled struct {
	AgentID     string   `cbor:"1,keyasint"`
	DealerID    string   `cbor:"2,keyasint"`
	Secret      string   `cbor:"3,keyasint,omitempty"` // unused since certificates; kept for the wire
	Country     string   `cbor:"4,keyasint,omitempty"`
	Hubs        []string `cbor:"5,keyasint,omitempty"`
	Certificate []byte   `cbor:"6,keyasint,omitempty"` // the agent's, DER
	CACert      []byte   `cbor:"7,keyasint,omitempty"` // the cluster CA's, DER
}

// Push carries outbox entries. Seq echoes back in the Ack.
type Push struct {
	Seq    uint64           `cbor:"1,keyasint"`
	Events []customer.Event `cbor:"2,keyasint"`
}

// Result statuses for one pushed event: customer's, under the names the
// hub and the agent use with Ack.
const (
	StatusCreated   = customer.StatusCreated
	StatusDuplicate = customer.StatusDuplicate
	StatusRejected  = customer.StatusRejected
)

// Result is the hub's answer for one event: a customer.EventResult,
// which customer/csvimport shares without importing protocol.
type Result = customer.EventResult

// Ack answers a Push once every event in it is committed (or rejected).
type Ack struct {
	Seq     uint64                 `cbor:"1,keyasint"`
	Results []customer.EventResult `cbor:"2,keyasint"`
}

// FeedRequest starts the dealer's change feed after Cursor.
type FeedRequest struct {
	Cursor uint64 `cbor:"1,keyasint"`
}

// Change is the current state of one profile in the dealer's scope.
// Profile is nil when the customer no longer exists at the hub: merged
// into MergedInto, or erased.
type Change struct {
	CustomerID string            `cbor:"1,keyasint"`
	Profile    *customer.Profile `cbor:"2,keyasint,omitempty"`
	MergedInto string            `cbor:"3,keyasint,omitempty"`
}

// Changes is one batch of the feed. Applying it and storing Cursor in one
// transaction keeps the agent exactly once. Resync tells the agent its
// cursor fell behind retention: drop the scope and take this batch and the
// ones after it as the whole scope.
type Changes struct {
	Cursor  uint64   `cbor:"1,keyasint"`
	Changes []Change `cbor:"2,keyasint"`
	Resync  bool     `cbor:"3,keyasint,omitempty"`
	Behind  uint64   `cbor:"4,keyasint,omitempty"` // feed entries still to send
}

// Lookup is a read-through search at the hub; one field is set.
type Lookup struct {
	Email      string `cbor:"1,keyasint,omitempty"`
	Phone      string `cbor:"2,keyasint,omitempty"`
	Name       string `cbor:"3,keyasint,omitempty"`
	CustomerID string `cbor:"4,keyasint,omitempty"`
}

// LookupReply carries the matching profiles with their timelines.
type LookupReply struct {
	Profiles []customer.Profile `cbor:"1,keyasint"`
}

// Renew asks, on the control stream, for a new certificate for a new key.
type Renew struct {
	CSR []byte `cbor:"1,keyasint"`
}

// Renewed carries the new certificate (DER).
type Renewed struct {
	Certificate []byte `cbor:"1,keyasint"`
}

// Status is the agent's periodic health report.
type Status struct {
	OutboxLen    uint64 `cbor:"1,keyasint"`
	OldestUnsent int64  `cbor:"2,keyasint,omitempty"` // unix seconds
	Cursor       uint64 `cbor:"3,keyasint"`
	Software     string `cbor:"4,keyasint,omitempty"`
}

// Error codes.
const (
	CodeBadRequest   = "bad_request"
	CodeUnauthorized = "unauthorized"
	CodeVersion      = "version"
	CodeUnavailable  = "unavailable"
	CodeInternal     = "internal"
)

// Error reports a failed request; the connection stays usable unless the
// code is CodeVersion or CodeUnauthorized.
type Error struct {
	Code    string `cbor:"1,keyasint"`
	Message string `cbor:"2,keyasint"`
}
