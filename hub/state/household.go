package state

import (
	"slices"

	"github.com/touchpoint/touchpoint/customer"
	"github.com/touchpoint/touchpoint/hub/state/kv"
)

// Household limits. A key shared by more customers than
// maxHouseholdKeyMembers (a dealership's own address, a fleet car) says
// nothing about families and is ignored; a household holds at most
// maxHouseholdSize people.
const (
	maxHouseholdKeyMembers = 10
	maxHouseholdSize       = 20
)

// summary is what the FSM keeps per customer to resolve households and
// match candidates without rebuilding profiles: derived from the events,
// rewritten on every change.
type summary struct {
	Person        customer.Person    `cbor:"1,keyasint"`
	Owned         []customer.Vehicle `cbor:"2,keyasint,omitempty"`
	HouseholdKeys []string           `cbor:"3,keyasint,omitempty"`
	BlockKeys     []string           `cbor:"4,keyasint,omitempty"`
	Purchases     int                `cbor:"5,keyasint,omitempty"`
}

func summarize(p *customer.Profile) summary {
	s := summary{Person: customer.PersonOf(p), Owned: p.Owned}
	for _, v := range p.Owned {
		s.HouseholdKeys = appendNew(s.HouseholdKeys, "vin:"+v.VIN)
	}
	for i := range p.Addresses {
		if k := p.Addresses[i].HouseholdKey(); k != "" {
			s.HouseholdKeys = appendNew(s.HouseholdKeys, "addr:"+k)
		}
	}
	if !s.Person.Empty() {
		s.BlockKeys = customer.BlockingKeys(s.Person)
	}
	for i := range p.Events {
		if p.Events[i].Type == "purchase" {
			s.Purchases++
		}
	}
	return s
}

func appendNew(list []string, s string) []string {
	if slices.Contains(list, s) {
		return list
	}
	return append(list, s)
}

func (s *State) summary(r kv.Reader, cust string) (summary, bool) {
	raw, ok := get(r, key(prefixSummary, cust))
	if !ok {
		return summary{}, false
	}
	var sm summary
	decodeValue(raw, &sm)
	return sm, true
}

// updateSummary stores a customer's new summary, re-indexes its household
// and blocking keys, and returns the old one.
func (s *State) updateSummary(w *writer, cust string, next summary) summary {
	old, _ := s.summary(w.txn, cust)
	reindex(w, prefixHouseholdKey, cust, old.HouseholdKeys, next.HouseholdKeys)
	if old.Person != next.Person || !slices.Equal(old.BlockKeys, next.BlockKeys) {
		reindex(w, prefixBlock, cust, old.BlockKeys, nil)
		person := mustEncode(&next.Person)
		for _, k := range next.BlockKeys { // the person rides in the index: one read per comparison
			w.set(key(prefixBlock, k, cust), person)
		}
	}
	w.set(key(prefixSummary, cust), mustEncode(&next))
	return old
}

// dropSummary forgets a customer that was merged away or erased.
func (s *State) dropSummary(w *writer, cust string) summary {
	old, _ := s.summary(w.txn, cust)
	reindex(w, prefixHouseholdKey, cust, old.HouseholdKeys, nil)
	reindex(w, prefixBlock, cust, old.BlockKeys, nil)
	w.delete(key(prefixSummary, cust))
	return old
}

func reindex(w *writer, prefix, cust string, old, next []string) {
	for _, k := range old {
		if !slices.Contains(next, k) {
			w.delete(key(prefix, k, cust))
		}
	}
	for _, k := range next {
		if !slices.Contains(old, k) {
			w.set(key(prefix, k, cust), nil)
		}
	}
}

// keyMembers lists the customers indexed under one key, or nil when there
// are more than limit.
func keyMembers(r kv.Reader, prefix, k string, limit int) []string {
	keys := keysUnderLimit(r, keyPrefix(prefix, k), limit+1)
	if len(keys) > limit {
		return nil
	}
	out := make([]string, len(keys))
	for i, kk := range keys {
		out[i] = lastPart(kk)
	}
	return out
}

// household returns the customers linked to cust through shared owned
// cars or a shared address, cust included, sorted: the first is the
// household's id.
func (s *State) household(r kv.Reader, cust string) []string {
	members := []string{cust}
	for i := 0; i < len(members) && len(members) < maxHouseholdSize; i++ {
		sm, _ := s.summary(r, members[i])
		for _, k := range sm.HouseholdKeys {
			for _, m := range keyMembers(r, prefixHouseholdKey, k, maxHouseholdKeyMembers) {
				if len(members) < maxHouseholdSize {
					members = appendNew(members, m)
				}
			}
		}
	}
	slices.Sort(members)
	return members
}

// withHousehold fills a profile's household, its cars and the value tier.
func (s *State) withHousehold(r kv.Reader, p *customer.Profile) {
	members := s.household(r, p.CustomerID)
	var cars []customer.Vehicle
	for _, m := range members {
		sm, _ := s.summary(r, m)
		for _, v := range sm.Owned {
			if !slices.ContainsFunc(cars, func(c customer.Vehicle) bool { return c.VIN == v.VIN }) {
				cars = append(cars, v)
			}
		}
	}
	if cars == nil {
		cars = []customer.Vehicle{}
	}
	p.HouseholdID = members[0]
	p.Household = customer.Household{Members: members, Vehicles: cars}
	p.ValueTier = customer.ValueTier(countPurchases(p), len(cars))
}

func countPurchases(p *customer.Profile) int {
	n := 0
	for i := range p.Events {
		if p.Events[i].Type == "purchase" {
			n++
		}
	}
	return n
}
