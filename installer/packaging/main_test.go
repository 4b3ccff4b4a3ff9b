package packaging

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
)

// testVersion is stamped into the binaries the tests package.
const testVersion = "v1.4.2-3-gabc1234"

// binaries holds the real agent built once per run, keyed by GOOS/GOARCH;
// outDir holds the packages built from them.
var (
	binaries = map[string]string{}
	outDir   string
)

// once builds what key names the first time a test asks for it; later
// tests get the same file (or the same failure).
var (
	onceMu    sync.Mutex
	onceBuilt = map[string]onceResult{}
)

type onceResult struct {
	path string
	err  error
}

func once(t *testing.T, key string, build func() (string, error)) string {
	t.Helper()
	onceMu.Lock()
	defer onceMu.Unlock()
	r, ok := onceBuilt[key]
	if !ok {
		r.path, r.err = build()
		onceBuilt[key] = r
	}
	if r.err != nil {
		t.Fatal(r.err)
	}
	return r.path
}

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "touchpoint-packaging-")
	if err != nil {
		panic(err)
	}
	// Flags match `go vet` and the Windows cross-build of `make check`, so
	// the build cache serves the packages and only linking is left.
	outDir = filepath.Join(dir, "packages")
	if err := os.Mkdir(outDir, 0o755); err != nil {
		panic(err)
	}
	for _, target := range []struct{ goos, goarch, name string }{
		{"linux", "amd64", "touchpoint-agent"},
		{"windows", "amd64", "touchpoint-agent.exe"},
	} {
		out := filepath.Join(dir, target.goos+"_"+target.goarch, target.name)
		cmd := exec.Command("go", "build", "-ldflags", "-X main.version="+testVersion, "-o", out, "../../agent")
		cmd.Env = append(os.Environ(), "GOOS="+target.goos, "GOARCH="+target.goarch, "CGO_ENABLED=0")
		cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
		if err := cmd.Run(); err != nil {
			fmt.Fprintf(os.Stderr, "build agent for %s/%s: %v\n", target.goos, target.goarch, err)
			os.Exit(1)
		}
		binaries[target.goos+"/"+target.goarch] = out
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// needTool skips when a packaging tool is missing on a developer's
// machine; in CI (CI set) the tools are installed and a missing one fails.
func needTool(t *testing.T, name, debianPackage string) string {
	t.Helper()
	path, err := exec.LookPath(name)
	if err == nil {
		return path
	}
	if os.Getenv("CI") != "" {
		t.Fatalf("%s not found in CI: .ci/run must install the Debian package %s", name, debianPackage)
	}
	t.Skipf("%s not installed (Debian package %s); CI runs this test", name, debianPackage)
	return ""
}

func run(t *testing.T, name string, args ...string) string {
	t.Helper()
	out, err := exec.Command(name, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("%s %v: %v\n%s", name, args, err, out)
	}
	return string(out)
}
