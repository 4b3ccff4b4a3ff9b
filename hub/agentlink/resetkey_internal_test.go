package agentlink

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/quic-go/quic-go"
	"github.com/touchpoint/touchpoint/systemtest/freeport"
)

// The key is made once and read back the same; a file of the wrong size
// is an error that says what to do.
func TestLoadResetKey_KeptInTheDataDir(t *testing.T) {
	dir := t.TempDir()
	a, err := loadResetKey(dir)
	if err != nil {
		t.Fatal(err)
	}
	b, err := loadResetKey(dir)
	if err != nil || *a != *b {
		t.Fatalf("second load = %v, %v; want the same key", b, err)
	}
	if err := os.WriteFile(filepath.Join(dir, resetKeyFile), []byte("short"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := loadResetKey(dir); err == nil {
		t.Fatal("a 5-byte key was accepted")
	}
}

// A node killed and restarted on the same port with the same key resets
// the connections of its previous life: the agent learns of the restart
// from its next keep-alive, not after its idle timeout.
func TestResetKey_RestartedNodeResetsOldConnections(t *testing.T) {
	key, err := loadResetKey(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	addr, err := freeport.UDP()
	if err != nil {
		t.Fatal(err)
	}
	serverTLS := selfSignedTLS(t)
	first := listenWithKey(t, addr, key, serverTLS)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	conn, err := quic.DialAddr(ctx, addr, &tls.Config{InsecureSkipVerify: true, NextProtos: []string{"test"}}, //nolint:gosec // test
		&quic.Config{MaxIdleTimeout: 30 * time.Second, KeepAlivePeriod: 300 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := first.ln.Accept(ctx); err != nil {
		t.Fatal(err)
	}
	first.udp.Close() // kill -9: the socket goes, nothing is said to the agent

	second := listenWithKey(t, addr, key, serverTLS)
	defer second.tr.Close()
	// The agent sends again (a reset answers only a packet bigger than
	// itself, which a bare keep-alive may not be).
	if st, err := conn.OpenStream(); err == nil {
		_, _ = st.Write(make([]byte, 1200))
	}
	select {
	case <-conn.Context().Done():
	case <-ctx.Done():
		t.Fatal("the old connection was not reset (it would wait for its 30 s idle timeout)")
	}
	var reset *quic.StatelessResetError
	if err := context.Cause(conn.Context()); !errors.As(err, &reset) {
		t.Fatalf("connection ended with %v, want a stateless reset", err)
	}
}

type testListener struct {
	udp *net.UDPConn
	tr  *quic.Transport
	ln  *quic.Listener
}

func listenWithKey(t *testing.T, addr string, key *quic.StatelessResetKey, conf *tls.Config) testListener {
	t.Helper()
	ua, err := net.ResolveUDPAddr("udp", addr)
	if err != nil {
		t.Fatal(err)
	}
	udp, err := net.ListenUDP("udp", ua)
	if err != nil {
		t.Fatal(err)
	}
	tr := &quic.Transport{Conn: udp, StatelessResetKey: key}
	ln, err := tr.Listen(conf, &quic.Config{MaxIdleTimeout: 30 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	return testListener{udp: udp, tr: tr, ln: ln}
}

func selfSignedTLS(t *testing.T) *tls.Config {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	return &tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key}}, NextProtos: []string{"test"}}
}
