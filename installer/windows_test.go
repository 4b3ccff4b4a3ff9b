package installer

import (
	"reflect"
	"testing"
	"time"
)

// The Windows service starts automatically (delayed), restarts after a
// crash, logs to its own event source, and its command line survives
// blanks in paths.
func TestWindowsServiceFor_ServiceDefinition(t *testing.T) {
	layout := DefaultLayout("windows", func(k string) string {
		return map[string]string{"ProgramData": `D:\Data`, "ProgramFiles": `C:\Program Files`}[k]
	})
	w := WindowsServiceFor(SpecFor(layout, layout.DataDir))
	checks := []struct {
		name      string
		got, want any
	}{
		{"name", w.Name, "touchpoint-agent"},
		{"display name", w.DisplayName, "Touchpoint dealer agent"},
		{"start type", w.StartType, "auto"},
		{"delayed", w.DelayedAutoStart, true},
		{"account", w.Account, "LocalSystem"},
		{"command line", w.CommandLine(), `"C:\Program Files\Touchpoint\touchpoint-agent.exe" run --config D:\Data\Touchpoint\agent.toml`},
		{"arguments", w.ArgumentLine(), `run --config D:\Data\Touchpoint\agent.toml`},
		{"recovery", w.Recovery, []RecoveryAction{{"restart", 5 * time.Second}, {"restart", 5 * time.Second}, {"restart", 30 * time.Second}}},
		{"reset period", w.ResetPeriod, 24 * time.Hour},
		{"event source", w.EventSource, "touchpoint-agent"},
		{"event message file", w.EventMessageFile, `%SystemRoot%\System32\EventCreate.exe`},
		{"sc commands", w.ScCommands(), [][]string{
			{"config", "touchpoint-agent", "start=", "delayed-auto"},
			{"failure", "touchpoint-agent", "reset=", "86400", "actions=", "restart/5000/restart/5000/restart/30000"},
		}},
	}
	for _, c := range checks {
		if !reflect.DeepEqual(c.got, c.want) {
			t.Errorf("%s = %#v, want %#v", c.name, c.got, c.want)
		}
	}
}

// Arguments are quoted as CommandLineToArgvW splits them back.
func TestWindowsArg_QuotesLikeCommandLineToArgv(t *testing.T) {
	tests := []struct{ in, want string }{
		{`run`, `run`},
		{``, `""`},
		{`C:\Program Files\x.exe`, `"C:\Program Files\x.exe"`},
		{`C:\dir\`, `C:\dir\`},
		{`C:\my dir\`, `"C:\my dir\\"`},
		{`say "hi"`, `"say \"hi\""`},
		{`a\"b`, `"a\\\"b"`},
	}
	for _, tt := range tests {
		if got := windowsArg(tt.in); got != tt.want {
			t.Errorf("windowsArg(%q) = %s, want %s", tt.in, got, tt.want)
		}
	}
}
