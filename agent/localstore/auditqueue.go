package localstore

import (
	"errors"
	"fmt"
	"sync"

	"github.com/dgraph-io/badger/v4"
)

// The audit log is written on every search and every profile view, from
// many staff requests at once. Each used to be a synced transaction of
// its own; now one flusher goroutine commits whatever callers have
// queued in one synced transaction, as a database's write-ahead log
// group-commits: a caller returns once its entries are on disk, and
// while one commit syncs the next callers queue up behind it.

// ErrClosed means the store was closed.
var ErrClosed = errors.New("local store closed")

const (
	// auditQueueLen bounds the audit requests waiting for the flusher;
	// callers beyond it wait to queue.
	auditQueueLen = 256
	// auditGroupEntries is the most entries the flusher gathers before
	// committing (it commits sooner when the queue is empty).
	auditGroupEntries = 100
)

// auditRequest is one caller's entries and where it hears the outcome.
type auditRequest struct {
	entries []AuditEntry
	done    chan error
}

// auditQueue is the group-commit queue in front of the audit log.
type auditQueue struct {
	commit func([]AuditEntry) error // writes entries in synced transactions

	mu      sync.RWMutex // held for reading while queueing; Close takes it to stop
	closed  bool
	pending chan auditRequest
	stop    chan struct{}
	stopped chan struct{}
}

func newAuditQueue(commit func([]AuditEntry) error) *auditQueue {
	q := &auditQueue{commit: commit, pending: make(chan auditRequest, auditQueueLen), stop: make(chan struct{}), stopped: make(chan struct{})}
	go q.run()
	return q
}

// add queues entries and waits until they are committed.
func (q *auditQueue) add(entries []AuditEntry) error {
	req := auditRequest{entries: entries, done: make(chan error, 1)}
	q.mu.RLock()
	if q.closed {
		q.mu.RUnlock()
		return ErrClosed
	}
	q.pending <- req // the flusher runs until close, which waits for this lock
	q.mu.RUnlock()
	return <-req.done
}

// close commits what is queued and stops the flusher.
func (q *auditQueue) close() {
	q.mu.Lock()
	if q.closed {
		q.mu.Unlock()
		return
	}
	q.closed = true
	q.mu.Unlock()
	close(q.stop)
	<-q.stopped
}

// run commits groups of queued requests until close, then what is left.
func (q *auditQueue) run() {
	defer close(q.stopped)
	for {
		select {
		case first := <-q.pending:
			q.flush(q.gather(first))
		case <-q.stop:
			for len(q.pending) > 0 { // nothing queues after close: bounded
				q.flush(q.gather(<-q.pending))
			}
			return
		}
	}
}

// gather takes queued requests after first, without waiting, until the
// queue is empty or the group holds auditGroupEntries entries.
func (q *auditQueue) gather(first auditRequest) []auditRequest {
	group := []auditRequest{first}
	n := len(first.entries)
	for n < auditGroupEntries && len(group) < auditQueueLen {
		select {
		case req := <-q.pending:
			group = append(group, req)
			n += len(req.entries)
		default:
			return group
		}
	}
	return group
}

// flush commits a group in one transaction and tells each caller.
func (q *auditQueue) flush(group []auditRequest) {
	var all []AuditEntry
	for _, req := range group {
		all = append(all, req.entries...)
	}
	err := q.commit(all)
	for _, req := range group {
		req.done <- err
	}
}

// commitAudit writes entries in one synced transaction, or in halves when
// Badger finds that too big.
func (s *Store) commitAudit(entries []AuditEntry) error {
	err := s.db.Update(func(bt *badger.Txn) error {
		t := txn{bt}
		for i := range entries {
			if err := t.put(auditKey(&entries[i]), &entries[i]); err != nil {
				return err
			}
		}
		return nil
	})
	if errors.Is(err, badger.ErrTxnTooBig) && len(entries) > 1 {
		half := len(entries) / 2
		if err := s.commitAudit(entries[:half]); err != nil {
			return err
		}
		return s.commitAudit(entries[half:])
	}
	if err != nil {
		return fmt.Errorf("write audit log: %w", err)
	}
	return nil
}
