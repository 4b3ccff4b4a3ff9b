package hublink

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"slices"
	"sync"
	"time"

	"github.com/quic-go/quic-go"
	"github.com/touchpoint/touchpoint/agent/clock"
	"github.com/touchpoint/touchpoint/agent/localstore"
	"github.com/touchpoint/touchpoint/protocol"
)

// Reconnect backoff bounds. The cap bounds how long a healed agent may
// sit out before its next attempt (the chaos suite asks for convergence
// within 10 s of a heal); with jitter, hundreds of agents still spread
// their reconnects.
const (
	minBackoff = 250 * time.Millisecond
	maxBackoff = 4 * time.Second
)

// ErrOffline means the agent has no hub connection right now.
var ErrOffline = errors.New("hub not reachable: showing what this agent has cached")

// Link is the agent's connection to the hub.
type Link struct {
	creds    *Credentials
	dataDir  string
	store    *localstore.Store
	log      *slog.Logger
	software string

	// pinned, when set, replaces the hub addresses (see PinnedHubsEnv).
	pinned []string
	// fail holds the failpoints armed for fault-injection tests.
	fail failpoints

	mu    sync.Mutex
	conn  *quic.Conn
	state State
	syncs uint64 // acks and feed batches so far, see markSync
}

// State is the connection as sync-status shows it.
type State struct {
	Connected bool      `json:"connected"`
	Hub       string    `json:"hub,omitempty"`
	Since     time.Time `json:"since,omitzero"`
	LastSync  time.Time `json:"last_sync,omitzero"`
	LastError string    `json:"last_error,omitempty"`
	Behind    uint64    `json:"cursor_lag"`
	Hubs      []string  `json:"hubs"`
}

// New builds a link; Run connects it.
func New(creds *Credentials, dataDir string, st *localstore.Store, software string, log *slog.Logger) *Link {
	l := &Link{
		creds: creds, dataDir: dataDir, store: st, software: software,
		log: log.With("component", "hublink"), pinned: pinnedHubs(),
	}
	if l.pinned != nil {
		l.log.Info("hub addresses pinned", "env", PinnedHubsEnv, "hubs", l.pinned)
	}
	l.fail = loadFailpoints(l.log)
	return l
}

// State returns the current connection state.
func (l *Link) State() State {
	l.mu.Lock()
	defer l.mu.Unlock()
	s := l.state
	s.Hubs = slices.Clone(l.creds.Hubs)
	if l.pinned != nil {
		s.Hubs = slices.Clone(l.pinned)
	}
	return s
}

// Run keeps the agent connected, trying each known hub node in turn with
// backoff, until ctx ends.
func (l *Link) Run(ctx context.Context) {
	backoff := minBackoff
	for i := 0; ctx.Err() == nil; i++ {
		hubs := l.State().Hubs
		addr := hubs[i%len(hubs)]
		start, syncs := time.Now(), l.syncCount()
		err := l.session(ctx, addr)
		if ctx.Err() != nil {
			return
		}
		l.setError(err)
		// A session that synced something ended for a new reason (a
		// node restarted, say): retry at once rather than after a
		// backoff grown by earlier failures.
		if time.Since(start) > 10*time.Second || l.syncCount() != syncs {
			backoff = minBackoff
		}
		l.log.Info("hub connection ended", "hub", addr, "err", err, "retry_in", backoff.Round(time.Millisecond))
		sleep := backoff/2 + rand.N(backoff/2+1)
		select {
		case <-ctx.Done():
			return
		case <-time.After(sleep):
		}
		backoff = min(backoff*2, maxBackoff)
	}
}

// session runs one connection until any of its streams fails.
func (l *Link) session(ctx context.Context, addr string) error {
	tlsConf, err := l.creds.TLSConfig()
	if err != nil {
		return err
	}
	conn, err := dial(ctx, addr, tlsConf)
	if err != nil {
		return err
	}
	defer conn.CloseWithError(0, "bye")
	control, err := openStream(ctx, conn, protocol.StreamControl)
	if err != nil {
		return err
	}
	hello := protocol.Hello{AgentID: l.creds.AgentID, Software: l.software}
	welcome, err := protocol.ClientHandshake(control, hello)
	if err != nil {
		return err
	}
	l.learnHubs(welcome.Hubs)
	l.renew(control)
	l.connected(conn, addr, welcome.NodeID)
	defer l.disconnected()

	// The streams end with the connection, so close it when the agent
	// stops: that ends the session and lets a service stop in time.
	defer context.AfterFunc(ctx, func() { _ = conn.CloseWithError(0, "agent stopping") })()
	ctx, cancel := context.WithCancel(conn.Context())
	defer cancel()
	loops := map[string]func() error{
		"push":   func() error { return l.pushLoop(ctx, conn) },
		"feed":   func() error { return l.feedLoop(ctx, conn) },
		"status": func() error { return l.statusLoop(ctx, control) },
		"probe":  func() error { return l.probeLoop(ctx, conn) },
	}
	errs := make(chan error, len(loops))
	for name, loop := range loops {
		go func() { errs <- fmt.Errorf("%s: %w", name, loop()) }()
	}
	err = <-errs
	if conn.Context().Err() != nil {
		// The connection ended under the loops; which one noticed first
		// is chance, and "context canceled" would hide why.
		err = fmt.Errorf("connection lost: %w", context.Cause(conn.Context()))
	}
	// Stop the other loops and wait for them: none may touch the store
	// once the session has returned (the caller may close it).
	cancel()
	_ = conn.CloseWithError(0, "bye")
	for range len(loops) - 1 {
		<-errs
	}
	return err
}

// renew rotates the agent's certificate when it nears expiry.
func (l *Link) renew(control io.ReadWriter) {
	l.mu.Lock()
	defer l.mu.Unlock()
	renewed, err := l.creds.RenewIfDue(control, clock.Now())
	switch {
	case err != nil:
		l.log.Warn("certificate renewal failed; will retry on the next connection", "err", err)
	case renewed:
		if err := l.creds.Save(l.dataDir); err != nil {
			l.log.Error("save renewed certificate", "err", err)
			return
		}
		l.log.Info("agent certificate renewed")
	}
}

func (l *Link) connected(conn *quic.Conn, addr, node string) {
	l.mu.Lock()
	l.conn = conn
	l.state.Connected, l.state.Hub, l.state.Since, l.state.LastError = true, addr, clock.Now().UTC(), ""
	l.mu.Unlock()
	l.log.Info("connected to hub", "hub", addr, "node", node)
}

func (l *Link) disconnected() {
	l.mu.Lock()
	l.conn = nil
	l.state.Connected, l.state.Hub, l.state.Since = false, "", time.Time{}
	l.mu.Unlock()
}

func (l *Link) setError(err error) {
	l.mu.Lock()
	if err != nil {
		l.state.LastError = err.Error()
	}
	l.mu.Unlock()
}

func (l *Link) markSync(behind *uint64) {
	l.mu.Lock()
	l.syncs++
	l.state.LastSync = clock.Now().UTC()
	if behind != nil {
		l.state.Behind = *behind
	}
	l.mu.Unlock()
}

func (l *Link) syncCount() uint64 {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.syncs
}

// learnHubs remembers every hub node's address for failover.
func (l *Link) learnHubs(hubs []string) {
	if len(hubs) == 0 || l.pinned != nil {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if slices.Equal(hubs, l.creds.Hubs) {
		return
	}
	l.creds.Hubs = slices.Clone(hubs)
	if err := l.creds.Save(l.dataDir); err != nil {
		l.log.Warn("save hub addresses", "err", err)
	}
}

func (l *Link) currentConn() *quic.Conn {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.conn
}
