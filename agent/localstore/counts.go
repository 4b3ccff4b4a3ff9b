package localstore

import (
	"fmt"

	"github.com/dgraph-io/badger/v4"
)

// OutboxLen counts the events waiting for the hub's acknowledgement. It
// is cheap enough for the staff page's banner at any scope size.
func (s *Store) OutboxLen() (int, error) {
	n, err := s.countKeys(prefixOutbox)
	if err != nil {
		return 0, fmt.Errorf("count outbox: %w", err)
	}
	return n, nil
}

// countKeys counts the keys under prefix.
func (s *Store) countKeys(prefix string) (int, error) {
	n := 0
	err := s.db.View(func(bt *badger.Txn) error {
		return txn{bt}.each([]byte(prefix), false, func(_, _ []byte) error { n++; return nil })
	})
	return n, err
}
