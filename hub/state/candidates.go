package state

import (
	"slices"

	"github.com/touchpoint/touchpoint/customer"
	"github.com/touchpoint/touchpoint/hub/state/kv"
	"github.com/touchpoint/touchpoint/protocol"
)

// Candidate statuses.
const (
	CandidateOpen      = "open"
	CandidateConfirmed = "confirmed"
	CandidateRejected  = "rejected"
)

// Candidate is a possible match that fuzzy evidence (or a merge the rules
// refused) raised for a person to confirm or reject. A is the older id.
type Candidate struct {
	ID       string              `cbor:"1,keyasint" json:"id"`
	A        string              `cbor:"2,keyasint" json:"a"`
	B        string              `cbor:"3,keyasint" json:"b"`
	Score    float64             `cbor:"4,keyasint" json:"score"`
	Evidence []customer.Evidence `cbor:"5,keyasint" json:"evidence"`
	Status   string              `cbor:"6,keyasint" json:"status"`
	Reason   string              `cbor:"7,keyasint,omitempty" json:"reason,omitempty"`
	// DecidedBy names who confirmed or rejected it: "operator", or
	// "<staff>@dealer:<id>" for a decision taken on a staff page.
	DecidedBy string `cbor:"8,keyasint,omitempty" json:"decided_by,omitempty"`
}

// CandidateBody confirms or rejects a candidate; By names who decided.
type CandidateBody struct {
	ID string `cbor:"1,keyasint"`
	By string `cbor:"2,keyasint,omitempty"`
}

func pairKey(a, b string) (string, string) {
	if b < a {
		return b, a
	}
	return a, b
}

func candidateID(a, b string) string { return a + "~" + b }

// findCandidates scores cust against everyone sharing a blocking key and
// raises a candidate for each pair at or above the threshold.
func (s *State) findCandidates(w *writer, cust string, sm summary) {
	scored := map[string]bool{cust: true}
	for _, bk := range sm.BlockKeys {
		members := blockMembers(w.txn, bk)
		for _, other := range sortedKeys(members) {
			if scored[other] {
				continue
			}
			scored[other] = true
			score, ev := customer.Score(sm.Person, members[other])
			if score >= customer.CandidateThreshold {
				s.raiseCandidate(w, cust, other, score, ev, "similar name, address or birth date")
			}
		}
	}
}

// blockMembers returns the people filed under a blocking key, or none
// when the block is bigger than customer.MaxBlockSize (too common a key
// to tell anything).
func blockMembers(r kv.Reader, bk string) map[string]customer.Person {
	prefix := keyPrefix(prefixBlock, bk)
	out := map[string]customer.Person{}
	tooBig := false
	scan(r, prefix, func(k, v []byte) bool {
		if len(out) >= customer.MaxBlockSize {
			tooBig = true
			return false
		}
		var p customer.Person
		decodeValue(v, &p)
		out[lastPart(k)] = p
		return true
	})
	if tooBig {
		return nil
	}
	return out
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// raiseCandidate records an open candidate unless the pair was decided
// before or is already open.
func (s *State) raiseCandidate(w *writer, x, y string, score float64, ev []customer.Evidence, reason string) {
	a, b := pairKey(x, y)
	if _, ok := get(w.txn, key(prefixCandidate, a, b)); ok {
		return
	}
	if _, ok := get(w.txn, key(prefixNotPair, a, b)); ok {
		return
	}
	if a != x { // evidence follows the pair's order: A is the older customer
		ev = swapEvidence(ev)
	}
	c := Candidate{ID: candidateID(a, b), A: a, B: b, Score: score, Evidence: ev, Status: CandidateOpen, Reason: reason}
	w.set(key(prefixCandidate, a, b), mustEncode(&c))
}

func (s *State) candidate(r kv.Reader, id string) (Candidate, bool) {
	a, b, ok := cutCandidateID(id)
	if !ok {
		return Candidate{}, false
	}
	raw, ok := get(r, key(prefixCandidate, a, b))
	if !ok {
		return Candidate{}, false
	}
	var c Candidate
	decodeValue(raw, &c)
	return c, true
}

func cutCandidateID(id string) (string, string, bool) {
	for i := range len(id) {
		if id[i] == '~' {
			return id[:i], id[i+1:], true
		}
	}
	return "", "", false
}

// applyDecision confirms (merging the two) or rejects a candidate.
func (s *State) applyDecision(w *writer, now int64, b *CandidateBody, confirm bool) error {
	c, ok := s.candidate(w.txn, b.ID)
	if !ok {
		return ErrUnknownCandidate
	}
	if c.Status != CandidateOpen {
		return ErrCandidateDecided
	}
	if confirm {
		c.Status = CandidateConfirmed
		a, b := s.resolve(w.txn, c.A), s.resolve(w.txn, c.B)
		if a != b {
			a, b = pairKey(a, b)
			s.mergeInto(w, now, b, a, "confirmed candidate "+c.ID)
			s.changedCustomer(w, a)
		}
	} else {
		c.Status = CandidateRejected
		w.set(key(prefixNotPair, c.A, c.B), nil)
	}
	c.DecidedBy = b.By
	w.set(key(prefixCandidate, c.A, c.B), mustEncode(&c))
	return nil
}

// openCandidates lists open candidates whose two sides are still two
// different customers.
func (s *State) openCandidates(r kv.Reader) []Candidate {
	out := []Candidate{}
	scan(r, []byte(prefixCandidate), func(_, v []byte) bool {
		var c Candidate
		decodeValue(v, &c)
		if c.Status == CandidateOpen && s.resolve(r, c.A) != s.resolve(r, c.B) {
			out = append(out, c)
		}
		return true
	})
	return out
}

// candidatesInScope lists at most limit open candidates of which at least
// one side is in the dealer's scope, with both profiles.
func (s *State) candidatesInScope(r kv.Reader, dealer string, limit int) []protocol.CandidateView {
	out := []protocol.CandidateView{}
	for _, c := range s.openCandidates(r) {
		if len(out) >= limit {
			break
		}
		a, b := s.resolve(r, c.A), s.resolve(r, c.B)
		if !s.inScope(r, dealer, a) && !s.inScope(r, dealer, b) {
			continue
		}
		pa, okA := s.profile(r, a)
		pb, okB := s.profile(r, b)
		if okA && okB {
			out = append(out, protocol.CandidateView{ID: c.ID, A: pa, B: pb, Score: c.Score, Evidence: c.Evidence, Reason: c.Reason})
		}
	}
	return out
}

// candidateInScope reports whether the candidate id exists and one of its
// sides is in the dealer's scope.
func (s *State) candidateInScope(r kv.Reader, dealer, id string) bool {
	c, ok := s.candidate(r, id)
	return ok && (s.inScope(r, dealer, s.resolve(r, c.A)) || s.inScope(r, dealer, s.resolve(r, c.B)))
}

func (s *State) inScope(r kv.Reader, dealer, cust string) bool {
	_, ok := get(r, key(prefixScope, dealer, cust))
	return ok
}

func swapEvidence(ev []customer.Evidence) []customer.Evidence {
	out := make([]customer.Evidence, len(ev))
	for i, e := range ev {
		out[i] = customer.Evidence{Field: e.Field, A: e.B, B: e.A, Similarity: e.Similarity}
	}
	return out
}
