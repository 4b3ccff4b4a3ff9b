package store

import (
	"fmt"
	"io"
	"log/slog"

	"github.com/hashicorp/raft"
	"github.com/touchpoint/touchpoint/protocol"
)

// fsm adapts state to raft.FSM and nothing else: Apply decodes an entry
// and hands it to state; Snapshot and Restore stream the Badger database.
type fsm struct {
	state *state
	log   *slog.Logger
}

// Apply applies one committed log entry and returns its []Result.
func (f *fsm) Apply(l *raft.Log) any {
	if l.Type != raft.LogCommand {
		return nil
	}
	var entry Entry
	if err := protocol.Unmarshal(l.Data, &entry); err != nil {
		panic(fmt.Sprintf("store: decode log entry %d: %v", l.Index, err))
	}
	return f.state.apply(l.Index, &entry)
}

// Snapshot captures the state at the current applied index. The copy is
// written later by Persist from a read transaction opened now, so writes
// go on while it streams.
func (f *fsm) Snapshot() (raft.FSMSnapshot, error) {
	return &fsmSnapshot{txn: f.state.db.NewTransaction(false), log: f.log}, nil
}

// Restore replaces the whole state with a snapshot's contents.
func (f *fsm) Restore(rc io.ReadCloser) error {
	defer rc.Close()
	f.state.events.clear()
	if err := restoreSnapshot(f.state.db, rc); err != nil {
		return fmt.Errorf("restore snapshot: %w", err)
	}
	f.state.restores.Add(1)
	f.log.Info("state replaced by a Raft snapshot", "restores_since_start", f.state.restores.Load())
	f.state.feeds.wakeAll()
	return nil
}
