package packaging

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/touchpoint/touchpoint/installer"
)

// buildLinux returns the amd64 package of format the package command built.
func buildLinux(t *testing.T, format string) string {
	t.Helper()
	name, err := LinuxPackage{Format: format, Arch: "amd64", Version: testVersion}.FileName()
	if err != nil {
		t.Fatal(err)
	}
	return built(t, name)
}

// The .deb names itself, marks agent.toml as a conffile (an upgrade keeps
// the dealer's settings) and carries the account and data-dir scripts.
func TestDeb_MetadataScriptsAndConffiles(t *testing.T) {
	dpkgDeb := needTool(t, "dpkg-deb", "dpkg")
	deb := buildLinux(t, "deb")
	if got := filepath.Base(deb); got != "touchpoint-agent_1.4.2+3.gabc1234_amd64.deb" {
		t.Errorf("file name %s", got)
	}
	for field, want := range map[string]string{
		"Package": "touchpoint-agent", "Version": "1.4.2+3.gabc1234-1", "Architecture": "amd64",
		"Section": "net", "Recommends": "systemd", "Maintainer": maintainer,
	} {
		if got := strings.TrimSpace(run(t, dpkgDeb, "--field", deb, field)); got != want {
			t.Errorf("%s = %q, want %q", field, got, want)
		}
	}
	control := t.TempDir()
	run(t, dpkgDeb, "--control", deb, control)
	if got, _ := os.ReadFile(filepath.Join(control, "conffiles")); strings.TrimSpace(string(got)) != "/etc/touchpoint/agent.toml" {
		t.Errorf("conffiles = %q", got)
	}
	for file, script := range map[string]string{"postinst": "postinstall.sh", "prerm": "preremove.sh", "postrm": "postremove.sh"} {
		got, err := os.ReadFile(filepath.Join(control, file))
		if err != nil {
			t.Errorf("%s: %v", file, err)
			continue
		}
		want, _ := scripts.ReadFile("scripts/" + script)
		if string(got) != string(want) {
			t.Errorf("%s differs from scripts/%s", file, script)
		}
		if fi, _ := os.Stat(filepath.Join(control, file)); fi.Mode().Perm()&0o111 == 0 {
			t.Errorf("%s not executable: %v", file, fi.Mode())
		}
	}
}

// Installing the .deb into a throwaway root puts the binary, the unit and
// the config file in place with root ownership and the right modes; the
// unit is the one `install` would write, and systemd accepts it.
func TestDeb_InstallsIntoThrowawayRoot(t *testing.T) {
	dpkgDeb := needTool(t, "dpkg-deb", "dpkg")
	deb := buildLinux(t, "deb")

	listing := run(t, dpkgDeb, "--contents", deb)
	for _, want := range []string{
		"-rwxr-xr-x root/root", "./usr/bin/touchpoint-agent",
		"-rw-r--r-- root/root", "./usr/lib/systemd/system/touchpoint-agent.service", "./etc/touchpoint/agent.toml",
	} {
		if !strings.Contains(listing, want) {
			t.Errorf("listing lacks %q:\n%s", want, listing)
		}
	}
	for _, line := range strings.Split(strings.TrimSpace(listing), "\n") {
		if !strings.Contains(line, "root/root") {
			t.Errorf("not owned by root: %s", line)
		}
	}

	root := t.TempDir()
	run(t, dpkgDeb, "--extract", deb, root)
	modes := map[string]os.FileMode{
		"usr/bin/touchpoint-agent": 0o755, "usr/lib/systemd/system/touchpoint-agent.service": 0o644,
		"etc/touchpoint/agent.toml": 0o644, "etc/touchpoint": 0o755,
	}
	for path, want := range modes {
		fi, err := os.Stat(filepath.Join(root, path))
		if err != nil {
			t.Errorf("%s: %v", path, err)
			continue
		}
		if fi.Mode().Perm() != want {
			t.Errorf("%s mode %v, want %v", path, fi.Mode().Perm(), want)
		}
	}
	unit, err := os.ReadFile(filepath.Join(root, "usr/lib/systemd/system/touchpoint-agent.service"))
	if err != nil {
		t.Fatal(err)
	}
	if string(unit) != installer.SystemdUnit(LinuxSpec()) {
		t.Errorf("unit differs from installer.SystemdUnit:\n%s", unit)
	}
	for _, line := range []string{"ExecStart=/usr/bin/touchpoint-agent run --config /etc/touchpoint/agent.toml", "User=touchpoint", "ReadWritePaths=/var/lib/touchpoint/agent", "Restart=on-failure", "RestartSec=5"} {
		if !strings.Contains(string(unit), line+"\n") {
			t.Errorf("unit lacks %q", line)
		}
	}
	cfg, err := installer.LoadConfig(filepath.Join(root, "etc/touchpoint/agent.toml"))
	if err != nil {
		t.Fatalf("packaged config: %v", err)
	}
	if cfg.DataDir != installer.LinuxDataDir || cfg.HTTPAddr != installer.DefaultHTTPAddr {
		t.Errorf("packaged config %+v", cfg)
	}
	bin := filepath.Join(root, "usr/bin/touchpoint-agent")
	if got := run(t, bin, "version"); !strings.Contains(got, testVersion) {
		t.Errorf("version = %q, want %s", got, testVersion)
	}
	if sa, err := exec.LookPath("systemd-analyze"); err == nil {
		// verify needs ExecStart to exist on this machine: point it at the
		// extracted binary and leave every other line as packaged.
		local := strings.Replace(string(unit), "ExecStart=/usr/bin/touchpoint-agent ", "ExecStart="+bin+" ", 1)
		path := filepath.Join(t.TempDir(), "touchpoint-agent.service")
		if err := os.WriteFile(path, []byte(local), 0o644); err != nil {
			t.Fatal(err)
		}
		if out, err := exec.Command(sa, "verify", path).CombinedOutput(); err != nil || strings.Contains(string(out), "touchpoint-agent") {
			t.Errorf("systemd-analyze verify: %v\n%s", err, out)
		}
	}
}

// The postinstall script creates the touchpoint account only when it is
// missing, and the data directory owner-only for it.
func TestDebScripts_PostinstallCreatesAccountAndDataDir(t *testing.T) {
	post, _ := scripts.ReadFile("scripts/postinstall.sh")
	for _, tt := range []struct {
		name        string
		userExists  bool
		wantUseradd bool
	}{
		{"first install", false, true},
		{"upgrade", true, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			calls := runWithStubs(t, string(post), tt.userExists, "configure")
			useradd := "useradd --system --user-group --home-dir /var/lib/touchpoint --no-create-home --shell "
			if got := strings.Contains(calls, useradd); got != tt.wantUseradd {
				t.Errorf("useradd called = %v, want %v; calls:\n%s", got, tt.wantUseradd, calls)
			}
			for _, want := range []string{
				"install -d -m 0755 /var/lib/touchpoint\n",
				"install -d -m 0700 -o touchpoint -g touchpoint /var/lib/touchpoint/agent\n",
			} {
				if !strings.Contains(calls, want) {
					t.Errorf("missing %q in calls:\n%s", want, calls)
				}
			}
		})
	}
}

// runWithStubs runs a maintainer script with every system command it
// uses replaced by a stub that records its arguments, and returns them.
func runWithStubs(t *testing.T, script string, userExists bool, args ...string) string {
	t.Helper()
	dir := t.TempDir()
	log := filepath.Join(dir, "calls")
	getent := 2
	if userExists {
		getent = 0
	}
	for name, code := range map[string]int{"useradd": 0, "install": 0, "systemctl": 0, "getent": getent, "rm": 0, "rmdir": 0} {
		stub := "#!/bin/sh\necho \"" + name + " $*\" >> " + log + "\nexit " + string(rune('0'+code)) + "\n"
		if err := os.WriteFile(filepath.Join(dir, name), []byte(stub), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	path := filepath.Join(dir, "script")
	if err := os.WriteFile(path, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("/bin/sh", append([]string{path}, args...)...)
	cmd.Env = []string{"PATH=" + dir + ":/usr/bin:/bin"}
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("script: %v\n%s", err, out)
	}
	calls, _ := os.ReadFile(log)
	return string(calls)
}

// The .rpm carries the same files, with agent.toml as %config(noreplace),
// and the same scripts.
func TestRPM_ContentsScriptsAndConfig(t *testing.T) {
	rpmTool := needTool(t, "rpm", "rpm")
	pkg := buildLinux(t, "rpm")
	if got := filepath.Base(pkg); got != "touchpoint-agent-1.4.2+3.gabc1234-1.x86_64.rpm" {
		t.Errorf("file name %s", got)
	}
	if got := run(t, rpmTool, "-qp", "--queryformat", "%{NAME} %{VERSION} %{RELEASE} %{ARCH}", pkg); got != "touchpoint-agent 1.4.2+3.gabc1234 1 x86_64" {
		t.Errorf("header %q", got)
	}
	listing := run(t, rpmTool, "-qp", "--queryformat", "[%{FILEMODES:perms} %{FILEUSERNAME} %{FILEGROUPNAME} %{FILENAMES}\n]", pkg)
	for _, want := range []string{
		"-rwxr-xr-x root root /usr/bin/touchpoint-agent",
		"-rw-r--r-- root root /usr/lib/systemd/system/touchpoint-agent.service",
		"-rw-r--r-- root root /etc/touchpoint/agent.toml",
	} {
		if !strings.Contains(listing, want) {
			t.Errorf("listing lacks %q:\n%s", want, listing)
		}
	}
	if got := strings.TrimSpace(run(t, rpmTool, "-qcp", pkg)); got != "/etc/touchpoint/agent.toml" {
		t.Errorf("config files %q", got)
	}
	flags := run(t, rpmTool, "-qp", "--queryformat", "[%{FILEFLAGS:fflags} %{FILENAMES}\n]", pkg)
	if !strings.Contains(flags, "cn /etc/touchpoint/agent.toml") {
		t.Errorf("agent.toml is not %%config(noreplace):\n%s", flags)
	}
	scriptsOut := run(t, rpmTool, "-qp", "--scripts", pkg)
	for _, want := range []string{"postinstall scriptlet", "useradd --system", "preuninstall scriptlet", "postuninstall scriptlet"} {
		if !strings.Contains(scriptsOut, want) {
			t.Errorf("scripts lack %q", want)
		}
	}
}
