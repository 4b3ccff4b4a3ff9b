package cluster

import (
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"net"
	"time"

	"github.com/hashicorp/raft"
	"github.com/touchpoint/touchpoint/hub/ca"
)

// tlsStreamLayer carries Raft between hub nodes over mutual TLS 1.3: each
// side shows a node certificate from the cluster CA and accepts only a
// peer's node certificate (never an agent's).
type tlsStreamLayer struct {
	ln        net.Listener
	advertise net.Addr
	certs     *nodeTLS
}

// StreamLayer listens for Raft on bind and dials peers, both over mutual
// TLS with this node's certificate; advertise, when set, is the address
// the other nodes reach it at.
func (m *Member) StreamLayer(bind string, advertise net.Addr) (raft.StreamLayer, error) {
	return newTLSStreamLayer(bind, advertise, m.certs)
}

func newTLSStreamLayer(bind string, advertise net.Addr, certs *nodeTLS) (*tlsStreamLayer, error) {
	ln, err := net.Listen("tcp", bind)
	if err != nil {
		return nil, err
	}
	return &tlsStreamLayer{ln: ln, advertise: advertise, certs: certs}, nil
}

// Accept hands Raft a TLS server connection; the handshake runs on its
// first read, in Raft's per-connection goroutine.
func (l *tlsStreamLayer) Accept() (net.Conn, error) {
	c, err := l.ln.Accept()
	if err != nil {
		return nil, err
	}
	return tls.Server(c, l.serverConfig()), nil
}

func (l *tlsStreamLayer) Close() error { return l.ln.Close() }

func (l *tlsStreamLayer) Addr() net.Addr {
	if l.advertise != nil {
		return l.advertise
	}
	return l.ln.Addr()
}

// Dial connects to a peer and completes the handshake within timeout.
func (l *tlsStreamLayer) Dial(addr raft.ServerAddress, timeout time.Duration) (net.Conn, error) {
	d := &net.Dialer{Timeout: timeout}
	conn, err := tls.DialWithDialer(d, "tcp", string(addr), l.clientConfig())
	if err != nil {
		return nil, fmt.Errorf("raft tls to %s: %w", addr, err)
	}
	return conn, nil
}

func (l *tlsStreamLayer) serverConfig() *tls.Config {
	return &tls.Config{
		MinVersion: tls.VersionTLS13,
		ClientAuth: tls.RequireAnyClientCert, // checked against the current CA below
		GetCertificate: func(*tls.ClientHelloInfo) (*tls.Certificate, error) {
			cert, _, err := l.certs.current()
			return cert, err
		},
		VerifyPeerCertificate: l.verifyPeer,
	}
}

func (l *tlsStreamLayer) clientConfig() *tls.Config {
	return &tls.Config{
		MinVersion: tls.VersionTLS13,
		ServerName: ca.ServerName,
		// The CA can change (a node that just joined, a restored
		// snapshot), so the chain is checked in verifyPeer against the
		// current pool rather than a pool fixed here.
		InsecureSkipVerify: true, //nolint:gosec // verified in VerifyPeerCertificate
		GetClientCertificate: func(*tls.CertificateRequestInfo) (*tls.Certificate, error) {
			cert, _, err := l.certs.current()
			return cert, err
		},
		VerifyPeerCertificate: l.verifyPeer,
	}
}

func (l *tlsStreamLayer) verifyPeer(chain [][]byte, _ [][]*x509.Certificate) error {
	_, pool, err := l.certs.current()
	if err != nil {
		return err
	}
	return ca.VerifyNode(chain, pool, time.Now())
}
