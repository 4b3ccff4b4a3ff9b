package state

import (
	"crypto/sha256"
	"encoding/hex"
)

// HashSecret is how tokens and agent secrets are stored: never in clear.
func HashSecret(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}
