//go:build windows

package installer

import (
	"fmt"

	"golang.org/x/sys/windows"
)

// hostSystem is the System of this machine.
type hostSystem struct{}

// NewSystem returns the System of this machine.
func NewSystem() System { return hostSystem{} }

// EnsureUser is not needed on Windows: the service runs as LocalSystem.
func (hostSystem) EnsureUser(string, string) (int, int, error) { return -1, -1, nil }

// ownerOnlyDACL lets SYSTEM (the service) and Administrators in, nobody
// else, and stops inheriting the looser ACL of %ProgramData%.
const ownerOnlyDACL = "D:P(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)"

// Own protects path with ownerOnlyDACL; files in a directory inherit it.
func (hostSystem) Own(path string, _, _ int) error {
	sd, err := windows.SecurityDescriptorFromString(ownerOnlyDACL)
	if err != nil {
		return fmt.Errorf("parse ACL: %w", err)
	}
	dacl, _, err := sd.DACL()
	if err != nil {
		return fmt.Errorf("read ACL: %w", err)
	}
	err = windows.SetNamedSecurityInfo(path, windows.SE_FILE_OBJECT,
		windows.DACL_SECURITY_INFORMATION|windows.PROTECTED_DACL_SECURITY_INFORMATION, nil, nil, dacl, nil)
	if err != nil {
		return fmt.Errorf("set ACL on %s: %w", path, err)
	}
	return nil
}

// RequireAdmin fails unless the process runs elevated.
func RequireAdmin() error {
	if !windows.GetCurrentProcessToken().IsElevated() {
		return ErrNotRoot
	}
	return nil
}
