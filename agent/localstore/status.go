package localstore

import (
	"fmt"

	"github.com/dgraph-io/badger/v4"
	"github.com/touchpoint/touchpoint/customer"
	"github.com/touchpoint/touchpoint/protocol"
)

// Status is the outbox and feed state that sync-status shows.
type Status struct {
	OutboxLen     int    `json:"outbox_len"`
	OldestPending int64  `json:"oldest_pending_unix,omitempty"`
	Rejected      int    `json:"rejected"`
	Cursor        uint64 `json:"cursor"`
	LastSync      int64  `json:"last_sync_unix,omitempty"`
	Profiles      int    `json:"profiles"`
}

// Status counts the outbox and rejected events, and tells how many
// profiles are cached.
func (s *Store) Status() (Status, error) {
	var st Status
	err := s.db.View(func(bt *badger.Txn) error {
		t := txn{bt}
		var err error
		if st.Cursor, err = t.counter(keyCursor); err != nil {
			return err
		}
		last, err := t.counter(keyLastSync)
		st.LastSync = int64(last / 1e9)
		if err != nil {
			return err
		}
		if st.OldestPending, err = oldestPending(t, s.outboxFloor.Load()); err != nil {
			return err
		}
		// The profiles and the outbox are counted as they change: both
		// can be large. Rejections are few and kept for staff to read.
		st.Profiles = int(s.profiles.Load())
		st.OutboxLen = int(s.outboxLen.Load())
		return t.each([]byte(prefixRejected), false, func(_, _ []byte) error { st.Rejected++; return nil })
	})
	if err != nil {
		return st, fmt.Errorf("read sync status: %w", err)
	}
	return st, nil
}

// oldestPending returns when the oldest unacknowledged event was recorded.
// The outbox below floor is empty (see Store.outboxFloor).
func oldestPending(t txn, floor uint64) (int64, error) {
	var oldest int64
	err := t.eachFrom([]byte(prefixOutbox), seqKey(prefixOutbox, floor), true, func(_, v []byte) error {
		var e customer.Event
		if err := protocol.Unmarshal(v, &e); err != nil {
			return err
		}
		var le localEvent
		if ok, err := t.decode(key(prefixLocal, e.Source, e.ID), &le); err == nil && ok {
			oldest = le.RecordedAt / 1e9
		}
		return errStop
	})
	if err == errStop {
		err = nil
	}
	return oldest, err
}
