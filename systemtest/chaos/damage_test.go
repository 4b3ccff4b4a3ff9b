package chaos

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/touchpoint/touchpoint/systemtest"
)

// damageMessage is what the agent logs when it quarantines its database.
const damageMessage = "local database was damaged"

// agentDamage is one way an agent's data directory gets damaged.
type agentDamage struct {
	name  string
	crash bool // kill -9 before the damage (else a clean stop)
	apply func(db string) error
}

var agentDamages = []agentDamage{
	{"truncated memtable", true, truncateMemtables},
	{"flipped table bytes", false, flipTable(3)},
	{"flipped table index", false, flipTable(100)},
	{"deleted MANIFEST", false, func(db string) error { return os.Remove(filepath.Join(db, "MANIFEST")) }},
}

// chaosDamagedDir damages an agent's data directory in each way Badger
// takes silently or panics on; each time the agent must notice, move the
// directory aside and rebuild from the hub, losing nothing acknowledged.
func chaosDamagedDir(t *testing.T, size chaosSize, seed uint64) chaosRow {
	r := newChaosRig(t, size, seed)
	a := r.addAgent("X-1")
	r.addAgent("X-2")
	const customers = 30
	detected := 0
	for i, d := range agentDamages {
		w := newWorkload(r.h, 10*time.Millisecond)
		w.tag = fmt.Sprintf("-c%d", i)
		w.recordAt(a, customers, 60, 5, newRand(seed, uint64(60+i)))
		w.postAtHub(r.c, customers, 20, 5, newRand(seed, uint64(70+i)))
		w.finish()
		// Only what reached the hub can come back from it: let the outbox
		// drain first (an unsent event in a damaged region is gone).
		systemtest.Eventually(t, size.converge, "outbox drained before damage", r.drained)
		if d.crash {
			a.Kill()
		} else {
			a.Stop()
		}
		if err := d.apply(filepath.Join(a.Dir, "db")); err != nil {
			t.Fatalf("%s: %v", d.name, err)
		}
		before := strings.Count(a.ReadLog(), damageMessage)
		a.MustStart(t)
		waitHealthy(t, a)
		if log := a.ReadLog(); strings.Count(log, damageMessage) > before {
			detected++
			t.Logf("%s: %s", d.name, a.LastLogLine(damageMessage))
		} else {
			t.Errorf("%s: the agent did not report the damage", d.name)
		}
	}
	v, conv := r.converge(time.Now())
	return chaosRow{cycles: len(agentDamages), v: v, converge: conv,
		note: fmt.Sprintf("%d of %d damages detected, %d directories quarantined", detected, len(agentDamages), quarantined(a))}
}

// quarantined counts the data directories the agent moved aside as
// damaged.
func quarantined(a *systemtest.Agent) int {
	n := 0
	if entries, err := filepath.Glob(filepath.Join(a.Dir, "db.damaged-*")); err == nil {
		for _, e := range entries {
			if fi, err := os.Stat(e); err == nil && fi.IsDir() {
				n++
			}
		}
	}
	return n
}

// finish waits for every loop to send its bound, then stops the workload.
func (w *workload) finish() {
	w.wg.Wait()
	w.stop()
}

// truncateMemtables cuts the written part of each memtable log (the file
// is preallocated with zeros) to a third: the tail of writes is lost.
func truncateMemtables(db string) error {
	mems, _ := filepath.Glob(filepath.Join(db, "*.mem"))
	for _, m := range mems {
		b, err := os.ReadFile(m)
		if err != nil {
			return err
		}
		end := len(b)
		for end > 0 && b[end-1] == 0 {
			end--
		}
		if end > 0 {
			return os.Truncate(m, int64(end/3))
		}
	}
	return fmt.Errorf("no memtable with data in %s", db)
}

// flipTable inverts 16 bytes of the newest table at pct percent of its
// length (100: its last bytes, the index).
func flipTable(pct int) func(db string) error {
	return func(db string) error {
		tables, _ := filepath.Glob(filepath.Join(db, "*.sst"))
		if len(tables) == 0 {
			return fmt.Errorf("no table in %s", db)
		}
		path := tables[len(tables)-1]
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		at := min(len(b)*pct/100, len(b)-16)
		for i := at; i < at+16; i++ {
			b[i] ^= 0xff
		}
		return os.WriteFile(path, b, 0o600)
	}
}
