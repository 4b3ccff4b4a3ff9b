package agentlink

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/touchpoint/touchpoint/customer"
	"github.com/touchpoint/touchpoint/protocol"
)

// bigProfile has n events with long notes: about n KiB.
func bigProfile(id string, n int) *customer.Profile {
	p := &customer.Profile{CustomerID: id}
	for i := range n {
		p.Events = append(p.Events, customer.Event{ID: fmt.Sprintf("e%d", i), Source: "web:zot.example", Channel: "web",
			Type: "page_view", OccurredAt: time.Unix(int64(i), 0).UTC(), Note: strings.Repeat("x", 1000)})
	}
	return p
}

// A batch too big for one frame arrives as several, the cursor advancing
// only with the last; a profile too big for a frame alone keeps its
// newest events.
func TestWriteChanges_SplitsBatchesAndTrimsHugeTimelines(t *testing.T) {
	batch := protocol.Changes{Cursor: 90, Changes: []protocol.Change{
		{CustomerID: "C1", Profile: bigProfile("C1", 3000)},
		{CustomerID: "C2", Profile: bigProfile("C2", 3000)},
		{CustomerID: "C3", Profile: bigProfile("C3", 6000)},
	}}
	var cursors []uint64
	events := map[string]int{}
	for _, got := range writtenFrames(t, 7, &batch) {
		cursors = append(cursors, got.Cursor)
		for _, ch := range got.Changes {
			events[ch.CustomerID] = len(ch.Profile.Events)
			if last := ch.Profile.Events[len(ch.Profile.Events)-1].ID; ch.CustomerID == "C3" && last != "e5999" {
				t.Errorf("C3's newest event %s, want e5999", last)
			}
		}
	}
	if fmt.Sprint(cursors) != "[7 7 90]" {
		t.Errorf("cursors %v, want [7 7 90]", cursors)
	}
	if events["C1"] != 3000 || events["C2"] != 3000 || events["C3"] == 0 || events["C3"] >= 6000 {
		t.Errorf("events per profile %v: C1 and C2 whole, C3 trimmed", events)
	}
}

// Many small profiles share frames of about feedFrameTarget; a resync
// goes with the first frame, the new cursor with the last.
func TestWriteChanges_PacksSmallChangesIntoFrames(t *testing.T) {
	batch := protocol.Changes{Cursor: 90, Resync: true}
	for i := range 100 {
		id := fmt.Sprintf("C%d", i)
		batch.Changes = append(batch.Changes, protocol.Change{CustomerID: id, Profile: bigProfile(id, 30)})
	}
	var frames []string
	got := 0
	for _, part := range writtenFrames(t, 7, &batch) {
		frames = append(frames, fmt.Sprintf("%d/%v", part.Cursor, part.Resync))
		got += len(part.Changes)
	}
	if got != 100 {
		t.Errorf("%d changes arrived, want 100", got)
	}
	if want := "[7/true 7/false 7/false 90/false]"; fmt.Sprint(frames) != want {
		t.Errorf("frames (cursor/resync) %v, want %s", frames, want)
	}
}

// writtenFrames writes batch from cursor with writeChanges and reads back
// every frame.
func writtenFrames(t *testing.T, from uint64, batch *protocol.Changes) []protocol.Changes {
	t.Helper()
	var buf bytes.Buffer
	if err := writeChanges(&buf, from, batch); err != nil {
		t.Fatal(err)
	}
	var out []protocol.Changes
	for {
		got, err := protocol.Expect[protocol.Changes](&buf, protocol.TypeChanges)
		if errors.Is(err, io.EOF) {
			return out
		}
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, *got)
	}
}
