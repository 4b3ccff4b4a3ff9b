package raftlog

import (
	"bytes"
	"encoding/hex"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/dgraph-io/badger/v4"
	"github.com/hashicorp/raft"
)

// The stored form of an entry does not change by accident: a log written
// by one build is read by the next.
func TestCodec_GoldenBytes(t *testing.T) {
	cases := []struct {
		name string
		log  raft.Log
		hex  string
	}{
		{"bare", raft.Log{Index: 1, Term: 2}, "a201010202"},
		{"every field", raft.Log{
			Index: 300, Term: 7, Type: raft.LogConfiguration, Data: []byte("ab"), Extensions: []byte{9},
			AppendedAt: time.Unix(0, 1_700_000_000_000_000_000),
		}, "a60119012c0207030504426162054109061b17979cfe362a0000"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			b, err := encodeLog(&tc.log)
			if err != nil {
				t.Fatal(err)
			}
			if got := hex.EncodeToString(b); got != tc.hex {
				t.Fatalf("encoded %s, want %s", got, tc.hex)
			}
			var back raft.Log
			if err := decodeLog(tc.log.Index, b, &back); err != nil {
				t.Fatal(err)
			}
			wantLog(t, &back, &tc.log)
		})
	}
}

// Bytes that are not an entry, or are another entry, fail with ErrCorrupt
// and an error naming the index.
func TestCodec_DecodeRejectsGarbage(t *testing.T) {
	good, err := encodeLog(&raft.Log{Index: 5, Term: 1, Data: []byte("x")})
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name string
		b    []byte
	}{
		{"empty", nil},
		{"text", []byte("hello, world")},
		{"truncated", good[:len(good)-1]},
		{"trailing bytes", append(append([]byte{}, good...), 0)},
		{"an integer", []byte{0x05}},
		{"an array", []byte{0x82, 0x01, 0x02}},
		{"another index", mustEncode(t, &raft.Log{Index: 6, Term: 1})},
		{"an empty map", []byte{0xa0}},
		{"type out of range", []byte{0xa2, 0x01, 0x05, 0x03, 0x19, 0x01, 0x00}},
		{"repeated key", []byte{0xa2, 0x01, 0x05, 0x01, 0x05}},
		{"indefinite length", []byte{0xbf, 0x01, 0x05, 0xff}},
		{"a tag", []byte{0xc1, 0xa1, 0x01, 0x05}},
		{"a huge length", []byte{0xa2, 0x01, 0x05, 0x04, 0x5b, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var l raft.Log
			err := decodeLog(5, tc.b, &l)
			if !errors.Is(err, ErrCorrupt) || !strings.Contains(err.Error(), "entry 5") {
				t.Fatalf("err = %v, want ErrCorrupt naming entry 5", err)
			}
		})
	}
}

// A stored entry that cannot be decoded is reported with its index, and
// the entries around it still read.
func TestStore_CorruptEntryNamesIndex(t *testing.T) {
	s := mustOpen(t, t.TempDir())
	mustStore(t, s, entries(1, 3, 10)...)
	err := s.db.Update(func(txn *badger.Txn) error {
		return txn.Set(logKey(2), []byte("not an entry"))
	})
	if err != nil {
		t.Fatal(err)
	}
	var l raft.Log
	err = s.GetLog(2, &l)
	if !errors.Is(err, ErrCorrupt) || !strings.Contains(err.Error(), "entry 2") {
		t.Fatalf("err = %v, want ErrCorrupt naming entry 2", err)
	}
	wantEntries(t, s, 1, 1, 10, 1)
	wantEntries(t, s, 3, 3, 10, 3)
}

// The decoder never panics, and what it accepts encodes back to an entry
// that decodes the same.
func FuzzDecodeLog(f *testing.F) {
	for _, l := range []*raft.Log{
		{Index: 1, Term: 1},
		{Index: 7, Term: 3, Type: raft.LogCommand, Data: []byte("data"), Extensions: []byte("ext"), AppendedAt: time.Unix(1, 2)},
	} {
		b, err := encodeLog(l)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(l.Index, b)
	}
	f.Add(uint64(5), []byte{0xa2, 0x01, 0x05, 0x04, 0x5b, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff})
	f.Fuzz(func(t *testing.T, index uint64, b []byte) {
		var l raft.Log
		if err := decodeLog(index, b, &l); err != nil {
			return
		}
		again, err := encodeLog(&l)
		if err != nil {
			t.Fatalf("re-encode: %v", err)
		}
		var l2 raft.Log
		if err := decodeLog(index, again, &l2); err != nil {
			t.Fatalf("decode re-encoded: %v", err)
		}
		if l2.Index != l.Index || l2.Term != l.Term || l2.Type != l.Type || !bytes.Equal(l2.Data, l.Data) ||
			!bytes.Equal(l2.Extensions, l.Extensions) || !l2.AppendedAt.Equal(l.AppendedAt) {
			t.Fatalf("decoded %+v, then %+v", l, l2)
		}
	})
}

func mustEncode(t *testing.T, l *raft.Log) []byte {
	t.Helper()
	b, err := encodeLog(l)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
