package hublink

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/quic-go/quic-go"
	"github.com/touchpoint/touchpoint/agent/clock"
	"github.com/touchpoint/touchpoint/protocol"
)

// QUIC settings: keep-alives well inside the idle timeout. A hub node
// that restarts after dying without closing its connections (kill -9,
// power loss) resets them when the agent next sends data: it keeps its
// stateless reset key in its data directory. The idle timeout (the lower
// of the agent's and the hub's) is how long the agent takes to notice a
// node that stays down, so it is short enough for the agent to fail over
// and converge within seconds; three keep-alives fit in it, so one lost
// packet does not end a healthy connection (the chaos suite's lossy proxy
// checks that).
const (
	idleTimeout     = 6 * time.Second
	keepAlivePeriod = 2 * time.Second
	dialTimeout     = 5 * time.Second
)

// TLSConfig is the agent's mutual TLS for QUIC: TLS 1.3, ALPN pinned,
// the agent's certificate, and only the pinned cluster CA trusted.
func (c *Credentials) TLSConfig() (*tls.Config, error) {
	key, err := x509.ParsePKCS8PrivateKey(c.Key)
	if err != nil {
		return nil, fmt.Errorf("agent key: %w (enrol again)", err)
	}
	caCert, err := x509.ParseCertificate(c.CACert)
	if err != nil {
		return nil, fmt.Errorf("pinned CA: %w (enrol again)", err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(caCert)
	return &tls.Config{
		NextProtos:   []string{protocol.ALPN},
		MinVersion:   tls.VersionTLS13,
		Certificates: []tls.Certificate{{Certificate: [][]byte{c.Certificate}, PrivateKey: key}},
		RootCAs:      pool,
		ServerName:   hubServerName,
		Time:         clock.Now, // the agent's wall clock, which tests may skew
	}, nil
}

// hubServerName is the name on every hub node's certificate.
const hubServerName = "touchpoint-hub"

func dial(ctx context.Context, addr string, tlsConf *tls.Config) (*quic.Conn, error) {
	ctx, cancel := context.WithTimeout(ctx, dialTimeout)
	defer cancel()
	conn, err := quic.DialAddr(ctx, addr, tlsConf, &quic.Config{
		MaxIdleTimeout:  idleTimeout,
		KeepAlivePeriod: keepAlivePeriod,
		EnableDatagrams: true, // liveness probes, see probeLoop
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

// Enroll exchanges a one-time token at the hub for a certificate. It
// trusts the hub only if its CA matches the hash inside the token.
func Enroll(ctx context.Context, hubAddr, tokenText string) (*Credentials, error) {
	token, err := protocol.ParseEnrolmentToken(tokenText)
	if err != nil {
		return nil, err
	}
	key, csr, err := newKeyAndCSR()
	if err != nil {
		return nil, err
	}
	conn, err := dial(ctx, hubAddr, pinnedTLS(token.CAHash))
	if err != nil {
		return nil, err
	}
	defer conn.CloseWithError(0, "enrolled")
	st, err := openStream(ctx, conn, protocol.StreamControl)
	if err != nil {
		return nil, err
	}
	host, _ := os.Hostname()
	if err := protocol.WriteFrame(st, protocol.TypeEnroll, &protocol.Enroll{Token: tokenText, Hostname: host, CSR: csr}); err != nil {
		return nil, fmt.Errorf("send enrolment: %w", err)
	}
	res, err := protocol.Expect[protocol.Enrolled](st, protocol.TypeEnrolled)
	if err != nil {
		return nil, fmt.Errorf("enrol: %w", err)
	}
	if protocol.CAHash(res.CACert) != token.CAHash {
		return nil, errors.New("enrol: the hub sent a CA that does not match the token")
	}
	hubs := res.Hubs
	if len(hubs) == 0 {
		hubs = []string{hubAddr}
	}
	return &Credentials{
		AgentID: res.AgentID, DealerID: res.DealerID, Country: res.Country, Hubs: hubs,
		Certificate: res.Certificate, Key: key, CACert: res.CACert,
	}, nil
}

// pinnedTLS trusts a hub whose certificate chains to the CA with caHash,
// before the agent has the CA itself.
func pinnedTLS(caHash string) *tls.Config {
	return &tls.Config{
		NextProtos: []string{protocol.ALPN},
		MinVersion: tls.VersionTLS13,
		// The chain is checked below against the pinned CA hash instead.
		InsecureSkipVerify: true, //nolint:gosec // verified in VerifyPeerCertificate
		VerifyPeerCertificate: func(raw [][]byte, _ [][]*x509.Certificate) error {
			if len(raw) < 2 || protocol.CAHash(raw[len(raw)-1]) != caHash {
				return errors.New("hub's CA does not match the enrolment token: wrong hub or tampered connection")
			}
			ca, err := x509.ParseCertificate(raw[len(raw)-1])
			if err != nil {
				return err
			}
			leaf, err := x509.ParseCertificate(raw[0])
			if err != nil {
				return err
			}
			pool := x509.NewCertPool()
			pool.AddCert(ca)
			_, err = leaf.Verify(x509.VerifyOptions{Roots: pool, DNSName: hubServerName, CurrentTime: clock.Now()})
			return err
		},
	}
}

// newKeyAndCSR makes the agent's key pair and a certificate request.
func newKeyAndCSR() (keyDER, csrDER []byte, err error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, nil, err
	}
	keyDER, err = x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return nil, nil, err
	}
	csrDER, err = x509.CreateCertificateRequest(rand.Reader, &x509.CertificateRequest{Subject: pkix.Name{CommonName: "touchpoint-agent"}}, key)
	return keyDER, csrDER, err
}
