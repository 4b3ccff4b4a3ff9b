package store

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"log/slog"

	"github.com/dgraph-io/badger/v4"
	"github.com/hashicorp/raft"
)

// Snapshot stream format: gzip of a magic line, then records of
// (uvarint key length, key, uvarint value length, value), an empty key as
// terminator, and the SHA-256 of everything before it.
var snapshotMagic = []byte("touchpoint-hub-snapshot 1\n")

// ErrBadSnapshot means a snapshot stream is damaged or not ours.
var ErrBadSnapshot = errors.New("snapshot is damaged or not a touchpoint hub snapshot")

const maxSnapshotKey, maxSnapshotValue = 64 << 10, 64 << 20

type fsmSnapshot struct {
	txn *badger.Txn
	log *slog.Logger
}

// Persist streams every key of the snapshot's read transaction to sink.
func (s *fsmSnapshot) Persist(sink raft.SnapshotSink) error {
	defer s.txn.Discard()
	keys, err := writeSnapshot(s.txn, sink)
	if err != nil {
		_ = sink.Cancel()
		return fmt.Errorf("persist snapshot: %w", err)
	}
	s.log.Info("snapshot written", "keys", keys)
	return sink.Close()
}

// Release ends the snapshot's read transaction.
func (s *fsmSnapshot) Release() { s.txn.Discard() }

// writeSnapshot streams every key of txn to w and returns how many it wrote.
func writeSnapshot(txn *badger.Txn, w io.Writer) (int, error) {
	zw := gzip.NewWriter(w)
	sum := sha256.New()
	out := bufio.NewWriter(io.MultiWriter(zw, sum))
	out.Write(snapshotMagic)
	it := txn.NewIterator(badger.DefaultIteratorOptions)
	defer it.Close()
	var n int
	for it.Rewind(); it.Valid(); it.Next() {
		item := it.Item()
		v, err := item.ValueCopy(nil)
		if err != nil {
			return n, fmt.Errorf("read %q: %w", item.Key(), err)
		}
		writeChunk(out, item.Key())
		writeChunk(out, v)
		n++
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

func writeChunk(w *bufio.Writer, b []byte) {
	w.Write(binary.AppendUvarint(nil, uint64(len(b))))
	w.Write(b)
}

// restoreSnapshot verifies the whole stream, checksum and records, before
// touching the database: a damaged stream leaves the state as it was.
func restoreSnapshot(db *badger.DB, r io.Reader) error {
	zr, err := gzip.NewReader(r)
	if err != nil {
		return fmt.Errorf("%w: %v", ErrBadSnapshot, err)
	}
	data, err := io.ReadAll(zr)
	if err != nil {
		return fmt.Errorf("%w: %v", ErrBadSnapshot, err)
	}
	if len(data) < len(snapshotMagic)+sha256.Size || !bytes.HasPrefix(data, snapshotMagic) {
		return ErrBadSnapshot
	}
	body, want := data[:len(data)-sha256.Size], data[len(data)-sha256.Size:]
	if got := sha256.Sum256(body); !bytes.Equal(got[:], want) {
		return fmt.Errorf("%w: checksum mismatch", ErrBadSnapshot)
	}
	records := body[len(snapshotMagic):]
	if err := eachRecord(records, func(_, _ []byte) error { return nil }); err != nil {
		return err
	}
	if err := db.DropAll(); err != nil {
		return fmt.Errorf("clear state: %w", err)
	}
	wb := db.NewWriteBatch()
	defer wb.Cancel()
	if err := eachRecord(records, wb.Set); err != nil {
		return fmt.Errorf("load key: %w", err)
	}
	return wb.Flush()
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
