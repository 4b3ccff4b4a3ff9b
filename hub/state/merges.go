package state

import (
	"fmt"
	"slices"

	"github.com/touchpoint/touchpoint/hub/state/kv"
)

// Merge records one merge so it can be audited and undone: what moved
// from Merged into Survivor, and why.
type Merge struct {
	ID          string   `cbor:"1,keyasint" json:"id"`
	Survivor    string   `cbor:"2,keyasint" json:"survivor"`
	Merged      string   `cbor:"3,keyasint" json:"merged"`
	Reason      string   `cbor:"4,keyasint" json:"reason"`
	At          int64    `cbor:"5,keyasint" json:"at"` // unix seconds, the leader's clock
	Events      []string `cbor:"6,keyasint" json:"events"`
	Identifiers []string `cbor:"7,keyasint" json:"identifiers"`
	SplitAt     int64    `cbor:"8,keyasint,omitempty" json:"split_at,omitempty"`
}

// SplitBody undoes a merge.
type SplitBody struct {
	MergeID string `cbor:"1,keyasint"`
}

// mergeInto moves every event, identifier and scope of from into to,
// leaves a forwarding record so old ids keep resolving, and records the
// merge. The caller reports the change of to.
func (s *State) mergeInto(w *writer, now int64, from, to, reason string) {
	m := Merge{ID: s.nextMergeID(w), Survivor: to, Merged: from, Reason: reason, At: now / 1e9}
	scan(w.txn, keyPrefix(prefixCustEvent, from), func(k, v []byte) bool {
		var in IngestEvent
		decodeValue(v, &in)
		w.delete(k)
		w.set(key(prefixCustEvent, to, in.Event.Source, in.Event.ID), v)
		w.set(key(prefixEventOwner, in.Event.Source, in.Event.ID), []byte(to))
		m.Events = append(m.Events, in.Event.Source+"\x00"+in.Event.ID)
		return true
	})
	var marks [][]byte // claimed or verified, as from held them
	scan(w.txn, keyPrefix(prefixCustIdent, from), func(k, v []byte) bool {
		m.Identifiers = append(m.Identifiers, lastPart(k))
		marks = append(marks, v)
		return true
	})
	for i, ident := range m.Identifiers {
		w.delete(key(prefixCustIdent, from, ident))
		w.set(key(prefixIdentifier, ident), []byte(to))
		w.set(key(prefixCustIdent, to, ident), keepVerified(w, key(prefixCustIdent, to, ident), marks[i]))
	}
	for _, dealer := range s.scopeDealers(w.txn, from) {
		s.addScope(w, dealer, to)
	}
	s.moveShared(w, from, to)
	s.dropSummary(w, from)
	w.set(key(prefixMerged, from), []byte(to))
	w.set(key(prefixMergeRecord, m.ID), mustEncode(&m))
	w.set(key(prefixCustMerge, to, m.ID), nil)
	w.set(key(prefixCustMerge, from, m.ID), nil)
	s.changedCustomer(w, from)
}

func (s *State) nextMergeID(w *writer) string {
	v, _ := get(w.txn, keyMergeSeq)
	n := decodeUint(v) + 1
	w.set(keyMergeSeq, encodeUint(n))
	return fmt.Sprintf("M%09d", n)
}

// applySplit undoes a merge: the merged customer gets back its id, the
// events and identifiers it brought (and, with later, the events that
// came since and only its identifiers explain), and the pair is never
// merged again automatically.
func (s *State) applySplit(w *writer, now int64, id string, later bool) error {
	raw, ok := get(w.txn, key(prefixMergeRecord, id))
	if !ok {
		return ErrUnknownMerge
	}
	var m Merge
	decodeValue(raw, &m)
	if m.SplitAt != 0 {
		return ErrAlreadySplit
	}
	holder := s.resolve(w.txn, m.Survivor)
	w.delete(key(prefixMerged, m.Merged))
	for _, ek := range m.Events {
		source, eid, _ := cutPair(ek)
		if owner, ok := get(w.txn, key(prefixEventOwner, source, eid)); ok && string(owner) == holder {
			v, _ := get(w.txn, key(prefixCustEvent, holder, source, eid))
			w.delete(key(prefixCustEvent, holder, source, eid))
			w.set(key(prefixCustEvent, m.Merged, source, eid), v)
			w.set(key(prefixEventOwner, source, eid), []byte(m.Merged))
		}
	}
	for _, ident := range m.Identifiers {
		if owner, ok := get(w.txn, key(prefixIdentifier, ident)); ok && string(owner) == holder {
			mark, _ := get(w.txn, key(prefixCustIdent, holder, ident))
			w.delete(key(prefixCustIdent, holder, ident))
			w.set(key(prefixIdentifier, ident), []byte(m.Merged))
			w.set(key(prefixCustIdent, m.Merged, ident), mark)
		}
	}
	if later {
		s.reclaimLaterEvents(w, holder, m.Merged)
	}
	for _, dealer := range s.scopeDealers(w.txn, holder) {
		s.addScope(w, dealer, m.Merged)
	}
	a, b := pairKey(holder, m.Merged)
	w.set(key(prefixNotPair, a, b), nil)
	m.SplitAt = now / 1e9
	w.set(key(prefixMergeRecord, m.ID), mustEncode(&m))
	s.changedCustomer(w, holder)
	s.changedCustomer(w, m.Merged)
	return nil
}

func cutPair(k string) (string, string, bool) {
	i := slices.Index([]byte(k), 0)
	if i < 0 {
		return k, "", false
	}
	return k[:i], k[i+1:], true
}

// merges lists the merges a customer took part in, oldest first.
func (s *State) merges(r kv.Reader, cust string) []Merge {
	out := []Merge{}
	for _, k := range keysUnder(r, keyPrefix(prefixCustMerge, cust)) {
		raw, ok := get(r, key(prefixMergeRecord, lastPart(k)))
		if !ok {
			continue
		}
		var m Merge
		decodeValue(raw, &m)
		out = append(out, m)
	}
	return out
}

// mayMerge applies merge protection: a pair decided apart stays apart,
// and no merge may leave a profile with more identifiers of one kind than
// the limit (a shared family email, a dealership's phone).
func (s *State) mayMerge(w *writer, a, b string, limit int) bool {
	x, y := pairKey(a, b)
	if _, ok := get(w.txn, key(prefixNotPair, x, y)); ok {
		return false
	}
	counts := map[string]int{}
	for _, c := range []string{a, b} {
		for _, k := range keysUnder(w.txn, keyPrefix(prefixCustIdent, c)) {
			kind := identKind(lastPart(k))
			counts[kind]++
			if counts[kind] > kindLimit(kind, limit) {
				return false
			}
		}
	}
	return true
}

// reclaimLaterEvents gives merged back the events that reached holder
// after the merge and that only merged's identifiers explain: each
// identifier they carry belongs to merged again.
func (s *State) reclaimLaterEvents(w *writer, holder, merged string) {
	var later []IngestEvent
	scan(w.txn, keyPrefix(prefixCustEvent, holder), func(_, v []byte) bool {
		var in IngestEvent
		decodeValue(v, &in)
		if s.explainedBy(w, in.Identifiers, merged) {
			later = append(later, in)
		}
		return true
	})
	for i := range later {
		e := &later[i].Event
		w.delete(key(prefixCustEvent, holder, e.Source, e.ID))
		w.set(key(prefixCustEvent, merged, e.Source, e.ID), mustEncode(&later[i]))
		w.set(key(prefixEventOwner, e.Source, e.ID), []byte(merged))
	}
}

// explainedBy reports whether every identifier of ids belongs to cust
// (and there is one).
func (s *State) explainedBy(w *writer, ids []string, cust string) bool {
	for _, id := range ids {
		owner, ok := get(w.txn, key(prefixIdentifier, id))
		if !ok || s.resolve(w.txn, string(owner)) != cust {
			return false
		}
	}
	return len(ids) > 0
}
