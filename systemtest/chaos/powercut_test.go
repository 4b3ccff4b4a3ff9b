package chaos

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/touchpoint/touchpoint/customer"
	"github.com/touchpoint/touchpoint/systemtest"
)

// loopFS is an ext4 filesystem in an image file, mounted through a loop
// device: copying the image (not the mounted files) right after a kill
// gives what a disk would hold after a power cut — written pages still
// in the page cache above the loop device are not in the copy.
type loopFS struct {
	t          *testing.T
	image, dir string
}

// mountLoop makes and mounts an image of size MiB, or skips the test
// where loop mounts are not allowed.
func mountLoop(t *testing.T, size int) *loopFS {
	t.Helper()
	root := t.TempDir()
	fs := &loopFS{t: t, image: filepath.Join(root, "disk.img"), dir: filepath.Join(root, "mnt")}
	if err := os.Mkdir(fs.dir, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := sh("truncate", "-s", fmt.Sprintf("%dM", size), fs.image); err != nil {
		t.Fatal(err)
	}
	if err := sh("mkfs.ext4", "-q", "-F", fs.image); err != nil {
		t.Skipf("power cut needs mkfs.ext4: %v", err)
	}
	if err := sh("mount", "-o", "loop", fs.image, fs.dir); err != nil {
		t.Skipf("power cut needs loop mounts (root): %v", err)
	}
	t.Cleanup(func() { _ = sh("umount", "-l", fs.dir) })
	return fs
}

// cut copies the image as it is on the "disk" now and mounts the copy
// (the journal is replayed, as after a real power cut).
func (fs *loopFS) cut() *loopFS {
	t := fs.t
	t.Helper()
	after := &loopFS{t: t, image: fs.image + ".cut", dir: fs.dir + ".cut"}
	if err := sh("cp", "--sparse=always", fs.image, after.image); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(after.dir, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := sh("mount", "-o", "loop", after.image, after.dir); err != nil {
		t.Fatalf("mount the image after the cut: %v", err)
	}
	t.Cleanup(func() { _ = sh("umount", "-l", after.dir) })
	return after
}

func sh(name string, args ...string) error {
	out, err := exec.Command(name, args...).CombinedOutput()
	if err != nil {
		return fmt.Errorf("%s %s: %v: %s", name, strings.Join(args, " "), err, out)
	}
	return nil
}

// chaosPowerCut records at an agent whose data directory is on a loop
// filesystem and cuts the power (kill -9, then the image as the disk
// holds it) at random points, several times; every event the agent
// acknowledged must be in the copy, and then at the hub.
func chaosPowerCut(t *testing.T, size chaosSize, seed uint64) chaosRow {
	r := newChaosRig(t, size, seed)
	disk := mountLoop(t, 256)
	dead := systemtest.FreeUDP(t) // nothing listens: the agent keeps everything local
	a := r.enrollAgent("W-1", filepath.Join(disk.dir, "agent"))
	_ = sh("sync") // the enrolment is done before the power cuts begin
	a.Proc = systemtest.StartProc(t, "agent-W-1", []string{"TOUCHPOINT_HUB_ADDRS=" + dead}, "touchpoint-agent", a.RunArgs()...)
	r.agents = append(r.agents, a)
	waitHealthy(t, a)

	const customers = 30
	w := newWorkload(r.h, 0)
	w.recordAt(a, customers, 1_000_000, 3, newRand(seed, 80))
	time.Sleep(between(newRand(seed, 81), 2*time.Second, 4*time.Second))
	control := filepath.Join(disk.dir, "unsynced")
	_ = os.WriteFile(control, []byte("written, never synced"), 0o600)
	a.Kill() // power cut: acknowledgements so far are the history
	w.wait()
	after := disk.cut()
	_, err := os.Stat(filepath.Join(after.dir, "unsynced"))
	controlLost := err != nil

	// The agent on the disk as the cut left it: all it acknowledged is
	// there, before it talks to the hub.
	a.Dir = filepath.Join(after.dir, "agent")
	a.Proc = systemtest.StartProc(t, "agent-W-1-after", []string{"TOUCHPOINT_HUB_ADDRS=" + dead}, "touchpoint-agent", a.RunArgs()...)
	waitHealthy(t, a)
	local, err := readReplica(a.Dealer, r.h.customerPhones(), func(p string) ([]customer.Profile, error) { return a.Cached("phone", p) })
	if err != nil {
		t.Fatal(err)
	}
	lv := r.h.check(nil, []replicaView{local})
	if lv.lost+lv.duplicated > 0 {
		t.Errorf("after the power cut, locally: %s", lv)
	}
	a.Kill()
	hubs := make([]string, len(r.c.Nodes))
	for i, n := range r.c.Nodes {
		hubs[i] = n.Agent
	}
	a.Proc = systemtest.StartProc(t, "agent-W-1-online", []string{"TOUCHPOINT_HUB_ADDRS=" + strings.Join(hubs, ",")}, "touchpoint-agent", a.RunArgs()...)
	waitHealthy(t, a)
	v, conv := r.converge(time.Now())
	v.lost += lv.lost
	v.duplicated += lv.duplicated
	return chaosRow{cycles: 1, v: v, converge: conv,
		note: fmt.Sprintf("loop ext4 image copied after kill -9; local check %d lost; unsynced control file lost: %v", lv.lost, controlLost)}
}

// enrollAgent enrols an agent for a new dealer with its data in dir,
// without starting it.
func (r *chaosRig) enrollAgent(dealer, dir string) *systemtest.Agent {
	r.t.Helper()
	r.c.AddDealer(dealer, chaosMarket)
	return r.c.EnrollAgent(dealer, dir)
}
