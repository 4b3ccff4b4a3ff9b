package state

import (
	"slices"

	"github.com/touchpoint/touchpoint/hub/state/kv"

	"github.com/touchpoint/touchpoint/customer"
)

// Families share an e-mail address or a home phone. An identifier that
// people who are clearly different present (different given names, and
// different birth dates or different phones of their own) is *shared*:
// it stays on each of them and links them into one household, but no
// longer joins anyone as one person. An event whose only identity is a
// shared value goes to the sharer of the same given name (the oldest
// sharer when it names nobody); a value shared by more people than the
// limit (a dealership's main line typed for every walk-in) joins nobody
// and links no household.
//
//	sh/<identifier>\0<cust>  → ""  the customers who share it
//	csh/<cust>\0<identifier> → ""  the shared identifiers a customer holds
var (
	prefixShared     = "sh/"
	prefixCustShared = "csh/"
	keySharedLimit   = []byte("m/shared-limit") // the limit in force, when not the default
)

// DefaultSharedLimit is how many people may share an identifier before
// it stops joining and linking anyone.
const DefaultSharedLimit = 4

// sharableKinds are the kinds families share; web and customer ids are
// never shared.
var sharableKinds = []string{customer.KindEmail, customer.KindPhone}

// separateShared splits an event's identifiers into join keys and shared
// values: those shared before, and those whose owner the event shows to
// be someone else (which become shared here, with that owner).
func (s *State) separateShared(w *writer, in *IngestEvent) (joinKeys, shared []string) {
	for _, id := range in.Identifiers {
		switch {
		case !slices.Contains(sharableKinds, identKind(id)):
			joinKeys = append(joinKeys, id)
		case len(s.sharers(w, id)) > 0:
			shared = append(shared, id)
		default:
			owner, ok := get(w.txn, key(prefixIdentifier, id))
			if ok && s.clearlyDifferent(w, in, id, s.resolve(w.txn, string(owner))) {
				s.share(w, id, s.resolve(w.txn, string(owner)))
				shared = append(shared, id)
				continue
			}
			joinKeys = append(joinKeys, id)
		}
	}
	return joinKeys, shared
}

// clearlyDifferent reports whether the event's person is not the owner
// of ident: both have given names and they differ, and either both birth
// dates are known and differ, or each has phones the other lacks.
func (s *State) clearlyDifferent(w *writer, in *IngestEvent, ident, owner string) bool {
	sm, ok := s.summary(w.txn, owner)
	given := customer.FoldName(in.Event.Customer.GivenName)
	if !ok || given == "" || sm.Person.Given == "" || given == sm.Person.Given {
		return false
	}
	birth := customer.PersonOf(&customer.Profile{BirthDate: in.Event.Customer.BirthDate}).BirthDate
	if birth != "" && sm.Person.BirthDate != "" && birth != sm.Person.BirthDate {
		return true
	}
	own := otherPhones(in.Identifiers, ident)
	held := otherPhones(lastParts(keysUnder(w.txn, keyPrefix(prefixCustIdent, owner))), ident)
	if len(own) == 0 || len(held) == 0 {
		return false
	}
	for _, p := range own {
		if slices.Contains(held, p) {
			return false
		}
	}
	return true
}

// otherPhones lists the phone identifiers of ids except ident.
func otherPhones(ids []string, ident string) []string {
	var out []string
	for _, id := range ids {
		if id != ident && identKind(id) == customer.KindPhone {
			out = append(out, id)
		}
	}
	return out
}

func lastParts(keys [][]byte) []string {
	out := make([]string, len(keys))
	for i, k := range keys {
		out[i] = lastPart(k)
	}
	return out
}

// sharers lists the live customers sharing ident, oldest first.
func (s *State) sharers(w *writer, ident string) []string {
	var out []string
	for _, k := range keysUnder(w.txn, keyPrefix(prefixShared, ident)) {
		if c := s.resolve(w.txn, lastPart(k)); !slices.Contains(out, c) {
			out = append(out, c)
		}
	}
	slices.Sort(out)
	return out
}

// share records that cust shares ident.
func (s *State) share(w *writer, ident, cust string) {
	if _, ok := get(w.txn, key(prefixShared, ident, cust)); ok {
		return
	}
	w.set(key(prefixShared, ident, cust), nil)
	w.set(key(prefixCustShared, cust, ident), nil)
}

// sharerFor picks the customer an event whose only identity is shared
// values belongs to: the sharer with the event's given name, or the
// oldest sharer when it names nobody; "" for a new person (a name no
// sharer has, or values shared by more people than limit).
func (s *State) sharerFor(w *writer, in *IngestEvent, shared []string, limit int) string {
	given := customer.FoldName(in.Event.Customer.GivenName)
	for _, id := range shared {
		people := s.sharers(w, id)
		if len(people) > limit {
			continue
		}
		if given == "" {
			return people[0]
		}
		for _, c := range people {
			if sm, ok := s.summary(w.txn, c); ok && sm.Person.Given == given {
				return c
			}
		}
	}
	return ""
}

// holdShared puts the shared values on cust too (within the limit),
// marked claimed or verified like any identifier it holds, and returns
// those cust joined the sharers of.
func (s *State) holdShared(w *writer, cust string, shared []string, limit int, verified bool) (joined []string) {
	for _, id := range shared {
		if people := s.sharers(w, id); len(people) > limit || slices.Contains(people, cust) {
			if slices.Contains(people, cust) && verified {
				s.verifyClaims(w, cust, []string{id})
			}
			continue
		}
		s.share(w, id, cust)
		w.set(key(prefixCustIdent, cust, id), provenanceMark(verified))
		joined = append(joined, id)
	}
	return joined
}

// sharedHouseholdKeys are the household keys of the values cust shares
// with few enough people.
func (s *State) sharedHouseholdKeys(w *writer, cust string, limit int) []string {
	var out []string
	for _, k := range keysUnder(w.txn, keyPrefix(prefixCustShared, cust)) {
		id := lastPart(k)
		if len(s.sharers(w, id)) <= limit {
			out = append(out, "shared:"+id)
		}
	}
	return out
}

// unshare takes cust off the people sharing ident and reports whether
// someone else still shares it; the index then points at one of them.
func (s *State) unshare(w *writer, ident, cust string) bool {
	if _, ok := get(w.txn, key(prefixCustShared, cust, ident)); !ok {
		return false
	}
	w.delete(key(prefixCustShared, cust, ident))
	w.delete(key(prefixShared, ident, cust))
	rest := s.sharers(w, ident)
	if len(rest) == 0 {
		return false
	}
	w.set(key(prefixIdentifier, ident), []byte(rest[0]))
	for _, c := range rest {
		s.changedCustomer(w, c) // their household lost a member
	}
	return true
}

// moveShared hands the values from shares to to, which absorbed it.
func (s *State) moveShared(w *writer, from, to string) {
	for _, k := range keysUnder(w.txn, keyPrefix(prefixCustShared, from)) {
		ident := lastPart(k)
		w.delete(k)
		w.delete(key(prefixShared, ident, from))
		s.share(w, ident, to)
	}
}

// sharedLimit is the limit in force: the one the latest ingest carried.
func (s *State) sharedLimit(r kv.Reader) int {
	if v, ok := get(r, keySharedLimit); ok {
		return int(decodeUint(v))
	}
	return DefaultSharedLimit
}

// keepSharedLimit stores the limit an ingest carries, when it changed.
func (s *State) keepSharedLimit(w *writer, limit int) {
	if limit <= 0 {
		limit = DefaultSharedLimit
	}
	if s.sharedLimit(w.txn) != limit {
		w.set(keySharedLimit, encodeUint(uint64(limit)))
	}
}

// sharersOf lists the people sharing any of ids.
func (s *State) sharersOf(w *writer, ids []string) []string {
	var out []string
	for _, id := range ids {
		for _, c := range s.sharers(w, id) {
			if !slices.Contains(out, c) {
				out = append(out, c)
			}
		}
	}
	return out
}
