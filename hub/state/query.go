package state

import (
	"encoding/binary"
	"slices"

	"github.com/touchpoint/touchpoint/customer"
	"github.com/touchpoint/touchpoint/hub/state/kv"
	"github.com/touchpoint/touchpoint/protocol"
)

// Read limits keep one request's cost bounded.
const (
	MaxSearchResults  = 20
	MaxFeedBatch      = 1000 // protocol.MaxBatch; a frame over 4 MiB goes as several
	maxBehindCounting = 100000
	maxFeedSkips      = 50000 // superseded entries one batch passes over
)

// Query is a profile search; the first non-empty field is used.
type Query struct {
	Email      string
	Phone      string
	Name       string
	CustomerID string
	Region     string // for phone numbers written without a country code
}

// view runs fn in a read-only transaction of the applied state.
func (s *State) view(fn func(txn kv.Reader)) {
	must(s.db.View(func(txn kv.Reader) error { fn(txn); return nil }), "view")
}

// profile returns the customer's profile, following merges.
func (s *State) profile(r kv.Reader, id string) (customer.Profile, bool) {
	id = s.resolve(r, id)
	if len(keysUnderLimit(r, keyPrefix(prefixCustEvent, id), 1)) == 0 {
		return customer.Profile{}, false
	}
	p := s.buildProfile(r, id)
	s.withHousehold(r, &p)
	return p, true
}

// search returns the profiles matching q.
func (s *State) search(r kv.Reader, q Query) []customer.Profile {
	var ids []string
	if q.Name != "" {
		ids = s.searchName(r, q.Name)
	} else {
		region := q.Region
		if region == "" {
			region = s.region
		}
		for _, ident := range customer.QueryIdentifiers(q.Email, q.Phone, q.CustomerID, region) {
			if c, ok := get(r, key(prefixIdentifier, string(ident))); ok {
				ids = append(ids, s.resolve(r, string(c)))
			}
			for _, k := range keysUnder(r, keyPrefix(prefixShared, string(ident))) {
				ids = append(ids, s.resolve(r, lastPart(k))) // everyone sharing it
			}
		}
	}
	var out []customer.Profile
	for _, id := range dedupe(ids) {
		if p, ok := s.profile(r, id); ok {
			out = append(out, p)
		}
	}
	return out
}

// searchName finds customers whose names contain every folded query word.
func (s *State) searchName(r kv.Reader, name string) []string {
	words := customer.NameTokens(name, "")
	if len(words) == 0 {
		return nil
	}
	var ids []string
	for _, k := range keysUnder(r, keyPrefix(prefixName, words[0])) {
		cust := s.resolve(r, lastPart(k))
		if slices.Contains(ids, cust) || len(ids) >= MaxSearchResults {
			continue
		}
		p := s.buildProfile(r, cust)
		if containsAll(p.NameTokens, words) {
			ids = append(ids, cust)
		}
	}
	return ids
}

func containsAll(have, want []string) bool {
	for _, w := range want {
		if !slices.Contains(have, w) {
			return false
		}
	}
	return true
}

func dedupe(ids []string) []string {
	var out []string
	for _, id := range ids {
		if !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	return out
}

// feed returns the dealer's changes after cursor: the current state of
// each changed customer, once per batch. An entry whose customer changed
// again later is skipped: the later entry sends the same current state,
// so an agent catching up after days offline gets each customer once.
func (s *State) feed(r kv.Reader, dealer string, cursor uint64) protocol.Changes {
	out := protocol.Changes{Cursor: cursor}
	prefix := keyPrefix(prefixFeed, dealer)
	seen := map[string]bool{}
	skipped := 0
	v, _ := get(r, keyApplied)
	applied := decodeUint(v)
	visible := (applied + 1) << seqShift // positions of fully applied entries only
	scanFrom(r, prefix, feedKey(dealer, cursor+1), func(k, v []byte) bool {
		seq := binary.BigEndian.Uint64(k[len(k)-8:])
		if seq >= visible {
			return false
		}
		if len(seen) >= MaxFeedBatch || skipped >= maxFeedSkips {
			out.Behind++
			return out.Behind < maxBehindCounting
		}
		out.Cursor = seq
		cust := string(v)
		switch {
		case seen[cust]:
		case s.changedSince(r, cust, seq):
			skipped++
		default:
			seen[cust] = true
			out.Changes = append(out.Changes, s.change(r, cust, applied))
		}
		return true
	})
	return out
}

// changedSince reports whether the customer's last change is after seq:
// scopes only grow, so every dealer with an entry at seq has one there too.
func (s *State) changedSince(r kv.Reader, cust string, seq uint64) bool {
	v, _ := get(r, key(prefixVersion, cust))
	return decodeUint(v) > seq
}

// change is the current state of one customer for the feed, in a view
// whose last applied entry is applied. A profile is shared through the
// cache only once the entry that gave it its version is fully applied:
// until then, a later part of that entry may still change it.
func (s *State) change(r kv.Reader, cust string, applied uint64) protocol.Change {
	if to, merged := get(r, key(prefixMerged, cust)); merged {
		return protocol.Change{CustomerID: cust, MergedInto: s.resolve(r, string(to))}
	}
	c := protocol.Change{CustomerID: cust}
	v, _ := get(r, key(prefixVersion, cust))
	version := decodeUint(v)
	if p, ok := s.feedCache.get(cust, version); ok {
		c.Profile = p
		return c
	}
	if p, ok := s.profile(r, cust); ok {
		c.Profile = &p
		if version>>seqShift <= applied {
			s.feedCache.add(&p)
		}
	}
	return c
}

func (s *State) agents(r kv.Reader) []Agent {
	var out []Agent
	scan(r, []byte(prefixAgent), func(_, v []byte) bool {
		var a Agent
		decodeValue(v, &a)
		out = append(out, a)
		return true
	})
	return out
}
