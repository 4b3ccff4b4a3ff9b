package state

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"testing"

	"github.com/touchpoint/touchpoint/hub/state/kv"
)

// mustSnapshot streams db's state through Snapshot.Stream.
func mustSnapshot(t *testing.T, db kv.DB) []byte {
	t.Helper()
	sn := New(db, "US").Snapshot()
	defer sn.Release()
	var buf bytes.Buffer
	if _, err := sn.Stream(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// mustTarget is a database holding a few keys of its own, to show what a
// restore replaced or left alone.
func mustTarget(t *testing.T) kv.DB {
	t.Helper()
	db := mustBadger(t)
	txn := db.Update()
	defer txn.Discard()
	for _, k := range []string{"m/applied", "old/a", "old/b"} {
		if err := txn.Set([]byte(k), []byte("before "+k)); err != nil {
			t.Fatal(err)
		}
	}
	if err := txn.Commit(); err != nil {
		t.Fatal(err)
	}
	return db
}

// gzipped compresses payload the way Snapshot.Stream does.
func gzipped(t *testing.T, payload []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	if _, err := zw.Write(payload); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// gunzipped returns a snapshot's uncompressed payload.
func gunzipped(t *testing.T, stream []byte) []byte {
	t.Helper()
	zr, err := gzip.NewReader(bytes.NewReader(stream))
	if err != nil {
		t.Fatal(err)
	}
	data, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// sealed appends a correct checksum to body, as Snapshot.Stream does.
func sealed(body []byte) []byte {
	sum := sha256.Sum256(body)
	return append(bytes.Clone(body), sum[:]...)
}

// A snapshot restored into another database reproduces every key and
// value, and nothing else.
func TestSnapshot_RoundTripCopiesEveryKey(t *testing.T) {
	src := mustState(t)
	applyAll(src, sampleEntries(t))
	want := dump(t, src.db)

	dst := mustTarget(t)
	if err := restoreSnapshot(dst, bytes.NewReader(mustSnapshot(t, src.db))); err != nil {
		t.Fatal(err)
	}
	if d := diffDumps(dump(t, dst), want); d != "" {
		t.Fatalf("restored state differs:\n%s", d)
	}
	if got := New(dst, "US").AppliedIndex(); got != uint64(len(sampleEntries(t))) {
		t.Fatalf("restored applied index %d", got)
	}
}

// An empty state snapshots and restores to an empty state.
func TestSnapshot_EmptyStateRoundTrips(t *testing.T) {
	dst := mustTarget(t)
	if err := restoreSnapshot(dst, bytes.NewReader(mustSnapshot(t, mustBadger(t)))); err != nil {
		t.Fatal(err)
	}
	if got := dump(t, dst); len(got) != 0 {
		t.Fatalf("restored %d keys from an empty snapshot", len(got))
	}
}

// A damaged or foreign stream fails with ErrBadSnapshot before the target
// database is touched.
func TestSnapshot_DamagedStreamIsRejectedAndTargetUntouched(t *testing.T) {
	src := mustState(t)
	applyAll(src, sampleEntries(t))
	good := mustSnapshot(t, src.db)
	payload := gunzipped(t, good)
	body := payload[:len(payload)-sha256.Size]
	records := body[len(snapshotMagic):]

	flippedPayload := bytes.Clone(payload)
	flippedPayload[len(payload)/2] ^= 0x01

	cases := map[string][]byte{
		"empty":                         nil,
		"not gzip":                      []byte("touchpoint-hub-snapshot 1\n"),
		"truncated stream":              good[:len(good)/2],
		"payload byte flipped":          gzipped(t, flippedPayload),
		"checksum missing":              gzipped(t, body),
		"wrong magic":                   gzipped(t, sealed(append([]byte("touchpoint-hub-snapshot 2\n"), records...))),
		"records cut, checksum valid":   gzipped(t, sealed(body[:len(body)-5])),
		"no terminator, checksum valid": gzipped(t, sealed(body[:len(body)-1])),
		"huge length, checksum valid":   gzipped(t, sealed(append(bytes.Clone(snapshotMagic), 0xff, 0xff, 0xff, 0xff, 0x0f))),
	}
	// Every byte after the 10-byte gzip header (whose time and OS fields
	// gzip itself ignores) is covered by deflate, CRC-32 or SHA-256.
	for i := 10; i < len(good); i++ {
		damaged := bytes.Clone(good)
		damaged[i] ^= 0xff
		cases[fmt.Sprintf("stream byte %d flipped", i)] = damaged
	}

	dst := mustTarget(t)
	before := dump(t, dst)
	for name, stream := range cases {
		err := restoreSnapshot(dst, bytes.NewReader(stream))
		if !errors.Is(err, ErrBadSnapshot) {
			t.Errorf("%s: err = %v, want ErrBadSnapshot", name, err)
		}
		if d := diffDumps(dump(t, dst), before); d != "" {
			t.Fatalf("%s: target changed:\n%s", name, d)
		}
	}
}

// The record parser rejects lengths beyond its limit and bytes after the
// terminator.
func TestSnapshot_RecordParserRejectsBadFraming(t *testing.T) {
	cases := map[string][]byte{
		"key over limit":   append(binary.AppendUvarint(nil, maxSnapshotKey+1), 'k'),
		"value too short":  append(binary.AppendUvarint(nil, 1), 'k', 5, 'v'),
		"after terminator": {1, 'k', 1, 'v', 0, 0},
		"no terminator":    {1, 'k', 1, 'v'},
	}
	for name, b := range cases {
		if err := eachRecord(b, func(_, _ []byte) error { return nil }); !errors.Is(err, ErrBadSnapshot) {
			t.Errorf("%s: err = %v, want ErrBadSnapshot", name, err)
		}
	}
}
