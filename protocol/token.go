package protocol

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"strings"
)

// ErrBadToken means an enrolment token is not in the tp1.SECRET.CAHASH form.
var ErrBadToken = errors.New("enrolment token is malformed: copy it whole from `touchpoint-hub token create`")

// tokenPrefix names the token format's version.
const tokenPrefix = "tp1."

// EnrolmentToken is what `touchpoint-hub token create` prints: a one-time
// secret and the hash of the cluster CA, so the agent can pin the CA
// before it trusts anything the hub says (as kubeadm's discovery hash).
type EnrolmentToken struct {
	Secret string
	CAHash string
}

// String renders the token as tp1.SECRET.CAHASH.
func (t EnrolmentToken) String() string { return tokenPrefix + t.Secret + "." + t.CAHash }

// ParseEnrolmentToken reads a token printed by String.
func ParseEnrolmentToken(s string) (EnrolmentToken, error) {
	rest, ok := strings.CutPrefix(strings.TrimSpace(s), tokenPrefix)
	if !ok {
		return EnrolmentToken{}, ErrBadToken
	}
	secret, hash, ok := strings.Cut(rest, ".")
	if !ok || len(secret) < 16 || len(hash) != 64 {
		return EnrolmentToken{}, ErrBadToken
	}
	if _, err := hex.DecodeString(hash); err != nil {
		return EnrolmentToken{}, ErrBadToken
	}
	return EnrolmentToken{Secret: secret, CAHash: hash}, nil
}

// CAHash is the pin of a CA certificate: hex SHA-256 of its DER bytes.
func CAHash(der []byte) string {
	sum := sha256.Sum256(der)
	return hex.EncodeToString(sum[:])
}
