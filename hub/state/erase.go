package state

import (
	"crypto/sha256"
	"encoding/hex"

	"github.com/touchpoint/touchpoint/customer"
	"github.com/touchpoint/touchpoint/hub/state/kv"
)

var (
	prefixSuppressed = "sup/" // sup/<sha256 of identifier> → "": never again
	prefixErasure    = "er/"  // er/<cust> → Erasure
)

// EraseBody erases one person.
type EraseBody struct {
	CustomerID string `cbor:"1,keyasint"`
}

// Erasure records that a person was erased and which dealers' agents
// held them, so operators can see which agents have not caught up.
type Erasure struct {
	CustomerID string   `cbor:"1,keyasint" json:"customer_id"`
	Seq        uint64   `cbor:"2,keyasint" json:"seq"` // feed position of the erasure
	Dealers    []string `cbor:"3,keyasint" json:"dealers"`
}

// suppressionKey hashes an identifier: the list keeps no PII.
func suppressionKey(ident string) []byte {
	sum := sha256.Sum256([]byte(ident))
	return key(prefixSuppressed, hex.EncodeToString(sum[:]))
}

// suppressed reports whether any identifier belongs to an erased person.
func (s *State) suppressed(r kv.Reader, ids []string) bool {
	for _, id := range ids {
		if _, ok := get(r, suppressionKey(id)); ok {
			return true
		}
	}
	return false
}

// applyErase removes a person's events, identifiers and derived data,
// remembers their identifiers by hash so late events cannot re-create
// them, and tells every dealer in scope through the feed.
func (s *State) applyErase(w *writer, body *EraseBody) error {
	cust := s.resolve(w.txn, body.CustomerID)
	p, ok := s.profile(w.txn, cust)
	if !ok {
		return ErrUnknownCustomer
	}
	for _, k := range keysUnder(w.txn, keyPrefix(prefixCustIdent, cust)) {
		ident := lastPart(k)
		w.delete(k)
		if s.unshare(w, ident, cust) {
			continue // still another person's: neither suppressed nor unindexed
		}
		w.set(suppressionKey(ident), nil)
		w.delete(key(prefixIdentifier, ident))
	}
	for i := range p.Events {
		e := &p.Events[i]
		w.delete(key(prefixCustEvent, cust, e.Source, e.ID))
		w.set(key(prefixEventOwner, e.Source, e.ID), nil) // a redelivery stays a duplicate
	}
	for _, tok := range customer.NameTokens(p.GivenName, p.FamilyName) {
		w.delete(key(prefixName, tok, cust))
	}
	s.dropSummary(w, cust)
	s.dropCandidates(w, cust)
	s.dropMergeRecords(w, cust)
	dealers := s.scopeDealers(w.txn, cust)
	s.appendFeed(w, cust)
	v, _ := get(w.txn, key(prefixVersion, cust))
	er := Erasure{CustomerID: cust, Seq: decodeUint(v), Dealers: dealers}
	w.set(key(prefixErasure, cust), mustEncode(&er))
	return nil
}

func (s *State) dropCandidates(w *writer, cust string) {
	for _, k := range keysUnder(w.txn, []byte(prefixCandidate)) {
		a, b, _ := cutPair(string(k[len(prefixCandidate):]))
		if a == cust || b == cust {
			w.delete(k)
		}
	}
}

// dropMergeRecords deletes the merge records naming cust: they list the
// identifiers that moved.
func (s *State) dropMergeRecords(w *writer, cust string) {
	for _, k := range keysUnder(w.txn, keyPrefix(prefixCustMerge, cust)) {
		w.delete(key(prefixMergeRecord, lastPart(k)))
		w.delete(k)
	}
}

func (s *State) erasures(r kv.Reader) []Erasure {
	out := []Erasure{}
	scan(r, []byte(prefixErasure), func(_, v []byte) bool {
		var e Erasure
		decodeValue(v, &e)
		out = append(out, e)
		return true
	})
	return out
}
