package cluster

import (
	"log/slog"
	"net/http"

	"github.com/touchpoint/touchpoint/hub/ca"
	"github.com/touchpoint/touchpoint/hub/state"
)

// Secrets is where the replicated cluster secrets are read.
type Secrets interface {
	// Secrets returns the cluster's secrets, once initialised.
	Secrets() (state.ClusterSecrets, bool)
}

// Config says who this node is and how nodes talk HTTP to each other.
type Config struct {
	NodeID  string
	DataDir string
	// HTTPTLS says the nodes serve their HTTP API over TLS (serve
	// --http-tls), so node-to-node calls use https.
	HTTPTLS bool
	Secrets Secrets
	Logger  *slog.Logger
}

// Member is this node's identity in the cluster: its node certificate,
// and the TLS and HTTP settings it talks to the other nodes with.
type Member struct {
	cfg   Config
	log   *slog.Logger
	certs *nodeTLS
	// forwardClient carries writes to the leader.
	forwardClient *http.Client
}

// NewMember loads the node certificate saved in the data directory, if
// any; a member holding the cluster secrets issues its own when needed.
func NewMember(cfg Config) *Member {
	m := &Member{
		cfg:   cfg,
		log:   cfg.Logger.With("component", "cluster"),
		certs: newNodeTLS(cfg.NodeID, cfg.DataDir, cfg.Secrets),
	}
	m.forwardClient = m.InternalClient(ForwardTimeout)
	return m
}

// Authority returns the cluster CA, once initialised.
func (m *Member) Authority() (*ca.Authority, error) {
	cs, ok := m.cfg.Secrets.Secrets()
	if !ok {
		return nil, ErrNotInitialised
	}
	return ca.Parse(cs.CACert, cs.CAKey)
}
