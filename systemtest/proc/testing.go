package proc

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// binDir holds the binaries that tests start: built by Main, swapped by
// UseReleaseBuild.
var (
	binMu  sync.Mutex
	binDir string
)

// Main is a system test package's TestMain: it builds both binaries with
// the race detector, once for the whole run, runs the tests and removes
// the binaries.
func Main(m *testing.M) {
	dir, err := os.MkdirTemp("", "touchpoint-bin-")
	if err != nil {
		panic(err)
	}
	if err := Build(dir, true); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.RemoveAll(dir)
		os.Exit(1)
	}
	setBinDir(dir)
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// Bin is the path of the binary name (HubBinary or AgentBinary) that
// tests start now.
func Bin(name string) string {
	binMu.Lock()
	defer binMu.Unlock()
	return filepath.Join(binDir, name)
}

func setBinDir(dir string) (old string) {
	binMu.Lock()
	defer binMu.Unlock()
	old, binDir = binDir, dir
	return old
}

// UseReleaseBuild builds both binaries without the race detector and has
// every process started until t ends run them.
func UseReleaseBuild(t testing.TB) {
	t.Helper()
	dir, err := os.MkdirTemp("", "touchpoint-release-bin-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	if err := Build(dir, false); err != nil {
		t.Fatal(err)
	}
	race := setBinDir(dir)
	t.Cleanup(func() { setBinDir(race) })
}

// MustStart starts a process from s for t's test, or fails the test.
// Without a LogFile, the log goes to a temporary directory of the test;
// with TOUCHPOINT_TEST_PPROF set, a serving process serves pprof (see
// Spec.PprofList). When the test ends the process is killed, the last
// lines of its log are shown if the test failed, and the log is kept if
// TOUCHPOINT_TEST_LOGS asks for it.
func MustStart(t testing.TB, s Spec) *Proc {
	t.Helper()
	if s.LogFile == "" {
		s.LogFile = filepath.Join(t.TempDir(), s.Name+".log")
	}
	if s.PprofList == "" {
		s.PprofList = os.Getenv(pprofListEnv)
	}
	p := &Proc{Spec: s}
	p.MustStart(t)
	t.Cleanup(func() { p.finish(t) })
	return p
}

// MustStart starts the binary again after Kill or Stop, or fails the test.
func (p *Proc) MustStart(t testing.TB) {
	t.Helper()
	if err := p.Start(); err != nil {
		t.Fatal(err)
	}
}

// finish kills the process when its test ends, shows its log if the
// test failed, and keeps the log if asked to (keptLogsEnv).
func (p *Proc) finish(t testing.TB) {
	p.Kill()
	if t.Failed() {
		lines := strings.Split(p.ReadLog(), "\n")
		if len(lines) > 60 {
			lines = lines[len(lines)-60:]
		}
		t.Logf("--- last lines of %s ---\n%s", p.Name, strings.Join(lines, "\n"))
	}
	p.keepLog(t)
}

// keptLogsEnv names a directory; when set, every process's log is copied
// there when its test ends, to study a scenario after it ran.
const keptLogsEnv = "TOUCHPOINT_TEST_LOGS"

func (p *Proc) keepLog(t testing.TB) {
	dir := os.Getenv(keptLogsEnv)
	if dir == "" {
		return
	}
	b, err := os.ReadFile(p.LogFile)
	if err == nil {
		// Appended: a node rebuilt in a test is a second process of
		// the same name.
		name := strings.NewReplacer("/", "_", " ", "_").Replace(t.Name()) + "." + p.Name + ".log"
		err = appendFile(filepath.Join(dir, name), b)
	}
	if err != nil {
		t.Logf("%s: %v", keptLogsEnv, err)
	}
}

func appendFile(path string, b []byte) error {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return err
	}
	_, err = f.Write(b)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}
