package state

import (
	"slices"
	"testing"

	"github.com/touchpoint/touchpoint/customer"
	"github.com/touchpoint/touchpoint/hub/state/kv"
)

// provenanceCommand builds an ingest the way Store.Ingest proposes it:
// each event marked verified or not by its source.
func provenanceCommand(t *testing.T, events ...customer.Event) Command {
	t.Helper()
	body := IngestBody{}
	for _, e := range events {
		if err := e.Validate(); err != nil {
			t.Fatalf("test event %s: %v", e.ID, err)
		}
		ids := identifierStrings(e.Customer.Identifiers("US"))
		body.Events = append(body.Events, IngestEvent{Event: e, Identifiers: ids, Verified: customer.Verifies(e.Source)})
	}
	return mustCommand(t, CmdIngestProvenance, &body)
}

// applyTrusted applies each event as its own provenance entry after index.
func applyTrusted(t *testing.T, s *State, index uint64, events ...customer.Event) uint64 {
	t.Helper()
	for _, e := range events {
		index++
		res := s.ApplyEntry(index, &Entry{Time: 1e18, Commands: []Command{provenanceCommand(t, e)}})
		if st := res[0].Events[0].Status; st != customer.StatusCreated {
			t.Fatalf("event %s: %s", e.ID, st)
		}
	}
	return index
}

// dealerVisit is a showroom visit recorded by staff: a verifying source.
func dealerVisit(id string, hints customer.Hints) customer.Event {
	e := webEvent(id, hints)
	e.Source, e.Channel, e.Type = "dealer:D1", "showroom", "showroom_visit"
	return e
}

func ownerOf(t *testing.T, s *State, ident string) string {
	t.Helper()
	var owner string
	s.view(func(txn kv.Reader) {
		if v, ok := get(txn, key(prefixIdentifier, ident)); ok {
			owner = s.resolve(txn, string(v))
		}
	})
	return owner
}

// A forged website request naming Alice's e-mail and Bob's phone, both
// verified at a dealer, merges nobody: both stay, a candidate is raised,
// and the event stays with the one customer.
func TestTrust_ClaimNeverMergesTwoKnownPeople(t *testing.T) {
	s := mustState(t)
	i := applyTrusted(t, s, 0,
		dealerVisit("v-alice", customer.Hints{Email: "alice@example.com", GivenName: "Alice"}),
		dealerVisit("v-bob", customer.Hints{Phone: "+1 312 555 0142", GivenName: "Bob"}),
	)
	alice, bob := ownerOf(t, s, "email:alice@example.com"), ownerOf(t, s, "phone:+13125550142")
	applyTrusted(t, s, i, webEvent("forged", customer.Hints{Email: "alice@example.com", Phone: "312 555 0142"}))

	if got := ownerOf(t, s, "email:alice@example.com"); got != alice {
		t.Fatalf("alice's e-mail now belongs to %s, want %s", got, alice)
	}
	if got := ownerOf(t, s, "phone:+13125550142"); got != bob {
		t.Fatalf("bob's phone now belongs to %s, want %s (merged by a claim)", got, bob)
	}
	var cands []Candidate
	s.view(func(txn kv.Reader) { cands = s.openCandidates(txn) })
	if len(cands) != 1 || !slices.Contains([]string{cands[0].A, cands[0].B}, bob) {
		t.Fatalf("candidates = %+v, want one pairing alice and bob", cands)
	}
}

// A claim may attach an unknown phone to one known person, where it is
// shown as claimed, until a verified source gives it too.
func TestTrust_ClaimedIdentifierIsMarkedUntilVerified(t *testing.T) {
	s := mustState(t)
	i := applyTrusted(t, s, 0, dealerVisit("v-alice", customer.Hints{Email: "alice@example.com"}))
	alice := ownerOf(t, s, "email:alice@example.com")
	i = applyTrusted(t, s, i, webEvent("w-1", customer.Hints{Email: "alice@example.com", Phone: "312 555 0199"}))
	if got := ownerOf(t, s, "phone:+13125550199"); got != alice {
		t.Fatalf("the claimed phone belongs to %q, want %s", got, alice)
	}
	if p := profileOf(t, s, alice); !p.Claimed("phone:+13125550199") || p.Claimed("email:alice@example.com") {
		t.Fatalf("claimed identifiers = %v, want only the phone", p.ClaimedIdentifiers)
	}
	applyTrusted(t, s, i, dealerVisit("v-2", customer.Hints{Email: "alice@example.com", Phone: "312 555 0199"}))
	if p := profileOf(t, s, alice); len(p.ClaimedIdentifiers) != 0 {
		t.Fatalf("claimed identifiers after a dealer visit = %v, want none", p.ClaimedIdentifiers)
	}
	var mark []byte
	s.view(func(txn kv.Reader) { mark, _ = get(txn, key(prefixCustIdent, alice, "phone:+13125550199")) })
	if len(mark) != 0 {
		t.Fatalf("the phone's mark is %q after a verified event, want verified", mark)
	}
}

// Anonymous browsing joins the person who later names themselves, even
// through a claim: that is what identify is for.
func TestTrust_ClaimAttachesAnonymousHistoryToOnePerson(t *testing.T) {
	s := mustState(t)
	i := applyTrusted(t, s, 0,
		dealerVisit("v-alice", customer.Hints{Email: "alice@example.com"}),
		webEvent("w-anon", customer.Hints{WebID: "cookie-7"}),
	)
	alice := ownerOf(t, s, "email:alice@example.com")
	applyTrusted(t, s, i, webEvent("w-identify", customer.Hints{WebID: "cookie-7", Email: "alice@example.com"}))
	if got := ownerOf(t, s, "web:cookie-7"); got != alice {
		t.Fatalf("the anonymous history belongs to %q, want %s", got, alice)
	}
	if n := len(profileOf(t, s, alice).Events); n != 3 {
		t.Fatalf("alice has %d events, want 3", n)
	}
}

// Verified evidence still merges: a dealer visit giving both identifiers
// proves they are one person.
func TestTrust_VerifiedEventStillMerges(t *testing.T) {
	s := mustState(t)
	i := applyTrusted(t, s, 0,
		dealerVisit("v-1", customer.Hints{Email: "alice@example.com"}),
		dealerVisit("v-2", customer.Hints{Phone: "+1 312 555 0142"}),
	)
	applyTrusted(t, s, i, dealerVisit("v-3", customer.Hints{Email: "alice@example.com", Phone: "+1 312 555 0142"}))
	if a, b := ownerOf(t, s, "email:alice@example.com"), ownerOf(t, s, "phone:+13125550142"); a != b {
		t.Fatalf("a verified event left %s and %s apart", a, b)
	}
}

// The same (source, id) again is a duplicate; with a different body it
// is a conflict, and the first body stands.
func TestIngest_SameSourceAndIDWithAnotherBodyIsAConflict(t *testing.T) {
	s := mustState(t)
	first := dealerVisit("v-1", customer.Hints{Email: "alice@example.com"})
	i := applyTrusted(t, s, 0, first)
	changed := first
	changed.Note = "edited"
	for _, c := range []struct {
		event customer.Event
		want  string
	}{{first, customer.StatusDuplicate}, {changed, customer.StatusConflict}} {
		i++
		res := s.ApplyEntry(i, &Entry{Time: 1e18, Commands: []Command{provenanceCommand(t, c.event)}})
		if got := res[0].Events[0]; got.Status != c.want || got.CustomerID == "" {
			t.Fatalf("note %q: %+v, want %s with the customer", c.event.Note, got, c.want)
		}
	}
	if p := profileOf(t, s, ownerOf(t, s, "email:alice@example.com")); p.Events[0].Note != "" {
		t.Fatalf("stored note %q, want the first body", p.Events[0].Note)
	}
}

// Entries written before provenance replay as they applied then: their
// claims merged, and a replica replaying them must reach the same state.
func TestTrust_EntriesFromBeforeProvenanceReplayTheOldWay(t *testing.T) {
	s := mustState(t)
	visits := []customer.Event{
		dealerVisit("v-alice", customer.Hints{Email: "alice@example.com"}),
		dealerVisit("v-bob", customer.Hints{Phone: "+1 312 555 0142"}),
		webEvent("forged", customer.Hints{Email: "alice@example.com", Phone: "312 555 0142"}),
	}
	for i, e := range visits {
		s.ApplyEntry(uint64(i+1), &Entry{Time: 1e18, Commands: []Command{legacyIngestCommand(t, e)}})
	}
	if a, b := ownerOf(t, s, "email:alice@example.com"), ownerOf(t, s, "phone:+13125550142"); a != b {
		t.Fatalf("an old entry's claim left %s and %s apart; it merged them when it was written", a, b)
	}
}

// A split gives the merged person back the events that arrived after the
// merge and carry only their identifiers, not just those that moved.
func TestSplit_ReturnsEventsThatArrivedAfterTheMerge(t *testing.T) {
	s := mustState(t)
	i := applyTrusted(t, s, 0,
		dealerVisit("v-ann", customer.Hints{Email: "ann@example.com"}),
		dealerVisit("v-bo", customer.Hints{Phone: "+1 312 555 0142"}),
		dealerVisit("v-both", customer.Hints{Email: "ann@example.com", Phone: "+1 312 555 0142"}),
		phoneCall("c-bo-later", "+1 312 555 0142"),
	)
	ann := ownerOf(t, s, "email:ann@example.com")
	var merges []Merge
	s.view(func(txn kv.Reader) { merges = s.merges(txn, ann) })
	if len(merges) != 1 {
		t.Fatalf("%d merges, want 1", len(merges))
	}
	if res := applyCmd(t, s, i+1, CmdSplitAll, &SplitBody{MergeID: merges[0].ID}); res.Error != "" {
		t.Fatal(res.Error)
	}
	bo := ownerOf(t, s, "phone:+13125550142")
	var ids []string
	for _, e := range profileOf(t, s, bo).Events {
		ids = append(ids, e.ID)
	}
	slices.Sort(ids)
	if !slices.Equal(ids, []string{"c-bo-later", "v-bo"}) {
		t.Fatalf("after the split Bo holds %v, want his visit and the later call", ids)
	}
}
