package main

import (
	"strings"
	"testing"
	"time"
)

// validServe is a serve configuration that passes Validate.
func validServe() serveConfig {
	return serveConfig{NodeID: "hub1", DataDir: "/tmp/hub1", DefaultRegion: "US", SilentAfter: 1, MaxPerKind: 5, SharedLimit: 4,
		RaftAddr: "127.0.0.1:7081", AgentAddr: "127.0.0.1:7443", HTTPAddr: "127.0.0.1:7080",
		SnapshotThreshold: 8192, TrailingLogs: 10240, SnapshotInterval: 2 * time.Minute}
}

// The Raft log and profiling flags are checked at start-up, naming the
// flag that is wrong.
func TestServeConfig_RaftLogAndPprofFlags(t *testing.T) {
	tests := []struct {
		name     string
		edit     func(*serveConfig)
		wantFlag string // "" when valid
	}{
		{"defaults", func(*serveConfig) {}, ""},
		{"small log for tests", func(c *serveConfig) { c.SnapshotThreshold, c.TrailingLogs = 64, 64 }, ""},
		{"zero threshold", func(c *serveConfig) { c.SnapshotThreshold = 0 }, "--snapshot-threshold"},
		{"negative threshold", func(c *serveConfig) { c.SnapshotThreshold = -5 }, "--snapshot-threshold"},
		{"huge threshold", func(c *serveConfig) { c.SnapshotThreshold = maxRaftLogFlag + 1 }, "--snapshot-threshold"},
		{"zero trailing logs", func(c *serveConfig) { c.TrailingLogs = 0 }, "--trailing-logs"},
		{"huge trailing logs", func(c *serveConfig) { c.TrailingLogs = maxRaftLogFlag + 1 }, "--trailing-logs"},
		{"snapshot checks every few seconds", func(c *serveConfig) { c.SnapshotInterval = 3 * time.Second }, ""},
		{"snapshot checks below a second", func(c *serveConfig) { c.SnapshotInterval = time.Millisecond }, "--snapshot-interval"},
		{"snapshot checks above a day", func(c *serveConfig) { c.SnapshotInterval = 25 * time.Hour }, "--snapshot-interval"},
		{"pprof on loopback", func(c *serveConfig) { c.PprofAddr = "127.0.0.1:6060" }, ""},
		{"pprof on IPv6 loopback", func(c *serveConfig) { c.PprofAddr = "[::1]:6060" }, ""},
		{"pprof on localhost", func(c *serveConfig) { c.PprofAddr = "localhost:6060" }, ""},
		{"pprof on every interface", func(c *serveConfig) { c.PprofAddr = ":6060" }, "--pprof-addr"},
		{"pprof on 0.0.0.0", func(c *serveConfig) { c.PprofAddr = "0.0.0.0:6060" }, "--pprof-addr"},
		{"pprof on a LAN address", func(c *serveConfig) { c.PprofAddr = "10.0.0.5:6060" }, "--pprof-addr"},
		{"pprof on a host name", func(c *serveConfig) { c.PprofAddr = "hub1.example:6060" }, "--pprof-addr"},
		{"pprof without port", func(c *serveConfig) { c.PprofAddr = "127.0.0.1" }, "--pprof-addr"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := validServe()
			tt.edit(&c)
			err := c.Validate()
			switch {
			case tt.wantFlag == "" && err != nil:
				t.Fatalf("unexpected error: %v", err)
			case tt.wantFlag != "" && (err == nil || !strings.HasPrefix(err.Error(), tt.wantFlag+":")):
				t.Fatalf("error %v, want one naming %s", err, tt.wantFlag)
			}
		})
	}
}
