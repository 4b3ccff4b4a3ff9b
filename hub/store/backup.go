package store

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"

	"github.com/hashicorp/raft"
)

// IsBadSnapshot reports whether err means the snapshot itself is damaged.
func IsBadSnapshot(err error) bool { return errors.Is(err, ErrBadSnapshot) }

// WriteSnapshot streams a consistent copy of the whole state, as of the
// latest commit, in the snapshot format (gzip, SHA-256 trailer). Leader
// only: the barrier makes sure everything committed is applied first.
func (s *Store) WriteSnapshot(w io.Writer) error {
	if err := s.raft.Barrier(raftApplyTimeout).Error(); err != nil {
		return fmt.Errorf("wait for applied state: %w", err)
	}
	txn := s.db.NewTransaction(false)
	defer txn.Discard()
	keys, err := writeSnapshot(txn, w)
	if err != nil {
		return fmt.Errorf("write snapshot: %w", err)
	}
	s.log.Info("snapshot saved", "keys", keys)
	return nil
}

// VerifySnapshot checks a snapshot's checksum and records without loading
// it, and returns the Raft index its state was taken at.
func VerifySnapshot(r io.Reader) (uint64, error) {
	zr, err := gzip.NewReader(r)
	if err != nil {
		return 0, fmt.Errorf("%w: %v", ErrBadSnapshot, err)
	}
	data, err := io.ReadAll(zr)
	if err != nil {
		return 0, fmt.Errorf("%w: %v", ErrBadSnapshot, err)
	}
	if len(data) < len(snapshotMagic)+sha256.Size || !bytes.HasPrefix(data, snapshotMagic) {
		return 0, ErrBadSnapshot
	}
	body, want := data[:len(data)-sha256.Size], data[len(data)-sha256.Size:]
	if got := sha256.Sum256(body); !bytes.Equal(got[:], want) {
		return 0, fmt.Errorf("%w: checksum mismatch", ErrBadSnapshot)
	}
	var applied uint64
	err = eachRecord(body[len(snapshotMagic):], func(k, v []byte) error {
		if bytes.Equal(k, keyApplied) {
			applied = decodeUint(v)
		}
		return nil
	})
	return applied, err
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
	index, err := VerifySnapshot(bytes.NewReader(data))
	if err != nil {
		return err
	}
	meta := &raft.SnapshotMeta{Version: raft.SnapshotVersionMax, Index: index, Size: int64(len(data))}
	if err := s.raft.Restore(meta, bytes.NewReader(data), 5*raftApplyTimeout); err != nil {
		return fmt.Errorf("restore snapshot: %w", err)
	}
	return nil
}
