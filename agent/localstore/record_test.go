package localstore

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"strings"
	"testing"

	"github.com/touchpoint/touchpoint/customer"
)

// mustRecordBatch records events in one batch and returns created.
func mustRecordBatch(t *testing.T, s *Store, events ...customer.Event) []bool {
	t.Helper()
	created, err := s.RecordBatch(events)
	if err != nil {
		t.Fatalf("record batch: %v", err)
	}
	return created
}

// pendingIDs lists the outbox's event ids, oldest first, and fails when
// the sequence numbers are not 1, 2, 3, ...
func pendingIDs(t *testing.T, s *Store) []string {
	t.Helper()
	pending, err := s.Pending(10_000)
	if err != nil {
		t.Fatal(err)
	}
	ids := []string{}
	for i, p := range pending {
		if p.Seq != uint64(i+1) {
			t.Fatalf("outbox entry %d has seq %d, want %d", i, p.Seq, i+1)
		}
		ids = append(ids, p.Event.ID)
	}
	return ids
}

func visitIDs(t *testing.T, s *Store) []string {
	t.Helper()
	visits, err := s.Visits(start)
	if err != nil {
		t.Fatal(err)
	}
	ids := []string{}
	for _, e := range visits {
		ids = append(ids, e.ID)
	}
	return ids
}

// A batch answers per event as recording them one by one would: a new
// (source, id) is created, one recorded before or earlier in the same
// batch is a duplicate; the outbox and the up-log get the new ones in
// order.
func TestRecordBatch_ResultsPerEvent(t *testing.T) {
	ev := func(id string, minutes int) customer.Event {
		return dealerEvent(id, "showroom_visit", "312-555-0142", minutes)
	}
	other := ev("v-1", 5)
	other.Source = "dealer:D-018"
	tests := []struct {
		name        string
		before      []customer.Event // recorded in an earlier batch
		batch       []customer.Event
		wantCreated []bool
		wantOutbox  []string
	}{
		{"empty batch", nil, nil, []bool{}, []string{}},
		{"all new", nil, []customer.Event{ev("v-1", 1), ev("v-2", 2), ev("v-3", 3)}, []bool{true, true, true}, []string{"v-1", "v-2", "v-3"}},
		{"recorded before", []customer.Event{ev("v-1", 1)}, []customer.Event{ev("v-1", 1), ev("v-2", 2)}, []bool{false, true}, []string{"v-1", "v-2"}},
		{"twice in the batch", nil, []customer.Event{ev("v-1", 1), ev("v-2", 2), ev("v-1", 3)}, []bool{true, true, false}, []string{"v-1", "v-2"}},
		{"same id, other source", nil, []customer.Event{ev("v-1", 1), other}, []bool{true, true}, []string{"v-1", "v-1"}},
		{"all duplicates", []customer.Event{ev("v-1", 1)}, []customer.Event{ev("v-1", 1), ev("v-1", 1)}, []bool{false, false}, []string{"v-1"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := mustOpen(t)
			if tt.before != nil {
				mustRecordBatch(t, s, tt.before...)
			}
			if got := mustRecordBatch(t, s, tt.batch...); !slices.Equal(got, tt.wantCreated) {
				t.Errorf("created = %v, want %v", got, tt.wantCreated)
			}
			if got := pendingIDs(t, s); !slices.Equal(got, tt.wantOutbox) {
				t.Errorf("outbox = %q, want %q", got, tt.wantOutbox)
			}
			if got := visitIDs(t, s); !slices.Equal(got, tt.wantOutbox) {
				t.Errorf("up-log = %q, want %q", got, tt.wantOutbox)
			}
		})
	}
}

// A batch whose transaction fails leaves nothing behind, also after a
// reopen; one that commits is wholly there after a reopen, searchable.
func TestRecordBatch_AllOrNothingAcrossReopen(t *testing.T) {
	dir := t.TempDir()
	s := mustOpenIn(t, dir)
	first := []customer.Event{dealerEvent("v-1", "showroom_visit", "312-555-0142", 1), dealerEvent("v-2", "test_drive", "312-555-0142", 2)}
	mustRecordBatch(t, s, first...)

	injected := errors.New("injected failure before commit")
	s.beforeRecordCommit = func() error { return injected }
	failed := []customer.Event{dealerEvent("v-3", "showroom_visit", "312-555-0177", 3), dealerEvent("v-4", "quote", "312-555-0177", 4)}
	if created, err := s.RecordBatch(failed); !errors.Is(err, injected) || created != nil {
		t.Fatalf("failing batch = %v, %v; want nil, the injected error", created, err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	s = mustOpenIn(t, dir)
	if got, want := pendingIDs(t, s), []string{"v-1", "v-2"}; !slices.Equal(got, want) {
		t.Errorf("outbox after reopen = %q, want %q", got, want)
	}
	if found := mustSearch(t, s, Query{Phone: "312-555-0177"}); len(found) != 0 {
		t.Errorf("search for the failed batch's customer found %d profiles, want none", len(found))
	}
	if got := timeline(mustSearch(t, s, Query{Phone: "312-555-0142"})[0]); !slices.Equal(got, []string{"v-1", "v-2"}) {
		t.Errorf("timeline after reopen = %q, want v-1, v-2", got)
	}
	// The failed batch's events were never recorded: sent again they are new.
	if got := mustRecordBatch(t, s, failed...); !slices.Equal(got, []bool{true, true}) {
		t.Errorf("retried batch created = %v, want both", got)
	}
}

// A batch too big for one Badger transaction is committed in parts, with
// the same answers and an unbroken outbox sequence.
func TestRecordBatch_TooBigForOneTransactionIsSplit(t *testing.T) {
	s, err := Open(t.TempDir(), Options{Region: "US", Logger: discardLog(), memTableSize: 1 << 20})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	note := strings.Repeat("n", customer.MaxNoteLen)
	var batch []customer.Event
	for i := range customer.MaxEventsPerRequest {
		e := dealerEvent(fmt.Sprintf("v-%04d", i), "showroom_visit", fmt.Sprintf("312-555-%04d", i), i%60)
		e.Note = note
		batch = append(batch, e)
	}
	batch = append(batch, batch[7]) // and a duplicate, in the last part
	var commits int
	s.beforeRecordCommit = func() error { commits++; return nil }

	created := mustRecordBatch(t, s, batch...)
	if commits < 2 {
		t.Fatalf("the batch went in %d transaction(s); the test needs one too big for a single one", commits)
	}
	for i, c := range created {
		if want := i < customer.MaxEventsPerRequest; c != want {
			t.Fatalf("created[%d] = %v, want %v", i, c, want)
		}
	}
	if got := pendingIDs(t, s); len(got) != customer.MaxEventsPerRequest || got[0] != "v-0000" || got[len(got)-1] != "v-0999" {
		t.Errorf("outbox holds %d events (%v ... ), want the batch's %d in order", len(got), got[:min(2, len(got))], customer.MaxEventsPerRequest)
	}
}

func discardLog() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }
