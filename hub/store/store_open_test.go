package store_test

import (
	"errors"
	"log/slog"
	"net"
	"testing"
	"time"

	"github.com/touchpoint/touchpoint/hub/store"
)

// openWithin opens a store, failing the test if Open does not return in
// time (a data directory still locked by an earlier Store makes it wait
// forever).
func openWithin(t *testing.T, cfg store.Config) (*store.Store, error) {
	t.Helper()
	type opened struct {
		st  *store.Store
		err error
	}
	done := make(chan opened, 1)
	go func() {
		st, err := store.Open(cfg)
		done <- opened{st, err}
	}()
	select {
	case o := <-done:
		if o.st != nil {
			t.Cleanup(func() { _ = o.st.Close() })
		}
		return o.st, o.err
	case <-time.After(10 * time.Second):
		t.Fatal("store.Open hangs: the data directory is still locked")
		return nil, nil
	}
}

// singleNodeConfig is a bootstrapping node on free ports in a temporary
// directory.
func singleNodeConfig(t *testing.T) store.Config {
	out := testLogOutput()
	return store.Config{
		NodeID: "solo", DataDir: t.TempDir(), RaftAddr: freeAddr(t), HTTPAddr: freeAddr(t),
		AgentAddr: freeAddr(t), Region: "US", Bootstrap: true, RaftLogOutput: out,
		Logger: slog.New(slog.NewTextHandler(out, nil)),
	}
}

// A closed store releases its data directory: the same process can open
// it again, as a restart or a restore does.
func TestStore_CloseReleasesDataDir(t *testing.T) {
	t.Parallel()
	cfg := singleNodeConfig(t)
	for range 3 {
		st, err := openWithin(t, cfg)
		if err != nil {
			t.Fatal(err)
		}
		eventually(t, waitTimeout, func() error {
			if !st.IsLeader() {
				return errors.New("not leader yet")
			}
			return nil
		})
		if err := st.Close(); err != nil {
			t.Fatal(err)
		}
	}
}

// An Open that fails half-way (the Raft port is taken) releases what it
// opened, so a retry with a free port works.
func TestStore_FailedOpenReleasesDataDir(t *testing.T) {
	t.Parallel()
	taken, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer taken.Close()
	cfg := singleNodeConfig(t)
	good := cfg.RaftAddr
	cfg.RaftAddr = taken.Addr().String()
	if _, err := openWithin(t, cfg); err == nil {
		t.Fatal("Open succeeded on a port in use")
	}
	cfg.RaftAddr = good
	if _, err := openWithin(t, cfg); err != nil {
		t.Fatal(err)
	}
}
