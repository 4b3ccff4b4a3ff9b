package localstore

import (
	"encoding/binary"
	"fmt"
	"time"

	"github.com/dgraph-io/badger/v4"
	"github.com/touchpoint/touchpoint/customer"
	"github.com/touchpoint/touchpoint/protocol"
)

// upLogTTL is how long the up-log keeps a visitor: today's list only needs
// today, and a person erased at the hub must not linger here.
const upLogTTL = 48 * time.Hour

// LogVisit adds an event recorded here to the up-log of the day it
// happened, in the agent's local time.
func (s *Store) LogVisit(e customer.Event) error {
	err := s.db.Update(func(bt *badger.Txn) error { return putUpLog(txn{bt}, &e) })
	if err != nil {
		return fmt.Errorf("log visit: %w", err)
	}
	return nil
}

// Visits returns the events logged for day (local time), oldest first.
func (s *Store) Visits(day time.Time) ([]customer.Event, error) {
	var out []customer.Event
	err := s.db.View(func(bt *badger.Txn) error {
		return txn{bt}.each(upLogKey(day), true, func(_, v []byte) error {
			var e customer.Event
			if err := protocol.Unmarshal(v, &e); err != nil {
				return err
			}
			out = append(out, e)
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("read up-log: %w", err)
	}
	return out, nil
}

// upLogEntryKey orders a day's up-log by when the events happened.
func upLogEntryKey(e *customer.Event) []byte {
	k := upLogKey(e.OccurredAt)
	k = binary.BigEndian.AppendUint64(k, uint64(e.OccurredAt.UnixNano()))
	return append(append(append(k, e.Source...), 0), e.ID...)
}

func upLogKey(t time.Time) []byte {
	return keyPrefix(prefixUpLog, t.Local().Format(time.DateOnly))
}
