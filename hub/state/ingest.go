package state

import (
	"bytes"
	"fmt"
	"slices"
	"strings"

	"github.com/touchpoint/touchpoint/customer"
	"github.com/touchpoint/touchpoint/hub/state/kv"
	"github.com/touchpoint/touchpoint/protocol"
)

// DefaultMaxPerKind is how many identifiers of one kind (emails, phones) a
// profile may hold before merges that would add more are refused. Web ids
// and customer ids are allowed more: people use several browsers, and
// every merge adds an id.
const DefaultMaxPerKind = 5

func kindLimit(kind string, limit int) int {
	switch kind {
	case customer.KindCustomerID:
		return 1 << 30
	case customer.KindWebID:
		return 4 * limit
	}
	return limit
}

func identKind(ident string) string {
	kind, _, _ := strings.Cut(ident, ":")
	return kind
}

// applyIngest stores each event once per (source, id), joins it to the
// customer its identifiers name (merging customers it proves are one
// person, unless merge protection says no), and records the change in the
// feed of every dealer in scope.
func (s *State) applyIngest(w *writer, now int64, body *IngestBody, provenance bool) []protocol.Result {
	limit := body.MaxPerKind
	if limit <= 0 {
		limit = DefaultMaxPerKind
	}
	if provenance {
		s.keepSharedLimit(w, body.SharedLimit)
	}
	results := make([]protocol.Result, len(body.Events))
	touched, log := s.loadTouched(w) // a replay after a kill mid-entry
	for i := range body.Events {
		in := &body.Events[i]
		results[i] = s.ingestOne(w, now, limit, in, rules{verified: in.Verified || !provenance, sharing: provenance})
		if c := results[i].CustomerID; results[i].Status == protocol.StatusCreated && !slices.Contains(touched, c) {
			touched = append(touched, c)
		}
		w.checkpointThen(func() { log.save(w, touched) })
	}
	log.save(w, touched)
	// Derived state is brought up to date once per customer per batch, not
	// once per event: a batch of one person's events stays linear.
	for _, c := range touched {
		if live := s.resolve(w.txn, c); live == c {
			s.changedCustomer(w, c)
			w.checkpoint()
		}
	}
	return results
}

// rules says how one event joins: whether its identifiers are verified,
// and whether shared identifiers are recognised (entries from before
// CmdIngestProvenance join the old way, so that replays stay exact).
type rules struct {
	verified, sharing bool
}

func (s *State) ingestOne(w *writer, now int64, limit int, in *IngestEvent, r rules) protocol.Result {
	e := &in.Event
	res := protocol.Result{ID: e.ID}
	if owner, ok := get(w.txn, key(prefixEventOwner, e.Source, e.ID)); ok {
		return s.repeated(w, in, string(owner))
	}
	if s.suppressed(w.txn, in.Identifiers) {
		res.Status, res.Field, res.Reason = protocol.StatusRejected, "customer", "this person was erased and must not be recorded again"
		return res
	}
	joinKeys, shared := in.Identifiers, []string(nil)
	if r.sharing {
		joinKeys, shared = s.separateShared(w, in)
	}
	cust := s.joinOwners(w, now, limit, in, joinKeys, r.verified)
	if cust == "" {
		cust = s.sharerFor(w, in, shared, s.sharedLimit(w.txn))
	}
	if cust == "" {
		cust = s.newCustomerID(w)
	}
	w.set(key(prefixEventOwner, e.Source, e.ID), []byte(cust))
	w.set(key(prefixCustEvent, cust, e.Source, e.ID), mustEncode(in))
	s.indexIdentifiers(w, cust, limit, joinKeys, r.verified)
	joined := s.holdShared(w, cust, shared, s.sharedLimit(w.txn), r.verified)
	s.indexIdentifiers(w, cust, limit, []string{string(customer.NewIdentifier(customer.KindCustomerID, cust))}, true)
	for _, o := range s.sharersOf(w, joined) {
		if o != cust {
			s.changedCustomer(w, o) // its household may have gained a member
		}
	}
	if dealer, ok := customer.DealerOf(e.Source); ok {
		s.addScope(w, dealer, cust)
	}
	res.Status = protocol.StatusCreated
	res.CustomerID = cust
	return res
}

// joinOwners returns the customer an event belongs to: none ("") when
// its join keys have no owner, the only owner of its identifiers, or the oldest owner after merging the
// others into it. A merge that protection refuses becomes a candidate,
// and so does one that only claims would make between two customers who
// each hold a verified identifier (see trust.go).
func (s *State) joinOwners(w *writer, now int64, limit int, in *IngestEvent, joinKeys []string, verified bool) string {
	owners := s.owners(w, joinKeys)
	if len(owners) == 0 {
		return ""
	}
	cust, mergeable, apart := owners[0], owners[1:], []string(nil) // ids sort by age: the oldest survives
	if !verified {
		cust, mergeable, apart = s.splitByTrust(w, owners)
	}
	for _, other := range mergeable {
		if s.mayMerge(w, cust, other, limit) {
			s.mergeInto(w, now, other, cust, "shared identifier")
			continue
		}
		ev := []customer.Evidence{{Field: "identifiers", A: cust, B: other, Similarity: 1}}
		s.raiseCandidate(w, cust, other, 1, ev, "shared identifier, merge refused by protection rules")
	}
	for _, other := range apart {
		ev := []customer.Evidence{{Field: "identifiers", A: cust, B: other, Similarity: 1}}
		s.raiseCandidate(w, cust, other, 1, ev, "only a claim from "+in.Event.Source+" names both; each holds a verified identifier")
	}
	return cust
}

// owners returns the distinct live customers the identifiers belong to,
// oldest first.
func (s *State) owners(w *writer, ids []string) []string {
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
func (s *State) resolve(r kv.Reader, id string) string {
	for range 64 {
		next, ok := get(r, key(prefixMerged, id))
		if !ok {
			return id
		}
		id = string(next)
	}
	panic("state: merge chain longer than 64 at " + id)
}

// newCustomerID hands out the next customer id. Ids are fixed-width so
// that their order is their age.
func (s *State) newCustomerID(w *writer) string {
	v, _ := get(w.txn, keyCustomerSeq)
	n := decodeUint(v) + 1
	w.set(keyCustomerSeq, encodeUint(n))
	return fmt.Sprintf("C%09d", n)
}

// indexIdentifiers points identifiers at cust, except those another live
// customer holds (a refused merge) and those beyond the per-kind limit,
// marking each claimed or verified (a verified event verifies a claim the
// customer already holds). Most events repeat identifiers their customer
// has: only new ones cost a count of what the customer holds.
func (s *State) indexIdentifiers(w *writer, cust string, limit int, ids []string, verified bool) {
	if verified {
		s.verifyClaims(w, cust, ids)
	}
	fresh := s.newIdentifiers(w, cust, ids)
	if len(fresh) == 0 {
		return
	}
	counts := map[string]int{}
	for _, k := range keysUnder(w.txn, keyPrefix(prefixCustIdent, cust)) {
		counts[identKind(lastPart(k))]++
	}
	for _, id := range fresh {
		kind := identKind(id)
		if counts[kind] >= kindLimit(kind, limit) {
			continue
		}
		counts[kind]++
		w.set(key(prefixIdentifier, id), []byte(cust))
		w.set(key(prefixCustIdent, cust, id), provenanceMark(verified))
	}
}

// newIdentifiers returns, once each and in order, the ids that neither
// cust nor another live customer holds yet.
func (s *State) newIdentifiers(w *writer, cust string, ids []string) []string {
	var fresh []string
	for _, id := range ids {
		if owner, ok := get(w.txn, key(prefixIdentifier, id)); ok {
			if live := s.resolve(w.txn, string(owner)); live != cust {
				continue
			}
			if _, mine := get(w.txn, key(prefixCustIdent, cust, id)); mine {
				continue
			}
		}
		if !slices.Contains(fresh, id) {
			fresh = append(fresh, id)
		}
	}
	return fresh
}

// repeated answers an event whose (source, id) was recorded before, for
// customer owner: a duplicate when the body is the same, a conflict when
// it differs (the first one stands). An erased person's events (owner
// empty) are gone and count as duplicates.
func (s *State) repeated(w *writer, in *IngestEvent, owner string) protocol.Result {
	e := &in.Event
	res := protocol.Result{ID: e.ID, Status: protocol.StatusDuplicate}
	if owner == "" {
		return res
	}
	res.CustomerID = s.resolve(w.txn, owner)
	raw, ok := get(w.txn, key(prefixCustEvent, res.CustomerID, e.Source, e.ID))
	if !ok {
		return res
	}
	var stored IngestEvent
	decodeValue(raw, &stored)
	if !bytes.Equal(mustEncode(&stored.Event), mustEncode(e)) {
		res.Status, res.Field = customer.StatusConflict, "id"
		res.Reason = "an event with this source and id was recorded before with a different body; the first one stands"
	}
	return res
}
