package store

import (
	"bytes"
	"fmt"
	"io"

	"github.com/hashicorp/raft"
	"github.com/touchpoint/touchpoint/hub/state"
)

// WriteSnapshot streams a consistent copy of the whole state, as of the
// latest commit, in the snapshot format (gzip, SHA-256 trailer). Leader
// only: the barrier makes sure everything committed is applied first.
func (s *Store) WriteSnapshot(w io.Writer) error {
	if err := s.raft.Barrier(raftApplyTimeout).Error(); err != nil {
		return fmt.Errorf("wait for applied state: %w", err)
	}
	snap := s.State.Snapshot()
	defer snap.Release()
	keys, err := snap.Stream(w)
	if err != nil {
		return fmt.Errorf("write snapshot: %w", err)
	}
	s.log.Info("snapshot saved", "keys", keys)
	return nil
}

// RestoreSnapshot replaces the whole cluster's state with a snapshot,
// after verifying it. Leader only; meant for disaster recovery into a
// fresh cluster: Raft installs it on the leader and sends it to every
// follower.
func (s *Store) RestoreSnapshot(r io.Reader) error {
	data, err := io.ReadAll(r)
	if err != nil {
		return fmt.Errorf("read snapshot: %w", err)
	}
	index, err := state.VerifySnapshot(bytes.NewReader(data))
	if err != nil {
		return err
	}
	meta := &raft.SnapshotMeta{Version: raft.SnapshotVersionMax, Index: index, Size: int64(len(data))}
	if err := s.raft.Restore(meta, bytes.NewReader(data), 5*raftApplyTimeout); err != nil {
		return fmt.Errorf("restore snapshot: %w", err)
	}
	return nil
}
