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
}

// Persist streams every key of the snapshot's read transaction to sink.
func (s *fsmSnapshot) Persist(sink raft.SnapshotSink) error {
	defer s.txn.Discard()
	if err := writeSnapshot(s.txn, sink); err != nil {
		_ = sink.Cancel()
		return fmt.Errorf("persist snapshot: %w", err)
	}
	return sink.Close()
}

// Release ends the snapshot's read transaction.
func (s *fsmSnapshot) Release() { s.txn.Discard() }

func writeSnapshot(txn *badger.Txn, w io.Writer) error {
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
			return fmt.Errorf("read %q: %w", item.Key(), err)
		}
		writeChunk(out, item.Key())
		writeChunk(out, v)
		n++
	}
	writeChunk(out, nil)
	if err := out.Flush(); err != nil {
		return err
	}
	if _, err := zw.Write(sum.Sum(nil)); err != nil {
		return err
	}
	slog.Default().With("component", "snapshot").Info("snapshot written", "keys", n)
	return zw.Close()
}

func writeChunk(w *bufio.Writer, b []byte) {
	w.Write(binary.AppendUvarint(nil, uint64(len(b))))
	w.Write(b)
}

// restoreSnapshot verifies the whole stream before touching the database.
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
	if err := db.DropAll(); err != nil {
		return fmt.Errorf("clear state: %w", err)
	}
	return loadRecords(db, bufio.NewReader(bytes.NewReader(body[len(snapshotMagic):])))
}

func loadRecords(db *badger.DB, r *bufio.Reader) error {
	wb := db.NewWriteBatch()
	defer wb.Cancel()
	for {
		k, err := readChunk(r, maxSnapshotKey)
		if err != nil {
			return err
		}
		if len(k) == 0 {
			return wb.Flush()
		}
		v, err := readChunk(r, maxSnapshotValue)
		if err != nil {
			return err
		}
		if err := wb.Set(k, v); err != nil {
			return fmt.Errorf("load key: %w", err)
		}
	}
}

func readChunk(r *bufio.Reader, limit uint64) ([]byte, error) {
	n, err := binary.ReadUvarint(r)
	if err != nil || n > limit {
		return nil, fmt.Errorf("%w: bad record length", ErrBadSnapshot)
	}
	b := make([]byte, n)
	if _, err := io.ReadFull(r, b); err != nil {
		return nil, fmt.Errorf("%w: truncated record", ErrBadSnapshot)
	}
	return b, nil
}
