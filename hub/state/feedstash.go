package state

import (
	"bytes"
	"strings"

	"github.com/touchpoint/touchpoint/customer"
	"github.com/touchpoint/touchpoint/hub/state/kv"
)

// The FSM derives a changed customer's profile from its events anyway
// (rederive), and every feed session of a dealer in its scope then reads
// that customer at its new version: building the profile again from the
// stored events was most of a feed's cost. feedStash keeps, during one
// entry, the last profile the FSM derived for each customer; once the
// entry has committed, those profiles go into the feed cache at the
// customer's new version, with the household view read from the
// committed state, as a feed reader would build them.
//
// A stashed profile is only as good as the events it was derived from:
// any later write of the customer's events in the same entry (a merge, a
// split, an erasure) drops it, and the next derivation stashes it anew.
type feedStash map[string]customer.Profile

// observe drops the stashed profile of a customer whose events are
// written; other keys are ignored (see writer.observe).
func (st feedStash) observe(k []byte) {
	if len(st) == 0 || !bytes.HasPrefix(k, custEventPrefix) {
		return
	}
	if cust, _, ok := strings.Cut(string(k[len(custEventPrefix):]), "\x00"); ok {
		delete(st, cust)
	}
}

// publish puts the stashed profiles of the entry at index, which has
// committed, into the feed cache.
func (s *State) publishStash(index uint64) {
	if len(s.stash) == 0 {
		return
	}
	s.view(func(txn kv.Reader) {
		for cust, p := range s.stash {
			if _, merged := get(txn, key(prefixMerged, cust)); merged {
				continue
			}
			v, _ := get(txn, key(prefixVersion, cust))
			if p.Version = decodeUint(v); p.Version>>seqShift != index {
				continue
			}
			s.withHousehold(txn, &p)
			s.feedCache.add(&p)
		}
	})
}
