package cluster

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/touchpoint/touchpoint/hub/ca"
)

// nodeCertDir holds the node's Raft certificate, key and CA in the data
// directory, beside the FSM: a node whose FSM was lost can still talk to
// its peers and catch up.
const nodeCertDir = "node-tls"

// nodeTLS holds the certificate a hub node shows its peers on the Raft
// transport, and the CA it checks theirs with. A node that holds the
// cluster secrets (every member, once the FSM has them) issues its own
// from the replicated CA and renews it when a third of its life is left;
// a joining node uses the one a member signed for it.
type nodeTLS struct {
	nodeID string
	dir    string
	state  Secrets

	mu      sync.Mutex
	cert    *tls.Certificate
	caDER   []byte
	pending *ecdsa.PrivateKey // the key of an outstanding NodeCSR
}

func newNodeTLS(nodeID, dataDir string, st Secrets) *nodeTLS {
	n := &nodeTLS{nodeID: nodeID, dir: filepath.Join(dataDir, nodeCertDir), state: st}
	n.load()
	return n
}

// current returns the certificate to show and the CA pool to check peers
// against.
func (n *nodeTLS) current() (*tls.Certificate, *x509.CertPool, error) {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.cert == nil || n.renewalDue(time.Now()) || !n.matchesClusterCA() {
		if err := n.issueFromSecrets(); err != nil && n.cert == nil {
			return nil, nil, err
		}
	}
	pool := x509.NewCertPool()
	caCert, err := x509.ParseCertificate(n.caDER)
	if err != nil {
		return nil, nil, fmt.Errorf("node CA: %w", err)
	}
	pool.AddCert(caCert)
	return n.cert, pool, nil
}

func (n *nodeTLS) renewalDue(now time.Time) bool {
	leaf := n.cert.Leaf
	return now.After(leaf.NotAfter.Add(-leaf.NotAfter.Sub(leaf.NotBefore) / 3))
}

// matchesClusterCA reports whether the certificate comes from the CA the
// FSM holds (a restored snapshot may bring another).
func (n *nodeTLS) matchesClusterCA() bool {
	secrets, ok := n.state.Secrets()
	return !ok || string(secrets.CACert) == string(n.caDER)
}

// issueFromSecrets signs a fresh certificate with the replicated CA.
func (n *nodeTLS) issueFromSecrets() error {
	secrets, ok := n.state.Secrets()
	if !ok {
		return ErrNoNodeCert
	}
	authority, err := ca.Parse(secrets.CACert, secrets.CAKey)
	if err != nil {
		return err
	}
	key, csr, err := newNodeKey(n.nodeID)
	if err != nil {
		return err
	}
	der, err := authority.SignNode(csr, n.nodeID, time.Now())
	if err != nil {
		return err
	}
	return n.install(der, key, secrets.CACert)
}

// install makes cert (with key) current and saves it.
func (n *nodeTLS) install(certDER []byte, key *ecdsa.PrivateKey, caDER []byte) error {
	leaf, err := x509.ParseCertificate(certDER)
	if err != nil {
		return fmt.Errorf("node certificate: %w", err)
	}
	if _, err := x509.ParseCertificate(caDER); err != nil {
		return fmt.Errorf("node CA: %w", err)
	}
	n.cert = &tls.Certificate{Certificate: [][]byte{certDER}, PrivateKey: key, Leaf: leaf}
	n.caDER = caDER
	return n.save(key)
}

func newNodeKey(nodeID string) (*ecdsa.PrivateKey, []byte, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, nil, err
	}
	csr, err := x509.CreateCertificateRequest(rand.Reader, &x509.CertificateRequest{Subject: pkix.Name{CommonName: nodeID}}, key)
	return key, csr, err
}

// Files of the node certificate directory.
const (
	nodeCertFile = "node.crt"
	nodeKeyFile  = "node.key"
	nodeCAFile   = "ca.crt"
)

func (n *nodeTLS) save(key *ecdsa.PrivateKey) error {
	keyDER, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(n.dir, 0o700); err != nil {
		return err
	}
	files := []struct {
		name, kind string
		der        []byte
		mode       os.FileMode
	}{
		{nodeKeyFile, "EC PRIVATE KEY", keyDER, 0o600},
		{nodeCertFile, "CERTIFICATE", n.cert.Certificate[0], 0o644},
		{nodeCAFile, "CERTIFICATE", n.caDER, 0o644},
	}
	for _, f := range files {
		if err := writeFileAtomic(filepath.Join(n.dir, f.name), pem.EncodeToMemory(&pem.Block{Type: f.kind, Bytes: f.der}), f.mode); err != nil {
			return fmt.Errorf("save node certificate: %w", err)
		}
	}
	return nil
}

// load reads a saved certificate, if any; a broken one is ignored (the
// node issues or is given a new one).
func (n *nodeTLS) load() {
	read := func(name string) []byte {
		b, err := os.ReadFile(filepath.Join(n.dir, name))
		if err != nil {
			return nil
		}
		if block, _ := pem.Decode(b); block != nil {
			return block.Bytes
		}
		return nil
	}
	certDER, keyDER, caDER := read(nodeCertFile), read(nodeKeyFile), read(nodeCAFile)
	key, err := x509.ParseECPrivateKey(keyDER)
	if err != nil {
		return
	}
	leaf, err := x509.ParseCertificate(certDER)
	if err != nil || time.Now().After(leaf.NotAfter) {
		return
	}
	if _, err := x509.ParseCertificate(caDER); err != nil {
		return
	}
	n.cert = &tls.Certificate{Certificate: [][]byte{certDER}, PrivateKey: key, Leaf: leaf}
	n.caDER = caDER
}

func writeFileAtomic(path string, data []byte, mode os.FileMode) error {
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, data, mode); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}
