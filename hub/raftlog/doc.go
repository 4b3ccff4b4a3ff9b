// Package raftlog is hashicorp/raft's log store and stable store on one
// Badger database.
//
// It replaces hashicorp/raft-wal, which after a kill -9 during a log
// truncation sometimes leaves a log it cannot read back: v0.4.0 refuses to
// open with "sealed segment has no index block" (raft-wal issue #31), and the
// node cannot rejoin without losing its log.
//
// Every write is synced before the call returns (Badger SyncWrites), so a
// kill -9 or a power cut at any instant leaves a readable log holding every
// entry whose StoreLogs returned. A batch too big for one Badger transaction
// is written in several, in index order, so a crash in the middle leaves a
// prefix of the batch, which Raft tolerates: it only counts an entry as
// stored once StoreLogs returns.
//
// Keys are one prefix byte and then, for a log entry, its index as 8 bytes
// big-endian, so that Badger's key order is index order; for a stable value,
// Raft's own key. Entries are CBOR maps with integer keys, so a field can be
// added later without a format version.
package raftlog
