package store

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"path/filepath"
	"time"

	"github.com/touchpoint/touchpoint/hub/ca"
)

// OperatorTokenFile is where bootstrapping writes the first operator token.
const OperatorTokenFile = "operator.token"

// RandomSecret returns n random bytes in hex.
func RandomSecret(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// InitCluster creates the cluster's CA, internal token and first
// operator token once, when this node founded the cluster, and writes the
// operator token to <data-dir>/operator.token (mode 0600), like a Vault
// root token. It returns when the cluster is initialised or ctx ends.
func (s *Store) InitCluster(ctx context.Context) error {
	for {
		if _, ok := s.Secrets(); ok {
			return nil
		}
		if s.IsLeader() {
			err := s.initOnce(ctx)
			if err == nil || errors.Is(err, ErrAlreadyInitialised) {
				return nil
			}
			s.log.Warn("initialise cluster", "err", err)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(200 * time.Millisecond):
		}
	}
}

func (s *Store) initOnce(ctx context.Context) error {
	authority, err := ca.New(time.Now())
	if err != nil {
		return fmt.Errorf("create CA: %w", err)
	}
	operator := "tpo_" + RandomSecret(24)
	cs := ClusterSecrets{
		CACert: authority.CertDER, CAKey: authority.KeyDER,
		InternalToken: RandomSecret(32), OperatorHash: HashSecret(operator),
	}
	if _, err := s.ApplyOne(ctx, CmdInit, &cs); err != nil {
		return err
	}
	path := filepath.Join(s.cfg.DataDir, OperatorTokenFile)
	if err := writeFileAtomic(path, []byte(operator+"\n"), 0o600); err != nil { // never seen half written
		return fmt.Errorf("write operator token: %w", err)
	}
	s.log.Info("cluster initialised: CA created; the first operator token is in "+path+" (keep it safe)", "file", path)
	s.ensureNodeCert()
	return nil
}

// ensureNodeCert issues this node's certificate now, when the node holds
// the cluster CA, so that <data-dir>/node-tls/ca.crt is there for
// operators (--ca-file) before the first connection needs it.
func (s *Store) ensureNodeCert() {
	if _, ok := s.Secrets(); !ok {
		return
	}
	if _, _, err := s.nodeCerts.current(); err != nil {
		s.log.Warn("node certificate", "err", err)
		return
	}
	s.log.Info("cluster CA certificate for operators (--ca-file): "+filepath.Join(s.cfg.DataDir, nodeCertDir, nodeCAFile), "file", filepath.Join(s.cfg.DataDir, nodeCertDir, nodeCAFile))
}

// Authority returns the cluster CA, once initialised.
func (s *Store) Authority() (*ca.Authority, error) {
	cs, ok := s.Secrets()
	if !ok {
		return nil, errors.New("cluster not initialised yet: retry shortly")
	}
	return ca.Parse(cs.CACert, cs.CAKey)
}
