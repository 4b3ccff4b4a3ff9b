package ca

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"testing"
	"time"
)

// A machine whose clock runs up to a day and more behind (an agent PC,
// a node before NTP caught up) accepts certificates issued just now, by
// a CA created just now; one two days behind or more does not.
func TestCertificatesVerifyOnAClockBehind(t *testing.T) {
	now := time.Now()
	authority, err := New(now)
	if err != nil {
		t.Fatal(err)
	}
	server, err := authority.ServerCert("hub1", "127.0.0.1", now)
	if err != nil {
		t.Fatal(err)
	}
	agentDER, err := authority.SignAgent(newCSR(t, "agent-1"), "agent-1", "D-1", now)
	if err != nil {
		t.Fatal(err)
	}
	agent, _ := x509.ParseCertificate(agentDER)
	for _, tc := range []struct {
		behind time.Duration
		ok     bool
	}{{0, true}, {26 * time.Hour, true}, {47 * time.Hour, true}, {Backdate + time.Minute, false}} {
		at := now.Add(-tc.behind)
		_, serverErr := server.Leaf.Verify(x509.VerifyOptions{Roots: authority.Pool(), CurrentTime: at, DNSName: ServerName})
		_, agentErr := agent.Verify(x509.VerifyOptions{Roots: authority.Pool(), CurrentTime: at,
			KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}})
		if got := serverErr == nil && agentErr == nil; got != tc.ok {
			t.Errorf("clock %s behind: verified %v (server %v, agent %v), want %v", tc.behind, got, serverErr, agentErr, tc.ok)
		}
	}
}

func newCSR(t *testing.T, cn string) []byte {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	csr, err := x509.CreateCertificateRequest(rand.Reader, &x509.CertificateRequest{Subject: pkix.Name{CommonName: cn}}, key)
	if err != nil {
		t.Fatal(err)
	}
	return csr
}
