package installer

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// The systemd unit restarts the agent after a failure (but not after a
// failed start check), waits for the network, runs it as its own user and
// lets it write only its data directory.
func TestSystemdUnit_ServiceDefinition(t *testing.T) {
	pkg := SpecFor(DefaultLayout("linux", noEnv), LinuxDataDir)
	pkg.Executable = LinuxPackageBinary
	tests := []struct {
		name    string
		spec    Spec
		want    []string // whole lines
		notWant []string // substrings
	}{
		{
			name: "package layout",
			spec: pkg,
			want: []string{
				"[Unit]", "Description=Touchpoint dealer agent",
				"Wants=network-online.target", "After=network-online.target",
				"ConditionPathExists=/var/lib/touchpoint/agent/agent.json",
				"StartLimitIntervalSec=0",
				"[Service]", "Type=simple", "User=touchpoint", "Group=touchpoint",
				"ExecStart=/usr/bin/touchpoint-agent run --config /etc/touchpoint/agent.toml",
				"Restart=on-failure", "RestartSec=5", "RestartPreventExitStatus=78", "TimeoutStopSec=30",
				"UMask=0077", "NoNewPrivileges=yes", "ProtectSystem=strict",
				"ReadWritePaths=/var/lib/touchpoint/agent", "ProtectHome=yes", "PrivateTmp=yes",
				"PrivateDevices=yes", "CapabilityBoundingSet=", "RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6 AF_NETLINK",
				"[Install]", "WantedBy=multi-user.target",
			},
			notWant: []string{"RestartSec=120", "{{", "}}", "Restart=always", "EnvironmentFile"},
		},
		{
			name: "paths with blanks and specifiers are escaped",
			spec: Spec{OS: "linux", Executable: "/opt/touch point/agent", ConfigFile: "/etc/tp/50%.toml", DataDir: "/srv/tp data/$x", User: "tp"},
			want: []string{
				`ExecStart="/opt/touch point/agent" run --config /etc/tp/50%%.toml`,
				`ReadWritePaths="/srv/tp data/$$x"`,
				"ConditionPathExists=/srv/tp data/$x/agent.json",
				"User=tp",
			},
		},
		{
			name:    "no user runs as root",
			spec:    Spec{OS: "linux", Executable: "/usr/local/bin/touchpoint-agent", ConfigFile: LinuxConfigFile, DataDir: "/data"},
			want:    []string{"ReadWritePaths=/data", "ExecStart=/usr/local/bin/touchpoint-agent run --config /etc/touchpoint/agent.toml"},
			notWant: []string{"User=", "Group="},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			unit := SystemdUnit(tt.spec)
			lines := map[string]bool{}
			for _, l := range strings.Split(unit, "\n") {
				lines[l] = true
			}
			for _, w := range tt.want {
				if !lines[w] {
					t.Errorf("missing line %q in\n%s", w, unit)
				}
			}
			for _, nw := range tt.notWant {
				if strings.Contains(unit, nw) {
					t.Errorf("unit contains %q:\n%s", nw, unit)
				}
			}
		})
	}
}

// systemd itself accepts the unit: no unknown keys, no bad values.
func TestSystemdUnit_PassesSystemdAnalyzeVerify(t *testing.T) {
	bin, err := exec.LookPath("systemd-analyze")
	if err != nil {
		t.Skip("systemd-analyze not installed (Debian package systemd)")
	}
	exe, err := os.Executable() // any existing executable will do for ExecStart
	if err != nil {
		t.Fatal(err)
	}
	unit := SystemdUnit(Spec{OS: "linux", Executable: exe, ConfigFile: LinuxConfigFile, DataDir: LinuxDataDir, User: ServiceUser})
	VerifySystemdUnit(t, bin, unit)
}

// VerifySystemdUnit runs systemd-analyze verify on unit and fails on any
// complaint about it.
func VerifySystemdUnit(t *testing.T, bin, unit string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), ServiceName+".service")
	if err := os.WriteFile(path, []byte(unit), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(bin, "verify", path).CombinedOutput()
	if err != nil {
		t.Fatalf("systemd-analyze verify: %v\n%s", err, out)
	}
	for _, l := range strings.Split(string(out), "\n") {
		if strings.Contains(l, path) || strings.Contains(l, ServiceName) {
			t.Errorf("systemd-analyze: %s", l)
		}
	}
}

func noEnv(string) string { return "" }
