package localstore

import (
	"slices"

	"github.com/touchpoint/touchpoint/customer"
)

// withLocalEvents adds the events recorded here that name the profile's
// identifiers (or its customer id) and that the hub's copy lacks.
func (s *Store) withLocalEvents(t txn, p customer.Profile) (customer.Profile, error) {
	ids := append(slices.Clone(p.Identifiers), string(customer.NewIdentifier(customer.KindCustomerID, p.CustomerID)))
	locals, err := s.localEventsFor(t, ids)
	if err != nil || len(locals) == 0 {
		return p, err
	}
	have := map[string]bool{}
	for i := range p.Events {
		have[p.Events[i].Key()] = true
	}
	events := slices.Clone(p.Events)
	for _, e := range locals {
		if !have[e.Key()] {
			events = append(events, e)
		}
	}
	if len(events) == len(p.Events) {
		return p, nil
	}
	rebuilt := customer.BuildProfile(p.CustomerID, events, s.region)
	rebuilt.Version = p.Version
	// The household is the hub's to know: keep its answer.
	rebuilt.HouseholdID, rebuilt.Household, rebuilt.ValueTier = p.HouseholdID, p.Household, p.ValueTier
	return rebuilt, nil
}

// localEventsFor returns the local events carrying any of ids.
func (s *Store) localEventsFor(t txn, ids []string) ([]customer.Event, error) {
	var keys [][]byte
	for _, id := range ids {
		err := t.each(keyPrefix(prefixLocalIdent, id), false, func(k, _ []byte) error {
			local := append([]byte(prefixLocal), k[len(prefixLocalIdent)+len(id)+1:]...)
			if !slices.ContainsFunc(keys, func(have []byte) bool { return string(have) == string(local) }) {
				keys = append(keys, local)
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	var out []customer.Event
	for _, k := range keys {
		var le localEvent
		if ok, err := t.decode(k, &le); err != nil {
			return nil, err
		} else if ok {
			out = append(out, le.Event)
		}
	}
	return out, nil
}

// provisional groups local events that match q but belong to no profile
// in found into profiles of their own, joined by the same identity rules
// as the hub's. The hub's answer replaces them after the next sync.
func (s *Store) provisional(t txn, q Query, found []customer.Profile) ([]customer.Profile, error) {
	if q.Name != "" {
		return nil, nil // name search covers cached profiles only
	}
	ids := identifierStrings(customer.QueryIdentifiers(q.Email, q.Phone, q.CustomerID, s.region))
	locals, err := s.localEventsFor(t, ids)
	if err != nil {
		return nil, err
	}
	shown := map[string]bool{}
	for i := range found {
		for _, e := range found[i].Events {
			shown[e.Key()] = true
		}
	}
	locals = slices.DeleteFunc(locals, func(e customer.Event) bool { return shown[e.Key()] })
	if len(locals) == 0 {
		return nil, nil
	}
	p := customer.BuildProfile("local-"+locals[0].ID, locals, s.region)
	p.Provisional = true
	return []customer.Profile{p}, nil
}

func identifierStrings(ids []customer.Identifier) []string {
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = string(id)
	}
	return out
}
