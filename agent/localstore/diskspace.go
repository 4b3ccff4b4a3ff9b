package localstore

import (
	"errors"
	"fmt"
)

// ErrDiskFull means the disk under the database has too little room left
// to take another recording safely.
var ErrDiskFull = errors.New("disk full")

// minFreeBytes is the room Record keeps free: Badger needs space beyond
// the recording itself to flush a memtable (8 MiB) into a table and to
// start a value log file, and failing there is worse than refusing one
// recording here, while staff can still be told.
const minFreeBytes = 40 << 20

// checkRoom fails with ErrDiskFull when the disk under the database is
// nearly full. Only stores from OpenChecked know their directory.
func (s *Store) checkRoom() error {
	if s.dir == "" {
		return nil
	}
	free, err := freeBytes(s.dir)
	if err != nil {
		return nil // cannot tell: let Badger report a real failure
	}
	if free < minFreeBytes {
		return fmt.Errorf("%w: %.1f MiB free under %s, %d MiB needed: free space on this PC's disk to keep recording (nothing recorded so far is lost)",
			ErrDiskFull, float64(free)/(1<<20), s.dir, minFreeBytes>>20)
	}
	return nil
}
