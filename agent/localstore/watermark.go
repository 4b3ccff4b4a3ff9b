package localstore

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"os"
	"sync"
)

// watermark is a small file beside the database holding the highest
// outbox sequence and the feed cursor the database has committed. It is
// written (and synced) after each commit that moves them, so it is never
// ahead of an intact database; a database behind its watermark has lost
// writes that Badger may not notice (a truncated memtable, a table it
// skipped), and is quarantined.
type watermark struct {
	mu     sync.Mutex
	f      *os.File
	outSeq uint64
	cursor uint64
}

// watermarkMagic starts the file; the version is in its last bytes.
var watermarkMagic = []byte("TPWM0001")

const watermarkSize = 8 + 8 + 8 + 4 // magic, out seq, cursor, crc32

// errNoWatermark means the file does not exist (a new or older agent).
var errNoWatermark = errors.New("no watermark")

func watermarkPath(dir string) string { return dir + ".watermark" }

// readWatermark returns the values in dir's watermark file.
func readWatermark(dir string) (outSeq, cursor uint64, err error) {
	b, err := os.ReadFile(watermarkPath(dir))
	if errors.Is(err, os.ErrNotExist) {
		return 0, 0, errNoWatermark
	}
	if err != nil {
		return 0, 0, fmt.Errorf("read watermark: %w", err)
	}
	if len(b) != watermarkSize || !bytes.Equal(b[:8], watermarkMagic) ||
		crc32.ChecksumIEEE(b[:24]) != binary.BigEndian.Uint32(b[24:]) {
		return 0, 0, fmt.Errorf("%w: watermark file %s is damaged", ErrDamaged, watermarkPath(dir))
	}
	return binary.BigEndian.Uint64(b[8:]), binary.BigEndian.Uint64(b[16:]), nil
}

// openWatermark opens dir's watermark for writing, starting from the
// database's current values.
func openWatermark(dir string, outSeq, cursor uint64) (*watermark, error) {
	f, err := os.OpenFile(watermarkPath(dir), os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return nil, fmt.Errorf("open watermark: %w", err)
	}
	w := &watermark{f: f, outSeq: outSeq, cursor: cursor}
	if err := w.write(); err != nil {
		f.Close()
		return nil, err
	}
	return w, nil
}

// write stores the values and syncs; the caller holds mu or owns w.
func (w *watermark) write() error {
	b := make([]byte, 0, watermarkSize)
	b = append(b, watermarkMagic...)
	b = binary.BigEndian.AppendUint64(b, w.outSeq)
	b = binary.BigEndian.AppendUint64(b, w.cursor)
	b = binary.BigEndian.AppendUint32(b, crc32.ChecksumIEEE(b))
	if _, err := w.f.WriteAt(b, 0); err != nil {
		return fmt.Errorf("write watermark: %w", err)
	}
	if err := w.f.Sync(); err != nil {
		return fmt.Errorf("sync watermark: %w", err)
	}
	return nil
}

// setOutSeq records a committed outbox sequence.
func (w *watermark) setOutSeq(seq uint64) error {
	if w == nil {
		return nil
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if seq <= w.outSeq {
		return nil
	}
	w.outSeq = seq
	return w.write()
}

// setCursor records a committed feed cursor.
func (w *watermark) setCursor(cursor uint64) error {
	if w == nil {
		return nil
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if cursor == w.cursor {
		return nil
	}
	w.cursor = cursor
	return w.write()
}

func (w *watermark) close() error {
	if w == nil {
		return nil
	}
	return w.f.Close()
}
