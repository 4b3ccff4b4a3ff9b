package chaos

import (
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"
)

// chaosRow is one line of the chaos summary table.
type chaosRow struct {
	scenario string
	cycles   int
	v        verdict
	converge time.Duration // -1: not converged in time
	note     string
}

// chaosSummary collects the rows of the scenarios that ran.
type chaosSummary struct {
	mu   sync.Mutex
	rows []chaosRow
}

func (s *chaosSummary) add(r chaosRow) {
	s.mu.Lock()
	s.rows = append(s.rows, r)
	s.mu.Unlock()
}

func (s *chaosSummary) table() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var b strings.Builder
	fmt.Fprintf(&b, "%-22s %7s %9s %5s %5s %8s %10s  %s\n", "scenario", "cycles", "acked", "lost", "dup", "unequal", "converge", "note")
	for _, r := range s.rows {
		conv := "never"
		if r.converge >= 0 {
			conv = r.converge.Round(10 * time.Millisecond).String()
		}
		fmt.Fprintf(&b, "%-22s %7d %9d %5d %5d %8d %10s  %s\n", r.scenario, r.cycles, r.v.acked, r.v.lost, r.v.duplicated, r.v.unequal, conv, r.note)
	}
	return b.String()
}

// The chaos suite: each scenario injects one kind of fault while a
// bounded workload records events at agents and posts them to the hub,
// then checks that every acknowledged event is at every replica exactly
// once and that every agent's profiles equal the hub's. Sizes come from
// TOUCHPOINT_CHAOS (see chaosConfig), choices from TOUCHPOINT_CHAOS_SEED.
func TestChaos(t *testing.T) {
	size, seed := chaosConfig(), chaosSeed(t)
	if size.name == defaultChaos.name {
		useReleaseBinaries(t)
	}
	sum := &chaosSummary{}
	for _, sc := range chaosScenarios {
		t.Run(sc.name, func(t *testing.T) {
			row := sc.run(t, size, seed)
			row.scenario = sc.name
			sum.add(row)
			t.Logf("%s: %d cycles, %s, converged in %s; %s", sc.name, row.cycles, row.v, row.converge, row.note)
			if !row.v.ok() {
				t.Errorf("%s: %s", sc.name, row.v)
			}
		})
	}
	table := sum.table()
	t.Logf("chaos summary (size %s, seed %d):\n%s", size.name, seed, table)
	fmt.Printf("chaos summary (size %s, seed %d):\n%s", size.name, seed, table)
}

var chaosScenarios = []struct {
	name string
	run  func(t *testing.T, size chaosSize, seed uint64) chaosRow
}{
	{"agent_kill", chaosAgentKills},
	{"leader_kill", chaosLeaderKills},
	{"partition", chaosPartitions},
	{"agent_failpoints", chaosFailpoints},
	{"lossy_udp", chaosLossyLine},
	{"damaged_dir", chaosDamagedDir},
	{"power_cut", chaosPowerCut},
	{"disk_full", chaosDiskFull},
	{"clock_skew", chaosClockSkew},
	{"snapshot_catchup", chaosSnapshotCatchUp},
}
