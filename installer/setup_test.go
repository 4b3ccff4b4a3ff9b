package installer

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// fakeManager records what install asks of the service manager, which
// tests cannot reach (registering a service needs root and a running
// systemd or Windows).
type fakeManager struct {
	root                string // writes the unit file as systemd's Install would
	registered, running bool
	calls               []string
	registeredSpec      Spec
}

func (m *fakeManager) Status() (bool, bool, error) { return m.registered, m.running, nil }

func (m *fakeManager) Register(s Spec) error {
	m.calls = append(m.calls, "register")
	m.registered, m.registeredSpec = true, s
	if m.root != "" {
		return os.WriteFile(filepath.Join(m.root, LinuxUnitFile), []byte(SystemdUnit(s)), 0o644)
	}
	return nil
}

func (m *fakeManager) Unregister() error {
	m.calls = append(m.calls, "unregister")
	m.registered, m.running = false, false
	if m.root != "" {
		return os.Remove(filepath.Join(m.root, LinuxUnitFile))
	}
	return nil
}

func (m *fakeManager) Control(action string) error {
	m.calls = append(m.calls, action)
	m.running = action != "stop"
	return nil
}

// fakeSystem records the account and ownership install asks for.
type fakeSystem struct{ owned []string }

func (s *fakeSystem) EnsureUser(name, home string) (int, int, error) {
	return os.Getuid(), os.Getgid(), nil
}

func (s *fakeSystem) Own(path string, uid, gid int) error {
	s.owned = append(s.owned, path)
	return NewSystem().Own(path, -1, -1)
}

// newTestInstaller installs into a temporary root for Linux.
func newTestInstaller(t *testing.T) (*Installer, *fakeManager, *fakeSystem) {
	t.Helper()
	root := t.TempDir()
	for _, d := range []string{"/etc/systemd/system", "/usr/lib/systemd/system", "/usr/bin"} {
		if err := os.MkdirAll(filepath.Join(root, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	m, sys := &fakeManager{root: root}, &fakeSystem{}
	in := &Installer{
		Layout: DefaultLayout("linux", noEnv), Root: root, Manager: m, System: sys,
		Executable: LinuxPackageBinary, Out: io.Discard,
		Enroll: func(dataDir string) error {
			if err := os.WriteFile(dataDir+".key", []byte("k"), 0o600); err != nil {
				return err
			}
			return os.WriteFile(filepath.Join(dataDir, "agent.json"), []byte("{}"), 0o600)
		},
		Beside: func(dataDir string) []string { return []string{dataDir + ".key"} },
	}
	return in, m, sys
}

func mode(t *testing.T, path string) os.FileMode {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return fi.Mode().Perm()
}

// A fresh install enrols into an owner-only data directory, writes the
// config file, registers the unit and starts the service.
func TestInstall_WritesConfigDataDirAndRegistersService(t *testing.T) {
	in, m, sys := newTestInstaller(t)
	plan, err := in.Install(InstallOptions{HTTPAddr: "127.0.0.1:9000"})
	if err != nil {
		t.Fatal(err)
	}
	dataDir := filepath.Join(in.Root, LinuxDataDir)
	if got := mode(t, dataDir); got != 0o700 {
		t.Errorf("data dir mode %v, want 0700", got)
	}
	if _, err := os.Stat(filepath.Join(dataDir, "agent.json")); err != nil {
		t.Errorf("not enrolled: %v", err)
	}
	if got := mode(t, filepath.Dir(dataDir)); got != 0o755 {
		t.Errorf("data dir's parent mode %v, want 0755 (the service account must reach its data)", got)
	}
	if !reflect.DeepEqual(sys.owned, []string{dataDir, dataDir + ".key"}) {
		t.Errorf("owned %v", sys.owned)
	}
	cfgPath := filepath.Join(in.Root, LinuxConfigFile)
	if got := mode(t, cfgPath); got != 0o644 {
		t.Errorf("config mode %v, want 0644", got)
	}
	cfg, err := LoadConfig(cfgPath)
	if err != nil {
		t.Fatal(err)
	}
	want := AgentConfig{DataDir: LinuxDataDir, HTTPAddr: "127.0.0.1:9000", LogLevel: "info", LogFormat: "text"}
	if cfg != want || plan.Config != want {
		t.Errorf("config %+v, plan %+v, want %+v", cfg, plan.Config, want)
	}
	if !reflect.DeepEqual(m.calls, []string{"register", "start"}) {
		t.Errorf("service calls %v", m.calls)
	}
	wantSpec := Spec{OS: "linux", Executable: LinuxPackageBinary, ConfigFile: LinuxConfigFile, DataDir: LinuxDataDir, User: "touchpoint"}
	if m.registeredSpec != wantSpec || plan.CopyBinary {
		t.Errorf("registered %+v (copy %v), want %+v", m.registeredSpec, plan.CopyBinary, wantSpec)
	}
}

// Installing again (an upgrade, or a changed flag) keeps the config
// file's settings and the enrolment, and restarts the running service.
func TestInstall_AgainKeepsSettingsAndRestarts(t *testing.T) {
	in, m, _ := newTestInstaller(t)
	if _, err := in.Install(InstallOptions{DataDir: "/srv/touchpoint", HTTPAddr: "127.0.0.1:9000"}); err != nil {
		t.Fatal(err)
	}
	enrolments := 0
	in.Enroll = func(string) error { enrolments++; return nil }
	m.calls = nil
	plan, err := in.Install(InstallOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if plan.Config.DataDir != "/srv/touchpoint" || plan.Config.HTTPAddr != "127.0.0.1:9000" {
		t.Errorf("settings lost: %+v", plan.Config)
	}
	if !reflect.DeepEqual(m.calls, []string{"restart"}) {
		t.Errorf("service calls %v, want [restart]", m.calls)
	}
	if enrolments != 1 { // the agent's enrol function skips an enrolled directory
		t.Errorf("enrol called %d times", enrolments)
	}
}

// A new data directory changes the unit (ReadWritePaths), so the unit
// written by an earlier install is replaced.
func TestInstall_ReplacesOutdatedUnit(t *testing.T) {
	in, m, _ := newTestInstaller(t)
	if _, err := in.Install(InstallOptions{}); err != nil {
		t.Fatal(err)
	}
	m.calls = nil
	if _, err := in.Install(InstallOptions{DataDir: "/srv/elsewhere"}); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(m.calls, []string{"unregister", "register", "start"}) {
		t.Errorf("service calls %v", m.calls)
	}
	unit, _ := os.ReadFile(filepath.Join(in.Root, LinuxUnitFile))
	if !strings.Contains(string(unit), "ReadWritePaths=/srv/elsewhere\n") {
		t.Errorf("unit not updated:\n%s", unit)
	}
}

// A binary run from outside the system's directories (a download folder,
// which ProtectHome would hide) is copied to /usr/local/bin.
func TestInstall_CopiesBinaryFromOutsideSystemDirs(t *testing.T) {
	in, m, _ := newTestInstaller(t)
	in.Executable = filepath.Join(t.TempDir(), "touchpoint-agent")
	mustWrite(t, in.Executable, "#!/bin/sh\n")
	plan, err := in.Install(InstallOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if !plan.CopyBinary || m.registeredSpec.Executable != LinuxLocalBinary {
		t.Fatalf("copy %v, executable %s", plan.CopyBinary, m.registeredSpec.Executable)
	}
	if got := mode(t, filepath.Join(in.Root, LinuxLocalBinary)); got != 0o755 {
		t.Errorf("binary mode %v", got)
	}
}

// A failed enrolment (a wrong token) leaves no service behind.
func TestInstall_FailedEnrolmentRegistersNothing(t *testing.T) {
	in, m, _ := newTestInstaller(t)
	in.Enroll = func(string) error { return errors.New("enrol: token unknown or used") }
	if _, err := in.Install(InstallOptions{}); err == nil || !strings.Contains(err.Error(), "token") {
		t.Fatalf("err = %v", err)
	}
	if len(m.calls) != 0 {
		t.Errorf("service calls %v", m.calls)
	}
	if _, err := os.Stat(filepath.Join(in.Root, LinuxConfigFile)); err == nil {
		t.Error("config written")
	}
}

// An invalid existing config file stops the install with the key named.
func TestInstall_RefusesInvalidExistingConfig(t *testing.T) {
	in, m, _ := newTestInstaller(t)
	mustWrite(t, filepath.Join(in.Root, LinuxConfigFile), "data_dir = \"/d\"\nlog_levl = \"info\"\n")
	_, err := in.Install(InstallOptions{})
	if err == nil || !strings.Contains(err.Error(), "log_levl: unknown key") {
		t.Fatalf("err = %v", err)
	}
	if len(m.calls) != 0 {
		t.Errorf("service calls %v", m.calls)
	}
}

// Uninstall stops and unregisters the service and keeps the data and the
// config; --purge removes them too.
func TestUninstall_KeepsDataUnlessPurge(t *testing.T) {
	for _, purge := range []bool{false, true} {
		in, m, _ := newTestInstaller(t)
		if _, err := in.Install(InstallOptions{}); err != nil {
			t.Fatal(err)
		}
		m.calls = nil
		if err := in.Uninstall(purge); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(m.calls, []string{"stop", "unregister"}) {
			t.Errorf("purge %v: service calls %v", purge, m.calls)
		}
		for _, p := range []string{LinuxDataDir + "/agent.json", LinuxDataDir + ".key", LinuxConfigFile} {
			_, err := os.Stat(filepath.Join(in.Root, p))
			if kept := err == nil; kept == purge {
				t.Errorf("purge %v: %s kept = %v", purge, p, kept)
			}
		}
	}
}

// A service a package installed is left to the package manager.
func TestUninstall_LeavesPackageServiceToPackageManager(t *testing.T) {
	in, m, _ := newTestInstaller(t)
	mustWrite(t, filepath.Join(in.Root, LinuxPackageUnitFile), "[Unit]\n")
	m.registered = true
	if err := in.Uninstall(false); !errors.Is(err, ErrPackageOwned) {
		t.Fatalf("err = %v, want ErrPackageOwned", err)
	}
	if len(m.calls) != 0 {
		t.Errorf("service calls %v", m.calls)
	}
}

// Installing over a package's unit enrols and starts it without
// registering a second unit.
func TestInstall_UsesPackageUnit(t *testing.T) {
	in, m, _ := newTestInstaller(t)
	mustWrite(t, filepath.Join(in.Root, LinuxPackageUnitFile), "[Unit]\n")
	m.registered = true
	if _, err := in.Install(InstallOptions{}); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(m.calls, []string{"start"}) {
		t.Errorf("service calls %v", m.calls)
	}
}

// Uninstalling what is not installed says how to install.
func TestUninstall_NotInstalled(t *testing.T) {
	in, _, _ := newTestInstaller(t)
	if err := in.Uninstall(false); !errors.Is(err, ErrNotInstalled) {
		t.Fatalf("err = %v", err)
	}
}
