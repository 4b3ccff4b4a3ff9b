package cluster

import (
	"errors"
	"io"
	"net/http"

	"github.com/touchpoint/touchpoint/hub/state"
	"github.com/touchpoint/touchpoint/protocol"
)

// InternalApplyPath is the leader's HTTP endpoint for forwarded writes.
const InternalApplyPath = "/v1/internal/apply"

// maxInternalBody bounds a forwarded write: a full ingest batch with room.
const maxInternalBody = 8 << 20

// Leader commits writes on this node when it leads.
type Leader interface {
	// IsLeader reports whether this node leads the cluster now.
	IsLeader() bool
	// ApplyLocal proposes cmds on this node, which must be the leader.
	ApplyLocal(cmds []state.Command) ([]state.Result, error)
}

// ApplyHandler commits writes a follower forwarded (Forward). It never
// forwards again: a node that lost leadership answers 503 and the
// follower retries. The caller guards it with the internal token.
func ApplyHandler(leader Leader) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxInternalBody))
		if err != nil {
			http.Error(w, "read body: "+err.Error(), http.StatusRequestEntityTooLarge)
			return
		}
		var cmds []state.Command
		if err := protocol.Unmarshal(body, &cmds); err != nil {
			http.Error(w, "decode commands: "+err.Error(), http.StatusBadRequest)
			return
		}
		if !leader.IsLeader() {
			http.Error(w, "not the leader", http.StatusServiceUnavailable)
			return
		}
		res, err := leader.ApplyLocal(cmds)
		if err != nil {
			status := http.StatusInternalServerError
			if errors.Is(err, ErrRetry) {
				status = http.StatusServiceUnavailable
			}
			http.Error(w, err.Error(), status)
			return
		}
		out, err := protocol.Marshal(res)
		if err != nil {
			http.Error(w, "encode results: "+err.Error(), http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "application/cbor")
		_, _ = w.Write(out)
	}
}
