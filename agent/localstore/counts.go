package localstore

import (
	"github.com/dgraph-io/badger/v4"
)

// OutboxLen is how many events wait for the hub's acknowledgement: kept
// as they are recorded and acknowledged, so the staff page's banner and
// sync-status cost nothing at any outbox size.
func (s *Store) OutboxLen() (int, error) { return int(s.outboxLen.Load()), nil }

// countKeys counts the keys under prefix.
func (s *Store) countKeys(prefix string) (int, error) {
	n := 0
	err := s.db.View(func(bt *badger.Txn) error {
		return txn{bt}.each([]byte(prefix), false, func(_, _ []byte) error { n++; return nil })
	})
	return n, err
}
