package localstore

import (
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"
)

// recordingCommit stands in for the database: it notes each group and
// holds the first commit until release is closed, like a slow disk sync.
type recordingCommit struct {
	release chan struct{}
	mu      sync.Mutex
	groups  [][]string // customer ids of each committed group
}

func (c *recordingCommit) commit(entries []AuditEntry) error {
	c.mu.Lock()
	first := len(c.groups) == 0
	var ids []string
	for _, e := range entries {
		ids = append(ids, e.CustomerID)
	}
	c.groups = append(c.groups, ids)
	c.mu.Unlock()
	if first {
		<-c.release
	}
	return nil
}

func (c *recordingCommit) committed() [][]string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.Clone(c.groups)
}

// waitUntil polls cond for at most ten seconds.
func waitUntil(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting until %s", what)
		}
		time.Sleep(time.Millisecond)
	}
}

// queueInOrder starts one caller per id, each queued after the previous,
// while the flusher is held in its first commit; it returns the callers'
// outcomes.
func queueInOrder(t *testing.T, q *auditQueue, ids []string) chan error {
	t.Helper()
	errs := make(chan error, len(ids))
	for i, id := range ids {
		go func() { errs <- q.add([]AuditEntry{{CustomerID: id}}) }()
		waitUntil(t, fmt.Sprintf("%d callers are queued", i+1), func() bool { return len(q.pending) == i+1 })
	}
	return errs
}

func idsFrom(from, n int) []string {
	var ids []string
	for i := range n {
		ids = append(ids, fmt.Sprintf("C-%03d", from+i))
	}
	return ids
}

// Callers that queue while a commit is syncing share the next commit, in
// the order they queued, at most auditGroupEntries entries to a commit;
// each returns only after the commit holding its entry.
func TestAuditQueue_GroupsCallersInOrder(t *testing.T) {
	c := &recordingCommit{release: make(chan struct{})}
	q := newAuditQueue(c.commit)
	defer q.close()
	held := make(chan error, 1)
	go func() { held <- q.add([]AuditEntry{{CustomerID: "C-first"}}) }()
	waitUntil(t, "the first commit started", func() bool { return len(c.committed()) == 1 })

	queued := idsFrom(0, auditGroupEntries+30)
	errs := queueInOrder(t, q, queued)
	select {
	case err := <-errs:
		t.Fatalf("a caller returned (%v) before its commit", err)
	default:
	}
	close(c.release)
	for range queued {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	if err := <-held; err != nil {
		t.Fatal(err)
	}
	groups := c.committed()
	want := [][]string{{"C-first"}, queued[:auditGroupEntries], queued[auditGroupEntries:]}
	if len(groups) != len(want) {
		t.Fatalf("%d commits of sizes %v, want %d", len(groups), sizes(groups), len(want))
	}
	for i := range want {
		if !slices.Equal(groups[i], want[i]) {
			t.Errorf("commit %d = %v, want %v", i, groups[i], want[i])
		}
	}
}

func sizes(groups [][]string) []int {
	var n []int
	for _, g := range groups {
		n = append(n, len(g))
	}
	return n
}

// Closing commits what is queued; a later caller is told the store is
// closed.
func TestAuditQueue_CloseCommitsQueuedEntries(t *testing.T) {
	c := &recordingCommit{release: make(chan struct{})}
	q := newAuditQueue(c.commit)
	go func() { _ = q.add([]AuditEntry{{CustomerID: "C-first"}}) }()
	waitUntil(t, "the first commit started", func() bool { return len(c.committed()) == 1 })
	errs := queueInOrder(t, q, idsFrom(0, 3))
	closed := make(chan struct{})
	go func() { q.close(); close(closed) }()
	close(c.release)
	<-closed
	for range 3 {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	if got := c.committed(); len(got) != 2 || !slices.Equal(got[1], idsFrom(0, 3)) {
		t.Errorf("commits = %v, want the queued three after the first", got)
	}
	if err := q.add([]AuditEntry{{CustomerID: "C-late"}}); !errors.Is(err, ErrClosed) {
		t.Errorf("audit after close = %v, want ErrClosed", err)
	}
}

// Many staff requests auditing at once lose nothing: every entry is in
// the audit log, also after a reopen.
func TestAudit_ConcurrentCallersAllDurable(t *testing.T) {
	dir := t.TempDir()
	s := mustOpenIn(t, dir)
	const callers, each = 40, 3
	var wg sync.WaitGroup
	errs := make(chan error, callers)
	for c := range callers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var entries []AuditEntry
			for i := range each {
				entries = append(entries, AuditEntry{At: int64(c*each + i + 1), Staff: "m.jones", CustomerID: fmt.Sprintf("C-%02d-%d", c, i), Action: "search", Via: "api"})
			}
			errs <- s.Audit(entries...)
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s = mustOpenIn(t, dir)
	got, err := s.AuditLog(AuditFilter{Limit: 10_000})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != callers*each || got[0].At != callers*each || got[len(got)-1].At != 1 {
		t.Errorf("audit log after reopen holds %d entries, want %d newest first", len(got), callers*each)
	}
}
