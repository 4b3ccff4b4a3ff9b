package localstore

import (
	"fmt"
	"os"
	"path/filepath"
)

// salvageCopy reads the unsent outbox of a directory whose tables failed
// their sums, before it is quarantined: the outbox may well be intact (a
// changed table need not hold it), and it holds events already
// acknowledged to staff. Badger opens a copy, so the quarantined
// directory stays as it was found, without compactors, so that only this
// goroutine reads its tables; Badger may panic on a table it cannot
// parse, which salvages nothing. It returns what it could read.
func salvageCopy(dir string, o Options) (out []Pending) {
	tmp := dir + ".salvage"
	defer os.RemoveAll(tmp)
	if err := copyFiles(dir, tmp); err != nil {
		return nil
	}
	defer func() {
		if recover() != nil {
			out = nil
		}
	}()
	o.noCompaction = true
	s, err := Open(tmp, o)
	if err != nil {
		return nil
	}
	defer s.Close()
	out, err = s.Pending(maxSalvage)
	if err != nil {
		return nil
	}
	return out
}

// copyFiles copies the regular files of dir (a Badger directory has no
// subdirectories) into a new directory to, leaving out the lock.
func copyFiles(dir, to string) error {
	if err := os.RemoveAll(to); err != nil {
		return err
	}
	if err := os.MkdirAll(to, 0o700); err != nil {
		return err
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	for _, e := range entries {
		if !e.Type().IsRegular() || e.Name() == "LOCK" {
			continue
		}
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			return fmt.Errorf("copy %s: %w", e.Name(), err)
		}
		if err := os.WriteFile(filepath.Join(to, e.Name()), b, 0o600); err != nil {
			return fmt.Errorf("copy %s: %w", e.Name(), err)
		}
	}
	return nil
}
