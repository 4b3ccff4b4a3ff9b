package localstore

import (
	"slices"
	"testing"
)

// The sources of local events are found again when the store reopens, so
// a profile the hub sends after a restart still replaces the local copies
// of the events it includes; events of other sources are not looked up.
func TestApplyChanges_ForgetsIncludedLocalEventsAfterReopen(t *testing.T) {
	dir := t.TempDir()
	s := mustOpenIn(t, dir)
	visit := dealerEvent("d017-v-1", "showroom_visit", "312-555-0142", 10)
	mustRecord(t, s, visit)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	s = mustOpenIn(t, dir)
	if got := s.sources.recorded(annaV1().Events); len(got) != 0 {
		t.Errorf("events of the hub's own channels to look up locally: %d, want 0", len(got))
	}
	call := annaV1().Events[0]
	mustApply(t, s, 2, upsert(hubProfile("C-anna", 2, call, visit)))
	found := mustSearch(t, s, Query{Phone: "312-555-0142"})
	if len(found) != 1 || !slices.Equal(timeline(found[0]), []string{"call-88120", "d017-v-1"}) {
		t.Fatalf("search after the hub included the visit = %d profiles, %q; want C-anna with the call and the visit once", len(found), timeline(found[0]))
	}
	if n := countLocal(t, s); n != 0 {
		t.Errorf("%d local copies left, want 0", n)
	}
}

func countLocal(t *testing.T, s *Store) int {
	t.Helper()
	n, err := s.countKeys(prefixLocal)
	if err != nil {
		t.Fatal(err)
	}
	return n
}
