package localstore

import (
	"fmt"

	"github.com/dgraph-io/badger/v4"
)

// VerifyReadOnly opens the database in dir read-only with its encryption
// key, verifies every table's checksums and closes it, writing nothing:
// touchpoint-agent doctor checks a stopped agent's database with it.
// Badger cannot open a database read-only on Windows.
func VerifyReadOnly(dir string, key []byte) error {
	opts := badger.DefaultOptions(dir).WithReadOnly(true).WithLogger(nil).
		WithEncryptionKey(key).WithIndexCacheSize(8 << 20).WithBlockCacheSize(8 << 20)
	db, err := badger.Open(opts)
	if err != nil {
		return fmt.Errorf("open %s read-only: %w", dir, err)
	}
	defer db.Close()
	if err := db.VerifyChecksum(); err != nil {
		return fmt.Errorf("verify %s: %w", dir, err)
	}
	return nil
}
