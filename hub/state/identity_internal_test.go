package state

import (
	"bufio"
	"encoding/json"
	"os"
	"slices"
	"testing"

	"github.com/touchpoint/touchpoint/customer"
	"github.com/touchpoint/touchpoint/hub/state/kv"
)

// applyEvents applies each event as its own log entry after index.
func applyEvents(t *testing.T, s *State, index uint64, events ...customer.Event) uint64 {
	t.Helper()
	for _, e := range events {
		index++
		s.ApplyEntry(index, &Entry{Time: 1e18, Commands: []Command{provenanceCommand(t, e)}})
	}
	return index
}

func applyCmd(t *testing.T, s *State, index uint64, typ CommandType, body any) Result {
	t.Helper()
	return s.ApplyEntry(index, &Entry{Time: 1e18, Commands: []Command{mustCommand(t, typ, body)}})[0]
}

func scenarioEvents(t *testing.T) []customer.Event {
	t.Helper()
	f, err := os.Open("../../../shared/scenarios/zot-family.jsonl")
	if err != nil {
		t.Skipf("scenario not available: %v", err)
	}
	defer f.Close()
	var out []customer.Event
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var e customer.Event
		if err := json.Unmarshal(sc.Bytes(), &e); err != nil {
			t.Fatal(err)
		}
		if err := e.Validate(); err != nil {
			t.Fatal(err)
		}
		out = append(out, e)
	}
	return out
}

func profileOf(t *testing.T, s *State, id string) customer.Profile {
	t.Helper()
	var p customer.Profile
	var ok bool
	s.view(func(txn kv.Reader) { p, ok = s.profile(txn, id) })
	if !ok {
		t.Fatalf("no profile %s", id)
	}
	return p
}

func findOne(t *testing.T, s *State, q Query) customer.Profile {
	t.Helper()
	var found []customer.Profile
	s.view(func(txn kv.Reader) { found = s.search(txn, q) })
	if len(found) != 1 {
		t.Fatalf("search %+v: %d profiles, want 1", q, len(found))
	}
	return found[0]
}

func candidates(s *State) []Candidate {
	var out []Candidate
	s.view(func(txn kv.Reader) { out = s.openCandidates(txn) })
	return out
}

// Relatives who share an address or a car form one household and are
// never proposed as the same person.
func TestIdentity_HouseholdsWithoutFalseCandidates(t *testing.T) {
	s := mustState(t)
	applyEvents(t, s, 0, scenarioEvents(t)...)
	ivan := findOne(t, s, Query{Phone: "312-555-0100"})
	misha := findOne(t, s, Query{Phone: "217-555-0199"})
	if len(misha.Household.Members) != 3 || !slices.Contains(misha.Household.Members, ivan.CustomerID) {
		t.Errorf("Misha's household %v lacks Ivan %s", misha.Household.Members, ivan.CustomerID)
	}
	if ivan.ValueTier != customer.TierPlatinum {
		t.Errorf("Ivan's tier = %s, want platinum (three purchases)", ivan.ValueTier)
	}
	if c := candidates(s); len(c) != 0 {
		t.Errorf("candidates %+v, want none: relatives and namesakes are not matches", c)
	}
}

func febrlLikePair() (customer.Event, customer.Event) {
	a := webEvent("a-1", customer.Hints{GivenName: "Anna", FamilyName: "Petrova", BirthDate: "1990-03-04",
		Address: &customer.Address{Line1: "1420 W Elm Street", City: "Chicago", PostalCode: "60622"}})
	b := webEvent("b-1", customer.Hints{GivenName: "Ana", FamilyName: "Petrova", BirthDate: "1990-03-04", Email: "ana@example.com",
		Address: &customer.Address{Line1: "1420 W. Elm St", City: "Chicago", PostalCode: "60622"}})
	b.Source = "import:crm"
	return a, b
}

// Fuzzy evidence raises a candidate but never merges; confirming merges,
// and splitting the merge restores both profiles and their timelines.
func TestIdentity_CandidateConfirmAndSplit(t *testing.T) {
	s := mustState(t)
	a, b := febrlLikePair()
	idx := applyEvents(t, s, 0, a, b)
	cands := candidates(s)
	if len(cands) != 1 {
		t.Fatalf("candidates = %+v, want one", cands)
	}
	if cands[0].A == cands[0].B {
		t.Fatal("candidate pairs a customer with itself")
	}
	before := []customer.Profile{profileOf(t, s, cands[0].A), profileOf(t, s, cands[0].B)}
	for _, e := range cands[0].Evidence { // the evidence's A side is the candidate's A
		if e.Field == "name" && e.A != customer.FoldName(before[0].GivenName+" "+before[0].FamilyName) {
			t.Errorf("evidence %+v is not in the pair's order (A is %s %s)", e, before[0].GivenName, before[0].FamilyName)
		}
	}

	idx++
	if res := applyCmd(t, s, idx, CmdConfirm, &CandidateBody{ID: cands[0].ID}); res.Error != "" {
		t.Fatal(res.Error)
	}
	merged := profileOf(t, s, cands[0].B)
	if merged.CustomerID != cands[0].A || len(merged.Events) != 2 {
		t.Fatalf("after confirm: %s with %d events, want %s with 2", merged.CustomerID, len(merged.Events), cands[0].A)
	}
	var merges []Merge
	s.view(func(txn kv.Reader) { merges = s.merges(txn, cands[0].A) })
	if len(merges) != 1 || merges[0].Reason == "" {
		t.Fatalf("merge record %+v, want one with a reason", merges)
	}

	idx++
	if res := applyCmd(t, s, idx, CmdSplit, &SplitBody{MergeID: merges[0].ID}); res.Error != "" {
		t.Fatal(res.Error)
	}
	for _, want := range before {
		got := profileOf(t, s, want.CustomerID)
		if got.CustomerID != want.CustomerID || !slices.Equal(eventKeys(got), eventKeys(want)) {
			t.Errorf("after split: %s has %v, want %v", want.CustomerID, eventKeys(got), eventKeys(want))
		}
	}
	idx++
	if res := applyCmd(t, s, idx, CmdSplit, &SplitBody{MergeID: merges[0].ID}); res.Error != ErrAlreadySplit.Error() {
		t.Errorf("second split: %q, want %q", res.Error, ErrAlreadySplit)
	}
}

func eventKeys(p customer.Profile) []string {
	var out []string
	for i := range p.Events {
		out = append(out, p.Events[i].Key())
	}
	return out
}

// A rejected candidate is not raised again by later evidence.
func TestIdentity_RejectedCandidateStaysRejected(t *testing.T) {
	s := mustState(t)
	a, b := febrlLikePair()
	idx := applyEvents(t, s, 0, a, b)
	id := candidates(s)[0].ID
	idx++
	applyCmd(t, s, idx, CmdReject, &CandidateBody{ID: id})
	again := b
	again.ID = "b-2"
	applyEvents(t, s, idx, again)
	if c := candidates(s); len(c) != 0 {
		t.Errorf("candidates after reject: %+v", c)
	}
}

// A merge that would give one profile more phones than the limit is
// refused and raised as a candidate instead.
func TestIdentity_MergeProtectionLimitsIdentifiers(t *testing.T) {
	s := mustState(t)
	var events []customer.Event
	for i, phone := range []string{"3125550101", "3125550102", "3125550103"} {
		e := webEvent("p-"+phone, customer.Hints{Phone: phone, Email: "family@example.com"})
		if i > 0 {
			e.Customer.Email = ""
			e.Customer.WebID = "w-" + phone
		}
		events = append(events, e)
	}
	idx := applyEvents(t, s, 0, events...)
	// An event naming all three phones' owners through one shared web id...
	link := webEvent("link", customer.Hints{Email: "family@example.com", WebID: "w-3125550102"})
	body := IngestBody{MaxPerKind: 1, Events: []IngestEvent{{Event: link, Identifiers: []string{"email:family@example.com", "web:w-3125550102"}}}}
	idx++
	s.ApplyEntry(idx, &Entry{Time: 1e18, Commands: []Command{mustCommand(t, CmdIngest, &body)}})
	// ...is refused: with a limit of one phone per profile, no merge.
	if c := candidates(s); len(c) != 1 || c[0].Score != 1 {
		t.Fatalf("candidates = %+v, want one refused merge", c)
	}
	if p := findOne(t, s, Query{Phone: "3125550102"}); len(p.Phones) != 1 {
		t.Errorf("profile holds phones %v after a refused merge", p.Phones)
	}
}

// Replaying the same log into a fresh state yields the same state, byte
// for byte: identity rules are deterministic.
func TestIdentity_ReplayIsDeterministic(t *testing.T) {
	events := scenarioEvents(t)
	a, b := febrlLikePair()
	events = append(events, a, b)
	first, second := mustState(t), mustState(t)
	applyEvents(t, first, 0, events...)
	applyEvents(t, second, 0, events...)
	if diff := diffDumps(dump(t, second.db), dump(t, first.db)); diff != "" {
		t.Fatalf("replay differs: %s", diff)
	}
}
