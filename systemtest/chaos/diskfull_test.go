package chaos

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/touchpoint/touchpoint/systemtest"
)

// chaosDiskFull fills the filesystem under an agent's data directory
// while staff record: recording must fail with a clear message, nothing
// acknowledged may be lost, and recording must resume once space is
// freed.
func chaosDiskFull(t *testing.T, size chaosSize, seed uint64) chaosRow {
	r := newChaosRig(t, size, seed)
	disk := mountLoop(t, 160)
	a := r.enrollAgent("S-1", filepath.Join(disk.dir, "agent"))
	a.Proc = systemtest.StartProc(t, "agent-S-1", nil, "touchpoint-agent", a.RunArgs()...)
	r.agents = append(r.agents, a)
	waitHealthy(t, a)

	const customers = 30
	w := newWorkload(r.h, 20*time.Millisecond)
	w.recordAt(a, customers, 1_000_000, 5, newRand(seed, 110))
	systemtest.Eventually(t, 60*time.Second, "recording before the disk fills", func() error {
		if n := r.h.ackedCount(); n < 20 {
			return fmt.Errorf("%d acknowledged", n)
		}
		return nil
	})
	filler := filepath.Join(disk.dir, "filler")
	if err := fillDisk(disk.dir, filler); err != nil {
		t.Fatal(err)
	}
	var refusal string
	systemtest.Eventually(t, 60*time.Second, "recording refused on a full disk", func() error {
		if v, ok := w.failed.Load(a.Dealer); ok {
			refusal = v.(string)
			return nil
		}
		return fmt.Errorf("still recording")
	})
	crashedFull := a.Exited()
	if err := os.Remove(filler); err != nil {
		t.Fatal(err)
	}
	if crashedFull {
		a.MustStart(t)
	}
	before := r.h.ackedCount()
	systemtest.Eventually(t, 60*time.Second, "recording resumes after space is freed", func() error {
		if r.h.ackedCount() <= before {
			return fmt.Errorf("no new acknowledgement")
		}
		return nil
	})
	w.wait()
	if a.Exited() {
		crashedFull = true
		a.MustStart(t)
		waitHealthy(t, a)
	}
	v, conv := r.converge(time.Now())
	if crashedFull {
		t.Errorf("the agent process died on the full disk instead of refusing to record")
	}
	if i := strings.Index(refusal, "disk full"); i >= 0 {
		refusal = refusal[i:]
	}
	return chaosRow{cycles: 1, v: v, converge: conv, note: fmt.Sprintf("agent crashed: %v; staff saw 507 %q", crashedFull, strings.TrimRight(refusal, "\"}\n "))}
}

// fillDisk takes all free space on the filesystem of dir but a little.
func fillDisk(dir, filler string) error {
	var st syscall.Statfs_t
	if err := syscall.Statfs(dir, &st); err != nil {
		return err
	}
	free := int64(st.Bavail) * int64(st.Bsize)
	return sh("fallocate", "-l", fmt.Sprint(max(free-(1<<20), 0)), filler)
}
