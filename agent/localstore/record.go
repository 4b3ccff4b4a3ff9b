package localstore

import (
	"errors"
	"fmt"

	"github.com/dgraph-io/badger/v4"
	"github.com/touchpoint/touchpoint/customer"
	"github.com/touchpoint/touchpoint/protocol"
)

// RecordBatch commits the validated events of one staff request, each
// with its outbox entry and its line in the up-log, in one synced
// transaction: after a crash either all of them are here or none. When
// Badger finds the transaction too big it is split in halves, each
// committed and synced before the next, so the answer still comes only
// after every event is on disk. created[i] is false when events[i] has
// the (source, id) of an event recorded before (or earlier in the batch);
// nothing is written for it then. On an error, events of parts committed
// before it stay recorded: a retry of the request finds them duplicates.
func (s *Store) RecordBatch(events []customer.Event) (created []bool, err error) {
	return s.recordEvents(events, true)
}

// recordEvents is RecordBatch; withUpLog false leaves the up-log alone
// (Record, and the outbox carried out of a damaged database).
func (s *Store) recordEvents(events []customer.Event, withUpLog bool) ([]bool, error) {
	if err := s.checkRoom(); err != nil {
		return nil, fmt.Errorf("record events: %w", err)
	}
	rs := make([]toRecord, len(events))
	for i := range events {
		rs[i] = toRecord{event: &events[i], ids: events[i].Customer.Identifiers(s.region)}
	}
	created := make([]bool, len(events))
	s.recordMu.Lock()
	defer s.recordMu.Unlock()
	if err := s.recordParts(rs, created, withUpLog); err != nil {
		return nil, fmt.Errorf("record events: %w", err)
	}
	for _, c := range created {
		if c {
			s.signalOutbox()
			break
		}
	}
	return created, nil
}

// toRecord is an event with the identifiers it is found by.
type toRecord struct {
	event *customer.Event
	ids   []customer.Identifier
}

// recordParts commits rs in one transaction, or in halves when that is
// too big; the caller holds recordMu.
func (s *Store) recordParts(rs []toRecord, created []bool, withUpLog bool) error {
	seq, err := s.commitRecords(rs, created, withUpLog)
	if errors.Is(err, badger.ErrTxnTooBig) && len(rs) > 1 {
		half := len(rs) / 2
		if err := s.recordParts(rs[:half], created[:half], withUpLog); err != nil {
			return err
		}
		return s.recordParts(rs[half:], created[half:], withUpLog)
	}
	if err != nil {
		return err
	}
	return s.wm.setOutSeq(seq)
}

// commitRecords writes rs in one synced transaction and returns the
// outbox sequence it committed. created is set only when it commits.
func (s *Store) commitRecords(rs []toRecord, created []bool, withUpLog bool) (uint64, error) {
	fresh := make([]bool, len(rs))
	var seq, last uint64
	err := s.db.Update(func(bt *badger.Txn) error {
		t := txn{bt}
		var err error
		if last, err = t.counter(keyOutSeq); err != nil {
			return err
		}
		seq = last
		for i, r := range rs {
			// The transaction reads its own writes: a second event of the
			// same (source, id) in the batch is a duplicate here too.
			e := r.event
			if _, dup, err := t.value(key(prefixLocal, e.Source, e.ID)); err != nil {
				return err
			} else if dup {
				continue
			}
			seq++
			fresh[i] = true
			if err := s.writeRecord(t, seq, *e, r.ids); err != nil {
				return err
			}
			if withUpLog {
				if err := putUpLog(t, e); err != nil {
					return err
				}
			}
		}
		if seq > last {
			if err := t.Set(keyOutSeq, encodeUint(seq)); err != nil {
				return err
			}
		}
		if s.beforeRecordCommit != nil {
			return s.beforeRecordCommit()
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	copy(created, fresh)
	s.outboxLen.Add(int64(seq - last))
	return seq, nil
}

// putUpLog adds e to the up-log of the day it happened.
func putUpLog(t txn, e *customer.Event) error {
	raw, err := protocol.Marshal(e)
	if err != nil {
		return err
	}
	return t.SetEntry(badger.NewEntry(upLogEntryKey(e), raw).WithTTL(upLogTTL))
}
