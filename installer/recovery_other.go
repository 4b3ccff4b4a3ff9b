//go:build !windows

package installer

// configureWindowsService has nothing to do off Windows: systemd's
// restart policy is in the unit.
func configureWindowsService(WindowsService) error { return nil }
