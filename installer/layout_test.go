package installer

import "testing"

// Each OS keeps the agent's files in its usual places; Windows follows
// %ProgramData% and %ProgramFiles%.
func TestDefaultLayout_PerOS(t *testing.T) {
	tests := []struct {
		goos string
		env  map[string]string
		want Layout
	}{
		{"linux", nil, Layout{OS: "linux", Binary: "/usr/local/bin/touchpoint-agent", ConfigFile: "/etc/touchpoint/agent.toml",
			DataDir: "/var/lib/touchpoint/agent", User: "touchpoint",
			UnitFile: "/etc/systemd/system/touchpoint-agent.service", PackageUnitFile: "/usr/lib/systemd/system/touchpoint-agent.service"}},
		{"windows", nil, Layout{OS: "windows", Binary: `C:\Program Files\Touchpoint\touchpoint-agent.exe`,
			ConfigFile: `C:\ProgramData\Touchpoint\agent.toml`, DataDir: `C:\ProgramData\Touchpoint\data`}},
		{"windows", map[string]string{"ProgramData": `E:\PD\`, "ProgramFiles": `D:\Apps`}, Layout{OS: "windows",
			Binary: `D:\Apps\Touchpoint\touchpoint-agent.exe`, ConfigFile: `E:\PD\Touchpoint\agent.toml`, DataDir: `E:\PD\Touchpoint\data`}},
	}
	for _, tt := range tests {
		got := DefaultLayout(tt.goos, func(k string) string { return tt.env[k] })
		if got != tt.want {
			t.Errorf("%s %v:\n got %+v\nwant %+v", tt.goos, tt.env, got, tt.want)
		}
	}
}

// The service runs a binary in place only from a system directory.
func TestLayout_RunsInPlace(t *testing.T) {
	linux, windows := DefaultLayout("linux", noEnv), DefaultLayout("windows", noEnv)
	tests := []struct {
		layout Layout
		exe    string
		want   bool
	}{
		{linux, "/usr/bin/touchpoint-agent", true},
		{linux, "/usr/local/bin/touchpoint-agent", true},
		{linux, "/opt/touchpoint/touchpoint-agent", true},
		{linux, "/home/it/Downloads/touchpoint-agent", false},
		{linux, "/usr/binary/x", false},
		{linux, "/tmp/touchpoint-agent", false},
		{windows, `C:\Program Files\Touchpoint\touchpoint-agent.exe`, true},
		{windows, `c:\program files\touchpoint\TOUCHPOINT-AGENT.EXE`, true},
		{windows, `C:\Users\it\Downloads\touchpoint-agent.exe`, false},
	}
	for _, tt := range tests {
		if got := tt.layout.runsInPlace(tt.exe); got != tt.want {
			t.Errorf("%s runsInPlace(%s) = %v", tt.layout.OS, tt.exe, got)
		}
	}
}
