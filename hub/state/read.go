package state

import (
	"github.com/touchpoint/touchpoint/customer"
	"github.com/touchpoint/touchpoint/hub/state/kv"
	"github.com/touchpoint/touchpoint/protocol"
)

// Profile returns a customer's profile from this node's applied state,
// following merges.
func (s *State) Profile(id string) (customer.Profile, bool) {
	var p customer.Profile
	var ok bool
	s.view(func(txn kv.Reader) { p, ok = s.profile(txn, id) })
	return p, ok
}

// Search returns the profiles matching q.
func (s *State) Search(q Query) []customer.Profile {
	var out []customer.Profile
	s.view(func(txn kv.Reader) { out = s.search(txn, q) })
	return out
}

// Feed returns the dealer's next batch of changes after cursor.
func (s *State) Feed(dealer string, cursor uint64) protocol.Changes {
	var out protocol.Changes
	s.view(func(txn kv.Reader) { out = s.feed(txn, dealer, cursor) })
	return out
}

// FeedChanged returns a channel closed once the dealer's feed has grown
// (or may have: after a snapshot restore).
func (s *State) FeedChanged(dealer string) <-chan struct{} { return s.feeds.wait(dealer) }

// Dealer returns a registered dealer.
func (s *State) Dealer(id string) (Dealer, bool) {
	var d Dealer
	var ok bool
	s.view(func(txn kv.Reader) { d, ok = s.dealer(txn, id) })
	return d, ok
}

// Dealers lists every registered dealer.
func (s *State) Dealers() []Dealer {
	var out []Dealer
	s.view(func(txn kv.Reader) { out = s.dealers(txn) })
	return out
}

// Agent returns an enrolled agent.
func (s *State) Agent(id string) (Agent, bool) {
	var a Agent
	var ok bool
	s.view(func(txn kv.Reader) { a, ok = s.agent(txn, id) })
	return a, ok
}

// Agents lists every enrolled agent.
func (s *State) Agents() []Agent {
	var out []Agent
	s.view(func(txn kv.Reader) { out = s.agents(txn) })
	return out
}

// Candidates lists the open match candidates.
func (s *State) Candidates() []Candidate {
	var out []Candidate
	s.view(func(txn kv.Reader) { out = s.openCandidates(txn) })
	return out
}

// Merges lists the merges a customer took part in.
func (s *State) Merges(cust string) []Merge {
	var out []Merge
	s.view(func(txn kv.Reader) { out = s.merges(txn, s.resolve(txn, cust)) })
	return out
}

// FeedBacklog counts the dealer's feed entries after cursor, up to a
// bound: an agent's lag.
func (s *State) FeedBacklog(dealer string, cursor uint64) uint64 {
	var n uint64
	s.view(func(txn kv.Reader) {
		must(txn.Scan(keyPrefix(prefixFeed, dealer), feedKey(dealer, cursor+1), false, func(_, _ []byte) bool {
			n++
			return n < maxBehindCounting
		}), "count feed")
	})
	return n
}

// Erasures lists every erasure with the dealers whose agents held the person.
func (s *State) Erasures() []Erasure {
	var out []Erasure
	s.view(func(txn kv.Reader) { out = s.erasures(txn) })
	return out
}

// Token returns an unused enrolment token by its hash.
func (s *State) Token(hash string) (Token, bool) {
	var t Token
	var ok bool
	s.view(func(txn kv.Reader) {
		var raw []byte
		if raw, ok = get(txn, key(prefixToken, hash)); ok {
			decodeValue(raw, &t)
		}
	})
	return t, ok
}

// CandidatesInScope lists at most limit open candidates touching the
// dealer's customers, each with both profiles, for a staff page.
func (s *State) CandidatesInScope(dealer string, limit int) []protocol.CandidateView {
	var out []protocol.CandidateView
	s.view(func(txn kv.Reader) { out = s.candidatesInScope(txn, dealer, limit) })
	return out
}

// CandidateInScope reports whether a dealer's staff may decide candidate
// id: it exists and one side is in the dealer's scope.
func (s *State) CandidateInScope(dealer, id string) bool {
	var ok bool
	s.view(func(txn kv.Reader) { ok = s.candidateInScope(txn, dealer, id) })
	return ok
}

// Nodes lists every registered hub node.
func (s *State) Nodes() []Node {
	var out []Node
	s.view(func(txn kv.Reader) { out = s.nodes(txn) })
	return out
}
