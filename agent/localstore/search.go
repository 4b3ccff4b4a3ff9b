package localstore

import (
	"fmt"
	"slices"

	"github.com/dgraph-io/badger/v4"
	"github.com/touchpoint/touchpoint/customer"
)

// MaxResults bounds one search.
const MaxResults = 20

// Query is a staff search; the first non-empty field is used.
type Query struct {
	Email, Phone, Name, CustomerID string
}

// Search returns cached profiles matching q, each with the local events
// that belong to it, and provisional profiles for local events that match
// q but no cached profile.
func (s *Store) Search(q Query) ([]customer.Profile, error) {
	var out []customer.Profile
	err := s.db.View(func(bt *badger.Txn) error {
		t := txn{bt}
		custs, err := s.matchProfiles(t, q)
		if err != nil {
			return err
		}
		for _, c := range custs {
			var p customer.Profile
			if ok, err := t.decode(key(prefixProfile, c), &p); err != nil || !ok {
				return err
			}
			if p, err = s.withLocalEvents(t, p); err != nil {
				return err
			}
			out = append(out, p)
		}
		prov, err := s.provisional(t, q, out)
		out = append(out, prov...)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("search: %w", err)
	}
	return out, nil
}

// Profile returns one cached profile with its local events.
func (s *Store) Profile(id string) (customer.Profile, error) {
	var p customer.Profile
	err := s.db.View(func(bt *badger.Txn) error {
		t := txn{bt}
		ok, err := t.decode(key(prefixProfile, id), &p)
		if err != nil {
			return err
		}
		if !ok {
			return ErrNotFound
		}
		p, err = s.withLocalEvents(t, p)
		return err
	})
	return p, err
}

// matchProfiles returns the ids of cached profiles matching q.
func (s *Store) matchProfiles(t txn, q Query) ([]string, error) {
	if q.Name != "" {
		return s.matchName(t, q.Name)
	}
	var out []string
	for _, id := range customer.QueryIdentifiers(q.Email, q.Phone, q.CustomerID, s.region) {
		err := t.each(keyPrefix(prefixIdent, string(id)), false, func(k, _ []byte) error {
			out = appendNew(out, lastPart(k))
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// matchName finds profiles whose names hold every folded query word, in
// customer id order, at most MaxResults.
func (s *Store) matchName(t txn, name string) ([]string, error) {
	var lists []*postings
	for _, w := range customer.NameTokens(name, "") {
		l := newPostings(t, map[string]float64{w: 1})
		defer l.close()
		lists = append(lists, l)
	}
	var out []string
	intersect(lists, func(c string, _ float64) bool {
		out = append(out, c)
		return len(out) < MaxResults
	})
	return out, nil
}

func appendNew(list []string, s string) []string {
	if slices.Contains(list, s) {
		return list
	}
	return append(list, s)
}
