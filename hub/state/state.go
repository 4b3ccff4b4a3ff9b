package state

import (
	"fmt"
	"sync/atomic"

	"github.com/touchpoint/touchpoint/hub/state/kv"
	"github.com/touchpoint/touchpoint/protocol"
)

// State is the customer graph: the FSM's key space and the logic that
// applies commands to it. It is deterministic: everything it writes
// follows from the commands and what it had before.
type State struct {
	db     kv.DB
	region string

	feeds        feedWake        // feed sessions waiting for their dealer's next change
	entryDealers map[string]bool // dealers whose feed the entry being applied extended

	feedCache *profileCache // profiles by version, shared by feed readers
	events    *eventCache   // decoded events of recently changed customers, FSM only
	stash     feedStash     // profiles derived in the entry being applied, for the feed cache

	partHook func() // tests: called after each part of an apply commits

	// The entry being applied: its index, the command, and the feed
	// positions handed out in it so far (see replay.go).
	entryIndex, entrySeq uint64
	entryCmd             int

	// restores counts snapshots restored since the node started: a
	// follower too far behind installs one from the leader.
	restores atomic.Uint64
}

// New serves the state kept in db; region is the default country of
// phone numbers in reads.
func New(db kv.DB, region string) *State {
	return &State{db: db, region: region, feedCache: newProfileCache(), events: newEventCache(), entryDealers: map[string]bool{}}
}

// AppliedIndex returns the Raft index of the last applied entry.
func (s *State) AppliedIndex() uint64 {
	var idx uint64
	must(s.db.View(func(txn kv.Reader) error {
		v, _ := get(txn, keyApplied)
		idx = decodeUint(v)
		return nil
	}), "read applied index")
	return idx
}

// ApplyEntry applies one Raft log entry, at index, unless it was applied
// before, and returns a result per command.
func (s *State) ApplyEntry(index uint64, entry *Entry) []Result {
	w := newWriter(s.db)
	w.onPart = s.partHook
	w.observe = func(k, v []byte, deleted bool) {
		s.events.observe(k, v, deleted)
		s.stash.observe(k)
	}
	defer w.discard()
	applied, _ := get(w.txn, keyApplied)
	if index <= decodeUint(applied) {
		return make([]Result, len(entry.Commands))
	}
	done := false
	defer func() {
		if !done { // the writes not committed are gone; so is what the cache saw of them
			s.events.clear()
		}
	}()
	results := make([]Result, len(entry.Commands))
	s.stash = feedStash{}
	s.startEntry(w, index)
	replayed := s.entrySeq > 0 // part of it was applied before a crash
	s.entryDealers = map[string]bool{}
	for i, cmd := range entry.Commands {
		s.entryCmd = i
		results[i] = s.applyCommand(w, entry.Time, cmd)
	}
	s.endEntry(w)
	w.set(keyApplied, encodeUint(index))
	w.commit()
	done = true
	s.publishStash(index)
	s.stash = nil
	if replayed {
		s.feeds.wakeAll()
	} else {
		s.feeds.wake(s.entryDealers)
	}
	return results
}

func (s *State) applyCommand(w *writer, now int64, cmd Command) Result {
	apply, ok := commandTable[cmd.Type]
	if !ok {
		if cmd.Type&Ignorable == 0 {
			panic(fmt.Sprintf("state: unknown command type %d: upgrade this node", cmd.Type))
		}
		return Result{}
	}
	return apply(s, w, now, cmd)
}

// applyFunc applies one decoded command.
type applyFunc func(s *State, w *writer, now int64, cmd Command) Result

// commandTable dispatches each command type to its decoder and handler
// (Consul style). Only lookups: no map order reaches Apply.
var commandTable = map[CommandType]applyFunc{
	CmdIngest:           ingestHandler(false), // a result per event
	CmdIngestProvenance: ingestHandler(true),
	CmdPutDealer:        decoded(func(s *State, w *writer, _ int64, d *Dealer) error { s.applyPutDealer(w, d); return nil }),
	CmdAddToken: decoded(func(_ *State, w *writer, _ int64, t *Token) error {
		w.set(key(prefixToken, t.Hash), mustEncode(t))
		return nil
	}),
	CmdEnroll: decoded(func(s *State, w *writer, now int64, b *EnrollBody) error { return s.applyEnroll(w, now, b) }),
	CmdPutNode: decoded(func(_ *State, w *writer, _ int64, n *Node) error {
		w.set(key(prefixNode, n.ID), mustEncode(n))
		return nil
	}),
	CmdSubscribe: decoded(func(s *State, w *writer, _ int64, b *SubscribeBody) error { s.applySubscribe(w, b); return nil }),
	CmdConfirm: decoded(func(s *State, w *writer, now int64, b *CandidateBody) error {
		return s.applyDecision(w, now, b, true)
	}),
	CmdReject: decoded(func(s *State, w *writer, now int64, b *CandidateBody) error {
		return s.applyDecision(w, now, b, false)
	}),
	CmdSplit: decoded(func(s *State, w *writer, now int64, b *SplitBody) error {
		return s.applySplit(w, now, b.MergeID, false)
	}),
	CmdSplitAll: decoded(func(s *State, w *writer, now int64, b *SplitBody) error {
		return s.applySplit(w, now, b.MergeID, true)
	}),
	CmdInit:   decoded(func(s *State, w *writer, _ int64, b *ClusterSecrets) error { return s.applyInit(w, b) }),
	CmdRevoke: decoded(func(s *State, w *writer, now int64, b *RevokeBody) error { return s.applyRevoke(w, now, b.AgentID) }),
	CmdAddKey: decoded(func(_ *State, w *writer, _ int64, k *APIKey) error {
		w.set(key(prefixAPIKey, k.Hash), mustEncode(k))
		return nil
	}),
	CmdErase: decoded(func(s *State, w *writer, _ int64, b *EraseBody) error { return s.applyErase(w, b) }),
}

// ingestHandler applies an ingest, with or without provenance (entries
// from before CmdIngestProvenance count every identifier as verified).
func ingestHandler(provenance bool) applyFunc {
	return func(s *State, w *writer, now int64, cmd Command) Result {
		var body IngestBody
		decodeBody(cmd, &body)
		return Result{Events: s.applyIngest(w, now, &body, provenance)}
	}
}

// decoded wraps a handler of body type T: decode, apply, report the error.
func decoded[T any](apply func(s *State, w *writer, now int64, body *T) error) applyFunc {
	return func(s *State, w *writer, now int64, cmd Command) Result {
		var body T
		decodeBody(cmd, &body)
		if err := apply(s, w, now, &body); err != nil {
			return Result{Error: err.Error()}
		}
		return Result{}
	}
}

// decodeBody panics on a body that cannot be decoded: a replica that
// skipped it would diverge from the others.
func decodeBody(cmd Command, v any) {
	if err := protocol.Unmarshal(cmd.Body, v); err != nil {
		panic(fmt.Sprintf("state: decode command %d: %v", cmd.Type, err))
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
