package state

import (
	"encoding/binary"
	"strconv"
)

// A big entry is applied in several Badger transactions (see writer), and
// the applied index is written with the last one. A replica killed in
// between replays the whole entry after its restart; this file makes that
// replay end in exactly the state a replica that was never killed has:
//
//   - Feed positions are the entry's Raft index and a counter within it
//     (index<<seqShift | n), the counter saved with every position handed
//     out, so a replay continues the numbering where the killed run
//     stopped, and a customer that already has a position from this entry
//     keeps it.
//   - An ingest saves the customers it touched with each part it commits,
//     so a replay, which finds those events already stored, still brings
//     their derived state (profile, household, candidates) up to date.

// seqShift leaves room for a million feed positions per entry.
const seqShift = 20

// startEntry resumes the feed counter of a replayed entry, or starts it.
func (s *State) startEntry(w *writer, index uint64) {
	s.entryIndex, s.entrySeq, s.entryCmd = index, 0, 0
	if v, ok := get(w.txn, keySeqCounter); ok && len(v) == 16 && binary.BigEndian.Uint64(v) == index {
		s.entrySeq = binary.BigEndian.Uint64(v[8:])
	}
}

// nextSeq hands out the entry's next feed position.
func (s *State) nextSeq(w *writer) uint64 {
	s.entrySeq++
	if s.entrySeq >= 1<<seqShift {
		panic("state: more than a million feed positions in one entry")
	}
	w.set(keySeqCounter, binary.BigEndian.AppendUint64(encodeUint(s.entryIndex), s.entrySeq))
	return s.entryIndex<<seqShift | s.entrySeq
}

// endEntry drops the entry's replay records, in its last transaction.
func (s *State) endEntry(w *writer) {
	for _, k := range keysUnder(w.txn, keyPrefix(prefixReplay, replayIndex(s.entryIndex))) {
		w.delete(k)
	}
}

// touchedLog records, part by part, the customers an ingest touched.
type touchedLog struct {
	s     *State
	saved int // how many of the list are saved
	part  int
}

// loadTouched returns what a killed run of this ingest saved.
func (s *State) loadTouched(w *writer) ([]string, *touchedLog) {
	var touched []string
	prefix := keyPrefix(prefixReplay, replayIndex(s.entryIndex), strconv.Itoa(s.entryCmd))
	parts := 0
	scan(w.txn, prefix, func(_, v []byte) bool {
		var ids []string
		decodeValue(v, &ids)
		touched = append(touched, ids...)
		parts++
		return true
	})
	return touched, &touchedLog{s: s, saved: len(touched), part: parts}
}

// save writes the customers touched since the last save, in the current
// transaction: they commit together with the writes that touched them.
func (l *touchedLog) save(w *writer, touched []string) {
	if len(touched) == l.saved {
		return
	}
	k := key(prefixReplay, replayIndex(l.s.entryIndex), strconv.Itoa(l.s.entryCmd), replayPart(l.part))
	w.set(k, mustEncode(touched[l.saved:]))
	l.saved, l.part = len(touched), l.part+1
}

// replayIndex and replayPart sort numerically as text.
func replayIndex(i uint64) string { return string(encodeUint(i)) }

func replayPart(p int) string { return string(binary.BigEndian.AppendUint32(nil, uint32(p))) }
