package localstore

import (
	"errors"
	"fmt"

	"github.com/dgraph-io/badger/v4"
	"github.com/touchpoint/touchpoint/agent/clock"
	"github.com/touchpoint/touchpoint/customer"
	"github.com/touchpoint/touchpoint/protocol"
)

// Cursor returns the change-feed position to resume from.
func (s *Store) Cursor() (uint64, error) {
	var c uint64
	err := s.db.View(func(bt *badger.Txn) error {
		var err error
		c, err = txn{bt}.counter(keyCursor)
		return err
	})
	return c, err
}

// ApplyChanges applies one feed batch and advances the cursor in the same
// transaction: after a crash the batch is either wholly applied or
// fetched again. A batch too big for one transaction is applied in parts,
// the cursor with the last; a part applied twice changes nothing. A
// resync too big for one transaction drops the old scope first.
func (s *Store) ApplyChanges(batch *protocol.Changes) error {
	err := s.applyBatch(batch)
	if errors.Is(err, badger.ErrTxnTooBig) && batch.Resync {
		// The old scope alone can be too big to drop in one transaction.
		// Dropping it first on its own is safe: the cursor has not moved,
		// so after a crash the hub answers with a resync again.
		if err := s.dropScope(); err != nil {
			return fmt.Errorf("drop scope to resync up to %d: %w", batch.Cursor, err)
		}
		rest := *batch
		rest.Resync = false
		return s.ApplyChanges(&rest)
	}
	if errors.Is(err, badger.ErrTxnTooBig) && len(batch.Changes) > 1 {
		half := len(batch.Changes) / 2
		first := protocol.Changes{Changes: batch.Changes[:half], Resync: batch.Resync}
		if first.Cursor, err = s.Cursor(); err != nil {
			return err
		}
		if err := s.ApplyChanges(&first); err != nil {
			return err
		}
		rest := *batch
		rest.Changes, rest.Resync = batch.Changes[half:], false
		return s.ApplyChanges(&rest)
	}
	if err != nil {
		return fmt.Errorf("apply changes up to %d: %w", batch.Cursor, err)
	}
	return nil
}

func (s *Store) applyBatch(batch *protocol.Changes) error {
	if err := s.checkRoom(); err != nil {
		return err // the cursor stays: the feed resends the batch later
	}
	var added int // profiles added less those dropped
	err := s.db.Update(func(bt *badger.Txn) error {
		t := txn{bt}
		added = 0
		if batch.Resync {
			dropped, err := dropProfiles(t)
			if err != nil {
				return err
			}
			added -= dropped
		}
		for i := range batch.Changes {
			n, err := s.applyChange(t, &batch.Changes[i])
			if err != nil {
				return err
			}
			added += n
		}
		if err := t.Set(keyLastSync, encodeUint(uint64(clock.Now().UnixNano()))); err != nil {
			return err
		}
		return t.Set(keyCursor, encodeUint(batch.Cursor))
	})
	if err != nil {
		return err
	}
	s.profiles.Add(int64(added))
	return s.wm.setCursor(batch.Cursor)
}

// PutProfiles caches profiles a read-through lookup brought back.
func (s *Store) PutProfiles(profiles []customer.Profile) error {
	var added int
	err := s.db.Update(func(bt *badger.Txn) error {
		added = 0
		for i := range profiles {
			c := protocol.Change{CustomerID: profiles[i].CustomerID, Profile: &profiles[i]}
			n, err := s.applyChange(txn{bt}, &c)
			if err != nil {
				return err
			}
			added += n
		}
		return nil
	})
	if err == nil {
		s.profiles.Add(int64(added))
	}
	return err
}

// applyChange replaces a customer's cached profile, unless the cached one
// is newer, and forgets local events the hub's profile now includes. It
// returns how the number of cached profiles changes: 1, 0 or -1.
func (s *Store) applyChange(t txn, c *protocol.Change) (int, error) {
	var old customer.Profile
	had, err := t.decode(key(prefixProfile, c.CustomerID), &old)
	if err != nil {
		return 0, err
	}
	if had && c.Profile != nil && old.Version > c.Profile.Version {
		return 0, nil
	}
	if had {
		if err := unindexProfile(t, &old); err != nil {
			return 0, err
		}
	}
	if c.Profile == nil {
		return -boolInt(had), s.dropProfile(t, c, &old, had)
	}
	if err := indexProfile(t, c.Profile); err != nil {
		return 0, err
	}
	if err := forgetIncluded(t, s.sources.recorded(c.Profile.Events)); err != nil {
		return 0, err
	}
	return 1 - boolInt(had), t.put(key(prefixProfile, c.CustomerID), c.Profile)
}

// dropProfile deletes a merged or erased customer's profile (old, when
// had); an erased person's local events go too.
func (s *Store) dropProfile(t txn, c *protocol.Change, old *customer.Profile, had bool) error {
	if had && c.MergedInto == "" { // erased at the hub: drop every local copy too
		if err := forgetPerson(t, old); err != nil {
			return err
		}
	}
	return t.Delete(key(prefixProfile, c.CustomerID))
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

func profileKeys(p *customer.Profile) [][]byte {
	var keys [][]byte
	for _, id := range p.Identifiers {
		keys = append(keys, key(prefixIdent, id, p.CustomerID))
	}
	keys = append(keys, key(prefixIdent, string(customer.NewIdentifier(customer.KindCustomerID, p.CustomerID)), p.CustomerID))
	for _, tok := range customer.NameTokens(p.GivenName, p.FamilyName) {
		keys = append(keys, key(prefixName, tok, p.CustomerID))
	}
	return append(keys, vehicleKeys(p)...)
}

func indexProfile(t txn, p *customer.Profile) error {
	for _, k := range profileKeys(p) {
		if err := t.Set(k, nil); err != nil {
			return err
		}
	}
	return nil
}

func unindexProfile(t txn, p *customer.Profile) error {
	for _, k := range profileKeys(p) {
		if err := t.Delete(k); err != nil {
			return err
		}
	}
	return nil
}

// forgetIncluded drops the local copies of events the hub's profile now
// includes; an outbox entry for one is still pushed and deduplicated.
func forgetIncluded(t txn, events []customer.Event) error {
	for i := range events {
		e := &events[i]
		var local localEvent
		ok, err := t.decode(key(prefixLocal, e.Source, e.ID), &local)
		if err != nil {
			return err
		}
		if !ok {
			continue // not recorded here, or already forgotten
		}
		for _, id := range local.Identifiers {
			if err := t.Delete(key(prefixLocalIdent, id, e.Source, e.ID)); err != nil {
				return err
			}
		}
		if err := t.Delete(key(prefixLocal, e.Source, e.ID)); err != nil {
			return err
		}
	}
	return nil
}

// dropScope forgets the whole cached scope in as many transactions as
// it takes.
func (s *Store) dropScope() error {
	wb := s.db.NewWriteBatch()
	defer wb.Cancel()
	dropped := 0
	err := s.db.View(func(bt *badger.Txn) error {
		for _, prefix := range scopePrefixes {
			err := (txn{bt}).each([]byte(prefix), false, func(k, _ []byte) error {
				dropped += boolInt(prefix == prefixProfile)
				return wb.Delete(k)
			})
			if err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	if err := wb.Flush(); err != nil {
		return err
	}
	s.profiles.Add(-int64(dropped))
	return nil
}

// scopePrefixes hold the cached scope: the profiles and their indexes.
var scopePrefixes = []string{prefixProfile, prefixIdent, prefixName, prefixVehicle}

// dropProfiles forgets the whole cached scope before a resync and returns
// how many profiles it dropped.
func dropProfiles(t txn) (int, error) {
	dropped := 0
	for _, prefix := range scopePrefixes {
		err := t.each([]byte(prefix), false, func(k, _ []byte) error {
			dropped += boolInt(prefix == prefixProfile)
			return t.Delete(k)
		})
		if err != nil {
			return 0, err
		}
	}
	return dropped, nil
}

// forgetPerson deletes the local events of an erased person: those in
// its last profile and those recorded here under its identifiers.
func forgetPerson(t txn, p *customer.Profile) error {
	if err := forgetIncluded(t, p.Events); err != nil {
		return err
	}
	for _, id := range p.Identifiers {
		var locals [][]byte
		err := t.each(keyPrefix(prefixLocalIdent, id), false, func(k, _ []byte) error {
			locals = append(locals, append([]byte(prefixLocal), k[len(prefixLocalIdent)+len(id)+1:]...))
			return nil
		})
		if err != nil {
			return err
		}
		for _, lk := range locals {
			var le localEvent
			if ok, err := t.decode(lk, &le); err != nil || !ok {
				continue
			}
			if err := forgetIncluded(t, []customer.Event{le.Event}); err != nil {
				return err
			}
		}
	}
	return nil
}
