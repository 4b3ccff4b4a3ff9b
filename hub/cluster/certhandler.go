package cluster

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
)

// maxCertRequestBody bounds a node certificate request.
const maxCertRequestBody = 64 << 10

// NodeCertRequest is a joining node's certificate request for the Raft
// transport (CSR in DER, base64 in JSON).
type NodeCertRequest struct {
	NodeID string `json:"node_id"`
	CSR    []byte `json:"csr"`
}

// NodeCertResponse carries the node's certificate and the cluster CA.
type NodeCertResponse struct {
	Certificate []byte `json:"certificate"`
	CA          []byte `json:"ca"`
}

// certError is the error answer, in the shape of the whole HTTP API.
type certError struct {
	Error  string `json:"error"`
	Field  string `json:"field,omitempty"`
	Reason string `json:"reason,omitempty"`
}

// NodeCertHandler signs a joining node's Raft certificate: the first step
// of `serve --join`, before the node is added as a voter. The caller
// guards it with the operator token.
func (m *Member) NodeCertHandler() http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		var req NodeCertRequest
		dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxCertRequestBody))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&req); err != nil && err != io.EOF {
			answer(w, http.StatusBadRequest, certError{Error: "body: " + strings.TrimPrefix(err.Error(), "json: ")})
			return
		}
		switch {
		case req.NodeID == "" || len(req.NodeID) > 64:
			answer(w, http.StatusBadRequest, certError{Error: "node_id: must be 1 to 64 characters", Field: "node_id", Reason: "must be 1 to 64 characters"})
			return
		case len(req.CSR) == 0:
			answer(w, http.StatusBadRequest, certError{Error: "csr: is required", Field: "csr", Reason: "is required"})
			return
		}
		cert, ca, err := m.IssueNodeCert(req.NodeID, req.CSR)
		switch {
		case errors.Is(err, ErrNoNodeCert):
			answer(w, http.StatusServiceUnavailable, certError{Error: "this node does not hold the cluster CA yet: retry shortly"})
			return
		case err != nil:
			answer(w, http.StatusBadRequest, certError{Error: "csr: " + err.Error(), Field: "csr", Reason: err.Error()})
			return
		}
		m.log.Info("node certificate issued", "node", req.NodeID)
		answer(w, http.StatusOK, NodeCertResponse{Certificate: cert, CA: ca})
	}
}

func answer(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
