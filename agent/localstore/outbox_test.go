package localstore

import (
	"fmt"
	"reflect"
	"sync"
	"testing"

	"github.com/touchpoint/touchpoint/protocol"
)

// A recorded event is in the outbox at once, signalled to the pusher, and
// counted by Status with the time it was recorded.
func TestRecord_PendingReturnsRecordedEvent(t *testing.T) {
	s := mustOpen(t)
	e := dealerEvent("d017-v-3301", "showroom_visit", "312-555-0142", 0)
	mustRecord(t, s, e)

	pending, err := s.Pending(10)
	if err != nil {
		t.Fatal(err)
	}
	if len(pending) != 1 || pending[0].Seq != 1 {
		t.Fatalf("pending = %+v, want one entry with seq 1", pending)
	}
	if !reflect.DeepEqual(pending[0].Event, e) {
		t.Errorf("pending event = %+v, want %+v", pending[0].Event, e)
	}
	select {
	case <-s.OutboxSignal():
	default:
		t.Error("recording did not signal the outbox")
	}
	if st := mustStatus(t, s); st.OutboxLen != 1 || st.OldestPending == 0 || st.Rejected != 0 {
		t.Errorf("status = %+v, want one pending with its time", st)
	}
}

// Pending returns the oldest entries first, at most max of them.
func TestPending_ReturnsOldestFirstUpToMax(t *testing.T) {
	s := mustOpen(t)
	for _, id := range []string{"v-1", "v-2", "v-3"} {
		mustRecord(t, s, dealerEvent(id, "showroom_visit", "312-555-0142", 0))
	}
	pending, err := s.Pending(2)
	if err != nil {
		t.Fatal(err)
	}
	if len(pending) != 2 || pending[0].Event.ID != "v-1" || pending[1].Event.ID != "v-2" || pending[0].Seq >= pending[1].Seq {
		t.Errorf("pending = %+v, want v-1 then v-2", pending)
	}
}

// Recording the same (source, id) again reports false and writes nothing;
// the same id from another source is another event.
func TestRecord_SameSourceAndIDIsRecordedOnce(t *testing.T) {
	s := mustOpen(t)
	e := dealerEvent("d017-td-3302", "test_drive", "312-555-0142", 0)
	mustRecord(t, s, e)
	<-s.OutboxSignal()

	again := e
	again.Note = "a retry with another note"
	created, err := s.Record(again)
	if err != nil || created {
		t.Fatalf("second record = %v, %v; want false, nil", created, err)
	}
	select {
	case <-s.OutboxSignal():
		t.Error("a duplicate signalled the outbox")
	default:
	}
	pending, err := s.Pending(10)
	if err != nil {
		t.Fatal(err)
	}
	if len(pending) != 1 || pending[0].Event.Note != e.Note {
		t.Errorf("pending = %+v, want only the first recording", pending)
	}

	other := e
	other.Source = "dealer:D-104"
	mustRecord(t, s, other)
	if st := mustStatus(t, s); st.OutboxLen != 2 {
		t.Errorf("outbox holds %d entries, want 2", st.OutboxLen)
	}
}

// Ack removes the acknowledged entries, created, duplicate or rejected;
// a rejected event is set aside for staff instead of retried; entries not
// in the ack stay.
func TestAck_RemovesEntriesAndSetsRejectedAside(t *testing.T) {
	s := mustOpen(t)
	for _, id := range []string{"v-1", "v-2", "v-3", "v-4"} {
		mustRecord(t, s, dealerEvent(id, "showroom_visit", "312-555-0142", 0))
	}
	sent, err := s.Pending(3)
	if err != nil {
		t.Fatal(err)
	}
	results := []protocol.Result{
		{ID: "v-1", Status: protocol.StatusCreated, CustomerID: "C-anna"},
		{ID: "v-2", Status: protocol.StatusRejected, Field: "customer.phone", Reason: "is not a phone number"},
		{ID: "v-3", Status: protocol.StatusDuplicate, CustomerID: "C-anna"},
	}
	if err := s.Ack(sent, results); err != nil {
		t.Fatal(err)
	}

	pending, err := s.Pending(10)
	if err != nil {
		t.Fatal(err)
	}
	if len(pending) != 1 || pending[0].Event.ID != "v-4" {
		t.Errorf("pending after ack = %+v, want only v-4", pending)
	}
	if st := mustStatus(t, s); st.OutboxLen != 1 || st.Rejected != 1 {
		t.Errorf("status = %+v, want 1 pending and 1 rejected", st)
	}
}

// An ack whose results do not match the events sent changes nothing.
func TestAck_RefusesMismatchedResults(t *testing.T) {
	s := mustOpen(t)
	mustRecord(t, s, dealerEvent("v-1", "showroom_visit", "312-555-0142", 0))
	sent, err := s.Pending(10)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Ack(sent, nil); err == nil {
		t.Fatal("Ack with no results succeeded")
	}
	if st := mustStatus(t, s); st.OutboxLen != 1 {
		t.Errorf("outbox holds %d entries, want 1", st.OutboxLen)
	}
}

// Staff recording at the same moment all succeed, each event with its own
// outbox entry.
func TestRecord_ConcurrentRecordsAllSucceed(t *testing.T) {
	s := mustOpen(t)
	const writers, each = 8, 20
	var wg sync.WaitGroup
	errs := make(chan error, writers*each)
	for w := range writers {
		wg.Go(func() {
			for i := range each {
				e := dealerEvent(fmt.Sprintf("v-%d-%d", w, i), "showroom_visit", "312-555-0142", i)
				if created, err := s.Record(e); err != nil || !created {
					errs <- fmt.Errorf("record %s = %v, %v", e.ID, created, err)
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	pending, err := s.Pending(writers * each * 2)
	if err != nil {
		t.Fatal(err)
	}
	seqs := map[uint64]bool{}
	for _, p := range pending {
		seqs[p.Seq] = true
	}
	if len(pending) != writers*each || len(seqs) != len(pending) {
		t.Errorf("outbox holds %d entries with %d distinct seqs, want %d", len(pending), len(seqs), writers*each)
	}
}

// Draining the outbox batch by batch while staff keep recording returns
// every entry once, in order: Pending starts past what was acknowledged
// but never past an entry still waiting.
func TestPending_DrainWhileRecordingMissesNothing(t *testing.T) {
	s := mustOpen(t)
	recorded := 0
	record := func(n int) {
		for range n {
			recorded++
			mustRecord(t, s, dealerEvent(fmt.Sprintf("v-%d", recorded), "showroom_visit", "312-555-0142", 0))
		}
	}
	record(25)
	var got []string
	for round := 0; round < 100 && len(got) < 60; round++ {
		batch, err := s.Pending(7)
		if err != nil {
			t.Fatal(err)
		}
		if len(batch) == 0 {
			record(35) // more arrive after the outbox ran dry
			continue
		}
		if round == 2 {
			again, _ := s.Pending(7) // a second reader (the staff page) in between
			if len(again) != len(batch) || again[0].Seq != batch[0].Seq {
				t.Fatalf("a second read gave %d entries from %d, want %d from %d", len(again), again[0].Seq, len(batch), batch[0].Seq)
			}
		}
		results := make([]protocol.Result, len(batch))
		for i, p := range batch {
			got = append(got, p.Event.ID)
			results[i] = protocol.Result{ID: p.Event.ID, Status: protocol.StatusCreated}
		}
		if err := s.Ack(batch, results); err != nil {
			t.Fatal(err)
		}
	}
	if len(got) != 60 {
		t.Fatalf("drained %d of 60 events", len(got))
	}
	for i, id := range got {
		if want := fmt.Sprintf("v-%d", i+1); id != want {
			t.Fatalf("entry %d is %s, want %s", i, id, want)
		}
	}
}
