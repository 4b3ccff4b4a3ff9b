package raftlog

import (
	"encoding/binary"
	"fmt"
	"time"

	"github.com/fxamacker/cbor/v2"
	"github.com/hashicorp/raft"
)

// Key prefixes. A log key is logPrefix and the index as 8 bytes big-endian;
// a stable key is stablePrefix and Raft's key.
const (
	logPrefix    byte = 'l'
	stablePrefix byte = 's'
	logKeyLen         = 9
)

func logKey(index uint64) []byte {
	k := make([]byte, logKeyLen)
	k[0] = logPrefix
	binary.BigEndian.PutUint64(k[1:], index)
	return k
}

// logIndex is the index in a log key; ok is false for any other key.
func logIndex(key []byte) (index uint64, ok bool) {
	if len(key) != logKeyLen || key[0] != logPrefix {
		return 0, false
	}
	return binary.BigEndian.Uint64(key[1:]), true
}

func stableKey(key []byte) []byte {
	return append([]byte{stablePrefix}, key...)
}

// wireLog is a raft.Log as stored. Keys are only ever added; a reader
// ignores keys it does not know.
type wireLog struct {
	Index      uint64 `cbor:"1,keyasint"`
	Term       uint64 `cbor:"2,keyasint"`
	Type       uint8  `cbor:"3,keyasint,omitempty"`
	Data       []byte `cbor:"4,keyasint,omitempty"`
	Extensions []byte `cbor:"5,keyasint,omitempty"`
	AppendedAt int64  `cbor:"6,keyasint,omitempty"` // UnixNano; 0 is the zero time
}

// decMode reads only what encodeLog writes: one flat map, definite
// lengths, no tags, no repeated keys. Byte strings are bounded by the
// stored value itself.
var decMode = mustDecMode(cbor.DecOptions{
	DupMapKey:        cbor.DupMapKeyEnforcedAPF,
	IndefLength:      cbor.IndefLengthForbidden,
	TagsMd:           cbor.TagsForbidden,
	MaxNestedLevels:  4,
	MaxArrayElements: 16,
	MaxMapPairs:      16,
})

func mustDecMode(o cbor.DecOptions) cbor.DecMode {
	m, err := o.DecMode()
	if err != nil {
		panic(err) // the options above are constants
	}
	return m
}

func encodeLog(l *raft.Log) ([]byte, error) {
	w := wireLog{Index: l.Index, Term: l.Term, Type: uint8(l.Type), Data: l.Data, Extensions: l.Extensions}
	if !l.AppendedAt.IsZero() {
		w.AppendedAt = l.AppendedAt.UnixNano()
	}
	b, err := cbor.Marshal(w)
	if err != nil {
		return nil, fmt.Errorf("raft log: encode entry %d: %w", l.Index, err)
	}
	return b, nil
}

// decodeLog decodes the value stored under index into l. It copies the
// bytes it keeps, so b may be reused afterwards.
func decodeLog(index uint64, b []byte, l *raft.Log) error {
	var w wireLog
	if err := decMode.Unmarshal(b, &w); err != nil {
		return fmt.Errorf("raft log: read entry %d: %w: %w", index, ErrCorrupt, err)
	}
	if w.Index != index {
		return fmt.Errorf("raft log: read entry %d: %w: it holds entry %d", index, ErrCorrupt, w.Index)
	}
	*l = raft.Log{Index: w.Index, Term: w.Term, Type: raft.LogType(w.Type), Data: w.Data, Extensions: w.Extensions}
	if w.AppendedAt != 0 {
		l.AppendedAt = time.Unix(0, w.AppendedAt)
	}
	return nil
}
