package cluster

import (
	"fmt"
	"time"

	"github.com/touchpoint/touchpoint/hub/ca"
)

// CSR starts joining: it makes this node's Raft key and returns a
// certificate request for a member to sign (IssueNodeCert). The key stays
// here until InstallNodeCert.
func (m *Member) CSR() ([]byte, error) {
	key, csr, err := newNodeKey(m.cfg.NodeID)
	if err != nil {
		return nil, err
	}
	m.certs.mu.Lock()
	m.certs.pending = key
	m.certs.mu.Unlock()
	return csr, nil
}

// IssueNodeCert signs a joining node's request with the cluster CA and
// returns its certificate and the CA certificate (DER). Any member that
// holds the cluster secrets can sign.
func (m *Member) IssueNodeCert(nodeID string, csr []byte) (cert, caCert []byte, err error) {
	secrets, ok := m.cfg.Secrets.Secrets()
	if !ok {
		return nil, nil, ErrNoNodeCert
	}
	authority, err := ca.Parse(secrets.CACert, secrets.CAKey)
	if err != nil {
		return nil, nil, err
	}
	cert, err = authority.SignNode(csr, nodeID, time.Now())
	if err != nil {
		return nil, nil, err
	}
	return cert, secrets.CACert, nil
}

// InstallNodeCert puts the certificate a member signed for CSR's key
// in use on the Raft transport, and saves it.
func (m *Member) InstallNodeCert(cert, caCert []byte) error {
	n := m.certs
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.pending == nil {
		return fmt.Errorf("install node certificate: no request outstanding (call CSR first)")
	}
	if err := n.install(cert, n.pending, caCert); err != nil {
		return err
	}
	n.pending = nil
	return nil
}
