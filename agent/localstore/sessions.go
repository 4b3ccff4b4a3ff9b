package localstore

import (
	"encoding/hex"
	"fmt"
	"time"

	"github.com/dgraph-io/badger/v4"
	"github.com/touchpoint/touchpoint/agent/clock"
	"github.com/touchpoint/touchpoint/protocol"
)

// Session is a staff member's login on the staff page. It is stored under
// the hash of its cookie's token and expires by itself.
type Session struct {
	Username string `cbor:"1,keyasint"`
	CSRF     string `cbor:"2,keyasint"` // checked on every form the page posts
	Expires  int64  `cbor:"3,keyasint"` // unix seconds
}

// PutSession stores a session under tokenHash until it expires.
func (s *Store) PutSession(tokenHash []byte, sess Session) error {
	ttl := time.Unix(sess.Expires, 0).Sub(clock.Now())
	if ttl <= 0 {
		return fmt.Errorf("put session: already expired")
	}
	raw, err := protocol.Marshal(&sess)
	if err != nil {
		return err
	}
	err = s.db.Update(func(bt *badger.Txn) error {
		return bt.SetEntry(badger.NewEntry(sessionKey(tokenHash), raw).WithTTL(ttl))
	})
	if err != nil {
		return fmt.Errorf("put session: %w", err)
	}
	return nil
}

// Session returns the live session stored under tokenHash; ErrNotFound
// when there is none or it has expired.
func (s *Store) Session(tokenHash []byte) (Session, error) {
	var sess Session
	err := s.db.View(func(bt *badger.Txn) error {
		ok, err := txn{bt}.decode(sessionKey(tokenHash), &sess)
		if err == nil && (!ok || clock.Now().Unix() >= sess.Expires) {
			err = ErrNotFound
		}
		return err
	})
	return sess, err
}

// DeleteSession ends a session (logout).
func (s *Store) DeleteSession(tokenHash []byte) error {
	err := s.db.Update(func(bt *badger.Txn) error { return bt.Delete(sessionKey(tokenHash)) })
	if err != nil {
		return fmt.Errorf("delete session: %w", err)
	}
	return nil
}

func sessionKey(tokenHash []byte) []byte {
	return key(prefixSession, hex.EncodeToString(tokenHash))
}
