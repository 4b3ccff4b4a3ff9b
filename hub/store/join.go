package store

import (
	"fmt"
	"time"

	"github.com/touchpoint/touchpoint/hub/ca"
)

// NodeCSR starts joining: it makes this node's Raft key and returns a
// certificate request for a member to sign (IssueNodeCert). The key stays
// here until InstallNodeCert.
func (s *Store) NodeCSR() ([]byte, error) {
	key, csr, err := newNodeKey(s.cfg.NodeID)
	if err != nil {
		return nil, err
	}
	s.nodeCerts.mu.Lock()
	s.nodeCerts.pending = key
	s.nodeCerts.mu.Unlock()
	return csr, nil
}

// IssueNodeCert signs a joining node's request with the cluster CA and
// returns its certificate and the CA certificate (DER). Any member that
// holds the cluster secrets can sign.
func (s *Store) IssueNodeCert(nodeID string, csr []byte) (cert, caCert []byte, err error) {
	secrets, ok := s.state.secrets()
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

// InstallNodeCert puts the certificate a member signed for NodeCSR's key
// in use on the Raft transport, and saves it.
func (s *Store) InstallNodeCert(cert, caCert []byte) error {
	n := s.nodeCerts
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.pending == nil {
		return fmt.Errorf("install node certificate: no request outstanding (call NodeCSR first)")
	}
	if err := n.install(cert, n.pending, caCert); err != nil {
		return err
	}
	n.pending = nil
	return nil
}
