package httpapi

import (
	"io"
	"net/http"

	"github.com/touchpoint/touchpoint/hub/store"
	"github.com/touchpoint/touchpoint/protocol"
)

// maxInternalBody bounds a forwarded write: a full ingest batch with room.
const maxInternalBody = 8 << 20

// internalApply commits writes a follower forwarded. It never forwards
// again: a node that lost leadership answers 503 and the follower retries.
func (s *Server) internalApply(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxInternalBody))
	if err != nil {
		http.Error(w, "read body: "+err.Error(), http.StatusRequestEntityTooLarge)
		return
	}
	var cmds []store.Command
	if err := protocol.Unmarshal(body, &cmds); err != nil {
		http.Error(w, "decode commands: "+err.Error(), http.StatusBadRequest)
		return
	}
	if !s.store.IsLeader() {
		http.Error(w, "not the leader", http.StatusServiceUnavailable)
		return
	}
	res, err := s.store.ApplyLocal(cmds)
	if err != nil {
		status := http.StatusInternalServerError
		if store.IsRetryable(err) {
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
