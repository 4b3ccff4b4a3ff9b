package localstore

import (
	"testing"

	"github.com/touchpoint/touchpoint/customer"
	"github.com/touchpoint/touchpoint/protocol"
)

// Status's profile count, kept as profiles come and go, equals the
// profiles actually cached after every kind of change, and after a
// reopen counts them afresh.
func TestStatus_ProfileCountFollowsChangesAndReopen(t *testing.T) {
	dir := t.TempDir()
	s := mustOpenIn(t, dir)
	ivan := hubProfile("C-ivan", 1, callEvent("call-1", "312-555-0100", "Ivan", "Petrov", 0))
	misha := hubProfile("C-misha", 1, callEvent("call-2", "217-555-0123", "Misha", "Petrov", 0))
	annaV2 := hubProfile("C-anna", 2, callEvent("call-88120", "(312) 555-0142", "Anna", "Petrova", 0), callEvent("call-3", "(312) 555-0142", "Anna", "Petrova", 5))
	steps := []struct {
		name  string
		apply func() error
		want  int
	}{
		{"first profiles", batch(s, 1, false, upsert(annaV1()), upsert(ivan)), 2},
		{"a newer version", batch(s, 2, false, upsert(annaV2)), 2},
		{"an older version is ignored", batch(s, 3, false, upsert(annaV1())), 2},
		{"the same customer twice in a batch", batch(s, 4, false, upsert(misha), upsert(misha)), 3},
		{"erased", batch(s, 5, false, erase("C-ivan")), 2},
		{"erasing one not cached", batch(s, 6, false, erase("C-nobody")), 2},
		{"merged away", batch(s, 7, false, protocol.Change{CustomerID: "C-misha", MergedInto: "C-anna"}), 1},
		{"read through", func() error { return s.PutProfiles([]customer.Profile{*ivan, *annaV2}) }, 2},
		{"resync", batch(s, 8, true, upsert(misha)), 1},
		{"a batch too big for one transaction", func() error { return s.ApplyChanges(bigBatch(6000, 2, 9)) }, 6001},
		{"a resync dropping that scope in parts", func() error {
			return s.ApplyChanges(&protocol.Changes{Cursor: 10, Resync: true, Changes: append(bigBatch(5000, 2, 10).Changes, upsert(ivan))})
		}, 5001},
	}
	for _, step := range steps {
		if err := step.apply(); err != nil {
			t.Fatalf("%s: %v", step.name, err)
		}
		assertProfileCount(t, s, step.name, step.want)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	assertProfileCount(t, mustOpenIn(t, dir), "after reopen", 5001)
}

func batch(s *Store, cursor uint64, resync bool, changes ...protocol.Change) func() error {
	return func() error {
		return s.ApplyChanges(&protocol.Changes{Cursor: cursor, Resync: resync, Changes: changes})
	}
}

func assertProfileCount(t *testing.T, s *Store, step string, want int) {
	t.Helper()
	cached, err := s.countKeys(prefixProfile)
	if err != nil {
		t.Fatal(err)
	}
	if st := mustStatus(t, s); st.Profiles != cached || cached != want {
		t.Errorf("%s: status counts %d profiles, %d are cached, want %d", step, st.Profiles, cached, want)
	}
}
