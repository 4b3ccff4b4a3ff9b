package walmigrate

import (
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/hashicorp/raft"
	wal "github.com/hashicorp/raft-wal"
	"github.com/hashicorp/raft-wal/metadb"
	"github.com/touchpoint/touchpoint/hub/raftlog"
)

// Where a node keeps its Raft log, under <data-dir>/raft. Nodes before
// raftlog kept it in raft-wal's directory; a node moves it over once.
const (
	raftLogDir     = "log"
	raftWALDir     = "wal"
	walMetaFile    = "wal-meta.db"
	migratingDir   = "log.migrating"
	migratedWALDir = "wal.migrated"
	migrateBatch   = 64
)

// Open opens the node's Raft log and stable store in dir (a node's
// <data-dir>/raft), first moving a raft-wal log into it. A move cut short
// starts again from the start: the raft-wal log is renamed aside only
// once the copy is complete.
func Open(dir string, log *slog.Logger) (*raftlog.Store, error) {
	m := &migration{log: log}
	logDir, walDir := filepath.Join(dir, raftLogDir), filepath.Join(dir, raftWALDir)
	if !exists(logDir) && exists(filepath.Join(walDir, walMetaFile)) {
		if err := m.migrateWAL(walDir, logDir); err != nil {
			return nil, err
		}
	}
	if exists(walDir) {
		if err := os.Rename(walDir, filepath.Join(dir, migratedWALDir)); err != nil {
			return nil, fmt.Errorf("move the old raft-wal log aside: %w", err)
		}
	}
	logs, err := raftlog.Open(logDir, log)
	if err != nil {
		return nil, fmt.Errorf("open raft log: %w", err)
	}
	return logs, nil
}

// migration moves one raft-wal log, logging its progress.
type migration struct{ log *slog.Logger }

func exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

// migrateWAL copies a raft-wal log and its stable values into a new log
// at logDir.
func (m *migration) migrateWAL(walDir, logDir string) (err error) {
	tmp := filepath.Join(filepath.Dir(logDir), migratingDir)
	if err := os.RemoveAll(tmp); err != nil {
		return fmt.Errorf("remove an unfinished raft log move: %w", err)
	}
	meta := &metadb.BoltMetaDB{}
	defer meta.Close()
	old, err := wal.Open(walDir, wal.WithMetaStore(meta))
	if err != nil {
		return fmt.Errorf("%w: open the raft-wal log to move it: %v", raftlog.ErrUnreadable, err)
	}
	defer old.Close()
	dst, err := raftlog.Open(tmp, m.log)
	if err != nil {
		return fmt.Errorf("create the new raft log: %w", err)
	}
	n, err := m.copyRaftLog(old, dst)
	if cerr := dst.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	if err := os.Rename(tmp, logDir); err != nil {
		return fmt.Errorf("finish the raft log move: %w", err)
	}
	m.log.Info("raft log moved from raft-wal", "entries", n, "old_log", filepath.Join(filepath.Dir(logDir), migratedWALDir))
	return nil
}

// copyRaftLog copies every entry and the stable values Raft keeps,
// logging progress every few seconds, and returns how many entries moved.
func (m *migration) copyRaftLog(from *wal.WAL, to *raftlog.Store) (int, error) {
	first, err := from.FirstIndex()
	if err != nil {
		return 0, fmt.Errorf("%w: %v", raftlog.ErrUnreadable, err)
	}
	last, err := from.LastIndex()
	if err != nil {
		return 0, fmt.Errorf("%w: %v", raftlog.ErrUnreadable, err)
	}
	n, lastReport := 0, time.Now()
	for i := first; first > 0 && i <= last; i += migrateBatch {
		batch, err := readEntries(from, i, min(i+migrateBatch-1, last))
		if err != nil {
			return n, err
		}
		if err := to.StoreLogs(batch); err != nil {
			return n, fmt.Errorf("write the new raft log: %w", err)
		}
		n += len(batch)
		if time.Since(lastReport) > 5*time.Second {
			m.log.Info("moving the raft log from raft-wal", "entries", n, "of", last-first+1)
			lastReport = time.Now()
		}
	}
	return n, copyStable(from, to)
}

func readEntries(from *wal.WAL, lo, hi uint64) ([]*raft.Log, error) {
	batch := make([]*raft.Log, 0, hi-lo+1)
	for i := lo; i <= hi; i++ {
		var l raft.Log
		if err := from.GetLog(i, &l); err != nil {
			return nil, fmt.Errorf("%w: entry %d: %v", raftlog.ErrUnreadable, i, err)
		}
		batch = append(batch, &l)
	}
	return batch, nil
}

// Raft's stable values: the current term and the last vote.
var (
	stableUint64Keys = [][]byte{[]byte("CurrentTerm"), []byte("LastVoteTerm")}
	stableBytesKeys  = [][]byte{[]byte("LastVoteCand")}
)

func copyStable(from raft.StableStore, to raft.StableStore) error {
	for _, k := range stableUint64Keys {
		v, err := from.GetUint64(k)
		if err != nil && !isNotFound(err) {
			return fmt.Errorf("%w: read %s: %v", raftlog.ErrUnreadable, k, err)
		}
		if err := to.SetUint64(k, v); err != nil {
			return fmt.Errorf("write %s: %w", k, err)
		}
	}
	for _, k := range stableBytesKeys {
		v, err := from.Get(k)
		if err != nil && !isNotFound(err) {
			return fmt.Errorf("%w: read %s: %v", raftlog.ErrUnreadable, k, err)
		}
		if err := to.Set(k, v); err != nil {
			return fmt.Errorf("write %s: %w", k, err)
		}
	}
	return nil
}

func isNotFound(err error) bool { return errors.Is(err, wal.ErrNotFound) }
