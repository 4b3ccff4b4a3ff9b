package httpapi

import (
	"errors"
	"net/http"

	"github.com/touchpoint/touchpoint/hub/store"
)

// nodeCertRequest is a joining node's certificate request for the Raft
// transport (CSR in DER, base64 in JSON).
type nodeCertRequest struct {
	NodeID string `json:"node_id"`
	CSR    []byte `json:"csr"`
}

// nodeCertResponse carries the node's certificate and the cluster CA.
type nodeCertResponse struct {
	Certificate []byte `json:"certificate"`
	CA          []byte `json:"ca"`
}

// postNodeCert signs a joining node's Raft certificate (operator only):
// the first step of `serve --join`, before the node is added as a voter.
func (s *Server) postNodeCert(w http.ResponseWriter, r *http.Request) {
	var req nodeCertRequest
	if !decodeBody(w, r, &req) {
		return
	}
	switch {
	case req.NodeID == "" || len(req.NodeID) > 64:
		writeJSON(w, http.StatusBadRequest, apiError{Error: "node_id: must be 1 to 64 characters", Field: "node_id", Reason: "must be 1 to 64 characters"})
		return
	case len(req.CSR) == 0:
		writeJSON(w, http.StatusBadRequest, apiError{Error: "csr: is required", Field: "csr", Reason: "is required"})
		return
	}
	cert, ca, err := s.store.IssueNodeCert(req.NodeID, req.CSR)
	switch {
	case errors.Is(err, store.ErrNoNodeCert):
		writeError(w, http.StatusServiceUnavailable, "this node does not hold the cluster CA yet: retry shortly")
		return
	case err != nil:
		writeJSON(w, http.StatusBadRequest, apiError{Error: "csr: " + err.Error(), Field: "csr", Reason: err.Error()})
		return
	}
	s.log.Info("node certificate issued", "node", req.NodeID)
	writeJSON(w, http.StatusOK, nodeCertResponse{Certificate: cert, CA: ca})
}
