package hublink

import (
	"context"
	"crypto/tls"
	"fmt"
	"os"
	"time"

	"github.com/quic-go/quic-go"
	"github.com/touchpoint/touchpoint/protocol"
)

// QUIC settings mirror the hub's: keep-alives inside the idle timeout.
const (
	idleTimeout     = 15 * time.Second
	keepAlivePeriod = 5 * time.Second
	dialTimeout     = 5 * time.Second
)

// tlsConfig is the agent's TLS for QUIC. The hub's certificate is not yet
// verified: the cluster CA and mutual TLS come with the security work,
// and until then the agent's secret authenticates it inside TLS.
func tlsConfig() *tls.Config {
	return &tls.Config{
		NextProtos:         []string{protocol.ALPN},
		MinVersion:         tls.VersionTLS13,
		InsecureSkipVerify: true, //nolint:gosec // replaced by CA pinning with mTLS
	}
}

func dial(ctx context.Context, addr string) (*quic.Conn, error) {
	ctx, cancel := context.WithTimeout(ctx, dialTimeout)
	defer cancel()
	conn, err := quic.DialAddr(ctx, addr, tlsConfig(), &quic.Config{
		MaxIdleTimeout:  idleTimeout,
		KeepAlivePeriod: keepAlivePeriod,
	})
	if err != nil {
		return nil, fmt.Errorf("dial hub %s: %w", addr, err)
	}
	return conn, nil
}

// openStream opens a stream and names its kind.
func openStream(ctx context.Context, conn *quic.Conn, kind string) (*quic.Stream, error) {
	st, err := conn.OpenStreamSync(ctx)
	if err != nil {
		return nil, fmt.Errorf("open %s stream: %w", kind, err)
	}
	if err := protocol.WriteStreamKind(st, kind); err != nil {
		st.CancelRead(0)
		st.Close()
		return nil, fmt.Errorf("open %s stream: %w", kind, err)
	}
	return st, nil
}

// Enroll exchanges a one-time token at the hub for credentials.
func Enroll(ctx context.Context, hubAddr, token string) (*Credentials, error) {
	conn, err := dial(ctx, hubAddr)
	if err != nil {
		return nil, err
	}
	defer conn.CloseWithError(0, "enrolled")
	st, err := openStream(ctx, conn, protocol.StreamControl)
	if err != nil {
		return nil, err
	}
	host, _ := os.Hostname()
	if err := protocol.WriteFrame(st, protocol.TypeEnroll, &protocol.Enroll{Token: token, Hostname: host}); err != nil {
		return nil, fmt.Errorf("send enrolment: %w", err)
	}
	res, err := protocol.Expect[protocol.Enrolled](st, protocol.TypeEnrolled)
	if err != nil {
		return nil, fmt.Errorf("enrol: %w", err)
	}
	hubs := res.Hubs
	if len(hubs) == 0 {
		hubs = []string{hubAddr}
	}
	return &Credentials{AgentID: res.AgentID, DealerID: res.DealerID, Secret: res.Secret, Country: res.Country, Hubs: hubs}, nil
}
