package installer

import "errors"

// Errors of the installer.
var (
	// ErrConfigTooLarge means the config file is over MaxConfigSize.
	ErrConfigTooLarge = errors.New("config file too large")
	// ErrNotRoot means the command changes the system and needs an
	// administrator.
	ErrNotRoot = errors.New("this changes the system: run it as root (sudo) or as an administrator")
	// ErrPackageOwned means the service was installed by a package, which
	// owns its removal.
	ErrPackageOwned = errors.New("the service was installed by a package: remove it with the package manager (apt remove touchpoint-agent, dnf remove touchpoint-agent, or Apps & features on Windows)")
	// ErrNotInstalled means no agent service is registered.
	ErrNotInstalled = errors.New("the agent service is not installed: run `touchpoint-agent install --hub ADDR --token TOKEN`")
	// ErrStartCheck wraps a failure of the checks run before the service
	// starts (not enrolled, a bad config, a data directory from a newer
	// version): restarting cannot fix it, so the service manager should not.
	ErrStartCheck = errors.New("cannot start")
)
