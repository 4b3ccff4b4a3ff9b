package localstore

import (
	"cmp"
	"encoding/hex"
	"fmt"

	"github.com/dgraph-io/badger/v4"
	"github.com/touchpoint/touchpoint/protocol"
)

// StaffAccount is a local login for showroom staff. Secrets are stored
// only as hashes: the password as bcrypt, the API token as SHA-256.
type StaffAccount struct {
	Username     string `cbor:"1,keyasint" json:"username"`
	Name         string `cbor:"2,keyasint" json:"name"`
	PasswordHash []byte `cbor:"3,keyasint" json:"-"`
	TokenHash    []byte `cbor:"4,keyasint" json:"-"`
	CreatedAt    int64  `cbor:"5,keyasint" json:"created_unix"`
}

// AddStaff stores a new account; ErrExists if the username is taken.
func (s *Store) AddStaff(a StaffAccount) error {
	err := s.db.Update(func(bt *badger.Txn) error {
		t := txn{bt}
		if _, ok, err := t.value(key(prefixStaff, a.Username)); err != nil || ok {
			return cmp.Or(err, ErrExists)
		}
		if len(a.TokenHash) > 0 {
			if err := t.Set(key(prefixStaffToken, hex.EncodeToString(a.TokenHash)), []byte(a.Username)); err != nil {
				return err
			}
		}
		return t.put(key(prefixStaff, a.Username), &a)
	})
	if err != nil {
		return fmt.Errorf("add staff account: %w", err)
	}
	return nil
}

// Staff returns one account; ErrNotFound if there is none of that name.
func (s *Store) Staff(username string) (StaffAccount, error) {
	var a StaffAccount
	err := s.db.View(func(bt *badger.Txn) error {
		ok, err := txn{bt}.decode(key(prefixStaff, username), &a)
		if err == nil && !ok {
			err = ErrNotFound
		}
		return err
	})
	return a, err
}

// StaffByToken returns the account whose API token hashes to tokenHash.
func (s *Store) StaffByToken(tokenHash []byte) (StaffAccount, error) {
	var a StaffAccount
	err := s.db.View(func(bt *badger.Txn) error {
		t := txn{bt}
		name, ok, err := t.value(key(prefixStaffToken, hex.EncodeToString(tokenHash)))
		if err != nil {
			return err
		}
		if !ok {
			return ErrNotFound
		}
		if ok, err = t.decode(key(prefixStaff, string(name)), &a); err == nil && !ok {
			err = ErrNotFound
		}
		return err
	})
	return a, err
}

// ListStaff returns every account, by username.
func (s *Store) ListStaff() ([]StaffAccount, error) {
	out := []StaffAccount{}
	err := s.db.View(func(bt *badger.Txn) error {
		return txn{bt}.each([]byte(prefixStaff), true, func(_, v []byte) error {
			var a StaffAccount
			if err := protocol.Unmarshal(v, &a); err != nil {
				return err
			}
			out = append(out, a)
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("list staff: %w", err)
	}
	return out, nil
}

// RemoveStaff deletes an account and its API token; its sessions stop
// working at once because each request checks the account.
func (s *Store) RemoveStaff(username string) error {
	err := s.db.Update(func(bt *badger.Txn) error {
		t := txn{bt}
		var a StaffAccount
		ok, err := t.decode(key(prefixStaff, username), &a)
		if err != nil {
			return err
		}
		if !ok {
			return ErrNotFound
		}
		if len(a.TokenHash) > 0 {
			if err := t.Delete(key(prefixStaffToken, hex.EncodeToString(a.TokenHash))); err != nil {
				return err
			}
		}
		return t.Delete(key(prefixStaff, username))
	})
	if err != nil {
		return fmt.Errorf("remove staff account: %w", err)
	}
	return nil
}
