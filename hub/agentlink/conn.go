package agentlink

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/quic-go/quic-go"
	"github.com/touchpoint/touchpoint/hub/ca"
	"github.com/touchpoint/touchpoint/hub/fleet"
	"github.com/touchpoint/touchpoint/hub/state"
	"github.com/touchpoint/touchpoint/protocol"
)

// QUIC application error codes for closing a connection.
const (
	closeNormal       quic.ApplicationErrorCode = 0
	closeUnauthorized quic.ApplicationErrorCode = 1
	closeProtocol     quic.ApplicationErrorCode = 2
)

// session is one authenticated agent connection.
type session struct {
	srv    *Server
	conn   *quic.Conn
	log    *slog.Logger
	agent  state.Agent
	dealer string
}

// serveConn runs the handshake on the first stream, then serves the
// agent's other streams until the connection ends.
func (s *Server) serveConn(ctx context.Context, conn *quic.Conn) {
	hsCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
	control, err := conn.AcceptStream(hsCtx)
	cancel()
	if err != nil {
		_ = conn.CloseWithError(closeProtocol, "no control stream")
		return
	}
	sess, err := s.handshake(ctx, conn, control)
	if err != nil {
		s.log.Info("agent connection refused", "remote", conn.RemoteAddr().String(), "err", err)
		refuse(conn, control)
		return
	}
	if sess == nil { // enrolment: one exchange, then done
		_ = control.Close()
		return
	}
	sess.log.Info("agent connected", "remote", conn.RemoteAddr().String())
	s.metrics.AgentConnections.Inc()
	go sess.serveControl(control)
	go echoProbes(conn)
	sess.acceptStreams(conn.Context())
	s.metrics.AgentConnections.Dec()
	s.report(sess.agent.ID, func(r *fleet.Report) { r.Connected = false })
	sess.log.Info("agent disconnected")
}

// handshake reads the first frame: an Enroll (answered, then nil session)
// or a Hello with credentials (answered with a Welcome).
func (s *Server) handshake(ctx context.Context, conn *quic.Conn, control *quic.Stream) (*session, error) {
	_ = control.SetReadDeadline(time.Now().Add(10 * time.Second))
	defer control.SetReadDeadline(time.Time{})
	if kind, err := protocol.ReadStreamKind(control); err != nil || kind != protocol.StreamControl {
		return nil, fmt.Errorf("first stream is not the control stream: %v", err)
	}
	t, body, err := protocol.ReadFrame(control)
	if err != nil {
		return nil, fmt.Errorf("read handshake: %w", err)
	}
	switch t {
	case protocol.TypeEnroll:
		return nil, s.enroll(ctx, control, body)
	case protocol.TypeHello:
		return s.welcome(conn, control, body)
	}
	_ = protocol.WriteError(control, protocol.CodeBadRequest, "expected hello or enroll")
	return nil, fmt.Errorf("unexpected %s as first frame", t)
}

func (s *Server) welcome(conn *quic.Conn, control *quic.Stream, body []byte) (*session, error) {
	var hello protocol.Hello
	if err := protocol.Unmarshal(body, &hello); err != nil {
		return nil, fmt.Errorf("decode hello: %w", err)
	}
	if err := hello.Validate(); err != nil {
		_ = protocol.WriteError(control, protocol.CodeBadRequest, err.Error())
		return nil, err
	}
	version, err := protocol.Negotiate(&hello)
	if err != nil {
		_ = protocol.WriteError(control, protocol.CodeVersion, err.Error())
		return nil, err
	}
	agent, err := s.identify(conn)
	if err != nil {
		_ = protocol.WriteError(control, protocol.CodeUnauthorized, err.Error())
		return nil, err
	}
	if ok, backlog := s.store.ServesAgents(); !ok {
		err := fmt.Errorf("this hub node is catching up with the cluster (%d entries to apply): try another node", backlog)
		_ = protocol.WriteError(control, protocol.CodeUnavailable, err.Error())
		return nil, err
	}
	w := protocol.Welcome{Version: version, NodeID: s.store.Node().ID, DealerID: agent.Dealer, Hubs: s.hubAddrs()}
	if err := protocol.WriteFrame(control, protocol.TypeWelcome, &w); err != nil {
		return nil, fmt.Errorf("write welcome: %w", err)
	}
	s.report(agent.ID, func(r *fleet.Report) { r.Software, r.Dealer, r.Connected = hello.Software, agent.Dealer, true })
	return &session{
		srv: s, conn: conn, agent: agent, dealer: agent.Dealer,
		log: s.log.With("agent", agent.ID, "dealer", agent.Dealer),
	}, nil
}

// refuse closes a refused connection, giving the Error frame already
// written a moment to reach the agent so it can say why.
func refuse(conn *quic.Conn, control *quic.Stream) {
	_ = control.Close()
	select {
	case <-conn.Context().Done():
	case <-time.After(time.Second):
	}
	_ = conn.CloseWithError(closeUnauthorized, "refused")
}

// Refusals of an agent connection.
var (
	errNoCertificate = errors.New("no client certificate from the cluster CA: enrol this agent")
	errUnknownAgent  = errors.New("certificate names an agent the hub does not know: enrol again")
	errWrongDealer   = errors.New("certificate's dealer does not match the agent's enrolment")
	errRevoked       = errors.New("this agent was revoked: enrol it again if that was a mistake")
)

// identify reads the agent from its verified client certificate and
// checks it against the enrolment record.
func (s *Server) identify(conn *quic.Conn) (state.Agent, error) {
	ctx := conn.Context() // the wait ends if the agent hangs up
	chains := conn.ConnectionState().TLS.VerifiedChains
	if len(chains) == 0 || len(chains[0]) == 0 {
		return state.Agent{}, errNoCertificate
	}
	id, dealer, err := ca.AgentIdentity(chains[0][0])
	if err != nil {
		return state.Agent{}, err
	}
	var agent state.Agent
	ok := eventually(ctx, func() (found bool) {
		agent, found = s.store.Agent(id)
		return found
	})
	switch {
	case !ok:
		return state.Agent{}, errUnknownAgent
	case agent.Dealer != dealer:
		return state.Agent{}, errWrongDealer
	case agent.RevokedAt != 0:
		return state.Agent{}, errRevoked
	}
	return agent, nil
}

// stillAllowed reports whether the session's agent may go on: a
// revocation takes effect on the next request.
func (sess *session) stillAllowed(w io.Writer) bool {
	if a, ok := sess.srv.store.Agent(sess.agent.ID); ok && a.RevokedAt == 0 {
		return true
	}
	_ = protocol.WriteError(w, protocol.CodeUnauthorized, errRevoked.Error())
	_ = sess.conn.CloseWithError(closeUnauthorized, "revoked")
	return false
}

func (s *Server) hubAddrs() []string {
	var out []string
	for _, n := range s.store.Nodes() {
		if n.AgentAddr != "" {
			out = append(out, n.AgentAddr)
		}
	}
	return out
}

// acceptStreams serves each new stream by the kind its first bytes name.
func (sess *session) acceptStreams(ctx context.Context) {
	for {
		st, err := sess.conn.AcceptStream(ctx)
		if err != nil {
			return
		}
		go sess.serveStream(ctx, st)
	}
}

func (sess *session) serveStream(ctx context.Context, st *quic.Stream) {
	defer st.Close()
	kind, err := protocol.ReadStreamKind(st)
	if err != nil {
		sess.log.Debug("bad stream", "err", err)
		return
	}
	switch kind {
	case protocol.StreamPush:
		err = sess.servePush(ctx, st)
	case protocol.StreamFeed:
		err = sess.serveFeed(ctx, st)
	case protocol.StreamLookup:
		err = sess.serveLookup(ctx, st)
	case protocol.StreamReview:
		err = sess.serveReview(ctx, st)
	default:
		err = protocol.WriteError(st, protocol.CodeBadRequest, "unexpected stream "+kind)
	}
	if err != nil && ctx.Err() == nil {
		sess.log.Debug("stream ended", "kind", kind, "err", err)
	}
}

// echoProbes sends the agent's liveness probes back (see
// protocol.ProbeStall) until the connection ends. A datagram bigger than
// a probe is dropped, so the echo never sends more than it received.
func echoProbes(conn *quic.Conn) {
	for {
		probe, err := conn.ReceiveDatagram(conn.Context())
		if err != nil {
			return
		}
		if len(probe) <= protocol.ProbeSize {
			_ = conn.SendDatagram(probe) // best effort, like the probe
		}
	}
}
