package hublink

import (
	"log/slog"
	"math/rand/v2"
	"os"
	"strconv"
	"strings"
)

// FailpointsEnv names the environment variable that arms failpoints for
// fault-injection tests: a comma-separated list of name=probability
// (name alone means 1). It is read once when the link is built; unset, no
// failpoint does anything. At an armed failpoint the agent exits at once,
// without closing anything, as if killed at exactly that point.
const FailpointsEnv = "TOUCHPOINT_FAILPOINTS"

// The failpoints, named after where they sit.
const (
	// FailPushSent: a batch is sent, its ack not yet read.
	FailPushSent = "push-after-send-before-ack"
	// FailPushAcked: the hub's ack is read, the outbox not yet marked.
	FailPushAcked = "push-after-ack-before-mark"
	// FailFeedReceived: a feed batch is read, not yet applied.
	FailFeedReceived = "feed-after-receive-before-apply"
)

// FailpointExitCode is the agent's exit status at a failpoint.
const FailpointExitCode = 86

// maxFailpointsEnv bounds the variable's length.
const maxFailpointsEnv = 1024

type failpoints map[string]float64

// loadFailpoints parses FailpointsEnv; unknown names and bad
// probabilities are logged and ignored.
func loadFailpoints(log *slog.Logger) failpoints {
	env := os.Getenv(FailpointsEnv)
	if env == "" || len(env) > maxFailpointsEnv {
		return nil
	}
	known := map[string]bool{FailPushSent: true, FailPushAcked: true, FailFeedReceived: true}
	f := failpoints{}
	for _, item := range strings.Split(env, ",") {
		name, prob, hasProb := strings.Cut(strings.TrimSpace(item), "=")
		p := 1.0
		if hasProb {
			v, err := strconv.ParseFloat(prob, 64)
			if err != nil || v < 0 || v > 1 {
				log.Warn("failpoint ignored: probability must be between 0 and 1", "failpoint", name, "value", prob)
				continue
			}
			p = v
		}
		if !known[name] {
			log.Warn("failpoint ignored: unknown name", "failpoint", name)
			continue
		}
		f[name] = p
	}
	log.Warn("failpoints armed: this agent will exit on purpose", "env", FailpointsEnv, "failpoints", env)
	return f
}

// hit exits the process when the failpoint is armed and its dice say so.
func (f failpoints) hit(name string, log *slog.Logger) {
	p, ok := f[name]
	if !ok || rand.Float64() >= p {
		return
	}
	log.Warn("failpoint hit: exiting", "failpoint", name)
	os.Exit(FailpointExitCode)
}
