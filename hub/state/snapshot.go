package state

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"io"

	"github.com/touchpoint/touchpoint/hub/state/kv"
)

// Snapshot stream format: gzip of a magic line, then records of
// (uvarint key length, key, uvarint value length, value), an empty key as
// terminator, and the SHA-256 of everything before it.
var snapshotMagic = []byte("touchpoint-hub-snapshot 1\n")

const maxSnapshotKey, maxSnapshotValue = 64 << 10, 64 << 20

// Snapshot is a consistent view of the whole state, taken at one applied
// index, that can be written out while writes go on.
type Snapshot struct {
	view    kv.Reader
	release func()
}

// Snapshot opens a view of the state as applied now. Release it when done.
func (s *State) Snapshot() *Snapshot {
	view, release := s.db.Snapshot()
	return &Snapshot{view: view, release: release}
}

// Release ends the snapshot's view; it may be called more than once.
func (sn *Snapshot) Release() {
	if sn.release != nil {
		sn.release()
		sn.release = nil
	}
}

// Stream streams every key of the snapshot to w in the snapshot format
// (gzip, SHA-256 trailer) and returns how many keys it wrote.
func (sn *Snapshot) Stream(w io.Writer) (int, error) {
	zw := gzip.NewWriter(w)
	sum := sha256.New()
	out := bufio.NewWriter(io.MultiWriter(zw, sum))
	out.Write(snapshotMagic)
	var n int
	err := sn.view.Scan(nil, nil, true, func(k, v []byte) bool {
		writeChunk(out, k)
		writeChunk(out, v)
		n++
		return true
	})
	if err != nil {
		return n, fmt.Errorf("read state: %w", err)
	}
	writeChunk(out, nil)
	if err := out.Flush(); err != nil {
		return n, err
	}
	if _, err := zw.Write(sum.Sum(nil)); err != nil {
		return n, err
	}
	return n, zw.Close()
}

// Restore replaces the whole state with a snapshot's contents, after
// verifying all of it: a damaged stream leaves the state as it was.
func (s *State) Restore(r io.Reader) error {
	s.events.clear()
	if err := restoreSnapshot(s.db, r); err != nil {
		return err
	}
	s.restores.Add(1)
	s.feeds.wakeAll()
	return nil
}

// Restores counts the snapshots restored since the state was opened: a
// follower too far behind installs one from the leader.
func (s *State) Restores() uint64 { return s.restores.Load() }

// VerifySnapshot checks a snapshot's checksum and records without loading
// it, and returns the Raft index its state was taken at.
func VerifySnapshot(r io.Reader) (uint64, error) {
	body, err := readSnapshot(r)
	if err != nil {
		return 0, err
	}
	var applied uint64
	err = eachRecord(body, func(k, v []byte) error {
		if bytes.Equal(k, keyApplied) {
			applied = decodeUint(v)
		}
		return nil
	})
	return applied, err
}

// IsBadSnapshot reports whether err means the snapshot itself is damaged.
func IsBadSnapshot(err error) bool { return errors.Is(err, ErrBadSnapshot) }

func writeChunk(w *bufio.Writer, b []byte) {
	w.Write(binary.AppendUvarint(nil, uint64(len(b))))
	w.Write(b)
}

// readSnapshot unpacks a snapshot stream and checks its magic line and
// checksum; it returns the records.
func readSnapshot(r io.Reader) ([]byte, error) {
	zr, err := gzip.NewReader(r)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrBadSnapshot, err)
	}
	data, err := io.ReadAll(zr)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrBadSnapshot, err)
	}
	if len(data) < len(snapshotMagic)+sha256.Size || !bytes.HasPrefix(data, snapshotMagic) {
		return nil, ErrBadSnapshot
	}
	body, want := data[:len(data)-sha256.Size], data[len(data)-sha256.Size:]
	if got := sha256.Sum256(body); !bytes.Equal(got[:], want) {
		return nil, fmt.Errorf("%w: checksum mismatch", ErrBadSnapshot)
	}
	return body[len(snapshotMagic):], nil
}

// restoreSnapshot verifies the whole stream, checksum and records, before
// touching the database.
func restoreSnapshot(db kv.DB, r io.Reader) error {
	records, err := readSnapshot(r)
	if err != nil {
		return err
	}
	if err := eachRecord(records, func(_, _ []byte) error { return nil }); err != nil {
		return err
	}
	return db.ReplaceAll(func(put func(k, v []byte) error) error { return eachRecord(records, put) })
}

// eachRecord calls fn for every (key, value) record of b, which must end
// with the terminator and nothing after it.
func eachRecord(b []byte, fn func(k, v []byte) error) error {
	for {
		k, rest, err := nextChunk(b, maxSnapshotKey)
		if err != nil {
			return err
		}
		if len(k) == 0 {
			if len(rest) != 0 {
				return fmt.Errorf("%w: data after the last record", ErrBadSnapshot)
			}
			return nil
		}
		v, rest, err := nextChunk(rest, maxSnapshotValue)
		if err != nil {
			return err
		}
		if err := fn(k, v); err != nil {
			return err
		}
		b = rest
	}
}

// nextChunk splits one length-prefixed chunk off the front of b.
func nextChunk(b []byte, limit uint64) (chunk, rest []byte, err error) {
	n, size := binary.Uvarint(b)
	if size <= 0 || n > limit {
		return nil, nil, fmt.Errorf("%w: bad record length", ErrBadSnapshot)
	}
	b = b[size:]
	if uint64(len(b)) < n {
		return nil, nil, fmt.Errorf("%w: truncated record", ErrBadSnapshot)
	}
	return b[:n], b[n:], nil
}
