package state

import (
	"github.com/touchpoint/touchpoint/hub/state/kv"
	"github.com/touchpoint/touchpoint/protocol"
)

var (
	keyClusterSecrets = []byte("m/secrets") // ClusterSecrets
	prefixAPIKey      = "k/"                // k/<hash> → APIKey
)

// ClusterSecrets are created once by the bootstrapping node and
// replicated: the CA that signs node and agent certificates, and the
// token nodes use with each other's internal endpoints.
type ClusterSecrets struct {
	CACert        []byte `cbor:"1,keyasint"`
	CAKey         []byte `cbor:"2,keyasint"`
	InternalToken string `cbor:"3,keyasint"`
	OperatorHash  string `cbor:"4,keyasint"` // the first operator token, by hash
}

// Key kinds.
const (
	KeyOperator = "operator" // may do everything
	KeyChannel  = "channel"  // may post events of one source, and read if Read
)

// APIKey is an operator token or a channel key, stored by hash.
type APIKey struct {
	Hash   string `cbor:"1,keyasint" json:"-"`
	Kind   string `cbor:"2,keyasint" json:"kind"`
	Source string `cbor:"3,keyasint,omitempty" json:"source,omitempty"`
	Read   bool   `cbor:"4,keyasint,omitempty" json:"read,omitempty"`
	Name   string `cbor:"5,keyasint,omitempty" json:"name,omitempty"`
}

// RevokeBody revokes an agent.
type RevokeBody struct {
	AgentID string `cbor:"1,keyasint"`
}

func (s *State) applyInit(w *writer, cs *ClusterSecrets) error {
	if _, ok := get(w.txn, keyClusterSecrets); ok {
		return ErrAlreadyInitialised
	}
	w.set(keyClusterSecrets, mustEncode(cs))
	op := APIKey{Hash: cs.OperatorHash, Kind: KeyOperator, Name: "bootstrap"}
	w.set(key(prefixAPIKey, op.Hash), mustEncode(&op))
	return nil
}

func (s *State) applyRevoke(w *writer, now int64, id string) error {
	a, ok := s.agent(w.txn, id)
	if !ok {
		return ErrUnknownAgent
	}
	if a.RevokedAt == 0 {
		a.RevokedAt = now / 1e9
		w.set(key(prefixAgent, id), mustEncode(&a))
	}
	return nil
}

// Secrets reads the cluster secrets, once initialised. Its callers (TLS handshakes,
// HTTP handlers) may run while the node shuts down: a closed database
// reads as no secrets instead of a panic.
func (s *State) Secrets() (ClusterSecrets, bool) {
	var cs ClusterSecrets
	found := false
	err := s.db.View(func(txn kv.Reader) error {
		v, ok, err := txn.Get(keyClusterSecrets)
		if err != nil || !ok {
			return err
		}
		found = true
		return protocol.Unmarshal(v, &cs)
	})
	return cs, err == nil && found
}

// APIKey finds a key by the hash of its secret.
func (s *State) APIKey(hash string) (APIKey, bool) {
	var k APIKey
	var ok bool
	s.view(func(txn kv.Reader) {
		var raw []byte
		if raw, ok = get(txn, key(prefixAPIKey, hash)); ok {
			decodeValue(raw, &k)
		}
	})
	return k, ok
}
