package localstore

import (
	"fmt"

	"github.com/dgraph-io/badger/v4"
)

// OutboxLen counts the events waiting for the hub's acknowledgement. It
// is Status without counting the cached profiles, cheap enough for the
// staff page's banner at any scope size.
func (s *Store) OutboxLen() (int, error) {
	n := 0
	err := s.db.View(func(bt *badger.Txn) error {
		return txn{bt}.each([]byte(prefixOutbox), false, func(_, _ []byte) error { n++; return nil })
	})
	if err != nil {
		return 0, fmt.Errorf("count outbox: %w", err)
	}
	return n, nil
}
