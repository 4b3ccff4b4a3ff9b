package installer

import (
	"github.com/kardianos/service"
)

// Spec is the agent service as every service manager sees it: one
// definition rendered as a systemd unit, a Windows service and the
// packages' service entries.
type Spec struct {
	OS         string
	Executable string // the agent binary
	ConfigFile string
	DataDir    string
	User       string // the account to run as; empty means root / LocalSystem
}

// SpecFor is the service for layout l with the config file's data_dir.
func SpecFor(l Layout, dataDir string) Spec {
	return Spec{OS: l.OS, Executable: l.Binary, ConfigFile: l.ConfigFile, DataDir: dataDir, User: l.User}
}

// Arguments are what the service manager passes to the agent.
func (s Spec) Arguments() []string { return []string{"run", "--config", s.ConfigFile} }

// Windows recovery and start settings; Linux gets the same through the
// unit's Restart=on-failure and RestartSec.
const (
	restartDelaySeconds = 5
	recoveryResetPeriod = 24 * 60 * 60 // seconds without failure before the count resets
)

// ServiceConfig is the kardianos/service definition of s. Nothing is left
// to the library's defaults that matter: the systemd unit is ours (its
// default hard-codes RestartSec=120) and the Windows recovery action is
// given (it sets none unless told).
func ServiceConfig(s Spec) *service.Config {
	c := &service.Config{
		Name:        ServiceName,
		DisplayName: DisplayName,
		Description: Description,
		Executable:  s.Executable,
		Arguments:   s.Arguments(),
		Option: service.KeyValue{
			"SystemdScript":          SystemdUnit(s),
			"StartType":              "automatic",
			"DelayedAutoStart":       true,
			"OnFailure":              "restart",
			"OnFailureDelayDuration": "5s",
			"OnFailureResetPeriod":   recoveryResetPeriod,
		},
	}
	if s.OS != "windows" {
		c.UserName = s.User
	}
	return c
}
