//go:build !windows

package localstore

import "golang.org/x/sys/unix"

// freeBytes reports the bytes free to unprivileged users under dir.
func freeBytes(dir string) (uint64, error) {
	var st unix.Statfs_t
	if err := unix.Statfs(dir, &st); err != nil {
		return 0, err
	}
	return st.Bavail * uint64(st.Bsize), nil
}
