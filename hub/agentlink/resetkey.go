package agentlink

import (
	"crypto/rand"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/quic-go/quic-go"
)

// resetKeyFile keeps the node's QUIC stateless reset key in its data
// directory. With the same key after a restart, the node answers a
// packet of a connection it lost (kill -9, power loss) with a stateless
// reset, so the agent reconnects at once instead of waiting out its idle
// timeout. (A reset must be smaller than the packet it answers, so a bare
// keep-alive may go unanswered; data does not.)
const resetKeyFile = "agent-reset.key"

// loadResetKey reads the node's stateless reset key, making one the first
// time.
func loadResetKey(dataDir string) (*quic.StatelessResetKey, error) {
	var key quic.StatelessResetKey
	path := filepath.Join(dataDir, resetKeyFile)
	b, err := os.ReadFile(path)
	switch {
	case err == nil && len(b) == len(key):
		copy(key[:], b)
		return &key, nil
	case err == nil:
		return nil, fmt.Errorf("%s: %d bytes, want %d (delete it to make a new one)", path, len(b), len(key))
	case !errors.Is(err, os.ErrNotExist):
		return nil, err
	}
	if _, err := rand.Read(key[:]); err != nil {
		return nil, err
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, key[:], 0o600); err != nil {
		return nil, err
	}
	if err := os.Rename(tmp, path); err != nil {
		return nil, err
	}
	return &key, nil
}
