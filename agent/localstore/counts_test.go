package localstore

import (
	"testing"

	"github.com/touchpoint/touchpoint/protocol"
)

// The kept outbox count follows recordings, duplicates and
// acknowledgements (one acknowledged twice counts once), survives a
// reopen, and always equals the entries really in the outbox.
func TestOutboxLen_KeptCountMatchesTheOutbox(t *testing.T) {
	dir := t.TempDir()
	s := mustOpenIn(t, dir)
	check := func(step string, want int) {
		t.Helper()
		n, _ := s.OutboxLen()
		real, err := s.countKeys(prefixOutbox)
		if err != nil {
			t.Fatal(err)
		}
		if n != want || real != want || mustStatus(t, s).OutboxLen != want {
			t.Errorf("%s: outbox count %d, entries %d, want %d", step, n, real, want)
		}
	}
	for _, id := range []string{"v-1", "v-2", "v-3"} {
		mustRecord(t, s, dealerEvent(id, "showroom_visit", "312-555-0142", 0))
	}
	if _, err := s.RecordBatch(nil); err != nil {
		t.Fatal(err)
	}
	if created, err := s.Record(dealerEvent("v-1", "showroom_visit", "312-555-0142", 0)); err != nil || created {
		t.Fatalf("duplicate recorded: %v, %v", created, err)
	}
	check("recorded three and a duplicate", 3)

	sent, err := s.Pending(2)
	if err != nil {
		t.Fatal(err)
	}
	ok := []protocol.Result{{Status: protocol.StatusCreated}, {Status: protocol.StatusDuplicate}}
	for range 2 {
		if err := s.Ack(sent, ok); err != nil {
			t.Fatal(err)
		}
	}
	check("two acknowledged, twice", 1)

	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s = mustOpenIn(t, dir)
	check("after reopen", 1)
}
