package store

import (
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/hashicorp/go-hclog"
	"github.com/hashicorp/raft"
)

// unreadableLog is a log whose second entry cannot be read, as raft-wal
// leaves one after some kills ("sealed segment has no index block"):
// Raft reads the last entry fine, then panics scanning the others.
type unreadableLog struct{ *raft.InmemStore }

var errNoIndexBlock = errors.New("sealed segment has no index block")

func (l unreadableLog) GetLog(index uint64, out *raft.Log) error {
	if index == 2 {
		return errNoIndexBlock
	}
	return l.InmemStore.GetLog(index, out)
}

type nopFSM struct{}

func (nopFSM) Apply(*raft.Log) any                 { return nil }
func (nopFSM) Snapshot() (raft.FSMSnapshot, error) { return nil, errors.New("none") }
func (nopFSM) Restore(io.ReadCloser) error         { return nil }

// Raft panics when a log entry it scans at start cannot be read; the
// node reports it as ErrRaftLogUnreadable instead, so the operator reads
// what to do rather than a stack trace.
func TestNewRaft_UnreadableLogIsAnError(t *testing.T) {
	mem := raft.NewInmemStore()
	for i := uint64(1); i <= 3; i++ {
		if err := mem.StoreLog(&raft.Log{Index: i, Term: 1, Type: raft.LogCommand, Data: []byte("x")}); err != nil {
			t.Fatal(err)
		}
	}
	conf := raft.DefaultConfig()
	conf.LocalID = "hub1"
	conf.Logger = hclog.NewNullLogger()
	_, trans := raft.NewInmemTransport("hub1")
	defer trans.Close()

	r, err := newRaft(conf, nopFSM{}, unreadableLog{mem}, mem, raft.NewInmemSnapshotStore(), trans)
	if r != nil || !errors.Is(err, ErrRaftLogUnreadable) {
		t.Fatalf("newRaft = %v, %v; want ErrRaftLogUnreadable", r, err)
	}
	if !strings.Contains(err.Error(), errNoIndexBlock.Error()) {
		t.Errorf("error %q does not name the log's own error", err)
	}
}
