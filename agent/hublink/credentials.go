package hublink

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// CredentialsFile is the enrolment record inside the data directory.
const CredentialsFile = "agent.json"

// maxCredentialsSize bounds the file read at start.
const maxCredentialsSize = 64 << 10

// ErrNotEnrolled means the data directory holds no enrolment.
var ErrNotEnrolled = errors.New("this data directory is not enrolled: run `touchpoint-agent enroll --hub ADDR --token TOKEN --data-dir DIR` first")

// Credentials are what enrolment gave this agent.
// The key never leaves the dealer PC; the file is mode 0600.
type Credentials struct {
	AgentID     string   `json:"agent_id"`
	DealerID    string   `json:"dealer_id"`
	Country     string   `json:"country"`
	Hubs        []string `json:"hubs"`
	Certificate []byte   `json:"certificate"` // DER, from the cluster CA
	Key         []byte   `json:"key"`         // the agent's private key, PKCS#8 DER
	CACert      []byte   `json:"ca_cert"`     // DER, pinned at enrolment
}

// LoadCredentials reads the enrolment from dataDir.
func LoadCredentials(dataDir string) (*Credentials, error) {
	f, err := os.Open(filepath.Join(dataDir, CredentialsFile))
	if errors.Is(err, os.ErrNotExist) {
		return nil, ErrNotEnrolled
	}
	if err != nil {
		return nil, fmt.Errorf("read credentials: %w", err)
	}
	defer f.Close()
	var c Credentials
	dec := json.NewDecoder(io.LimitReader(f, maxCredentialsSize))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&c); err != nil {
		return nil, fmt.Errorf("read credentials %s: %w", f.Name(), err)
	}
	if c.AgentID == "" || c.DealerID == "" || len(c.Hubs) == 0 || len(c.Certificate) == 0 || len(c.Key) == 0 || len(c.CACert) == 0 {
		return nil, fmt.Errorf("credentials %s: agent_id, dealer_id, hubs, certificate, key and ca_cert are required: enrol again", f.Name())
	}
	return &c, nil
}

// Save writes the credentials atomically with owner-only permissions.
func (c *Credentials) Save(dataDir string) error {
	data, err := json.MarshalIndent(c, "", "  ")
	if err != nil {
		return err
	}
	return WriteFileAtomic(filepath.Join(dataDir, CredentialsFile), data)
}

// WriteFileAtomic writes data to path via a synced temporary file, mode 0600.
func WriteFileAtomic(path string, data []byte) error {
	tmp := path + ".tmp"
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return fmt.Errorf("sync %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}
