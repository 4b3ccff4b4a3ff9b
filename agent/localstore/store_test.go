package localstore

import (
	"errors"
	"io"
	"log/slog"
	"slices"
	"testing"
	"time"

	"github.com/touchpoint/touchpoint/customer"
	"github.com/touchpoint/touchpoint/protocol"
)

// mustOpen opens a store in a fresh temporary directory, closed when the
// test ends.
func mustOpen(t *testing.T) *Store {
	t.Helper()
	return mustOpenIn(t, t.TempDir())
}

// mustOpenIn opens the store in dir, closed when the test ends.
func mustOpenIn(t *testing.T, dir string) *Store {
	t.Helper()
	s, err := Open(dir, Options{Region: "US", Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Errorf("close store: %v", err)
		}
	})
	return s
}

// start is when the fixtures' first event happens.
var start = time.Date(2026, 11, 2, 18, 0, 0, 0, time.UTC)

// dealerEvent is an event recorded at dealer D-017, minutes after start,
// about the person with the given phone.
func dealerEvent(id, typ, phone string, minutes int) customer.Event {
	return customer.Event{
		ID:         id,
		Channel:    "showroom",
		Type:       typ,
		OccurredAt: start.Add(time.Duration(minutes) * time.Minute),
		Source:     "dealer:D-017",
		Customer:   customer.Hints{Phone: phone},
		Note:       "recorded at the front desk",
		Staff:      "m.jones",
	}
}

// callEvent is a call-centre event naming the caller.
func callEvent(id, phone, given, family string, minutes int) customer.Event {
	return customer.Event{
		ID:         id,
		Channel:    "phone",
		Type:       "call_inbound",
		OccurredAt: start.Add(time.Duration(minutes) * time.Minute),
		Source:     "phone:1-800-ZOT",
		Customer:   customer.Hints{Phone: phone, GivenName: given, FamilyName: family},
	}
}

// hubProfile is the profile the hub derives from events, at version.
func hubProfile(cust string, version uint64, events ...customer.Event) *customer.Profile {
	p := customer.BuildProfile(cust, events, "US")
	p.Version = version
	return &p
}

// annaV1 is Anna Petrova as the hub first sends her: one call.
func annaV1() *customer.Profile {
	return hubProfile("C-anna", 1, callEvent("call-88120", "(312) 555-0142", "Anna", "Petrova", 0))
}

func upsert(p *customer.Profile) protocol.Change {
	return protocol.Change{CustomerID: p.CustomerID, Profile: p}
}

func erase(cust string) protocol.Change { return protocol.Change{CustomerID: cust} }

// mustApply applies one feed batch ending at cursor.
func mustApply(t *testing.T, s *Store, cursor uint64, changes ...protocol.Change) {
	t.Helper()
	if err := s.ApplyChanges(&protocol.Changes{Cursor: cursor, Changes: changes}); err != nil {
		t.Fatalf("apply changes up to %d: %v", cursor, err)
	}
}

func mustRecord(t *testing.T, s *Store, e customer.Event) {
	t.Helper()
	created, err := s.Record(e)
	if err != nil || !created {
		t.Fatalf("record %s = %v, %v; want created", e.ID, created, err)
	}
}

func mustSearch(t *testing.T, s *Store, q Query) []customer.Profile {
	t.Helper()
	found, err := s.Search(q)
	if err != nil {
		t.Fatalf("search %+v: %v", q, err)
	}
	return found
}

func mustStatus(t *testing.T, s *Store) Status {
	t.Helper()
	st, err := s.Status()
	if err != nil {
		t.Fatalf("status: %v", err)
	}
	return st
}

func mustCursor(t *testing.T, s *Store) uint64 {
	t.Helper()
	c, err := s.Cursor()
	if err != nil {
		t.Fatalf("cursor: %v", err)
	}
	return c
}

// timeline returns the ids of a profile's events, in order.
func timeline(p customer.Profile) []string {
	ids := make([]string, len(p.Events))
	for i := range p.Events {
		ids[i] = p.Events[i].ID
	}
	return ids
}

// customerIDs returns the ids of profiles, in order.
func customerIDs(profiles []customer.Profile) []string {
	ids := make([]string, len(profiles))
	for i := range profiles {
		ids[i] = profiles[i].CustomerID
	}
	return ids
}

// assertNotCached fails unless the store has no profile cust.
func assertNotCached(t *testing.T, s *Store, cust string) {
	t.Helper()
	if p, err := s.Profile(cust); !errors.Is(err, ErrNotFound) {
		t.Errorf("Profile(%s) = version %d, %v; want ErrNotFound", cust, p.Version, err)
	}
}

// The outbox, the dedup record and the feed cursor are on disk: a
// restarted agent pushes what it had not pushed and resumes the feed
// where it stopped.
func TestStore_OutboxAndCursorSurviveReopen(t *testing.T) {
	dir := t.TempDir()
	s := mustOpenIn(t, dir)
	td := dealerEvent("d017-td-3302", "test_drive", "312-555-0142", 90)
	mustRecord(t, s, td)
	mustApply(t, s, 42, upsert(annaV1()))
	if err := s.Close(); err != nil {
		t.Fatalf("close: %v", err)
	}

	s = mustOpenIn(t, dir)
	pending, err := s.Pending(10)
	if err != nil {
		t.Fatal(err)
	}
	if len(pending) != 1 || pending[0].Event.ID != td.ID {
		t.Errorf("pending after reopen = %+v, want %s", pending, td.ID)
	}
	if c := mustCursor(t, s); c != 42 {
		t.Errorf("cursor after reopen = %d, want 42", c)
	}
	found := mustSearch(t, s, Query{Phone: "(312) 555-0142"})
	if got, want := customerIDs(found), []string{"C-anna"}; !slices.Equal(got, want) {
		t.Fatalf("search after reopen = %q, want %q", got, want)
	}
	if got, want := timeline(found[0]), []string{"call-88120", "d017-td-3302"}; !slices.Equal(got, want) {
		t.Errorf("timeline after reopen = %q, want %q", got, want)
	}
	if created, err := s.Record(td); created || err != nil {
		t.Errorf("re-record after reopen = %v, %v; want false, nil", created, err)
	}
}

// A profile that is not cached is ErrNotFound.
func TestProfile_UnknownIsNotFound(t *testing.T) {
	s := mustOpen(t)
	assertNotCached(t, s, "C-nobody")
}
