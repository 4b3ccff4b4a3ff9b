package localstore

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/dgraph-io/badger/v4"
	"github.com/touchpoint/touchpoint/customer"
)

// ErrDamaged means the local database lost data or cannot be trusted:
// OpenChecked quarantines it and starts an empty one that the hub's
// change feed fills again.
var ErrDamaged = errors.New("local database damaged")

// Damage tells what OpenChecked found and did.
type Damage struct {
	Reason     string // what was wrong
	Quarantine string // where the damaged directory was moved
	Salvaged   int    // unsent outbox events carried into the new database
}

// OpenChecked opens the database in dir like Open, after checking it:
// before Badger opens it (tables changed since written, data without a
// MANIFEST), while opening (an error Badger reports) and after (Badger's
// block checksums; an outbox sequence or feed cursor behind the
// watermark). A damaged directory is moved aside as dir.damaged-<time>,
// the unsent outbox is carried over when the old database still opens,
// and an empty database is returned with the Damage; the agent's feed
// cursor then starts from zero and the hub resends the whole scope.
func OpenChecked(dir string, o Options) (*Store, *Damage, error) {
	var salvage []Pending
	s, err := openVerified(dir, o, &salvage)
	if err == nil {
		return s, nil, nil
	}
	if !errors.Is(err, ErrDamaged) {
		return nil, nil, err
	}
	d := &Damage{Reason: err.Error()}
	if d.Quarantine, err = quarantine(dir); err != nil {
		return nil, nil, fmt.Errorf("%s; and moving it aside failed: %w", d.Reason, err)
	}
	s, err = openVerified(dir, o, nil)
	if err != nil {
		return nil, d, fmt.Errorf("open new local store after quarantine: %w", err)
	}
	if d.Salvaged, err = s.carryOver(salvage); err != nil {
		s.Close()
		return nil, d, fmt.Errorf("carry outbox into the new local store: %w", err)
	}
	return s, d, nil
}

// salvageChunk is how many carried-over events share a transaction.
const salvageChunk = 1000

// carryOver records the outbox salvaged from a damaged database, oldest
// first, a chunk to a synced transaction, and counts what it recorded.
func (s *Store) carryOver(salvage []Pending) (int, error) {
	carried := 0
	for len(salvage) > 0 {
		n := min(salvageChunk, len(salvage))
		events := make([]customer.Event, n)
		for i := range events {
			events[i] = salvage[i].Event
		}
		created, err := s.recordEvents(events, false)
		if err != nil {
			return carried, err
		}
		for _, c := range created {
			carried += boolInt(c)
		}
		salvage = salvage[n:]
	}
	return carried, nil
}

// openVerified opens and checks; on damage found after Badger opened it
// puts the unsent outbox in salvage (when not nil) and closes the store.
func openVerified(dir string, o Options, salvage *[]Pending) (*Store, error) {
	if bare, err := hasDataWithoutManifest(dir); err != nil {
		return nil, err
	} else if bare {
		return nil, fmt.Errorf("%w: %s has data files but no MANIFEST", ErrDamaged, dir)
	}
	if err := checkTableSums(dir); err != nil {
		return nil, err
	}
	s, err := Open(dir, o)
	if err != nil {
		if isTransient(err) {
			return nil, err
		}
		return nil, fmt.Errorf("%w: %v", ErrDamaged, err)
	}
	if err := s.verify(dir); err != nil {
		if errors.Is(err, ErrDamaged) && salvage != nil {
			*salvage, _ = s.Pending(maxSalvage)
		}
		s.Close()
		return nil, err
	}
	return s, nil
}

// maxSalvage bounds the outbox carried out of a damaged database.
const maxSalvage = 1_000_000

// isTransient tells errors that say nothing about the data: another
// process holds the directory, or it may not be read.
func isTransient(err error) bool {
	return errors.Is(err, os.ErrPermission) || strings.Contains(err.Error(), "directory lock")
}

// verify checks the open database against Badger's checksums and the
// watermark, then notes its tables and starts keeping the watermark.
func (s *Store) verify(dir string) error {
	if err := s.db.VerifyChecksum(); err != nil {
		return fmt.Errorf("%w: %v", ErrDamaged, err)
	}
	st, err := s.Status()
	if err != nil {
		return fmt.Errorf("%w: %v", ErrDamaged, err)
	}
	outSeq, err := s.outSeq()
	if err != nil {
		return fmt.Errorf("%w: %v", ErrDamaged, err)
	}
	wantSeq, wantCursor, err := readWatermark(dir)
	switch {
	case errors.Is(err, errNoWatermark):
	case err != nil:
		return err
	case outSeq < wantSeq:
		return fmt.Errorf("%w: outbox sequence %d is behind the watermark %d (recorded events are missing)", ErrDamaged, outSeq, wantSeq)
	case st.Cursor < wantCursor:
		return fmt.Errorf("%w: feed cursor %d is behind the watermark %d (applied changes are missing)", ErrDamaged, st.Cursor, wantCursor)
	}
	sums, err := readTableSums(dir)
	if err != nil {
		return err
	}
	if err := noteTableSums(dir, liveTables(dir, s.db), sums); err != nil {
		return err
	}
	s.dir = dir
	s.wm, err = openWatermark(dir, outSeq, st.Cursor)
	return err
}

func (s *Store) outSeq() (uint64, error) {
	var seq uint64
	err := s.db.View(func(bt *badger.Txn) error {
		var err error
		seq, err = txn{bt}.counter(keyOutSeq)
		return err
	})
	return seq, err
}

// quarantine moves dir and its watermark and table sums aside and
// returns the new name of dir.
func quarantine(dir string) (string, error) {
	to := dir + ".damaged-" + time.Now().UTC().Format("20060102T150405.000")
	if err := os.Rename(dir, to); err != nil && !errors.Is(err, os.ErrNotExist) {
		return "", err
	}
	for _, side := range []string{watermarkPath(dir), tableSumsPath(dir)} {
		if err := os.Rename(side, to+side[len(dir):]); err != nil && !errors.Is(err, os.ErrNotExist) {
			return "", err
		}
	}
	return to, nil
}
