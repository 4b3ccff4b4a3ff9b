package httpapi

import (
	"io"
	"net/http"

	"github.com/touchpoint/touchpoint/hub/state"
)

// maxSnapshotUpload bounds a restore upload.
const maxSnapshotUpload = 16 << 30

// getSnapshot streams a consistent, compressed and checksummed copy of
// the state as of the leader's latest commit.
func (s *Server) getSnapshot(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/octet-stream")
	w.Header().Set("Content-Disposition", `attachment; filename="touchpoint-hub.snap"`)
	if err := s.store.WriteSnapshot(w); err != nil {
		s.log.Error("snapshot save failed", "err", err)
		// Headers are out; a truncated body fails the checksum on restore.
		return
	}
}

// postSnapshot replaces the whole cluster's state with an uploaded
// snapshot, after checking it.
func (s *Server) postSnapshot(w http.ResponseWriter, r *http.Request) {
	body := http.MaxBytesReader(w, r.Body, maxSnapshotUpload)
	if err := s.store.RestoreSnapshot(io.Reader(body)); err != nil {
		status := http.StatusServiceUnavailable
		if state.IsBadSnapshot(err) {
			status = http.StatusBadRequest
		}
		writeError(w, status, err.Error())
		return
	}
	s.log.Info("cluster state restored from an uploaded snapshot")
	writeJSON(w, http.StatusOK, map[string]string{"status": "restored"})
}

// putDealer updates a dealer's name, country or market.
func (s *Server) putDealer(w http.ResponseWriter, r *http.Request) {
	if _, ok := s.store.Dealer(r.PathValue("id")); !ok {
		writeError(w, http.StatusNotFound, "no dealer "+r.PathValue("id")+": add it first")
		return
	}
	var d state.Dealer
	if !decodeBody(w, r, &d) {
		return
	}
	d.ID = r.PathValue("id")
	if err := validateDealer(&d); err != nil {
		writeJSON(w, http.StatusBadRequest, err)
		return
	}
	if _, err := s.store.ApplyOne(r.Context(), state.CmdPutDealer, &d); err != nil {
		writeError(w, http.StatusServiceUnavailable, err.Error())
		return
	}
	writeJSON(w, http.StatusOK, d)
}
