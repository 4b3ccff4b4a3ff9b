package packaging

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// testVersion is stamped into the binaries the tests package.
const testVersion = "v1.4.2-3-gabc1234"

// binaries holds the real agent built once per run, keyed by GOOS/GOARCH;
// outDir holds the packages the package command built from them.
var (
	binaries = map[string]string{}
	outDir   string
)

// TestMain builds the agent for linux/amd64 and windows/amd64 as `make
// dist` lays it out, then runs the package command over it as `make
// packages` does. Both run without the race detector, which would slow
// nfpm's compression tenfold.
func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "touchpoint-packaging-")
	if err != nil {
		panic(err)
	}
	code := 1
	if err := buildAll(dir); err != nil {
		fmt.Fprintln(os.Stderr, err)
	} else {
		code = m.Run()
	}
	os.RemoveAll(dir)
	os.Exit(code)
}

func buildAll(dir string) error {
	dist := filepath.Join(dir, "dist")
	outDir = filepath.Join(dir, "packages")
	if err := os.MkdirAll(outDir, 0o755); err != nil {
		return err
	}
	// Settings match `go vet` and the Windows cross-build of `make check`
	// (no -trimpath, cgo as the platform defaults), so the build cache
	// serves and only linking is left; the version goes in at link time.
	for _, target := range []struct{ goos, goarch, name string }{
		{"linux", "amd64", "touchpoint-agent"},
		{"windows", "amd64", "touchpoint-agent.exe"},
	} {
		out := filepath.Join(dist, target.goos+"_"+target.goarch, target.name)
		env := []string{"GOOS=" + target.goos, "GOARCH=" + target.goarch}
		if err := goBuild(out, "../../agent", env, "-ldflags", "-X main.version="+testVersion); err != nil {
			return err
		}
		binaries[target.goos+"/"+target.goarch] = out
	}
	tool := filepath.Join(dir, "package")
	if err := goBuild(tool, "../cmd/package", nil); err != nil {
		return err
	}
	formats := "deb,rpm"
	if _, err := exec.LookPath("wixl"); err == nil || os.Getenv("CI") != "" {
		formats += ",msi"
	}
	cmd := exec.Command(tool, "--dist", dist, "--out", outDir, "--version", testVersion, "--linux-arch", "amd64", "--formats", formats)
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("package command: %v\n%s", err, out)
	}
	return nil
}

// goBuild builds pkg into out with extra environment settings and flags.
func goBuild(out, pkg string, env []string, flags ...string) error {
	cmd := exec.Command("go", append(append([]string{"build"}, flags...), "-o", out, pkg)...)
	cmd.Env = append(os.Environ(), env...)
	if b, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("go build %s: %v\n%s", pkg, err, b)
	}
	return nil
}

// built returns the package the package command wrote, by file name.
func built(t *testing.T, name string) string {
	t.Helper()
	path := filepath.Join(outDir, name)
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("the package command did not write %s: %v", name, err)
	}
	return path
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
