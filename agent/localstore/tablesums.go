package localstore

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/dgraph-io/badger/v4"
	"github.com/dgraph-io/badger/v4/table"
)

// Badger's table files never change once written, so a table whose
// SHA-256 differs from the one noted earlier is damaged. Badger itself
// skips a table whose checksum fails (silently missing its data) or
// panics on one it cannot parse; checking the sums before it opens the
// directory catches both. The sums live beside the database, noted after
// each verified open and each clean close.

func tableSumsPath(dir string) string { return dir + ".tablesums" }

// maxTableSumsBytes bounds the sums file (a few hundred tables at most).
const maxTableSumsBytes = 1 << 20

// tableSums maps a table's file name to its hex SHA-256.
type tableSums map[string]string

func readTableSums(dir string) (tableSums, error) {
	f, err := os.Open(tableSumsPath(dir))
	if errors.Is(err, os.ErrNotExist) {
		return tableSums{}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read table sums: %w", err)
	}
	defer f.Close()
	sums := tableSums{}
	if err := json.NewDecoder(io.LimitReader(f, maxTableSumsBytes)).Decode(&sums); err != nil {
		return nil, fmt.Errorf("%w: table sums file %s: %v", ErrDamaged, tableSumsPath(dir), err)
	}
	return sums, nil
}

// tables lists the table files in dir.
func tables(dir string) ([]string, error) {
	names, err := filepath.Glob(filepath.Join(dir, "*.sst"))
	sort.Strings(names)
	return names, err
}

func sumFile(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// checkTableSums fails with ErrDamaged when a table noted earlier has
// changed and the MANIFEST still lists it. A noted table that is gone may
// have been compacted away; the MANIFEST check and Badger's own open
// catch one it still needs. A changed file the MANIFEST does not list is
// no table of the database: Badger deletes it when it opens.
func checkTableSums(dir string) error {
	sums, err := readTableSums(dir)
	if err != nil {
		return err
	}
	names, err := tables(dir)
	if err != nil {
		return err
	}
	var listed map[uint64]badger.TableManifest
	for _, path := range names {
		want, ok := sums[filepath.Base(path)]
		if !ok {
			continue
		}
		got, err := sumFile(path)
		if err != nil {
			return fmt.Errorf("check table %s: %w", filepath.Base(path), err)
		}
		if got == want {
			continue
		}
		if listed == nil {
			if listed, err = manifestTables(dir); err != nil {
				return fmt.Errorf("%w: table %s changed since it was written, and the MANIFEST: %v", ErrDamaged, filepath.Base(path), err)
			}
		}
		if id, ok := table.ParseFileID(path); !ok || listedTable(listed, id) {
			return fmt.Errorf("%w: table %s changed since it was written", ErrDamaged, filepath.Base(path))
		}
	}
	return nil
}

func listedTable(listed map[uint64]badger.TableManifest, id uint64) bool {
	_, ok := listed[id]
	return ok
}

// manifestTables reads which tables the MANIFEST in dir lists.
func manifestTables(dir string) (map[uint64]badger.TableManifest, error) {
	f, err := os.Open(filepath.Join(dir, badger.ManifestFilename))
	if err != nil {
		return nil, err
	}
	defer f.Close()
	m, _, err := badger.ReplayManifestFile(f, 0, badger.DefaultOptions(dir))
	if err != nil {
		return nil, err
	}
	return m.Tables, nil
}

// liveTables lists the tables of an open database: those in its
// MANIFEST. A table file Badger is still writing (a flush or compaction
// runs as soon as it opens) is not among them, and neither is one that a
// kill before its MANIFEST entry leaves behind: Badger deletes it at the
// next open and may write another table under the same name.
func liveTables(dir string, db *badger.DB) []string {
	var names []string
	for _, ti := range db.Tables() {
		names = append(names, filepath.Join(dir, table.IDToFilename(ti.ID)))
	}
	sort.Strings(names)
	return names
}

// noteTableSums records the sums of the tables named, reusing the noted
// sum of a table already checked: the live tables of an open database,
// or every table file of a closed one.
func noteTableSums(dir string, names []string, known tableSums) error {
	sums := tableSums{}
	for _, path := range names {
		name := filepath.Base(path)
		if sum, ok := known[name]; ok {
			sums[name] = sum
			continue
		}
		sum, err := sumFile(path)
		if err != nil {
			return fmt.Errorf("note table %s: %w", name, err)
		}
		sums[name] = sum
	}
	b, err := json.Marshal(sums)
	if err != nil {
		return err
	}
	tmp := tableSumsPath(dir) + ".tmp"
	if err := writeSynced(tmp, b); err != nil {
		return err
	}
	return os.Rename(tmp, tableSumsPath(dir))
}

func writeSynced(path string, b []byte) error {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o600)
	if err != nil {
		return err
	}
	if _, err := f.Write(b); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// hasDataWithoutManifest reports a directory holding Badger data files
// but no MANIFEST: Badger would start a new, empty manifest and drop the
// tables without a word.
func hasDataWithoutManifest(dir string) (bool, error) {
	if _, err := os.Stat(filepath.Join(dir, "MANIFEST")); err == nil {
		return false, nil
	} else if !errors.Is(err, os.ErrNotExist) {
		return false, err
	}
	entries, err := os.ReadDir(dir)
	if errors.Is(err, os.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	for _, e := range entries {
		for _, ext := range []string{".sst", ".vlog", ".mem"} {
			if strings.HasSuffix(e.Name(), ext) {
				return true, nil
			}
		}
	}
	return false, nil
}
