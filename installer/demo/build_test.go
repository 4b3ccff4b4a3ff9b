package main

import (
	"strings"
	"testing"
	"time"
)

// On a terminal the progress line is rewritten in place with the package
// being compiled and the time so far; in a log, a line every few seconds.
func TestProgress_TerminalAndLog(t *testing.T) {
	start := time.Date(2026, 12, 2, 9, 0, 0, 0, time.UTC)
	for _, terminal := range []bool{true, false} {
		var b strings.Builder
		p := newProgress(&b, terminal, "touchpoint-hub", start)
		now := start
		p.now = func() time.Time { return now }
		now = now.Add(time.Second)
		p.compiled("github.com/hashicorp/raft")
		now = now.Add(6 * time.Second)
		p.compiled("github.com/touchpoint/touchpoint/hub/store")
		now = now.Add(time.Second)
		p.show()
		p.finish()
		out := b.String()
		switch {
		case terminal && (strings.Count(out, "\r\033[K") != 4 || !strings.Contains(out, "2 packages compiled, github.com/touchpoint/touchpoint/hub/store (8s)")):
			t.Errorf("terminal: %q", out)
		case !terminal && out != "    touchpoint-hub: 2 packages compiled, github.com/touchpoint/touchpoint/hub/store (7s)\n":
			t.Errorf("log: %q", out)
		}
		if got := p.summary(); got != "2 packages compiled" {
			t.Errorf("summary %q", got)
		}
	}
}

// Durations print in seconds, then minutes and seconds.
func TestElapsed(t *testing.T) {
	for d, want := range map[time.Duration]string{
		400 * time.Millisecond: "0s", 7 * time.Second: "7s", 65 * time.Second: "1m05s", 12*time.Minute + 3*time.Second: "12m03s",
	} {
		if got := elapsed(d); got != want {
			t.Errorf("elapsed(%s) = %q, want %q", d, got, want)
		}
	}
}
