package state

import (
	"bytes"

	"github.com/touchpoint/touchpoint/customer"
)

// Each identifier a customer holds (ci/<cust>\0<identifier>) is marked
// claimed or verified. Claims come from sources anyone can write to (a
// website form, a lead); verified identifiers from a dealer's staff, a
// dealer system or a phone network's caller ID (customer.Verifies). An
// event that only claims may attach anonymous history to one person, but
// it never merges two customers who each hold a verified identifier:
// such a pair becomes a match candidate for a person to decide.
//
// The mark is the value of the ci/ key: claimedMark for a claim, empty
// for verified — so identifiers recorded before provenance existed (and
// replays of those entries) count as verified, the cautious reading.
var claimedMark = []byte("c")

func provenanceMark(verified bool) []byte {
	if verified {
		return nil
	}
	return claimedMark
}

// holdsVerified reports whether the customer holds a verified identifier
// other than its own customer id.
func (s *State) holdsVerified(w *writer, cust string) bool {
	found := false
	scan(w.txn, keyPrefix(prefixCustIdent, cust), func(k, v []byte) bool {
		if identKind(lastPart(k)) != customer.KindCustomerID && !bytes.Equal(v, claimedMark) {
			found = true
		}
		return !found
	})
	return found
}

// splitByTrust sorts the owners a claim names (oldest first). With at
// most one owner holding a verified identifier, all may merge and the
// oldest survives, as for verified events. With more, the oldest of
// those keeps the event, the owners known only from claims may merge into
// it, and the other verified owners stay apart.
func (s *State) splitByTrust(w *writer, owners []string) (cust string, mergeable, apart []string) {
	var known, anonymous []string
	for _, o := range owners {
		if s.holdsVerified(w, o) {
			known = append(known, o)
		} else {
			anonymous = append(anonymous, o)
		}
	}
	if len(known) <= 1 {
		return owners[0], owners[1:], nil
	}
	return known[0], anonymous, known[1:]
}

// verifyClaims marks the identifiers of a verified event that cust holds
// as claims as verified.
func (s *State) verifyClaims(w *writer, cust string, ids []string) {
	for _, id := range ids {
		k := key(prefixCustIdent, cust, id)
		if v, ok := get(w.txn, k); ok && bytes.Equal(v, claimedMark) {
			w.set(k, nil)
		}
	}
}

// keepVerified is the mark an identifier moving to key gets: verified if
// it was verified on either side.
func keepVerified(w *writer, k, mark []byte) []byte {
	if have, ok := get(w.txn, k); ok && !bytes.Equal(have, claimedMark) {
		return nil
	}
	return mark
}
