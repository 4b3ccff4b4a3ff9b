package agentlink

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"sync"
	"time"

	"github.com/quic-go/quic-go"
	"github.com/touchpoint/touchpoint/hub/fleet"
	"github.com/touchpoint/touchpoint/hub/metrics"
	"github.com/touchpoint/touchpoint/hub/store"
)

// QUIC settings: keep-alives well inside the idle timeout so a quiet
// agent stays connected, and enough streams for concurrent lookups.
const (
	idleTimeout     = 30 * time.Second
	keepAlivePeriod = 10 * time.Second
	maxStreams      = 64
)

// Server accepts agent connections on one hub node.
type Server struct {
	store   *store.Store
	log     *slog.Logger
	udp     *net.UDPConn
	tr      *quic.Transport
	ln      *quic.Listener
	metrics *metrics.Metrics

	mu     sync.Mutex
	health map[string]fleet.Report
}

// Listen opens the QUIC listener on addr (UDP), with the stateless reset
// key kept in dataDir.
func Listen(addr, dataDir string, st *store.Store, m *metrics.Metrics, log *slog.Logger) (*Server, error) {
	key, err := loadResetKey(dataDir)
	if err != nil {
		return nil, fmt.Errorf("stateless reset key: %w", err)
	}
	udpAddr, err := net.ResolveUDPAddr("udp", addr)
	if err != nil {
		return nil, fmt.Errorf("listen for agents on %s: %w", addr, err)
	}
	udp, err := net.ListenUDP("udp", udpAddr)
	if err != nil {
		return nil, fmt.Errorf("listen for agents on %s: %w", addr, err)
	}
	tr := &quic.Transport{Conn: udp, StatelessResetKey: key}
	ln, err := tr.Listen(newTLSSource(st, addr).config(), &quic.Config{
		MaxIdleTimeout:     idleTimeout,
		KeepAlivePeriod:    keepAlivePeriod,
		MaxIncomingStreams: maxStreams,
		EnableDatagrams:    true, // the agents' liveness probes, see discardProbes
	})
	if err != nil {
		tr.Close()
		udp.Close()
		return nil, fmt.Errorf("listen for agents on %s: %w", addr, err)
	}
	return &Server{
		store: st, log: log.With("component", "agentlink"), udp: udp, tr: tr, ln: ln, metrics: m,
		health: map[string]fleet.Report{},
	}, nil
}

// Serve accepts connections until ctx ends or the listener closes.
func (s *Server) Serve(ctx context.Context) error {
	for {
		conn, err := s.ln.Accept(ctx)
		if err != nil {
			if ctx.Err() != nil || errors.Is(err, quic.ErrServerClosed) {
				return nil
			}
			return fmt.Errorf("accept agent connection: %w", err)
		}
		go s.serveConn(ctx, conn)
	}
}

// Close stops accepting and closes every connection and the socket (a
// Transport leaves a socket it was given open).
func (s *Server) Close() error {
	return errors.Join(s.ln.Close(), s.tr.Close(), s.udp.Close())
}

// Health reports each agent's latest health (httpapi.AgentHealth).
func (s *Server) Health() map[string]fleet.Report {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make(map[string]fleet.Report, len(s.health))
	for k, v := range s.health {
		out[k] = v
	}
	return out
}

func (s *Server) report(agentID string, update func(*fleet.Report)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	r := s.health[agentID]
	r.LastSeen = time.Now().UTC()
	r.Node = s.store.Node().ID
	update(&r)
	s.health[agentID] = r
	s.metrics.SetAgentReport(agentID, r.Dealer, r.FeedLag, r.OutboxLen, r.Connected)
}
