package store

import (
	"fmt"
	"slices"

	"github.com/touchpoint/touchpoint/customer"
	"github.com/touchpoint/touchpoint/protocol"
)

// applyIngest stores each event once per (source, id), joins it to the
// customer its identifiers name (merging customers it proves are one
// person), and records the change in the feed of every dealer in scope.
func (s *state) applyIngest(w *writer, body *IngestBody) []protocol.Result {
	results := make([]protocol.Result, len(body.Events))
	for i := range body.Events {
		results[i] = s.ingestOne(w, &body.Events[i])
	}
	return results
}

func (s *state) ingestOne(w *writer, in *IngestEvent) protocol.Result {
	e := &in.Event
	res := protocol.Result{ID: e.ID}
	if owner, ok := get(w.txn, key(prefixEventOwner, e.Source, e.ID)); ok {
		res.Status = protocol.StatusDuplicate
		res.CustomerID = s.resolve(w.txn, string(owner))
		return res
	}
	owners := s.owners(w, in.Identifiers)
	var cust string
	if len(owners) == 0 {
		cust = s.newCustomerID(w)
	} else {
		cust = owners[0] // ids sort by age: the oldest customer survives
		for _, other := range owners[1:] {
			s.mergeInto(w, other, cust)
		}
	}
	w.set(key(prefixEventOwner, e.Source, e.ID), []byte(cust))
	w.set(key(prefixCustEvent, cust, e.Source, e.ID), mustEncode(in))
	s.indexIdentifiers(w, cust, append(in.Identifiers, string(customer.NewIdentifier(customer.KindCustomerID, cust))))
	if dealer, ok := customer.DealerOf(e.Source); ok {
		s.addScope(w, dealer, cust)
	}
	s.changedCustomer(w, cust)
	res.Status = protocol.StatusCreated
	res.CustomerID = cust
	return res
}

// owners returns the distinct live customers the identifiers belong to,
// oldest first.
func (s *state) owners(w *writer, ids []string) []string {
	var out []string
	for _, id := range ids {
		if c, ok := get(w.txn, key(prefixIdentifier, id)); ok {
			live := s.resolve(w.txn, string(c))
			if !slices.Contains(out, live) {
				out = append(out, live)
			}
		}
	}
	slices.Sort(out)
	return out
}

// resolve follows merges to the customer that holds id's events now.
func (s *state) resolve(r reader, id string) string {
	for range 64 {
		next, ok := get(r, key(prefixMerged, id))
		if !ok {
			return id
		}
		id = string(next)
	}
	panic("store: merge chain longer than 64 at " + id)
}

// newCustomerID hands out the next customer id. Ids are fixed-width so
// that their order is their age.
func (s *state) newCustomerID(w *writer) string {
	v, _ := get(w.txn, keyCustomerSeq)
	n := decodeUint(v) + 1
	w.set(keyCustomerSeq, encodeUint(n))
	return fmt.Sprintf("C%09d", n)
}

func (s *state) indexIdentifiers(w *writer, cust string, ids []string) {
	for _, id := range ids {
		w.set(key(prefixIdentifier, id), []byte(cust))
		w.set(key(prefixCustIdent, cust, id), nil)
	}
}

// mergeInto moves every event, identifier and scope of from into to and
// leaves a forwarding record, so old ids keep resolving.
func (s *state) mergeInto(w *writer, from, to string) {
	scan(w.txn, keyPrefix(prefixCustEvent, from), func(k, v []byte) bool {
		var in IngestEvent
		decodeValue(v, &in)
		w.delete(k)
		w.set(key(prefixCustEvent, to, in.Event.Source, in.Event.ID), v)
		w.set(key(prefixEventOwner, in.Event.Source, in.Event.ID), []byte(to))
		return true
	})
	var ids []string
	for _, k := range keysUnder(w.txn, keyPrefix(prefixCustIdent, from)) {
		ids = append(ids, lastPart(k))
		w.delete(k)
	}
	s.indexIdentifiers(w, to, ids)
	for _, dealer := range s.scopeDealers(w.txn, from) {
		s.addScope(w, dealer, to)
	}
	w.set(key(prefixMerged, from), []byte(to))
	s.changedCustomer(w, from)
}
