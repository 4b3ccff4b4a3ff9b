//go:build windows

package main

import "golang.org/x/sys/windows"

// diskFree reports the bytes free to this user and the size of the volume
// holding dir.
func diskFree(dir string) (free, total uint64, err error) {
	p, err := windows.UTF16PtrFromString(dir)
	if err != nil {
		return 0, 0, err
	}
	var totalFree uint64
	err = windows.GetDiskFreeSpaceEx(p, &free, &total, &totalFree)
	return free, total, err
}
