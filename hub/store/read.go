package store

import (
	"github.com/dgraph-io/badger/v4"
	"github.com/touchpoint/touchpoint/customer"
	"github.com/touchpoint/touchpoint/protocol"
)

// Profile returns a customer's profile from this node's applied state,
// following merges.
func (s *Store) Profile(id string) (customer.Profile, bool) {
	var p customer.Profile
	var ok bool
	s.state.view(func(txn *badger.Txn) { p, ok = s.state.profile(txn, id) })
	return p, ok
}

// Search returns the profiles matching q.
func (s *Store) Search(q Query) []customer.Profile {
	var out []customer.Profile
	s.state.view(func(txn *badger.Txn) { out = s.state.search(txn, q) })
	return out
}

// Feed returns the dealer's next batch of changes after cursor.
func (s *Store) Feed(dealer string, cursor uint64) protocol.Changes {
	var out protocol.Changes
	s.state.view(func(txn *badger.Txn) { out = s.state.feed(txn, dealer, cursor) })
	return out
}

// FeedChanged returns a channel closed once the dealer's feed has grown
// (or may have: after a snapshot restore).
func (s *Store) FeedChanged(dealer string) <-chan struct{} { return s.state.feeds.wait(dealer) }

// Dealer returns a registered dealer.
func (s *Store) Dealer(id string) (Dealer, bool) {
	var d Dealer
	var ok bool
	s.state.view(func(txn *badger.Txn) { d, ok = s.state.dealer(txn, id) })
	return d, ok
}

// Dealers lists every registered dealer.
func (s *Store) Dealers() []Dealer {
	var out []Dealer
	s.state.view(func(txn *badger.Txn) { out = s.state.dealers(txn) })
	return out
}

// Agent returns an enrolled agent.
func (s *Store) Agent(id string) (Agent, bool) {
	var a Agent
	var ok bool
	s.state.view(func(txn *badger.Txn) { a, ok = s.state.agent(txn, id) })
	return a, ok
}

// Agents lists every enrolled agent.
func (s *Store) Agents() []Agent {
	var out []Agent
	s.state.view(func(txn *badger.Txn) { out = s.state.agents(txn) })
	return out
}

// Candidates lists the open match candidates.
func (s *Store) Candidates() []Candidate {
	var out []Candidate
	s.state.view(func(txn *badger.Txn) { out = s.state.openCandidates(txn) })
	return out
}

// Merges lists the merges a customer took part in.
func (s *Store) Merges(cust string) []Merge {
	var out []Merge
	s.state.view(func(txn *badger.Txn) { out = s.state.merges(txn, s.state.resolve(txn, cust)) })
	return out
}

// FeedBacklog counts the dealer's feed entries after cursor, up to a
// bound: an agent's lag.
func (s *Store) FeedBacklog(dealer string, cursor uint64) uint64 {
	var n uint64
	s.state.view(func(txn *badger.Txn) {
		opts := badger.DefaultIteratorOptions
		opts.Prefix, opts.PrefetchValues = keyPrefix(prefixFeed, dealer), false
		it := txn.NewIterator(opts)
		defer it.Close()
		for it.Seek(feedKey(dealer, cursor+1)); it.Valid() && n < maxBehindCounting; it.Next() {
			n++
		}
	})
	return n
}

// Erasures lists every erasure with the dealers whose agents held the person.
func (s *Store) Erasures() []Erasure {
	var out []Erasure
	s.state.view(func(txn *badger.Txn) { out = s.state.erasures(txn) })
	return out
}

// Token returns an unused enrolment token by its hash.
func (s *Store) Token(hash string) (Token, bool) {
	var t Token
	var ok bool
	s.state.view(func(txn *badger.Txn) {
		var raw []byte
		if raw, ok = get(txn, key(prefixToken, hash)); ok {
			decodeValue(raw, &t)
		}
	})
	return t, ok
}

// CandidatesInScope lists at most limit open candidates touching the
// dealer's customers, each with both profiles, for a staff page.
func (s *Store) CandidatesInScope(dealer string, limit int) []protocol.CandidateView {
	var out []protocol.CandidateView
	s.state.view(func(txn *badger.Txn) { out = s.state.candidatesInScope(txn, dealer, limit) })
	return out
}

// CandidateInScope reports whether a dealer's staff may decide candidate
// id: it exists and one side is in the dealer's scope.
func (s *Store) CandidateInScope(dealer, id string) bool {
	var ok bool
	s.state.view(func(txn *badger.Txn) { ok = s.state.candidateInScope(txn, dealer, id) })
	return ok
}
