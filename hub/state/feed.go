package state

import (
	"slices"
	"strings"

	"github.com/touchpoint/touchpoint/customer"
	"github.com/touchpoint/touchpoint/hub/state/kv"
)

// changedCustomer gives a changed customer a new version (the feed sequence
// number) and appends it to the feed of every dealer whose scope holds it, adding the dealers whose
// market covers one of its addresses.
func (s *State) changedCustomer(w *writer, cust string) {
	if _, merged := get(w.txn, key(prefixMerged, cust)); !merged {
		s.rederive(w, cust)
	}
	s.appendFeed(w, cust)
}

// rederive updates what the FSM derives from a customer's events: market
// scope, name index, household links and match candidates. When the
// household changed, every member's profile changed with it.
func (s *State) rederive(w *writer, cust string) {
	p := s.fsmProfile(w, cust)
	if s.stash != nil {
		s.stash[cust] = p
	}
	s.addMarketScope(w, cust, p.PostalCodes)
	s.indexNames(w, cust, p.NameTokens)
	next := summarize(&p)
	next.HouseholdKeys = append(next.HouseholdKeys, s.sharedHouseholdKeys(w, cust, s.sharedLimit(w.txn))...)
	before := s.household(w.txn, cust)
	old := s.updateSummary(w, cust, next)
	if !slices.Equal(old.HouseholdKeys, next.HouseholdKeys) {
		for _, m := range append(before, s.household(w.txn, cust)...) {
			if m != cust {
				s.appendFeed(w, m)
			}
		}
	}
	if old.Person != next.Person && !next.Person.Empty() {
		s.findCandidates(w, cust, next)
	}
}

// appendFeed gives a customer a new version (its position in the change
// feed) and appends it to the feed of every dealer in its scope. A
// customer takes one position per Raft entry: the feed shows only fully
// applied entries (see feed), so readers see its final state there.
func (s *State) appendFeed(w *writer, cust string) {
	v, _ := get(w.txn, key(prefixVersion, cust))
	if s.entryIndex > 0 && decodeUint(v)>>seqShift == s.entryIndex {
		return
	}
	seq := s.nextSeq(w)
	w.set(key(prefixVersion, cust), encodeUint(seq))
	for _, dealer := range s.scopeDealers(w.txn, cust) {
		w.set(feedKey(dealer, seq), []byte(cust))
		s.entryDealers[dealer] = true
	}
}

func (s *State) addMarketScope(w *writer, cust string, postalCodes []string) {
	for _, d := range s.dealers(w.txn) {
		if inMarket(d.Market, postalCodes) {
			s.addScope(w, d.ID, cust)
		}
	}
}

func inMarket(market, postalCodes []string) bool {
	for _, prefix := range market {
		for _, pc := range postalCodes {
			if prefix != "" && strings.HasPrefix(strings.TrimSpace(pc), prefix) {
				return true
			}
		}
	}
	return false
}

func (s *State) addScope(w *writer, dealer, cust string) {
	w.set(key(prefixScope, dealer, cust), nil)
	w.set(key(prefixCustScope, cust, dealer), nil)
}

func (s *State) scopeDealers(r kv.Reader, cust string) []string {
	var out []string
	for _, k := range keysUnder(r, keyPrefix(prefixCustScope, cust)) {
		out = append(out, lastPart(k))
	}
	return out
}

func (s *State) indexNames(w *writer, cust string, tokens []string) {
	for _, t := range tokens {
		w.set(key(prefixName, t, cust), nil)
	}
}

// applySubscribe puts customers a dealer looked up into its scope, so
// their later changes reach the dealer's agent.
func (s *State) applySubscribe(w *writer, body *SubscribeBody) {
	for _, c := range body.Customers {
		cust := s.resolve(w.txn, c)
		if _, ok := get(w.txn, key(prefixScope, body.Dealer, cust)); ok {
			continue
		}
		if len(keysUnder(w.txn, keyPrefix(prefixCustEvent, cust))) == 0 {
			continue
		}
		s.addScope(w, body.Dealer, cust)
		s.changedCustomer(w, cust)
	}
}

// buildProfile derives a customer's profile from its stored events.
func (s *State) buildProfile(r kv.Reader, cust string) customer.Profile {
	return s.deriveProfile(r, cust, loadEvents(r, cust))
}

// fsmProfile is buildProfile inside an apply: the events come from the
// FSM's event cache when it holds them.
func (s *State) fsmProfile(w *writer, cust string) customer.Profile {
	ce, ok := s.events.get(cust)
	if !ok {
		ce = loadEvents(w.txn, cust)
		s.events.add(cust, ce)
	}
	return s.deriveProfile(w.txn, cust, ce)
}

func (s *State) deriveProfile(r kv.Reader, cust string, ce *custEvents) customer.Profile {
	events := make([]customer.Event, len(ce.events))
	idents := make(map[string][]customer.Identifier, len(ce.events))
	for i := range ce.events {
		in := &ce.events[i]
		events[i] = in.Event
		for _, id := range in.Identifiers {
			idents[in.Event.Key()] = append(idents[in.Event.Key()], customer.Identifier(id))
		}
	}
	p := customer.DeriveProfile(cust, events, func(e *customer.Event) []customer.Identifier { return idents[e.Key()] })
	v, _ := get(r, key(prefixVersion, cust))
	p.Version = decodeUint(v)
	return p
}
