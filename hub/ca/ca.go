// Package ca is the hub cluster's certificate authority: created once at
// bootstrap, replicated through Raft, it signs each node's serving
// certificate and each enrolled agent's client certificate. An agent's
// certificate names its agent id (CommonName) and dealer (Organization).
package ca

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"fmt"
	"math/big"
	"net"
	"time"
)

// Lifetimes.
const (
	caLifetime     = 10 * 365 * 24 * time.Hour
	AgentLifetime  = 30 * 24 * time.Hour
	serverLifetime = 7 * 24 * time.Hour
	// NodeLifetime is how long a node's Raft certificate lasts; a node
	// renews it from the replicated CA well before then.
	NodeLifetime = 90 * 24 * time.Hour
	// ServerName is the name every hub node's certificate carries and
	// agents verify.
	ServerName = "touchpoint-hub"
	// Backdate is how far before its issue every certificate's validity
	// starts, as public CAs do: a machine whose clock runs up to two days
	// behind (an agent PC after a dead CMOS battery, a node before NTP
	// caught up) still accepts a certificate issued just now.
	Backdate = 48 * time.Hour
)

// Errors of the authority.
var (
	// ErrBadCSR means a certificate request is malformed or its signature is wrong.
	ErrBadCSR = errors.New("certificate request is invalid")
	// ErrNotAgentCert means a certificate does not name an agent and dealer.
	ErrNotAgentCert = errors.New("certificate does not name an agent and a dealer")
	// ErrNotNodeCert means a certificate is not a hub node's.
	ErrNotNodeCert = errors.New("certificate is not a hub node's")
)

// Authority is the CA's certificate and key.
type Authority struct {
	Cert    *x509.Certificate
	CertDER []byte
	key     crypto.Signer
	KeyDER  []byte
}

// New creates a CA.
func New(now time.Time) (*Authority, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	tmpl := &x509.Certificate{
		SerialNumber: serial(), Subject: pkix.Name{CommonName: "Touchpoint cluster CA"},
		NotBefore: now.Add(-Backdate), NotAfter: now.Add(caLifetime),
		IsCA: true, BasicConstraintsValid: true, MaxPathLenZero: true,
		KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return nil, fmt.Errorf("create CA certificate: %w", err)
	}
	keyDER, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		return nil, err
	}
	return Parse(der, keyDER)
}

// Parse loads a CA from its certificate and key (DER).
func Parse(certDER, keyDER []byte) (*Authority, error) {
	cert, err := x509.ParseCertificate(certDER)
	if err != nil {
		return nil, fmt.Errorf("parse CA certificate: %w", err)
	}
	key, err := x509.ParseECPrivateKey(keyDER)
	if err != nil {
		return nil, fmt.Errorf("parse CA key: %w", err)
	}
	return &Authority{Cert: cert, CertDER: certDER, key: key, KeyDER: keyDER}, nil
}

// Pool is a pool holding just this CA.
func (a *Authority) Pool() *x509.CertPool {
	p := x509.NewCertPool()
	p.AddCert(a.Cert)
	return p
}

// SignAgent checks a certificate request and returns the agent's
// certificate (DER), naming agentID and dealer.
func (a *Authority) SignAgent(csrDER []byte, agentID, dealer string, now time.Time) ([]byte, error) {
	csr, err := x509.ParseCertificateRequest(csrDER)
	if err != nil || csr.CheckSignature() != nil {
		return nil, ErrBadCSR
	}
	tmpl := &x509.Certificate{
		SerialNumber: serial(),
		Subject:      pkix.Name{CommonName: agentID, Organization: []string{dealer}},
		NotBefore:    now.Add(-Backdate), NotAfter: now.Add(AgentLifetime),
		KeyUsage:    x509.KeyUsageDigitalSignature,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth},
	}
	return x509.CreateCertificate(rand.Reader, tmpl, a.Cert, csr.PublicKey, a.key)
}

// ServerCert issues a node's serving certificate for ServerName and the
// node's own host.
func (a *Authority) ServerCert(nodeID, host string, now time.Time) (tls.Certificate, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return tls.Certificate{}, err
	}
	tmpl := &x509.Certificate{
		SerialNumber: serial(), Subject: pkix.Name{CommonName: "touchpoint-hub " + nodeID},
		NotBefore: now.Add(-Backdate), NotAfter: now.Add(serverLifetime),
		DNSNames:    []string{ServerName},
		KeyUsage:    x509.KeyUsageDigitalSignature,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth, x509.ExtKeyUsageClientAuth},
	}
	if ip := net.ParseIP(host); ip != nil {
		tmpl.IPAddresses = []net.IP{ip}
	} else if host != "" {
		tmpl.DNSNames = append(tmpl.DNSNames, host)
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, a.Cert, &key.PublicKey, a.key)
	if err != nil {
		return tls.Certificate{}, err
	}
	leaf, _ := x509.ParseCertificate(der)
	return tls.Certificate{Certificate: [][]byte{der, a.CertDER}, PrivateKey: key, Leaf: leaf}, nil
}

// nodePrefix starts the CommonName of every hub node certificate.
const nodePrefix = "touchpoint-hub "

// SignNode checks a hub node's certificate request and returns its
// certificate (DER) for the Raft transport: client and server use, named
// ServerName, CommonName "touchpoint-hub <nodeID>".
func (a *Authority) SignNode(csrDER []byte, nodeID string, now time.Time) ([]byte, error) {
	csr, err := x509.ParseCertificateRequest(csrDER)
	if err != nil || csr.CheckSignature() != nil {
		return nil, ErrBadCSR
	}
	tmpl := &x509.Certificate{
		SerialNumber: serial(), Subject: pkix.Name{CommonName: nodePrefix + nodeID},
		NotBefore: now.Add(-Backdate), NotAfter: now.Add(NodeLifetime),
		DNSNames:    []string{ServerName},
		KeyUsage:    x509.KeyUsageDigitalSignature,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth, x509.ExtKeyUsageClientAuth},
	}
	return x509.CreateCertificate(rand.Reader, tmpl, a.Cert, csr.PublicKey, a.key)
}

// VerifyNode checks that a peer's certificate chain (DER, leaf first)
// leads to roots and that the leaf is a hub node's, not an agent's.
func VerifyNode(chain [][]byte, roots *x509.CertPool, now time.Time) error {
	if len(chain) == 0 {
		return ErrNotNodeCert
	}
	leaf, err := x509.ParseCertificate(chain[0])
	if err != nil {
		return fmt.Errorf("parse peer certificate: %w", err)
	}
	opts := x509.VerifyOptions{Roots: roots, CurrentTime: now, DNSName: ServerName,
		KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth, x509.ExtKeyUsageClientAuth}}
	if _, err := leaf.Verify(opts); err != nil {
		return fmt.Errorf("peer certificate: %w", err)
	}
	if len(leaf.Subject.CommonName) <= len(nodePrefix) || leaf.Subject.CommonName[:len(nodePrefix)] != nodePrefix {
		return ErrNotNodeCert
	}
	return nil
}

// AgentIdentity reads the agent id and dealer from a verified client
// certificate.
func AgentIdentity(cert *x509.Certificate) (agentID, dealer string, err error) {
	if cert.Subject.CommonName == "" || len(cert.Subject.Organization) != 1 {
		return "", "", ErrNotAgentCert
	}
	return cert.Subject.CommonName, cert.Subject.Organization[0], nil
}

func serial() *big.Int {
	n, _ := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 126))
	return n
}
