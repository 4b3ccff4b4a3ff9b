package csvimport

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// CheckpointSuffix is added to the input's path to name its checkpoint.
const CheckpointSuffix = ".tpimport.json"

// maxCheckpointBytes bounds reading a checkpoint file.
const maxCheckpointBytes = 64 << 10

// Fingerprint tells whether a file is the one a checkpoint was made for.
type Fingerprint struct {
	Size    int64  `json:"size"`
	ModTime int64  `json:"mtime_unix_nano"`
	Head    string `json:"head_sha256"` // of the first SampleBytes
}

// Counts are an import's totals so far.
type Counts struct {
	Rows      int `json:"rows"`
	Created   int `json:"created"`
	Duplicate int `json:"duplicate"`
	Rejected  int `json:"rejected"`
	// Warned counts the rows recorded without a hint the server dropped
	// because it does not normalise (they are in Created or Duplicate).
	Warned int `json:"warned,omitempty"`
}

// Checkpoint is the state after the last committed batch; a rerun
// resumes from it.
type Checkpoint struct {
	Version     int         `json:"version"`
	File        Fingerprint `json:"file"`
	Source      string      `json:"source"`
	Next        Position    `json:"next"`
	Counts      Counts      `json:"counts"`
	ReportBytes int64       `json:"report_bytes"`
	// WarningsBytes is the warnings report's size, as ReportBytes.
	WarningsBytes int64 `json:"warnings_bytes,omitempty"`
}

const checkpointVersion = 1

// fingerprint reads f's size, modification time and head hash.
func fingerprint(f *os.File) (Fingerprint, error) {
	info, err := f.Stat()
	if err != nil {
		return Fingerprint{}, err
	}
	h := sha256.New()
	if _, err := io.Copy(h, io.NewSectionReader(f, 0, SampleBytes)); err != nil {
		return Fingerprint{}, fmt.Errorf("hash the file's start: %w", err)
	}
	return Fingerprint{Size: info.Size(), ModTime: info.ModTime().UnixNano(), Head: hex.EncodeToString(h.Sum(nil))}, nil
}

// loadCheckpoint reads the checkpoint at path; nil when there is none.
func loadCheckpoint(path string) (*Checkpoint, error) {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var cp Checkpoint
	if err := json.NewDecoder(io.LimitReader(f, maxCheckpointBytes)).Decode(&cp); err != nil {
		return nil, fmt.Errorf("%w: %s is damaged (%v): run again with --restart", ErrCheckpoint, path, err)
	}
	if cp.Version != checkpointVersion {
		return nil, fmt.Errorf("%w: %s has version %d, this program writes %d: run again with --restart", ErrCheckpoint, path, cp.Version, checkpointVersion)
	}
	return &cp, nil
}

// checkFits refuses a checkpoint made for another file or source.
func (cp *Checkpoint) checkFits(path string, fp Fingerprint, source string) error {
	switch {
	case cp.File != fp:
		return fmt.Errorf("%w: %s changed since the interrupted import: run again with --restart to import it from the start (duplicates are skipped)", ErrCheckpoint, path)
	case cp.Source != source:
		return fmt.Errorf("%w: the interrupted import used source %s, not %s: pass --source %s, or --restart", ErrCheckpoint, cp.Source, source, cp.Source)
	}
	return nil
}

// save writes the checkpoint atomically: a temporary file, synced, then
// renamed over the old one.
func (cp *Checkpoint) save(path string) error {
	data, err := json.MarshalIndent(cp, "", "  ")
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), filepath.Base(path)+".tmp-*")
	if err != nil {
		return fmt.Errorf("write checkpoint: %w", err)
	}
	defer os.Remove(tmp.Name()) // after a successful rename there is nothing left to remove
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return fmt.Errorf("write checkpoint: %w", err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("write checkpoint: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("write checkpoint: %w", err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("write checkpoint: %w", err)
	}
	return nil
}
