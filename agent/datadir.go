package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strconv"

	"github.com/touchpoint/touchpoint/agent/hublink"
)

// dataFormat is the layout of the data directory this build reads and
// writes. Raise it when a change makes older agents misread the data.
const dataFormat = 1

// markerFile records which agent last used a data directory.
const markerFile = "version.json"

// ErrNewerDataDir means a newer agent has used the data directory.
var ErrNewerDataDir = errors.New("data directory written by a newer agent")

// dataMarker is the content of markerFile.
type dataMarker struct {
	Format   int    `json:"format"`
	Software string `json:"software"`
}

// preflight is the quick check before the service starts: enrolled, and
// not from a newer agent. Its failures are final: restarting cannot help.
func preflight(dataDir string) error {
	if _, err := hublink.LoadCredentials(dataDir); err != nil {
		return err
	}
	_, err := checkDataDir(dataDir, version)
	return err
}

// claimDataDir refuses a data directory from a newer agent and records
// this one as its last user.
func claimDataDir(dataDir, software string) error {
	m, err := checkDataDir(dataDir, software)
	if err != nil {
		return err
	}
	if m == (dataMarker{Format: dataFormat, Software: software}) {
		return nil
	}
	b, _ := json.Marshal(dataMarker{Format: dataFormat, Software: software})
	return hublink.WriteFileAtomic(filepath.Join(dataDir, markerFile), append(b, '\n'))
}

// checkDataDir reads the marker and compares it with this build.
func checkDataDir(dataDir, software string) (dataMarker, error) {
	var m dataMarker
	b, err := os.ReadFile(filepath.Join(dataDir, markerFile))
	if errors.Is(err, fs.ErrNotExist) {
		return m, nil // enrolled before markers existed, or new
	}
	if err != nil {
		return m, fmt.Errorf("read data dir marker: %w", err)
	}
	if err := json.Unmarshal(b, &m); err != nil {
		return m, fmt.Errorf("data dir marker %s is damaged (%v): delete it if this agent is the newest that used the directory", filepath.Join(dataDir, markerFile), err)
	}
	if m.Format > dataFormat || newerRelease(m.Software, software) {
		return m, fmt.Errorf("%w: %s was last used by touchpoint-agent %s (data format %d) and this is %s (data format %d): install %s or newer; downgrading the agent is not supported",
			ErrNewerDataDir, dataDir, m.Software, m.Format, software, dataFormat, m.Software)
	}
	return m, nil
}

// releasePattern matches `git describe` of a release tag: v1.4.2, or
// v1.4.2-3-gabc1234 three commits later, either maybe -dirty.
var releasePattern = regexp.MustCompile(`^v?(\d+)\.(\d+)\.(\d+)(?:-(\d+)-g[0-9a-f]+)?(?:-dirty)?$`)

// newerRelease reports whether a is a later release than b. Versions that
// are not releases (dev builds, bare commit hashes) compare as neither.
func newerRelease(a, b string) bool {
	va, okA := parseRelease(a)
	vb, okB := parseRelease(b)
	if !okA || !okB {
		return false
	}
	for i := range va {
		if va[i] != vb[i] {
			return va[i] > vb[i]
		}
	}
	return false
}

func parseRelease(v string) ([4]int, bool) {
	var out [4]int
	m := releasePattern.FindStringSubmatch(v)
	if m == nil {
		return out, false
	}
	for i := range out {
		out[i], _ = strconv.Atoi(m[i+1]) // an absent commit count is 0
	}
	return out, true
}
