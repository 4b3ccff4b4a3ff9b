package store

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
)

// HashSecret is how tokens and agent secrets are stored: never in clear.
func HashSecret(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}

// SecretMatches compares a presented secret with a stored hash in
// constant time.
func SecretMatches(secret, hash string) bool {
	return subtle.ConstantTimeCompare([]byte(HashSecret(secret)), []byte(hash)) == 1
}
