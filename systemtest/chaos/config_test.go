package chaos

import (
	"math/rand/v2"
	"os"
	"strconv"
	"testing"
	"time"
)

// chaosSize is how much each chaos scenario does. TOUCHPOINT_CHAOS=default
// gives the sizes (`make chaos`); unset, a short subset runs with
// the other system tests.
type chaosSize struct {
	name          string
	agentKills    int // kill -9 cycles over all agents
	leaderKills   int // hub leader kill -9 cycles (every transferEvery-th is a transfer instead)
	transferEvery int
	partitions    int // agent<->hub partition cycles
	weekendEvents int // events queued at the agent during the long partition
	proxyEvents   int // events through the lossy UDP proxy
	killAgents    int // agents killed in parallel
	customers     int // customers of the partition scenario
	clockEvents   int // events recorded at each agent of the clock scenario
	snapCycles    int // follower kills that need a snapshot to catch up
	converge      time.Duration
}

var (
	defaultChaos = chaosSize{name: "default", agentKills: 200, leaderKills: 100, transferEvery: 10,
		partitions: 50, weekendEvents: 20000, proxyEvents: 400, killAgents: 4, customers: 1000,
		clockEvents: 3000, snapCycles: 3, converge: 5 * time.Minute}
	shortChaos = chaosSize{name: "short", agentKills: 6, leaderKills: 3, transferEvery: 3,
		partitions: 3, weekendEvents: 300, proxyEvents: 60, killAgents: 2, customers: 100,
		clockEvents: 150, snapCycles: 1, converge: 2 * time.Minute}
)

func chaosConfig() chaosSize {
	if os.Getenv("TOUCHPOINT_CHAOS") == "default" {
		return defaultChaos
	}
	return shortChaos
}

// chaosSeed is TOUCHPOINT_CHAOS_SEED or the time; the test logs it so a
// failing run can be repeated.
func chaosSeed(t *testing.T) uint64 {
	seed := uint64(time.Now().UnixNano())
	if s := os.Getenv("TOUCHPOINT_CHAOS_SEED"); s != "" {
		v, err := strconv.ParseUint(s, 10, 64)
		if err != nil {
			t.Fatalf("TOUCHPOINT_CHAOS_SEED: %q is not an unsigned integer", s)
		}
		seed = v
	}
	t.Logf("chaos seed %d (repeat with TOUCHPOINT_CHAOS_SEED=%d)", seed, seed)
	return seed
}

// newRand makes a generator for one goroutine from the run's seed.
func newRand(seed uint64, stream uint64) *rand.Rand {
	return rand.New(rand.NewPCG(seed, stream))
}

// between returns a duration in [lo, hi).
func between(r *rand.Rand, lo, hi time.Duration) time.Duration {
	return lo + time.Duration(r.Int64N(int64(hi-lo)))
}
