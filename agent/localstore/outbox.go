package localstore

import (
	"errors"
	"fmt"

	"github.com/dgraph-io/badger/v4"
	"github.com/touchpoint/touchpoint/agent/clock"
	"github.com/touchpoint/touchpoint/customer"
	"github.com/touchpoint/touchpoint/protocol"
)

// localEvent is an event recorded at this dealer, shown in lookups until
// the hub's profile of the customer includes it.
type localEvent struct {
	Event       customer.Event `cbor:"1,keyasint"`
	Identifiers []string       `cbor:"2,keyasint,omitempty"`
	RecordedAt  int64          `cbor:"3,keyasint"`
}

// Pending is an outbox entry waiting for the hub's acknowledgement.
type Pending struct {
	Seq   uint64
	Event customer.Event
}

// rejected is an event the hub refused; kept for staff to see, not retried.
type rejected struct {
	Event  customer.Event `cbor:"1,keyasint"`
	Field  string         `cbor:"2,keyasint"`
	Reason string         `cbor:"3,keyasint"`
}

// Record commits a validated event and its outbox entry in one synced
// transaction. It reports false when the same (source, id) was recorded
// before; nothing is written then.
func (s *Store) Record(e customer.Event) (bool, error) {
	created, err := s.recordEvents([]customer.Event{e}, false)
	if err != nil {
		return false, err
	}
	return created[0], nil
}

// writeRecord writes e as outbox entry seq with its local copy; the
// caller stores the outbox sequence.
func (s *Store) writeRecord(t txn, seq uint64, e customer.Event, ids []customer.Identifier) error {
	s.sources.add(e.Source)
	local := localEvent{Event: e, RecordedAt: clock.Now().UnixNano()}
	for _, id := range ids {
		local.Identifiers = append(local.Identifiers, string(id))
		if err := t.Set(key(prefixLocalIdent, string(id), e.Source, e.ID), nil); err != nil {
			return err
		}
	}
	if err := t.put(seqKey(prefixOutbox, seq), &e); err != nil {
		return err
	}
	return t.put(key(prefixLocal, e.Source, e.ID), &local)
}

// Pending returns up to max outbox entries, oldest first.
func (s *Store) Pending(max int) ([]Pending, error) {
	var out []Pending
	err := s.db.View(func(bt *badger.Txn) error {
		start := seqKey(prefixOutbox, s.outboxFloor.Load())
		return txn{bt}.eachFrom([]byte(prefixOutbox), start, true, func(k, v []byte) error {
			var p Pending
			p.Seq = decodeUint(k[len(prefixOutbox):])
			if err := protocol.Unmarshal(v, &p.Event); err != nil {
				return err
			}
			out = append(out, p)
			if len(out) >= max {
				return errStop
			}
			return nil
		})
	})
	if err != nil && !errors.Is(err, errStop) {
		return nil, fmt.Errorf("read outbox: %w", err)
	}
	if len(out) > 0 {
		s.outboxFloor.Store(out[0].Seq)
	}
	return out, nil
}

// Ack removes acknowledged entries from the outbox. A rejected event is
// moved aside with the hub's reason instead of being retried forever.
func (s *Store) Ack(sent []Pending, results []protocol.Result) error {
	if len(results) != len(sent) {
		return fmt.Errorf("ack: %d results for %d events", len(results), len(sent))
	}
	var gone int64 // entries this acknowledgement removes
	err := s.db.Update(func(bt *badger.Txn) error {
		t := txn{bt}
		gone = 0
		for i, p := range sent {
			if _, ok, err := t.value(seqKey(prefixOutbox, p.Seq)); err != nil {
				return err
			} else if ok {
				gone++
			}
			if err := t.Delete(seqKey(prefixOutbox, p.Seq)); err != nil {
				return err
			}
			if r := results[i]; r.Status == protocol.StatusRejected || r.Status == customer.StatusConflict {
				// A rejected or conflicting event is listed as rejected,
				// by what identifies the event, not the person: no PII
				// outlives a rejection (an erased person's late event).
				ev := customer.Event{ID: p.Event.ID, Source: p.Event.Source, Type: p.Event.Type, OccurredAt: p.Event.OccurredAt}
				rej := rejected{Event: ev, Field: r.Field, Reason: r.Reason}
				if err := t.put(seqKey(prefixRejected, p.Seq), &rej); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("ack outbox: %w", err)
	}
	s.outboxLen.Add(-gone)
	return nil
}
