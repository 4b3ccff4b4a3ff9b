package cluster

import (
	"crypto/tls"
	"crypto/x509"
	"net/http"
	"time"

	"github.com/touchpoint/touchpoint/hub/ca"
)

// HTTPScheme is "https" when the nodes serve their HTTP API over TLS
// (Config.HTTPTLS), else "http": what node-to-node calls use.
func (m *Member) HTTPScheme() string {
	if m.cfg.HTTPTLS {
		return "https"
	}
	return "http"
}

// ServerTLS is the HTTPS configuration of this node's HTTP API: the node
// certificate from the cluster CA (the one Raft uses, named
// ca.ServerName). Operators verify it with the cluster CA certificate in
// <data-dir>/node-tls/ca.crt.
func (m *Member) ServerTLS() *tls.Config {
	return &tls.Config{
		MinVersion: tls.VersionTLS12,
		GetCertificate: func(*tls.ClientHelloInfo) (*tls.Certificate, error) {
			cert, _, err := m.certs.current()
			return cert, err
		},
	}
}

// InternalClient is an HTTP client for calls to other nodes: over HTTPS it
// accepts only a hub node's certificate from the cluster CA.
func (m *Member) InternalClient(timeout time.Duration) *http.Client {
	if !m.cfg.HTTPTLS {
		return &http.Client{Timeout: timeout}
	}
	return &http.Client{Timeout: timeout, Transport: m.InternalTransport()}
}

// InternalTransport is InternalClient's transport, for proxies.
func (m *Member) InternalTransport() http.RoundTripper {
	t := http.DefaultTransport.(*http.Transport).Clone()
	if m.cfg.HTTPTLS {
		t.TLSClientConfig = &tls.Config{
			MinVersion: tls.VersionTLS12,
			// The chain is checked against the current cluster CA below.
			InsecureSkipVerify: true, //nolint:gosec // verified in VerifyPeerCertificate
			VerifyPeerCertificate: func(chain [][]byte, _ [][]*x509.Certificate) error {
				_, pool, err := m.certs.current()
				if err != nil {
					return err
				}
				return ca.VerifyNode(chain, pool, time.Now())
			},
		}
	}
	return t
}
