package main

import (
	"crypto/rand"
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// keySize is AES-256's key length.
const keySize = 32

// defaultKeyFile keeps the encryption key beside, not inside, the data
// directory: a copy of the data directory alone reveals nothing.
func defaultKeyFile(dataDir string) string {
	return filepath.Clean(dataDir) + ".key"
}

// createKeyFile writes a new random key with owner-only permissions,
// unless one is there already.
func createKeyFile(path string) error {
	if _, err := os.Stat(path); err == nil {
		return nil
	}
	key := make([]byte, keySize)
	if _, err := rand.Read(key); err != nil {
		return err
	}
	sealed, err := sealKey(key)
	if err != nil {
		return err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return fmt.Errorf("create encryption key %s: %w", path, err)
	}
	if _, err := f.Write(sealed); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// readKeyFile reads the encryption key of the local database. A file
// holding the bare key (written before sealing existed) is read as is.
func readKeyFile(path string) ([]byte, error) {
	key, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("encryption key %s is missing: the local data cannot be read without it (restore the file, or enrol a new data directory)", path)
	}
	if err != nil {
		return nil, fmt.Errorf("read encryption key: %w", err)
	}
	if len(key) != keySize {
		if key, err = unsealKey(key); err != nil {
			return nil, fmt.Errorf("encryption key %s: %w", path, err)
		}
	}
	if len(key) != keySize {
		return nil, fmt.Errorf("encryption key %s: %d bytes, want %d", path, len(key), keySize)
	}
	return key, nil
}
