package state

import (
	"slices"
	"testing"

	"github.com/touchpoint/touchpoint/customer"
	"github.com/touchpoint/touchpoint/hub/state/kv"
)

// Applying a log index that was applied before changes nothing and reports
// nothing: Raft replays entries after a restart.
func TestState_ReapplyingAnIndexChangesNothing(t *testing.T) {
	s := mustState(t)
	entries := sampleEntries(t)
	applyAll(s, entries)
	before := dump(t, s.db)

	for i, e := range entries {
		res := s.ApplyEntry(uint64(i+1), e)
		if len(res) != len(e.Commands) {
			t.Fatalf("replay of %d: %d results for %d commands", i+1, len(res), len(e.Commands))
		}
		for _, r := range res {
			if len(r.Events) != 0 || r.Error != "" {
				t.Errorf("replay of %d reported %+v", i+1, r)
			}
		}
	}
	// An older index with different content is skipped too.
	s.ApplyEntry(2, &Entry{Commands: []Command{ingestCommand(t, webEvent("late", customer.Hints{Email: "late@example.com"}))}})

	if d := diffDumps(dump(t, s.db), before); d != "" {
		t.Fatalf("replay changed the state:\n%s", d)
	}
	if got := s.AppliedIndex(); got != uint64(len(entries)) {
		t.Fatalf("applied index %d, want %d", got, len(entries))
	}
}

// Two replicas applying the same entries hold the same bytes.
func TestState_SameEntriesGiveSameState(t *testing.T) {
	a, b := mustState(t), mustState(t)
	applyAll(a, sampleEntries(t))
	applyAll(b, sampleEntries(t))
	if d := diffDumps(dump(t, b.db), dump(t, a.db)); d != "" {
		t.Fatalf("replicas diverged:\n%s", d)
	}
}

// An entry's results come back per command, in order, with per-event
// statuses: created, duplicate, and the survivor of a merge.
func TestState_ApplyReportsEachCommand(t *testing.T) {
	s := mustState(t)
	entries := sampleEntries(t)
	var got [][]Result
	for i, e := range entries {
		got = append(got, s.ApplyEntry(uint64(i+1), e))
	}
	statuses := func(r Result) []string {
		var out []string
		for _, e := range r.Events {
			out = append(out, e.Status+" "+e.CustomerID)
		}
		return out
	}
	want := [][]string{
		{"created C000000001", "created C000000002"},
		{"created C000000003", "duplicate C000000001", "created C000000001"},
	}
	for i, w := range want {
		if g := statuses(got[i+1][0]); !slices.Equal(g, w) {
			t.Errorf("entry %d: %q, want %q", i+2, g, w)
		}
	}
	if got[3][1].Error != "" {
		t.Errorf("enrolment failed: %s", got[3][1].Error)
	}
	// w-3 named all three customers: the two younger ones now resolve to
	// the oldest.
	s.view(func(txn kv.Reader) {
		for _, id := range []string{"C000000002", "C000000003"} {
			if live := s.resolve(txn, id); live != "C000000001" {
				t.Errorf("%s resolves to %s", id, live)
			}
		}
	})
}

// Enrolment consumes the token: a second use, or an expired token, fails
// with ErrUnknownToken and registers nothing.
func TestState_EnrolConsumesToken(t *testing.T) {
	s := mustState(t)
	const now = int64(1_790_000_000) * 1e9
	enrol := func(index uint64, agent string) Result {
		body := &EnrollBody{TokenHash: HashSecret("tok"), AgentID: agent, SecretHash: HashSecret("s")}
		return s.ApplyEntry(index, &Entry{Time: now, Commands: []Command{mustCommand(t, CmdEnroll, body)}})[0]
	}
	s.ApplyEntry(1, &Entry{Time: now, Commands: []Command{mustCommand(t, CmdAddToken, &Token{Hash: HashSecret("tok"), Dealer: "D1", ExpiresAt: now/1e9 + 60})}})
	if r := enrol(2, "A1"); r.Error != "" {
		t.Fatalf("first use: %s", r.Error)
	}
	if r := enrol(3, "A2"); r.Error != ErrUnknownToken.Error() {
		t.Fatalf("second use: %q", r.Error)
	}
	s.ApplyEntry(4, &Entry{Time: now, Commands: []Command{mustCommand(t, CmdAddToken, &Token{Hash: HashSecret("tok"), Dealer: "D1", ExpiresAt: now/1e9 - 1})}})
	if r := enrol(5, "A3"); r.Error != ErrUnknownToken.Error() {
		t.Fatalf("expired token: %q", r.Error)
	}
	s.view(func(txn kv.Reader) {
		if a, ok := s.agent(txn, "A1"); !ok || a.Dealer != "D1" {
			t.Errorf("A1 = %+v, %v", a, ok)
		}
		for _, id := range []string{"A2", "A3"} {
			if _, ok := s.agent(txn, id); ok {
				t.Errorf("%s was enrolled", id)
			}
		}
	})
}

// A command type this node does not know stops it, unless the type is
// marked ignorable.
func TestState_UnknownCommandPanicsUnlessIgnorable(t *testing.T) {
	s := mustState(t)
	s.ApplyEntry(1, &Entry{Commands: []Command{{Type: Ignorable | 0x3f, Body: []byte{0xa0}}}})
	if s.AppliedIndex() != 1 {
		t.Fatal("ignorable command was not applied")
	}
	defer func() {
		if recover() == nil {
			t.Fatal("unknown command did not panic")
		}
	}()
	s.ApplyEntry(2, &Entry{Commands: []Command{{Type: 0x3f, Body: []byte{0xa0}}}})
}
