package state

import (
	"fmt"

	"github.com/fxamacker/cbor/v2"
	"github.com/touchpoint/touchpoint/customer"
	"github.com/touchpoint/touchpoint/protocol"
)

// CommandType identifies an FSM command. Numbers are only ever added; a
// type with the Ignorable bit set may be skipped by an older node during
// a rolling upgrade, any other unknown type stops the node.
type CommandType uint8

// Ignorable marks a command an older node may skip.
const Ignorable CommandType = 0x80

// Command types.
const (
	CmdIngest    CommandType = 1  // IngestBody: events from any channel
	CmdPutDealer CommandType = 2  // Dealer
	CmdAddToken  CommandType = 3  // Token
	CmdEnroll    CommandType = 4  // EnrollBody: consume a token, register an agent
	CmdPutNode   CommandType = 5  // Node
	CmdSubscribe CommandType = 6  // SubscribeBody: a dealer looked customers up
	CmdConfirm   CommandType = 7  // CandidateBody: merge a match candidate's pair
	CmdReject    CommandType = 8  // CandidateBody: keep a candidate's pair apart
	CmdSplit     CommandType = 9  // SplitBody: undo a merge
	CmdInit      CommandType = 10 // ClusterSecrets: the CA and internal token, set once
	CmdRevoke    CommandType = 11 // RevokeBody: an agent may no longer connect
	CmdAddKey    CommandType = 12 // APIKey: an operator token or channel key, by hash
	CmdErase     CommandType = 13 // EraseBody: remove a person everywhere
	// CmdIngestProvenance is CmdIngest whose events say whether their
	// source verifies their identifiers (IngestEvent.Verified); claims
	// never merge people who each hold a verified identifier. A node that
	// does not know it stops instead of applying it the old way.
	CmdIngestProvenance CommandType = 14
	// CmdSplitAll is CmdSplit that also gives back the events that arrived
	// after the merge and only the merged person's identifiers explain.
	CmdSplitAll CommandType = 15
)

// Command is one state change: a type byte and its CBOR body.
type Command struct {
	_    struct{} `cbor:",toarray"`
	Type CommandType
	Body cbor.RawMessage
}

// Entry is the payload of one Raft log entry: a batch of commands and the
// leader's clock when it proposed them.
type Entry struct {
	Time     int64     `cbor:"1,keyasint"` // unix nanoseconds, stamped by the leader
	Commands []Command `cbor:"2,keyasint"`
}

// Result is the outcome of one command.
type Result struct {
	Events []protocol.Result `cbor:"1,keyasint,omitempty"`
	Error  string            `cbor:"2,keyasint,omitempty"`
}

// NewCommand encodes body as a command of type t.
func NewCommand(t CommandType, body any) (Command, error) {
	raw, err := protocol.Marshal(body)
	if err != nil {
		return Command{}, fmt.Errorf("encode command %d: %w", t, err)
	}
	return Command{Type: t, Body: raw}, nil
}

// IngestEvent is an event with the identifiers the leader derived from it,
// so Apply never depends on normalisation rules or their library version.
type IngestEvent struct {
	Event       customer.Event `cbor:"1,keyasint"`
	Identifiers []string       `cbor:"2,keyasint,omitempty"`
	// Verified says the event's source verifies its identifiers
	// (customer.Verifies); else they are claims. Read only in
	// CmdIngestProvenance.
	Verified bool `cbor:"3,keyasint,omitempty"`
}

// IngestBody carries a batch of validated events and the merge limit in
// force when the leader proposed it.
type IngestBody struct {
	Events     []IngestEvent `cbor:"1,keyasint"`
	MaxPerKind int           `cbor:"2,keyasint,omitempty"` // identifiers of one kind per profile; 0: DefaultMaxPerKind
	// SharedLimit is how many people may share an e-mail or phone before
	// it joins and links nobody; 0: DefaultSharedLimit. Read only in
	// CmdIngestProvenance.
	SharedLimit int `cbor:"3,keyasint,omitempty"`
}

// Dealer is a dealership and the market it serves.
type Dealer struct {
	ID      string   `cbor:"1,keyasint" json:"id"`
	Name    string   `cbor:"2,keyasint" json:"name"`
	Country string   `cbor:"3,keyasint" json:"country"`
	Market  []string `cbor:"4,keyasint" json:"market"` // postcode prefixes
}

// Token is a one-time enrolment token, stored by its hash.
type Token struct {
	Hash      string `cbor:"1,keyasint"`
	Dealer    string `cbor:"2,keyasint"`
	ExpiresAt int64  `cbor:"3,keyasint"` // unix seconds
}

// EnrollBody consumes a token and registers an agent.
type EnrollBody struct {
	TokenHash  string `cbor:"1,keyasint"`
	AgentID    string `cbor:"2,keyasint"`
	SecretHash string `cbor:"3,keyasint"`
	Hostname   string `cbor:"4,keyasint"`
}

// Agent is an enrolled dealer agent.
type Agent struct {
	ID         string `cbor:"1,keyasint" json:"id"`
	Dealer     string `cbor:"2,keyasint" json:"dealer"`
	SecretHash string `cbor:"3,keyasint" json:"-"`
	Hostname   string `cbor:"4,keyasint" json:"hostname"`
	EnrolledAt int64  `cbor:"5,keyasint" json:"enrolled_at"`
	RevokedAt  int64  `cbor:"6,keyasint,omitempty" json:"revoked_at,omitempty"`
}

// Node is a hub node's addresses.
type Node struct {
	ID        string `cbor:"1,keyasint" json:"id"`
	RaftAddr  string `cbor:"2,keyasint" json:"raft_addr"`
	HTTPAddr  string `cbor:"3,keyasint" json:"http_addr"`
	AgentAddr string `cbor:"4,keyasint" json:"agent_addr"`
	// Level is the newest set of command types the node applies (0: a
	// node from before levels, which applies CmdIngest and older).
	Level int `cbor:"5,keyasint,omitempty" json:"command_level"`
}

// SubscribeBody adds customers to a dealer's scope.
type SubscribeBody struct {
	Dealer    string   `cbor:"1,keyasint"`
	Customers []string `cbor:"2,keyasint"`
}
