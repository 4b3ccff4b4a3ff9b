package httpapi

import (
	"crypto/rand"
	"encoding/base32"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httputil"
	"net/url"
	"strings"
	"time"

	"github.com/touchpoint/touchpoint/hub/state"
	"github.com/touchpoint/touchpoint/protocol"
)

// maxOperatorBody bounds an operator request body.
const maxOperatorBody = 64 << 10

func (s *Server) getStatus(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, s.store.Status())
}

func (s *Server) getPeers(w http.ResponseWriter, _ *http.Request) {
	peers, err := s.store.Peers()
	if err != nil {
		writeError(w, http.StatusServiceUnavailable, err.Error())
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"peers": peers})
}

// leaderOnly runs h on the leader and proxies the request there from a
// follower.
func (s *Server) leaderOnly(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if s.store.IsLeader() {
			h(w, r)
			return
		}
		leader, ok := s.store.LeaderHTTP()
		if !ok {
			writeError(w, http.StatusServiceUnavailable, "no leader known yet: retry shortly")
			return
		}
		proxy := httputil.NewSingleHostReverseProxy(&url.URL{Scheme: s.store.Member().HTTPScheme(), Host: leader})
		proxy.Transport = s.store.Member().InternalTransport()
		proxy.ServeHTTP(w, r)
	}
}

func (s *Server) postPeer(w http.ResponseWriter, r *http.Request) {
	var n state.Node
	if !decodeBody(w, r, &n) {
		return
	}
	if n.ID == "" || n.RaftAddr == "" || n.HTTPAddr == "" {
		writeJSON(w, http.StatusBadRequest, apiError{Error: "id, raft_addr and http_addr are required", Field: "id", Reason: "is required"})
		return
	}
	if err := s.store.Join(r.Context(), n); err != nil {
		writeError(w, http.StatusServiceUnavailable, err.Error())
		return
	}
	s.log.Info("node joined", "node", n.ID, "raft_addr", n.RaftAddr)
	writeJSON(w, http.StatusOK, map[string]string{"joined": n.ID})
}

func (s *Server) deletePeer(w http.ResponseWriter, r *http.Request) {
	if err := s.store.RemovePeer(r.PathValue("id")); err != nil {
		writeError(w, http.StatusServiceUnavailable, err.Error())
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"removed": r.PathValue("id")})
}

func (s *Server) transferLeader(w http.ResponseWriter, _ *http.Request) {
	if err := s.store.TransferLeadership(); err != nil {
		writeError(w, http.StatusServiceUnavailable, err.Error())
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"status": "transferred"})
}

func (s *Server) getDealers(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, map[string]any{"dealers": orEmpty(s.store.Dealers())})
}

func (s *Server) postDealer(w http.ResponseWriter, r *http.Request) {
	var d state.Dealer
	if !decodeBody(w, r, &d) {
		return
	}
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

func (s *Server) postToken(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Dealer string `json:"dealer"`
		TTL    string `json:"ttl"`
	}
	if !decodeBody(w, r, &req) {
		return
	}
	if _, ok := s.store.Dealer(req.Dealer); !ok {
		writeJSON(w, http.StatusBadRequest, apiError{Error: "dealer: unknown dealer " + req.Dealer + ": add it first", Field: "dealer", Reason: "is not registered"})
		return
	}
	ttl := 24 * time.Hour
	if req.TTL != "" {
		d, err := time.ParseDuration(req.TTL)
		if err != nil || d <= 0 {
			writeJSON(w, http.StatusBadRequest, apiError{Error: "ttl: must be a positive duration like 24h", Field: "ttl", Reason: "must be a positive duration like 24h"})
			return
		}
		ttl = d
	}
	authority, err := s.store.Member().Authority()
	if err != nil {
		writeError(w, http.StatusServiceUnavailable, err.Error())
		return
	}
	token := protocol.EnrolmentToken{Secret: newToken(), CAHash: protocol.CAHash(authority.CertDER)}
	t := state.Token{Hash: state.HashSecret(token.Secret), Dealer: req.Dealer, ExpiresAt: time.Now().Add(ttl).Unix()}
	if _, err := s.store.ApplyOne(r.Context(), state.CmdAddToken, &t); err != nil {
		writeError(w, http.StatusServiceUnavailable, err.Error())
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"token": token.String(), "dealer": req.Dealer, "expires_at": time.Unix(t.ExpiresAt, 0).UTC()})
}

// decodeBody reads a small JSON body strictly, answering 400 or 413.
func decodeBody(w http.ResponseWriter, r *http.Request, v any) bool {
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxOperatorBody))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil && err != io.EOF {
		writeError(w, http.StatusBadRequest, "body: "+strings.TrimPrefix(err.Error(), "json: "))
		return false
	}
	return true
}

func orEmpty[T any](list []T) []T {
	if list == nil {
		return []T{}
	}
	return list
}

// newToken returns a random one-time token.
func newToken() string {
	b := make([]byte, 20)
	_, _ = rand.Read(b)
	return strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b))
}

// postNodeCert signs a joining node's Raft certificate (operator only):
// the first step of `serve --join` (see cluster.Member.NodeCertHandler).
func (s *Server) postNodeCert(w http.ResponseWriter, r *http.Request) {
	s.store.Member().NodeCertHandler()(w, r)
}
