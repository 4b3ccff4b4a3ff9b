package hublink

import (
	"os"
	"strings"
)

// PinnedHubsEnv names the environment variable that pins the hub
// addresses the agent dials, as a comma-separated list of host:port. It
// is read once when the link is built. When set, the agent dials only
// these and ignores the addresses the hub advertises: for a dealer that
// reaches the hub through a relay or NAT, and for the chaos tests, which
// put a lossy UDP proxy between agent and hub.
const PinnedHubsEnv = "TOUCHPOINT_HUB_ADDRS"

// maxPinnedHubs bounds the pinned list.
const maxPinnedHubs = 16

// pinnedHubs returns the pinned addresses, or nil when none are set.
func pinnedHubs() []string {
	var out []string
	for _, addr := range strings.Split(os.Getenv(PinnedHubsEnv), ",") {
		if addr = strings.TrimSpace(addr); addr != "" && len(out) < maxPinnedHubs {
			out = append(out, addr)
		}
	}
	return out
}
