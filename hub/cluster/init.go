package cluster

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"path/filepath"
	"time"

	"github.com/touchpoint/touchpoint/hub/ca"
	"github.com/touchpoint/touchpoint/hub/state"
)

// OperatorTokenFile is where bootstrapping writes the first operator token.
const OperatorTokenFile = "operator.token"

// RandomSecret returns n random bytes in hex.
func RandomSecret(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// Proposer commits the one-time initialisation command.
type Proposer interface {
	// IsLeader reports whether this node leads the cluster now.
	IsLeader() bool
	// ApplyOne commits one command and returns its result.
	ApplyOne(ctx context.Context, t state.CommandType, body any) (state.Result, error)
}

// Init creates the cluster's CA, internal token and first operator
// token once, when this node founded the cluster, and writes the
// operator token to <data-dir>/operator.token (mode 0600), like a Vault
// root token. It returns when the cluster is initialised or ctx ends.
func (m *Member) Init(ctx context.Context, p Proposer) error {
	for {
		if _, ok := m.cfg.Secrets.Secrets(); ok {
			return nil
		}
		if p.IsLeader() {
			err := m.initOnce(ctx, p)
			if err == nil || errors.Is(err, state.ErrAlreadyInitialised) {
				return nil
			}
			m.log.Warn("initialise cluster", "err", err)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(200 * time.Millisecond):
		}
	}
}

func (m *Member) initOnce(ctx context.Context, p Proposer) error {
	authority, err := ca.New(time.Now())
	if err != nil {
		return fmt.Errorf("create CA: %w", err)
	}
	operator := "tpo_" + RandomSecret(24)
	cs := state.ClusterSecrets{
		CACert: authority.CertDER, CAKey: authority.KeyDER,
		InternalToken: RandomSecret(32), OperatorHash: state.HashSecret(operator),
	}
	if _, err := p.ApplyOne(ctx, state.CmdInit, &cs); err != nil {
		return err
	}
	path := filepath.Join(m.cfg.DataDir, OperatorTokenFile)
	if err := writeFileAtomic(path, []byte(operator+"\n"), 0o600); err != nil { // never seen half written
		return fmt.Errorf("write operator token: %w", err)
	}
	m.log.Info("cluster initialised: CA created; the first operator token is in "+path+" (keep it safe)", "file", path)
	m.EnsureCert()
	return nil
}

// EnsureCert issues this node's certificate now, when the node holds
// the cluster CA, so that <data-dir>/node-tls/ca.crt is there for
// operators (--ca-file) before the first connection needs it.
func (m *Member) EnsureCert() {
	if _, ok := m.cfg.Secrets.Secrets(); !ok {
		return
	}
	if _, _, err := m.certs.current(); err != nil {
		m.log.Warn("node certificate", "err", err)
		return
	}
	file := filepath.Join(m.cfg.DataDir, nodeCertDir, nodeCAFile)
	m.log.Info("cluster CA certificate for operators (--ca-file): "+file, "file", file)
}
