package localstore

import (
	"encoding/binary"
	"fmt"

	"github.com/dgraph-io/badger/v4"
	"github.com/touchpoint/touchpoint/protocol"
)

// AuditEntry records that someone saw a customer's profile. The audit log
// lives here, never in the logs: it names customers.
type AuditEntry struct {
	At         int64  `cbor:"1,keyasint" json:"at_unix_nano"`
	Staff      string `cbor:"2,keyasint" json:"staff"`
	CustomerID string `cbor:"3,keyasint" json:"customer_id"`
	Action     string `cbor:"4,keyasint" json:"action"` // view | search | record
	Via        string `cbor:"5,keyasint" json:"via"`    // page | api
}

// AuditFilter selects audit entries; empty fields match all.
type AuditFilter struct {
	CustomerID, Staff string
	Limit             int // newest first; 0 means 100
}

// Audit appends entries to the audit log and returns once they are on
// disk. Concurrent callers' entries share one synced transaction (see
// auditQueue), in the order the callers queued.
func (s *Store) Audit(entries ...AuditEntry) error {
	if len(entries) == 0 {
		return nil
	}
	return s.audits.add(entries)
}

// AuditLog returns the newest entries matching f.
func (s *Store) AuditLog(f AuditFilter) ([]AuditEntry, error) {
	if f.Limit <= 0 {
		f.Limit = 100
	}
	out := []AuditEntry{}
	err := s.db.View(func(bt *badger.Txn) error {
		opts := badger.DefaultIteratorOptions
		opts.Prefix, opts.Reverse = []byte(prefixAudit), true
		it := bt.NewIterator(opts)
		defer it.Close()
		for it.Seek(append([]byte(prefixAudit), 0xff)); it.Valid() && len(out) < f.Limit; it.Next() {
			var e AuditEntry
			if err := it.Item().Value(func(v []byte) error { return protocol.Unmarshal(v, &e) }); err != nil {
				return err
			}
			if (f.CustomerID == "" || e.CustomerID == f.CustomerID) && (f.Staff == "" || e.Staff == f.Staff) {
				out = append(out, e)
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read audit log: %w", err)
	}
	return out, nil
}

// auditKey orders entries by time; the customer id and staff member keep
// two entries of the same nanosecond apart.
func auditKey(e *AuditEntry) []byte {
	k := binary.BigEndian.AppendUint64([]byte(prefixAudit), uint64(e.At))
	return append(append(append(k, e.CustomerID...), 0), e.Staff...)
}
