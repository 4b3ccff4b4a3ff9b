package cluster

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"io"
	"testing"
	"time"

	"github.com/hashicorp/raft"
	"github.com/touchpoint/touchpoint/hub/ca"
	"github.com/touchpoint/touchpoint/hub/state"
)

// raftPeer is a Raft stream layer with its own node certificate from
// authority, listening on 127.0.0.1.
func raftPeer(t *testing.T, authority *ca.Authority, id string) *tlsStreamLayer {
	t.Helper()
	certs := &nodeTLS{nodeID: id, dir: t.TempDir(), state: noSecrets{}}
	key, csr, err := newNodeKey(id)
	if err != nil {
		t.Fatal(err)
	}
	der, err := authority.SignNode(csr, id, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if err := certs.install(der, key, authority.CertDER); err != nil {
		t.Fatal(err)
	}
	layer, err := newTLSStreamLayer("127.0.0.1:0", nil, certs)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = layer.Close() })
	go echoOnce(layer)
	return layer
}

// echoOnce serves connections: each reads one byte and writes it back.
func echoOnce(l *tlsStreamLayer) {
	for {
		c, err := l.Accept()
		if err != nil {
			return
		}
		go func() {
			defer c.Close()
			_ = c.SetDeadline(time.Now().Add(5 * time.Second))
			b := make([]byte, 1)
			if _, err := io.ReadFull(c, b); err == nil {
				_, _ = c.Write(b)
			}
		}()
	}
}

func mustCA(t *testing.T) *ca.Authority {
	t.Helper()
	a, err := ca.New(time.Now())
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// Two nodes of one cluster talk Raft over mutual TLS 1.3.
func TestRaftTLS_NodesOfOneClusterConnect(t *testing.T) {
	authority := mustCA(t)
	a, b := raftPeer(t, authority, "hub1"), raftPeer(t, authority, "hub2")
	conn, err := a.Dial(rawAddr(b), 5*time.Second)
	if err != nil {
		t.Fatalf("dial a peer: %v", err)
	}
	defer conn.Close()
	if state := conn.(*tls.Conn).ConnectionState(); state.Version != tls.VersionTLS13 {
		t.Errorf("TLS version %x, want 1.3", state.Version)
	}
	if _, err := conn.Write([]byte{7}); err != nil {
		t.Fatal(err)
	}
	b1 := make([]byte, 1)
	if _, err := io.ReadFull(conn, b1); err != nil || b1[0] != 7 {
		t.Fatalf("echo: %v %v", b1, err)
	}
}

// A node of another cluster, an agent's certificate, and a client with no
// certificate are all refused by a node's Raft listener.
func TestRaftTLS_RefusesStrangers(t *testing.T) {
	authority := mustCA(t)
	node := raftPeer(t, authority, "hub1")
	foreign := raftPeer(t, mustCA(t), "hub9")
	if conn, err := foreign.Dial(rawAddr(node), 5*time.Second); err == nil {
		conn.Close()
		t.Error("a node of another cluster connected")
	}
	agentCert := agentCertificate(t, authority)
	tests := []struct {
		name string
		cert []tls.Certificate
	}{
		{"agent certificate", []tls.Certificate{agentCert}},
		{"no certificate", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := &tls.Config{MinVersion: tls.VersionTLS13, RootCAs: authority.Pool(), ServerName: ca.ServerName, Certificates: tt.cert}
			conn, err := tls.Dial("tcp", string(rawAddr(node)), cfg)
			if err == nil {
				defer conn.Close()
				_ = conn.SetDeadline(time.Now().Add(5 * time.Second))
				_, _ = conn.Write([]byte{7})
				_, err = io.ReadFull(conn, make([]byte, 1))
			}
			if err == nil {
				t.Fatal("the node's Raft listener answered")
			}
			t.Logf("refused: %v", err)
		})
	}
}

func rawAddr(l *tlsStreamLayer) raft.ServerAddress { return raft.ServerAddress(l.ln.Addr().String()) }

func agentCertificate(t *testing.T, authority *ca.Authority) tls.Certificate {
	t.Helper()
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	csr, _ := x509.CreateCertificateRequest(rand.Reader, &x509.CertificateRequest{Subject: pkix.Name{CommonName: "agent"}}, key)
	der, err := authority.SignAgent(csr, "agt-1", "D-017", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}
}

// noSecrets is a node that has not seen the cluster secrets.
type noSecrets struct{}

func (noSecrets) Secrets() (state.ClusterSecrets, bool) { return state.ClusterSecrets{}, false }
