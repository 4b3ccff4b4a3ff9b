package main

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"math/big"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/quic-go/quic-go"
	"github.com/touchpoint/touchpoint/agent/hublink"
	"github.com/touchpoint/touchpoint/protocol"
)

// testCA issues the certificates of a fake hub and its agent.
type testCA struct {
	cert *x509.Certificate
	key  *ecdsa.PrivateKey
	der  []byte
}

func newTestCA(t *testing.T) *testCA {
	t.Helper()
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "test cluster CA"},
		NotBefore: time.Now().Add(-365 * 24 * time.Hour), NotAfter: time.Now().Add(365 * 24 * time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, _ := x509.ParseCertificate(der)
	return &testCA{cert: cert, key: key, der: der}
}

// issue makes a leaf certificate valid from notBefore to notAfter.
func (ca *testCA) issue(t *testing.T, name string, usage x509.ExtKeyUsage, notBefore, notAfter time.Time) ([]byte, *ecdsa.PrivateKey) {
	t.Helper()
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(time.Now().UnixNano()), Subject: pkix.Name{CommonName: name},
		DNSNames: []string{name}, NotBefore: notBefore, NotAfter: notAfter,
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{usage},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca.cert, &key.PublicKey, ca.key)
	if err != nil {
		t.Fatal(err)
	}
	return der, key
}

// startFakeHub serves the protocol handshake over QUIC with the given
// certificate: the fault injected is the certificate, nothing else.
func startFakeHub(t *testing.T, certDER []byte, key *ecdsa.PrivateKey) string {
	t.Helper()
	ln, err := quic.ListenAddr("127.0.0.1:0", &tls.Config{
		Certificates: []tls.Certificate{{Certificate: [][]byte{certDER}, PrivateKey: key}},
		NextProtos:   []string{protocol.ALPN}, MinVersion: tls.VersionTLS13,
		ClientAuth: tls.RequireAnyClientCert,
	}, &quic.Config{})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(func() { cancel(); ln.Close() })
	go func() {
		for {
			conn, err := ln.Accept(ctx)
			if err != nil {
				return
			}
			go func() {
				st, err := conn.AcceptStream(ctx)
				if err != nil {
					return
				}
				if _, err := protocol.ReadStreamKind(st); err != nil {
					return
				}
				if _, err := protocol.ReadHello(st); err != nil {
					return
				}
				_ = protocol.WriteFrame(st, protocol.TypeWelcome, &protocol.Welcome{Version: protocol.CurrentVersion, NodeID: "fake-hub"})
				<-conn.Context().Done()
			}()
		}
	}()
	return ln.Addr().String()
}

// enrolledWithCA writes credentials issued by ca for a hub at addr.
func enrolledWithCA(t *testing.T, ca *testCA, addr string) string {
	t.Helper()
	certDER, key := ca.issue(t, "agent-1", x509.ExtKeyUsageClientAuth, time.Now().Add(-time.Hour), time.Now().Add(30*24*time.Hour))
	keyDER, _ := x509.MarshalPKCS8PrivateKey(key)
	dir := filepath.Join(t.TempDir(), "agent")
	creds := &hublink.Credentials{AgentID: "agent-1", DealerID: "D-1", Country: "US", Hubs: []string{addr}, Certificate: certDER, Key: keyDER, CACert: ca.der}
	if err := mkdirSave(dir, creds); err != nil {
		t.Fatal(err)
	}
	return dir
}

// The hub's certificate is judged as presented: an expired one, one not
// valid yet (this PC's clock is behind), one about to expire, and one
// from another CA each get their own verdict and what to do.
func TestDoctor_HubCertificateAsPresented(t *testing.T) {
	now := time.Now()
	day := 24 * time.Hour
	tests := []struct {
		name        string
		otherCA     bool
		from, until time.Time
		want        map[string]checkStatus
		detail, fix string
	}{
		{name: "expired", from: now.Add(-30 * day), until: now.Add(-2 * day),
			want:   map[string]checkStatus{"hub": statusFail, "hub certificate": statusFail},
			detail: "expired on", fix: "renewed"},
		{name: "not valid yet", from: now.Add(2 * day), until: now.Add(30 * day),
			want:   map[string]checkStatus{"hub": statusFail, "hub certificate": statusFail, "clock": statusFail},
			detail: "is not valid until", fix: "clock"},
		{name: "expires soon", from: now.Add(-9 * day), until: now.Add(day),
			want:   map[string]checkStatus{"hub": statusOK, "hub certificate": statusWarn},
			detail: "expires on", fix: "renew"},
		{name: "valid", from: now.Add(-day), until: now.Add(6 * day),
			want:   map[string]checkStatus{"hub": statusOK, "hub certificate": statusOK},
			detail: "valid until"},
		{name: "another CA", otherCA: true, from: now.Add(-day), until: now.Add(6 * day),
			want:   map[string]checkStatus{"hub": statusFail, "hub certificate": statusFail},
			detail: "not signed by the CA pinned at enrolment", fix: "enrol"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ca := newTestCA(t)
			issuer := ca
			if tt.otherCA {
				issuer = newTestCA(t)
			}
			certDER, key := issuer.issue(t, "touchpoint-hub", x509.ExtKeyUsageServerAuth, tt.from, tt.until)
			addr := startFakeHub(t, certDER, key)
			dataDir := enrolledWithCA(t, ca, addr)
			d := newTestDoctor(t, dataDir, freeTCP(t))
			fs := d.run(context.Background())
			expectStatus(t, fs, tt.want)
			f := findingsByCheck(fs)["hub certificate"]
			if !strings.Contains(f.Detail, tt.detail) || !strings.Contains(f.Fix, tt.fix) {
				t.Errorf("hub certificate: %q / %q, want %q / %q", f.Detail, f.Fix, tt.detail, tt.fix)
			}
			if tt.want["hub certificate"] == statusFail && countFailed(fs) == 0 {
				t.Error("doctor would exit 0")
			}
		})
	}
}
