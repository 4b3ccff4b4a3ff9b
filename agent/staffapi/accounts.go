package staffapi

import (
	"encoding/json"
	"errors"
	"net/http"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/touchpoint/touchpoint/agent/clock"
	"github.com/touchpoint/touchpoint/agent/localstore"
	"golang.org/x/crypto/bcrypt"
)

// Password rules: bcrypt reads at most 72 bytes.
const (
	minPasswordLen = 10
	maxPasswordLen = 72
)

// staffTokenPrefix marks a staff member's API token.
const staffTokenPrefix = "tps_"

var usernamePattern = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{0,63}$`)

// newStaff is the body of POST /v1/staff.
type newStaff struct {
	Username string `json:"username"`
	Name     string `json:"name"`
	Password string `json:"password"`
}

// addedStaff answers POST /v1/staff; the token is shown only this once.
type addedStaff struct {
	localstore.StaffAccount
	Token string `json:"token"`
}

func (n *newStaff) validate() *apiError {
	n.Username = strings.ToLower(strings.TrimSpace(n.Username))
	n.Name = strings.TrimSpace(n.Name)
	switch {
	case !usernamePattern.MatchString(n.Username):
		return &apiError{Field: "username", Reason: "use 1-64 lower-case letters, digits, '.', '_' or '-', starting with a letter or digit"}
	case n.Username == adminName:
		return &apiError{Field: "username", Reason: "is reserved for the local admin token"}
	case n.Name == "" || utf8.RuneCountInString(n.Name) > 100:
		return &apiError{Field: "name", Reason: "give the person's name (up to 100 characters)"}
	case utf8.RuneCountInString(n.Password) < minPasswordLen:
		return &apiError{Field: "password", Reason: "must be at least 10 characters"}
	case len(n.Password) > maxPasswordLen:
		return &apiError{Field: "password", Reason: "must be at most 72 bytes"}
	}
	return nil
}

// addStaff creates a local login and returns its API token once.
func (s *Server) addStaff(w http.ResponseWriter, r *http.Request) {
	var n newStaff
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 4096)).Decode(&n); err != nil {
		writeError(w, http.StatusBadRequest, "body: "+err.Error())
		return
	}
	if e := n.validate(); e != nil {
		e.Error = e.Field + ": " + e.Reason
		writeJSON(w, http.StatusBadRequest, e)
		return
	}
	hash, err := bcrypt.GenerateFromPassword([]byte(n.Password), s.cost)
	if err != nil {
		writeError(w, http.StatusInternalServerError, "hash password: "+err.Error())
		return
	}
	token := staffTokenPrefix + newSecret()
	a := localstore.StaffAccount{Username: n.Username, Name: n.Name, PasswordHash: hash, TokenHash: hashSecret(token), CreatedAt: clock.Now().Unix()}
	switch err := s.store.AddStaff(a); {
	case errors.Is(err, localstore.ErrExists):
		writeJSON(w, http.StatusConflict, apiError{Error: "username: " + n.Username + " already exists", Field: "username", Reason: "already exists"})
		return
	case err != nil:
		writeError(w, http.StatusInternalServerError, err.Error())
		return
	}
	s.log.Info("staff account added")
	writeJSON(w, http.StatusCreated, addedStaff{StaffAccount: a, Token: token})
}

func (s *Server) listStaff(w http.ResponseWriter, _ *http.Request) {
	list, err := s.store.ListStaff()
	if err != nil {
		writeError(w, http.StatusInternalServerError, err.Error())
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"staff": list})
}

func (s *Server) removeStaff(w http.ResponseWriter, r *http.Request) {
	switch err := s.store.RemoveStaff(r.PathValue("username")); {
	case errors.Is(err, localstore.ErrNotFound):
		writeError(w, http.StatusNotFound, "no staff account "+r.PathValue("username"))
	case err != nil:
		writeError(w, http.StatusInternalServerError, err.Error())
	default:
		s.log.Info("staff account removed")
		writeJSON(w, http.StatusOK, map[string]string{"removed": r.PathValue("username")})
	}
}
