package agentlink

import (
	"bytes"
	"crypto/tls"
	"net"
	"sync"
	"time"

	"github.com/touchpoint/touchpoint/hub/ca"
	"github.com/touchpoint/touchpoint/hub/store"
	"github.com/touchpoint/touchpoint/protocol"
)

// certRenewBefore is how long before expiry a node issues itself a new
// serving certificate.
const certRenewBefore = 24 * time.Hour

// tlsSource builds each handshake's TLS config from the cluster CA in the
// replicated state: TLS 1.3, ALPN pinned, the node's serving certificate
// (issued by itself from the CA, renewed before expiry) and client
// certificates verified against the CA when given. Enrolling agents have
// none yet; every other stream demands one.
type tlsSource struct {
	store *store.Store
	host  string

	mu   sync.Mutex
	cert *tls.Certificate
	ca   []byte // the CA that issued cert: a restored snapshot may bring another
}

func newTLSSource(st *store.Store, addr string) *tlsSource {
	host, _, _ := net.SplitHostPort(addr)
	return &tlsSource{store: st, host: host}
}

func (t *tlsSource) config() *tls.Config {
	return &tls.Config{
		MinVersion:         tls.VersionTLS13,
		NextProtos:         []string{protocol.ALPN},
		GetConfigForClient: t.forClient,
	}
}

func (t *tlsSource) forClient(*tls.ClientHelloInfo) (*tls.Config, error) {
	authority, err := t.store.Member().Authority()
	if err != nil {
		return nil, err
	}
	cert, err := t.serving(authority)
	if err != nil {
		return nil, err
	}
	return &tls.Config{
		MinVersion:   tls.VersionTLS13,
		NextProtos:   []string{protocol.ALPN},
		Certificates: []tls.Certificate{*cert},
		ClientAuth:   tls.VerifyClientCertIfGiven,
		ClientCAs:    authority.Pool(),
	}, nil
}

func (t *tlsSource) serving(authority *ca.Authority) (*tls.Certificate, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.cert != nil && bytes.Equal(t.ca, authority.CertDER) && time.Until(t.cert.Leaf.NotAfter) > certRenewBefore {
		return t.cert, nil
	}
	cert, err := authority.ServerCert(t.store.Node().ID, t.host, time.Now())
	if err != nil {
		return nil, err
	}
	t.cert, t.ca = &cert, authority.CertDER
	return t.cert, nil
}
