package main

import (
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/touchpoint/touchpoint/agent/hublink"
	"github.com/touchpoint/touchpoint/installer"
)

// recordingManager stands in for systemd, which tests cannot drive.
type recordingManager struct {
	registered, running bool
	spec                installer.Spec
	calls               []string
}

func (m *recordingManager) Status() (bool, bool, error) { return m.registered, m.running, nil }
func (m *recordingManager) Register(s installer.Spec) error {
	m.calls, m.registered, m.spec = append(m.calls, "register"), true, s
	return nil
}
func (m *recordingManager) Unregister() error {
	m.calls, m.registered = append(m.calls, "unregister"), false
	return nil
}
func (m *recordingManager) Control(action string) error {
	m.calls, m.running = append(m.calls, action), action != "stop"
	return nil
}

// currentUser owns files as the test's own user instead of creating the
// touchpoint account on this machine.
type currentUser struct{}

func (currentUser) EnsureUser(string, string) (int, int, error) { return os.Getuid(), os.Getgid(), nil }
func (currentUser) Own(path string, uid, gid int) error {
	return installer.NewSystem().Own(path, uid, gid)
}

func newRootInstaller(t *testing.T, hubAddr, token string) (*installer.Installer, *recordingManager) {
	t.Helper()
	m := &recordingManager{}
	return &installer.Installer{
		Layout: installer.DefaultLayout("linux", func(string) string { return "" }), Root: t.TempDir(),
		Manager: m, System: currentUser{}, Executable: installer.LinuxPackageBinary, Out: io.Discard,
		Enroll: func(dataDir string) error { return enrolOnce(dataDir, hubAddr, token) },
		Beside: func(dataDir string) []string { return []string{defaultKeyFile(dataDir)} },
	}, m
}

// `install` against a real hub enrols into an owner-only data directory
// (credentials, admin token, encryption key beside it, version marker),
// writes the config file and registers and starts the service; a second
// install (an upgrade) keeps the enrolment without a token.
func TestInstall_EnrolsAtHubIntoThrowawayRoot(t *testing.T) {
	hub := startHub(t)
	in, m := newRootInstaller(t, hub.agentAddr, hub.enrolmentToken())
	if _, err := in.Install(installer.InstallOptions{}); err != nil {
		t.Fatal(err)
	}
	dataDir := filepath.Join(in.Root, installer.LinuxDataDir)
	creds, err := hublink.LoadCredentials(dataDir)
	if err != nil {
		t.Fatal(err)
	}
	modes := map[string]os.FileMode{
		dataDir: 0o700, filepath.Join(dataDir, hublink.CredentialsFile): 0o600,
		filepath.Join(dataDir, AdminTokenFile): 0o600, defaultKeyFile(dataDir): 0o600,
		filepath.Join(dataDir, markerFile): 0o600, filepath.Join(in.Root, installer.LinuxConfigFile): 0o644,
	}
	for path, want := range modes {
		fi, err := os.Stat(path)
		if err != nil {
			t.Errorf("%v", err)
			continue
		}
		if fi.Mode().Perm() != want {
			t.Errorf("%s: mode %v, want %v", strings.TrimPrefix(path, in.Root), fi.Mode().Perm(), want)
		}
	}
	if strings.Join(m.calls, ",") != "register,start" || m.spec.DataDir != installer.LinuxDataDir {
		t.Errorf("service: %v, %+v", m.calls, m.spec)
	}

	again, m2 := newRootInstaller(t, "", "")
	again.Root = in.Root
	m2.registered, m2.running = true, true
	if _, err := again.Install(installer.InstallOptions{}); err != nil {
		t.Fatalf("upgrade install: %v", err)
	}
	if c, _ := hublink.LoadCredentials(dataDir); c == nil || c.AgentID != creds.AgentID {
		t.Errorf("enrolment changed: %+v", c)
	}
	if strings.Join(m2.calls, ",") != "restart" {
		t.Errorf("upgrade service calls %v", m2.calls)
	}
}

// Without an enrolment, install needs --hub and --token; a used token
// fails at the hub; either way no service is registered.
func TestInstall_NeedsAWorkingToken(t *testing.T) {
	hub := startHub(t)
	token := hub.enrolmentToken()
	first, _ := newRootInstaller(t, hub.agentAddr, token)
	if _, err := first.Install(installer.InstallOptions{}); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct{ name, hub, token, want string }{
		{"no token", hub.agentAddr, "", "--hub and --token: required"},
		{"used token", hub.agentAddr, token, "enrol"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			in, m := newRootInstaller(t, tt.hub, tt.token)
			_, err := in.Install(installer.InstallOptions{})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want %q", err, tt.want)
			}
			if len(m.calls) != 0 {
				t.Errorf("service calls %v", m.calls)
			}
		})
	}
}
