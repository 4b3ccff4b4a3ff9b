// Package clock is the agent's wall clock: time.Now, shifted by an
// offset that fault-injection tests set through a file, so a test can
// run an agent whose clock is skewed or jumps while it runs. Without the
// file it is time.Now. Durations, timeouts and backoff stay on the
// monotonic clock (time.Since, time.After); only times the agent writes
// down or compares with certificates and stored expiries come from here.
package clock

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"sync"
	"time"
)

// FileEnv names the environment variable holding the path of the offset
// file: a Go duration such as -26h or +3h30m. The agent re-reads the file
// at most once a second; a missing or empty file means no offset, a
// malformed one is logged once and ignored.
const FileEnv = "TOUCHPOINT_CLOCK_FILE"

// Bounds of the offset file.
const (
	maxFileBytes = 64
	maxOffset    = 366 * 24 * time.Hour
	rereadEvery  = time.Second
)

// Now is the agent's wall clock: time.Now plus the injected offset.
func Now() time.Time { return std.now() }

// SetLogger sets where a malformed offset file and an offset in effect
// are reported (slog.Default until then).
func SetLogger(log *slog.Logger) {
	std.mu.Lock()
	std.log = log
	std.mu.Unlock()
}

var std = &source{path: os.Getenv(FileEnv)}

// source reads the offset from path, at most once per rereadEvery.
type source struct {
	path string

	mu     sync.Mutex
	log    *slog.Logger
	offset time.Duration
	readAt time.Time // monotonic; zero: never read
	warned bool      // a malformed file was reported
	shown  bool      // an offset in effect was reported
}

func (s *source) now() time.Time {
	t := time.Now()
	if s.path == "" {
		return t
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.readAt.IsZero() || t.Sub(s.readAt) >= rereadEvery {
		s.offset, s.readAt = s.read(), t
	}
	return t.Add(s.offset)
}

// read returns the file's offset, or 0 when it is missing, empty or
// malformed (reported once).
func (s *source) read() time.Duration {
	d, err := readOffset(s.path)
	if err != nil {
		if !s.warned {
			s.logger().Warn("clock offset file ignored", "env", FileEnv, "reason", err.Error())
			s.warned = true
		}
		return 0
	}
	if d != 0 && !s.shown {
		s.logger().Warn("clock offset in effect: this agent's wall clock is shifted on purpose", "env", FileEnv, "offset", d.String())
		s.shown = true
	}
	return d
}

func (s *source) logger() *slog.Logger {
	if s.log != nil {
		return s.log
	}
	return slog.Default()
}

// readOffset reads and parses the offset file; a missing file is no
// offset.
func readOffset(path string) (time.Duration, error) {
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("open: %w", err)
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, maxFileBytes+1))
	if err != nil {
		return 0, fmt.Errorf("read: %w", err)
	}
	if len(b) > maxFileBytes {
		return 0, fmt.Errorf("longer than %d bytes", maxFileBytes)
	}
	return ParseOffset(string(b))
}

// ParseOffset parses an offset: a Go duration with an optional sign,
// surrounding space allowed, empty meaning none, at most a year either
// way.
func ParseOffset(s string) (time.Duration, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, nil
	}
	if len(s) > maxFileBytes {
		return 0, fmt.Errorf("offset: longer than %d bytes", maxFileBytes)
	}
	d, err := time.ParseDuration(s)
	if err != nil {
		return 0, errors.New("offset: not a duration such as -26h or +3h30m")
	}
	if d > maxOffset || d < -maxOffset {
		return 0, fmt.Errorf("offset: beyond %s either way", maxOffset)
	}
	return d, nil
}
