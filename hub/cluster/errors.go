package cluster

import "errors"

// Errors of the cluster.
var (
	// ErrNoNodeCert means this node has no Raft certificate yet: it has
	// not joined a cluster (see Member.CSR and Member.Install) and holds
	// no CA.
	ErrNoNodeCert = errors.New("no node certificate yet: this node has not joined a cluster")
	// ErrRetry marks failures after which the same write may simply be
	// sent again: every command is idempotent.
	ErrRetry = errors.New("retry")
	// ErrNotInitialised means the cluster has no CA yet.
	ErrNotInitialised = errors.New("cluster not initialised yet: retry shortly")
)
