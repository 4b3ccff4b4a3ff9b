package hublink

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/touchpoint/touchpoint/protocol"
)

// PingResult is what one connection to a hub node showed.
type PingResult struct {
	Addr string
	// Handshake is the QUIC and TLS handshake; Welcome the protocol
	// handshake (Hello to Welcome) after it.
	Handshake, Welcome time.Duration
	NodeID             string
	Version            uint16
	// PeerChain is the certificate chain the node presented, kept even when
	// it failed verification; VerifyErr is why it failed.
	PeerChain []*x509.Certificate
	VerifyErr error
}

// Ping connects to the hub node at addr as this agent, completes the
// protocol handshake and disconnects; the node then knows the agent is
// alive but nothing is synced. Unlike the link it keeps the certificate
// chain the node presented when verification fails, so that `doctor` can
// say why (expired, not yet valid, another CA).
func Ping(ctx context.Context, addr string, creds *Credentials, software string) (*PingResult, error) {
	res := &PingResult{Addr: addr}
	tlsConf, err := creds.TLSConfig()
	if err != nil {
		return res, err
	}
	var mu sync.Mutex
	roots, serverName := tlsConf.RootCAs, tlsConf.ServerName
	// Verify here what crypto/tls would, recording the chain first.
	tlsConf.InsecureSkipVerify = true //nolint:gosec // verified below against the pinned CA
	tlsConf.VerifyPeerCertificate = func(raw [][]byte, _ [][]*x509.Certificate) error {
		chain := make([]*x509.Certificate, 0, len(raw))
		for _, der := range raw {
			c, err := x509.ParseCertificate(der)
			if err != nil {
				return fmt.Errorf("hub certificate: %w", err)
			}
			chain = append(chain, c)
		}
		err := verifyChain(chain, roots, serverName)
		mu.Lock()
		res.PeerChain, res.VerifyErr = chain, err
		mu.Unlock()
		return err
	}
	start := time.Now()
	conn, err := dial(ctx, addr, tlsConf)
	res.Handshake = time.Since(start)
	if err != nil {
		return res, err
	}
	defer conn.CloseWithError(0, "doctor done")
	start = time.Now()
	control, err := openStream(ctx, conn, protocol.StreamControl)
	if err != nil {
		return res, err
	}
	_ = control.SetDeadline(time.Now().Add(dialTimeout))
	welcome, err := protocol.ClientHandshake(control, protocol.Hello{AgentID: creds.AgentID, Software: software})
	res.Welcome = time.Since(start)
	if err != nil {
		return res, err
	}
	res.NodeID, res.Version = welcome.NodeID, welcome.Version
	return res, nil
}

func verifyChain(chain []*x509.Certificate, roots *x509.CertPool, serverName string) error {
	if len(chain) == 0 {
		return errors.New("hub presented no certificate")
	}
	inter := x509.NewCertPool()
	for _, c := range chain[1:] {
		inter.AddCert(c)
	}
	_, err := chain[0].Verify(x509.VerifyOptions{
		Roots: roots, Intermediates: inter, DNSName: serverName,
		KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	})
	return err
}
