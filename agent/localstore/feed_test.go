package localstore

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/dgraph-io/badger/v4"
	"github.com/touchpoint/touchpoint/customer"
	"github.com/touchpoint/touchpoint/protocol"
)

// A feed batch stores its profiles, indexed for search, and moves the
// cursor to the batch's end.
func TestApplyChanges_StoresProfilesAndAdvancesCursor(t *testing.T) {
	s := mustOpen(t)
	ivan := hubProfile("C-ivan", 3, callEvent("call-1", "312-555-0100", "Ivan", "Petrov", 0))
	mustApply(t, s, 7, upsert(annaV1()), upsert(ivan))

	if c := mustCursor(t, s); c != 7 {
		t.Errorf("cursor = %d, want 7", c)
	}
	p, err := s.Profile("C-ivan")
	if err != nil || p.Version != 3 || p.GivenName != "Ivan" {
		t.Errorf("Profile(C-ivan) = %+v, %v; want version 3 of Ivan", p, err)
	}
	if got := customerIDs(mustSearch(t, s, Query{Phone: "312-555-0100"})); !slices.Equal(got, []string{"C-ivan"}) {
		t.Errorf("search by Ivan's phone = %q, want C-ivan", got)
	}
	if st := mustStatus(t, s); st.Profiles != 2 || st.Cursor != 7 || st.LastSync == 0 {
		t.Errorf("status = %+v, want 2 profiles, cursor 7 and a last sync time", st)
	}
}

// A batch that fails part-way leaves neither its profiles nor its cursor:
// the agent fetches it again from the old cursor.
func TestApplyChanges_FailedBatchAppliesNothing(t *testing.T) {
	s := mustOpen(t)
	mustApply(t, s, 3)
	// A customer id longer than Badger's key limit fails the second change.
	tooLong := hubProfile(strings.Repeat("C", 70_000), 1, callEvent("call-2", "312-555-0100", "Ivan", "Petrov", 0))
	err := s.ApplyChanges(&protocol.Changes{Cursor: 4, Changes: []protocol.Change{upsert(annaV1()), upsert(tooLong)}})
	if err == nil {
		t.Fatal("ApplyChanges succeeded with a key over Badger's limit")
	}
	if c := mustCursor(t, s); c != 3 {
		t.Errorf("cursor = %d, want 3", c)
	}
	assertNotCached(t, s, "C-anna")
	if found := mustSearch(t, s, Query{Phone: "312-555-0142"}); len(found) != 0 {
		t.Errorf("search found %q from a failed batch", customerIDs(found))
	}
}

// A change carrying an older version than the cached profile is ignored,
// by the feed and by read-through caching alike; an equal or newer one
// replaces it.
func TestApplyChanges_OlderVersionNeverOverwritesNewer(t *testing.T) {
	s := mustOpen(t)
	v2 := hubProfile("C-anna", 2, callEvent("call-88120", "(312) 555-0142", "Anna", "Petrova", 0))
	mustApply(t, s, 1, upsert(v2))

	stale := hubProfile("C-anna", 1, callEvent("call-1", "312-555-0199", "Ann", "Stale", 0))
	mustApply(t, s, 2, upsert(stale))
	if err := s.PutProfiles([]customer.Profile{*stale}); err != nil {
		t.Fatal(err)
	}
	p, err := s.Profile("C-anna")
	if err != nil || p.Version != 2 || p.FamilyName != "Petrova" {
		t.Fatalf("Profile = version %d %q, %v; want version 2 of Petrova", p.Version, p.FamilyName, err)
	}
	if found := mustSearch(t, s, Query{Phone: "312-555-0199"}); len(found) != 0 {
		t.Errorf("the stale profile's phone finds %q", customerIDs(found))
	}
	if found := mustSearch(t, s, Query{Name: "stale"}); len(found) != 0 {
		t.Errorf("the stale profile's name finds %q", customerIDs(found))
	}
	if c := mustCursor(t, s); c != 2 {
		t.Errorf("cursor = %d, want 2: an ignored change still moves the feed on", c)
	}

	v3 := hubProfile("C-anna", 3, callEvent("call-88120", "(312) 555-0142", "Anna", "Petrova-Smith", 0))
	mustApply(t, s, 3, upsert(v3))
	if p, err := s.Profile("C-anna"); err != nil || p.Version != 3 {
		t.Errorf("Profile = version %d, %v; want 3", p.Version, err)
	}
}

// A newer version replaces the search index: the old phone and name no
// longer find the profile, the new ones do.
func TestApplyChanges_NewVersionReplacesIndex(t *testing.T) {
	s := mustOpen(t)
	mustApply(t, s, 1, upsert(annaV1()))
	moved := hubProfile("C-anna", 2, callEvent("call-88120", "(773) 555-0177", "Anna", "Ivanova", 0))
	mustApply(t, s, 2, upsert(moved))

	for _, q := range []Query{{Phone: "312-555-0142"}, {Name: "Petrova"}} {
		if found := mustSearch(t, s, q); len(found) != 0 {
			t.Errorf("search %+v = %q, want nothing", q, customerIDs(found))
		}
	}
	for _, q := range []Query{{Phone: "773.555.0177"}, {Name: "ivanova"}, {CustomerID: "C-anna"}} {
		if got := customerIDs(mustSearch(t, s, q)); !slices.Equal(got, []string{"C-anna"}) {
			t.Errorf("search %+v = %q, want C-anna", q, got)
		}
	}
}

// A change without a profile (an erasure, or a merge away) deletes the
// cached profile and its index entries.
func TestApplyChanges_NilProfileDeletesIt(t *testing.T) {
	s := mustOpen(t)
	mustApply(t, s, 1, upsert(annaV1()))
	mustApply(t, s, 2, erase("C-anna"))

	assertNotCached(t, s, "C-anna")
	for _, q := range []Query{{Phone: "312-555-0142"}, {Name: "Anna"}, {CustomerID: "C-anna"}} {
		if found := mustSearch(t, s, q); len(found) != 0 {
			t.Errorf("search %+v = %q after erasure, want nothing", q, customerIDs(found))
		}
	}
	if st := mustStatus(t, s); st.Profiles != 0 || st.Cursor != 2 {
		t.Errorf("status = %+v, want no profiles at cursor 2", st)
	}
	mustApply(t, s, 3, erase("C-never-cached"))
}

// Once the hub's profile includes a local event the local copy is
// forgotten, so erasing the profile leaves nothing of the person behind.
func TestApplyChanges_ErasureLeavesNoLocalCopy(t *testing.T) {
	s := mustOpen(t)
	call := callEvent("call-88120", "(312) 555-0142", "Anna", "Petrova", 0)
	td := dealerEvent("d017-td-3302", "test_drive", "312.555.0142", 90)
	mustApply(t, s, 1, upsert(hubProfile("C-anna", 1, call)))
	mustRecord(t, s, td)
	mustApply(t, s, 2, upsert(hubProfile("C-anna", 2, call, td)))
	mustApply(t, s, 3, erase("C-anna"))

	for _, q := range []Query{{Phone: "312-555-0142"}, {CustomerID: "C-anna"}} {
		if found := mustSearch(t, s, q); len(found) != 0 {
			t.Errorf("search %+v after erasure = %q with events %q, want nothing", q, customerIDs(found), timeline(found[0]))
		}
	}
}

// A resync batch replaces the whole cached scope: profiles not in it are
// dropped.
func TestApplyChanges_ResyncDropsProfilesNotInBatch(t *testing.T) {
	s := mustOpen(t)
	ivan := hubProfile("C-ivan", 1, callEvent("call-1", "312-555-0100", "Ivan", "Petrov", 0))
	mustApply(t, s, 5, upsert(annaV1()), upsert(ivan))

	misha := hubProfile("C-misha", 1, callEvent("call-2", "217-555-0123", "Misha", "Petrov", 0))
	err := s.ApplyChanges(&protocol.Changes{Cursor: 90, Resync: true, Changes: []protocol.Change{upsert(ivan), upsert(misha)}})
	if err != nil {
		t.Fatal(err)
	}

	assertNotCached(t, s, "C-anna")
	if found := mustSearch(t, s, Query{Phone: "312-555-0142"}); len(found) != 0 {
		t.Errorf("dropped profile still found: %q", customerIDs(found))
	}
	if got := customerIDs(mustSearch(t, s, Query{Name: "petrov"})); !slices.Equal(got, []string{"C-ivan", "C-misha"}) {
		t.Errorf("search by name = %q, want C-ivan and C-misha", got)
	}
	if st := mustStatus(t, s); st.Profiles != 2 || st.Cursor != 90 {
		t.Errorf("status = %+v, want 2 profiles at cursor 90", st)
	}
}

// A batch too big for one Badger transaction is applied in parts, the
// cursor moving only with the last part.
func TestApplyChanges_SplitsBatchTooBigForOneTransaction(t *testing.T) {
	s := mustOpen(t)
	batch := bigBatch(6000, 2, 500)
	if err := s.applyBatch(batch); !errors.Is(err, badger.ErrTxnTooBig) {
		t.Fatalf("applyBatch of the big batch = %v, want ErrTxnTooBig: grow the batch so the test splits it", err)
	}
	if err := s.ApplyChanges(batch); err != nil {
		t.Fatal(err)
	}

	if st := mustStatus(t, s); st.Profiles != 6000 || st.Cursor != 500 {
		t.Errorf("status = %+v, want 6000 profiles at cursor 500", st)
	}
	for _, i := range []int{0, 2999, 3000, 5999} {
		want := fmt.Sprintf("C-%05d", i)
		if got := customerIDs(mustSearch(t, s, Query{Phone: bigBatchPhone(i)})); !slices.Equal(got, []string{want}) {
			t.Errorf("search by phone of %s = %q", want, got)
		}
	}
}

// A resync replaces a cached scope too big to drop in one transaction.
func TestApplyChanges_ResyncReplacesLargeScope(t *testing.T) {
	s := mustOpen(t)
	if err := s.ApplyChanges(bigBatch(6000, 2, 500)); err != nil {
		t.Fatal(err)
	}
	err := s.ApplyChanges(&protocol.Changes{Cursor: 900, Resync: true, Changes: []protocol.Change{upsert(annaV1())}})
	if err != nil {
		t.Fatal(err)
	}
	if st := mustStatus(t, s); st.Profiles != 1 || st.Cursor != 900 {
		t.Errorf("status = %+v, want 1 profile at cursor 900", st)
	}
	if found := mustSearch(t, s, Query{Phone: bigBatchPhone(0)}); len(found) != 0 {
		t.Errorf("dropped profile still found: %q", customerIDs(found))
	}
	if got := customerIDs(mustSearch(t, s, Query{Phone: "312-555-0142"})); !slices.Equal(got, []string{"C-anna"}) {
		t.Errorf("search by Anna's phone = %q, want C-anna", got)
	}
}

// Profiles a read-through lookup brought back are cached and searchable,
// without moving the feed cursor.
func TestPutProfiles_CachesLookedUpProfiles(t *testing.T) {
	s := mustOpen(t)
	mustApply(t, s, 11)
	if err := s.PutProfiles([]customer.Profile{*annaV1()}); err != nil {
		t.Fatal(err)
	}
	if got := customerIDs(mustSearch(t, s, Query{Name: "Anna Petrova"})); !slices.Equal(got, []string{"C-anna"}) {
		t.Errorf("search by name = %q, want C-anna", got)
	}
	if c := mustCursor(t, s); c != 11 {
		t.Errorf("cursor = %d, want 11", c)
	}
}

// bigBatch is a feed batch of n profiles, each of events events with a
// note, ending at cursor.
func bigBatch(n, events int, cursor uint64) *protocol.Changes {
	batch := &protocol.Changes{Cursor: cursor}
	note := strings.Repeat("Asked about trims, financing and trade-in. ", 5)
	for i := range n {
		evs := make([]customer.Event, events)
		for j := range evs {
			evs[j] = callEvent(fmt.Sprintf("call-%d-%d", i, j), bigBatchPhone(i), "Anna", fmt.Sprintf("Petrova%d", i), j)
			evs[j].Note = note
		}
		batch.Changes = append(batch.Changes, upsert(hubProfile(fmt.Sprintf("C-%05d", i), 1, evs...)))
	}
	return batch
}

// bigBatchPhone is a distinct valid Chicago number for profile i.
func bigBatchPhone(i int) string {
	return fmt.Sprintf("312-%03d-%04d", 200+i/10000, i%10000)
}
