package store

import (
	"fmt"
	"io"
	"log/slog"

	"github.com/hashicorp/raft"
	"github.com/touchpoint/touchpoint/hub/state"
	"github.com/touchpoint/touchpoint/protocol"
)

// fsm adapts state.State to raft.FSM and nothing else: Apply decodes an
// entry and hands it to the state; Snapshot and Restore stream the whole
// state.
type fsm struct {
	state *state.State
	log   *slog.Logger
}

// Apply applies one committed log entry and returns its []state.Result.
func (f *fsm) Apply(l *raft.Log) any {
	if l.Type != raft.LogCommand {
		return nil
	}
	var entry state.Entry
	if err := protocol.Unmarshal(l.Data, &entry); err != nil {
		panic(fmt.Sprintf("store: decode log entry %d: %v", l.Index, err))
	}
	return f.state.ApplyEntry(l.Index, &entry)
}

// Snapshot captures the state at the current applied index. The copy is
// written later by Persist from a view opened now, so writes go on while
// it streams.
func (f *fsm) Snapshot() (raft.FSMSnapshot, error) {
	return &fsmSnapshot{snap: f.state.Snapshot(), log: f.log}, nil
}

// Restore replaces the whole state with a snapshot's contents.
func (f *fsm) Restore(rc io.ReadCloser) error {
	defer rc.Close()
	if err := f.state.Restore(rc); err != nil {
		return fmt.Errorf("restore snapshot: %w", err)
	}
	f.log.Info("state replaced by a Raft snapshot", "restores_since_start", f.state.Restores())
	return nil
}

// fsmSnapshot is a state snapshot on its way to Raft's snapshot store.
type fsmSnapshot struct {
	snap *state.Snapshot
	log  *slog.Logger
}

// Persist streams every key of the snapshot to sink.
func (s *fsmSnapshot) Persist(sink raft.SnapshotSink) error {
	defer s.snap.Release()
	keys, err := s.snap.Stream(sink)
	if err != nil {
		_ = sink.Cancel()
		return fmt.Errorf("persist snapshot: %w", err)
	}
	s.log.Info("snapshot written", "keys", keys)
	return sink.Close()
}

// Release ends the snapshot's view.
func (s *fsmSnapshot) Release() { s.snap.Release() }
