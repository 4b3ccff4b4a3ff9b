//go:build !windows

package installer

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
)

// hostSystem is the System of this machine.
type hostSystem struct{}

// NewSystem returns the System of this machine.
func NewSystem() System { return hostSystem{} }

// EnsureUser creates a system account without a login shell or home
// directory of its own, as the packages' postinstall script does.
func (hostSystem) EnsureUser(name, home string) (uid, gid int, err error) {
	u, err := user.Lookup(name)
	var unknown user.UnknownUserError
	if errors.As(err, &unknown) {
		cmd := exec.Command("useradd", "--system", "--user-group", "--home-dir", home, "--no-create-home", "--shell", nologin(), name)
		if out, err := cmd.CombinedOutput(); err != nil {
			return 0, 0, fmt.Errorf("useradd: %v: %s", err, out)
		}
		u, err = user.Lookup(name)
	}
	if err != nil {
		return 0, 0, err
	}
	uid, _ = strconv.Atoi(u.Uid)
	gid, _ = strconv.Atoi(u.Gid)
	return uid, gid, nil
}

func nologin() string {
	for _, p := range []string{"/usr/sbin/nologin", "/sbin/nologin"} {
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	return "/bin/false"
}

// Own gives path (a directory and its contents, or a file) to uid:gid
// when they are not negative, and makes it owner-only.
func (hostSystem) Own(path string, uid, gid int) error {
	fi, err := os.Stat(path)
	if err != nil {
		return err
	}
	perm := os.FileMode(0o600)
	if fi.IsDir() {
		perm = 0o700
	}
	if err := os.Chmod(path, perm); err != nil {
		return err
	}
	if uid < 0 {
		return nil
	}
	return filepath.WalkDir(path, func(p string, _ fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		return os.Lchown(p, uid, gid)
	})
}

// RequireAdmin fails unless the process may change services and /etc.
func RequireAdmin() error {
	if os.Geteuid() != 0 {
		return ErrNotRoot
	}
	return nil
}
