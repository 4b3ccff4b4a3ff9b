package protocol

import (
	"bytes"
	"testing"
	"time"

	"github.com/touchpoint/touchpoint/customer"
)

// A batch written from encoded changes is the same frame, byte for byte,
// as the batch written whole, and reads back as Changes.
func TestWriteEncodedChanges_SameBytesAsChanges(t *testing.T) {
	batch := Changes{Cursor: 42, Resync: true, Behind: 7, Changes: []Change{
		{CustomerID: "C1", Profile: &customer.Profile{CustomerID: "C1", Version: 3, GivenName: "Anna",
			Events: []customer.Event{{ID: "e1", Source: "web:x", Type: "page_view", OccurredAt: time.Unix(5, 0).UTC()}}}},
		{CustomerID: "C2", MergedInto: "C1"},
	}}
	var whole, packed bytes.Buffer
	if err := WriteFrame(&whole, TypeChanges, &batch); err != nil {
		t.Fatal(err)
	}
	enc := EncodedChanges{Cursor: batch.Cursor, Resync: batch.Resync, Behind: batch.Behind}
	for i := range batch.Changes {
		raw, err := EncodeChange(&batch.Changes[i])
		if err != nil {
			t.Fatal(err)
		}
		enc.Changes = append(enc.Changes, raw)
	}
	if err := WriteEncodedChanges(&packed, &enc); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(whole.Bytes(), packed.Bytes()) {
		t.Fatalf("encoded changes frame differs from the Changes frame")
	}
	changes := 0
	for _, raw := range enc.Changes {
		changes += len(raw)
	}
	if over := packed.Len() - changes; over > ChangesOverhead {
		t.Errorf("frame adds %d bytes to its changes, ChangesOverhead is %d", over, ChangesOverhead)
	}
	got, err := Expect[Changes](&packed, TypeChanges)
	if err != nil || got.Cursor != 42 || len(got.Changes) != 2 || got.Changes[1].MergedInto != "C1" {
		t.Fatalf("read back %+v, %v", got, err)
	}
}
