package agentlink_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/quic-go/quic-go"
	"github.com/touchpoint/touchpoint/agent/hublink"
	"github.com/touchpoint/touchpoint/customer"
	"github.com/touchpoint/touchpoint/hub/agentlink"
	"github.com/touchpoint/touchpoint/hub/ca"
	"github.com/touchpoint/touchpoint/hub/cluster"
	"github.com/touchpoint/touchpoint/hub/metrics"
	"github.com/touchpoint/touchpoint/hub/state"
	"github.com/touchpoint/touchpoint/hub/store"
	"github.com/touchpoint/touchpoint/protocol"
	"github.com/touchpoint/touchpoint/systemtest/freeport"
)

// hub is one in-process hub node with its agent link.
type hub struct {
	store *store.Store
	addr  string
}

// freePort returns a loopback address no other listener in this process was
// given; network is "tcp" or "udp".
func freePort(t *testing.T, network string) string {
	t.Helper()
	addr, err := freeport.TCP()
	if network == "udp" {
		addr, err = freeport.UDP()
	}
	if err != nil {
		t.Fatal(err)
	}
	return addr
}

func startHub(t *testing.T) *hub {
	t.Helper()
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	addr := freePort(t, "udp")
	dataDir := t.TempDir()
	st, err := store.Open(store.Config{
		NodeID: "hub1", DataDir: dataDir, RaftAddr: freePort(t, "tcp"), HTTPAddr: freePort(t, "tcp"),
		AgentAddr: addr, Region: "US", Bootstrap: true, Logger: quiet, RaftLogOutput: io.Discard,
	})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	link, err := agentlink.Listen(addr, dataDir, st, metrics.New(st.RaftNumbers), quiet)
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = link.Serve(ctx) }()
	go st.RegisterSelf(ctx)
	t.Cleanup(func() { cancel(); link.Close(); st.Close() })
	initCtx, done := context.WithTimeout(ctx, 20*time.Second)
	defer done()
	if err := st.InitCluster(initCtx); err != nil {
		t.Fatal(err)
	}
	for _, d := range []string{"D-017", "D-104"} {
		if _, err := st.ApplyOne(ctx, state.CmdPutDealer, &state.Dealer{ID: d, Country: "US"}); err != nil {
			t.Fatal(err)
		}
	}
	return &hub{store: st, addr: addr}
}

// token issues an enrolment token as `touchpoint-hub token create` does.
func (h *hub) token(t *testing.T, dealer string, ttl time.Duration) string {
	t.Helper()
	authority, err := h.store.Member().Authority()
	if err != nil {
		t.Fatal(err)
	}
	tok := protocol.EnrolmentToken{Secret: cluster.RandomSecret(16), CAHash: protocol.CAHash(authority.CertDER)}
	body := state.Token{Hash: state.HashSecret(tok.Secret), Dealer: dealer, ExpiresAt: time.Now().Add(ttl).Unix()}
	if _, err := h.store.ApplyOne(context.Background(), state.CmdAddToken, &body); err != nil {
		t.Fatal(err)
	}
	return tok.String()
}

func (h *hub) enrol(t *testing.T, dealer string) *hublink.Credentials {
	t.Helper()
	creds, err := hublink.Enroll(context.Background(), h.addr, h.token(t, dealer, time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	return creds
}

// hello connects with tlsConf and runs the handshake; nil means accepted.
func (h *hub) hello(tlsConf *tls.Config) error {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	conn, err := quic.DialAddr(ctx, h.addr, tlsConf, &quic.Config{})
	if err != nil {
		return fmt.Errorf("dial: %w", err)
	}
	defer conn.CloseWithError(0, "")
	st, err := conn.OpenStreamSync(ctx)
	if err != nil {
		return err
	}
	if err := protocol.WriteStreamKind(st, protocol.StreamControl); err != nil {
		return err
	}
	_ = st.SetDeadline(time.Now().Add(5 * time.Second))
	_, err = protocol.ClientHandshake(st, protocol.Hello{})
	return err
}

func tlsWith(t *testing.T, creds *hublink.Credentials, certDER []byte, key any) *tls.Config {
	t.Helper()
	conf, err := creds.TLSConfig()
	if err != nil {
		t.Fatal(err)
	}
	if certDER == nil {
		conf.Certificates = nil
	} else {
		conf.Certificates = []tls.Certificate{{Certificate: [][]byte{certDER}, PrivateKey: key}}
	}
	return conf
}

func csrFor(t *testing.T) ([]byte, *ecdsa.PrivateKey) {
	t.Helper()
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	csr, err := x509.CreateCertificateRequest(rand.Reader, &x509.CertificateRequest{}, key)
	if err != nil {
		t.Fatal(err)
	}
	return csr, key
}

// An enrolled agent's certificate is accepted; without one, with an
// expired one, with one from another CA, or once revoked, the hub refuses.
func TestAgentLink_RefusesAgentsWithoutValidCertificates(t *testing.T) {
	h := startHub(t)
	creds := h.enrol(t, "D-017")
	if err := h.hello(tlsWith(t, creds, nil, nil)); err == nil {
		t.Error("no certificate: accepted")
	}
	authority, _ := h.store.Member().Authority()
	csr, key := csrFor(t)
	expired, err := authority.SignAgent(csr, creds.AgentID, "D-017", time.Now().Add(-ca.AgentLifetime-time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if err := h.hello(tlsWith(t, creds, expired, key)); err == nil {
		t.Error("expired certificate: accepted")
	}
	other, _ := ca.New(time.Now())
	foreign, _ := other.SignAgent(csr, creds.AgentID, "D-017", time.Now())
	if err := h.hello(tlsWith(t, creds, foreign, key)); err == nil {
		t.Error("certificate from another CA: accepted")
	}
	valid, err := creds.TLSConfig()
	if err != nil {
		t.Fatal(err)
	}
	if err := h.hello(valid); err != nil {
		t.Fatalf("valid certificate refused: %v", err)
	}
	if _, err := h.store.ApplyOne(context.Background(), state.CmdRevoke, &state.RevokeBody{AgentID: creds.AgentID}); err != nil {
		t.Fatal(err)
	}
	var remote *protocol.RemoteError
	if err := h.hello(valid); !errors.As(err, &remote) || remote.Code != protocol.CodeUnauthorized {
		t.Errorf("revoked agent: %v, want an unauthorized refusal", err)
	}
}

// A token works once, only until it expires, and only at the cluster
// whose CA it names.
func TestAgentLink_EnrolmentTokens(t *testing.T) {
	h := startHub(t)
	token := h.token(t, "D-017", time.Hour)
	if _, err := hublink.Enroll(context.Background(), h.addr, token); err != nil {
		t.Fatal(err)
	}
	if _, err := hublink.Enroll(context.Background(), h.addr, token); err == nil {
		t.Error("reused token: enrolled")
	}
	expired := h.token(t, "D-017", time.Second)
	time.Sleep(1100 * time.Millisecond) // the token's lifetime is the point of this test
	if _, err := hublink.Enroll(context.Background(), h.addr, expired); err == nil {
		t.Error("expired token: enrolled")
	}
	other := startHub(t)
	if _, err := hublink.Enroll(context.Background(), h.addr, other.token(t, "D-017", time.Hour)); err == nil {
		t.Error("token of another cluster: enrolled")
	}
	if n := len(h.store.Agents()); n != 1 {
		t.Errorf("%d agents enrolled, want 1", n)
	}
}

// An agent may push only its own dealer's events; others are rejected,
// naming the field, and never stored.
func TestAgentLink_PushOnlyOwnDealer(t *testing.T) {
	h := startHub(t)
	creds := h.enrol(t, "D-017")
	conf, _ := creds.TLSConfig()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	conn, err := quic.DialAddr(ctx, h.addr, conf, &quic.Config{})
	if err != nil {
		t.Fatal(err)
	}
	defer conn.CloseWithError(0, "")
	control, _ := conn.OpenStreamSync(ctx)
	_ = protocol.WriteStreamKind(control, protocol.StreamControl)
	if _, err := protocol.ClientHandshake(control, protocol.Hello{}); err != nil {
		t.Fatal(err)
	}
	push, _ := conn.OpenStreamSync(ctx)
	_ = protocol.WriteStreamKind(push, protocol.StreamPush)
	foreign := protocolEvent("x-1", "dealer:D-104")
	_ = protocol.WriteFrame(push, protocol.TypePush, &protocol.Push{Seq: 1, Events: []customerEvent{foreign}})
	ack, err := protocol.Expect[protocol.Ack](push, protocol.TypeAck)
	if err != nil {
		t.Fatal(err)
	}
	if r := ack.Results[0]; r.Status != protocol.StatusRejected || r.Field != "source" {
		t.Errorf("foreign source: %+v, want rejected on source", r)
	}
	if found := h.store.Search(state.Query{Phone: "+13125550142"}); len(found) != 0 {
		t.Errorf("rejected event stored: %+v", found)
	}
}

type customerEvent = customer.Event

func protocolEvent(id, source string) customer.Event {
	return customer.Event{
		ID: id, Source: source, Channel: "showroom", Type: "showroom_visit",
		OccurredAt: time.Now().UTC().Truncate(time.Second), Customer: customer.Hints{Phone: "+13125550142"},
	}
}

// An agent whose certificate nears expiry gets a new one, for a new key,
// on its connection; the new certificate is accepted.
func TestAgentLink_RenewsCertificateBeforeExpiry(t *testing.T) {
	h := startHub(t)
	creds := h.enrol(t, "D-017")
	authority, _ := h.store.Member().Authority()
	csr, key := csrFor(t)
	old, err := authority.SignAgent(csr, creds.AgentID, "D-017", time.Now().Add(-25*24*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	keyDER, _ := x509.MarshalPKCS8PrivateKey(key)
	creds.Certificate, creds.Key = old, keyDER
	conf, _ := creds.TLSConfig()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	conn, err := quic.DialAddr(ctx, h.addr, conf, &quic.Config{})
	if err != nil {
		t.Fatal(err)
	}
	control, _ := conn.OpenStreamSync(ctx)
	_ = protocol.WriteStreamKind(control, protocol.StreamControl)
	if _, err := protocol.ClientHandshake(control, protocol.Hello{}); err != nil {
		t.Fatal(err)
	}
	renewed, err := creds.RenewIfDue(control, time.Now())
	conn.CloseWithError(0, "")
	if err != nil || !renewed {
		t.Fatalf("renewed %v, err %v", renewed, err)
	}
	cert, _ := x509.ParseCertificate(creds.Certificate)
	if time.Until(cert.NotAfter) < 29*24*time.Hour {
		t.Errorf("renewed certificate expires %s", cert.NotAfter)
	}
	fresh, _ := creds.TLSConfig()
	if err := h.hello(fresh); err != nil {
		t.Errorf("renewed certificate refused: %v", err)
	}
}
