package store

import (
	"fmt"
	"sync"

	"github.com/dgraph-io/badger/v4"
	"github.com/touchpoint/touchpoint/protocol"
)

// state is the FSM's Badger database and the logic that applies commands
// to it. It is deterministic: everything it writes follows from the
// commands and what it had before.
type state struct {
	db     *badger.DB
	region string

	mu      sync.Mutex
	changed chan struct{} // closed and replaced after every apply
}

func newState(db *badger.DB, region string) *state {
	return &state{db: db, region: region, changed: make(chan struct{})}
}

// appliedIndex returns the Raft index of the last applied entry.
func (s *state) appliedIndex() uint64 {
	var idx uint64
	must(s.db.View(func(txn *badger.Txn) error {
		v, _ := get(txn, keyApplied)
		idx = decodeUint(v)
		return nil
	}), "read applied index")
	return idx
}

// apply runs one log entry unless it was applied before.
func (s *state) apply(index uint64, entry *Entry) []Result {
	w := newWriter(s.db)
	defer w.discard()
	applied, _ := get(w.txn, keyApplied)
	if index <= decodeUint(applied) {
		return make([]Result, len(entry.Commands))
	}
	results := make([]Result, len(entry.Commands))
	for i, cmd := range entry.Commands {
		results[i] = s.applyCommand(w, entry.Time, cmd)
	}
	w.set(keyApplied, encodeUint(index))
	w.commit()
	s.notify()
	return results
}

// notify wakes everyone waiting for a change (feed streams).
func (s *state) notify() {
	s.mu.Lock()
	close(s.changed)
	s.changed = make(chan struct{})
	s.mu.Unlock()
}

// changes returns a channel closed at the next apply.
func (s *state) changes() <-chan struct{} {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.changed
}

func (s *state) applyCommand(w *writer, now int64, cmd Command) Result {
	var err error
	var res Result
	switch cmd.Type {
	case CmdIngest:
		var body IngestBody
		decodeBody(cmd, &body)
		res.Events = s.applyIngest(w, now, &body)
	case CmdPutDealer:
		var d Dealer
		decodeBody(cmd, &d)
		s.applyPutDealer(w, &d)
	case CmdAddToken:
		var t Token
		decodeBody(cmd, &t)
		w.set(key(prefixToken, t.Hash), mustEncode(&t))
	case CmdEnroll:
		var body EnrollBody
		decodeBody(cmd, &body)
		err = s.applyEnroll(w, now, &body)
	case CmdPutNode:
		var n Node
		decodeBody(cmd, &n)
		w.set(key(prefixNode, n.ID), mustEncode(&n))
	case CmdSubscribe:
		var body SubscribeBody
		decodeBody(cmd, &body)
		s.applySubscribe(w, &body)
	case CmdConfirm, CmdReject:
		var body CandidateBody
		decodeBody(cmd, &body)
		err = s.applyDecision(w, now, body.ID, cmd.Type == CmdConfirm)
	case CmdSplit:
		var body SplitBody
		decodeBody(cmd, &body)
		err = s.applySplit(w, now, body.MergeID)
	case CmdInit:
		var body ClusterSecrets
		decodeBody(cmd, &body)
		err = s.applyInit(w, &body)
	case CmdRevoke:
		var body RevokeBody
		decodeBody(cmd, &body)
		err = s.applyRevoke(w, now, body.AgentID)
	case CmdAddKey:
		var body APIKey
		decodeBody(cmd, &body)
		w.set(key(prefixAPIKey, body.Hash), mustEncode(&body))
	case CmdErase:
		var body EraseBody
		decodeBody(cmd, &body)
		err = s.applyErase(w, &body)
	default:
		if cmd.Type&Ignorable == 0 {
			panic(fmt.Sprintf("store: unknown command type %d: upgrade this node", cmd.Type))
		}
	}
	if err != nil {
		res.Error = err.Error()
	}
	return res
}

// decodeBody panics on a body that cannot be decoded: a replica that
// skipped it would diverge from the others.
func decodeBody(cmd Command, v any) {
	if err := protocol.Unmarshal(cmd.Body, v); err != nil {
		panic(fmt.Sprintf("store: decode command %d: %v", cmd.Type, err))
	}
}

func mustEncode(v any) []byte {
	b, err := protocol.Marshal(v)
	must(err, "encode")
	return b
}

func decodeValue(b []byte, v any) {
	must(protocol.Unmarshal(b, v), "decode value")
}
