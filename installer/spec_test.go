package installer

import (
	"strings"
	"testing"
)

// The kardianos/service definition carries our unit and every Windows
// option explicitly, so no library default decides restarts or start.
func TestServiceConfig_SetsEveryOptionExplicitly(t *testing.T) {
	tests := []struct {
		name     string
		layout   Layout
		wantUser string
	}{
		{"linux", DefaultLayout("linux", noEnv), "touchpoint"},
		{"windows", DefaultLayout("windows", noEnv), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			spec := SpecFor(tt.layout, tt.layout.DataDir)
			c := ServiceConfig(spec)
			if c.Name != ServiceName || c.Executable != tt.layout.Binary || c.UserName != tt.wantUser {
				t.Errorf("name %q, executable %q, user %q", c.Name, c.Executable, c.UserName)
			}
			if got := strings.Join(c.Arguments, " "); got != "run --config "+tt.layout.ConfigFile {
				t.Errorf("arguments %q", got)
			}
			want := map[string]any{
				"SystemdScript": SystemdUnit(spec), "StartType": "automatic", "DelayedAutoStart": true,
				"OnFailure": "restart", "OnFailureDelayDuration": "5s", "OnFailureResetPeriod": 86400,
			}
			for k, v := range want {
				if c.Option[k] != v {
					t.Errorf("option %s = %#v, want %#v", k, c.Option[k], v)
				}
			}
		})
	}
}
