//go:build windows

package main

import "syscall"

// detached gives a server its own console process group, so that Ctrl-C
// in the console reaches only the demo, which then stops its servers.
func detached() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{CreationFlags: syscall.CREATE_NEW_PROCESS_GROUP}
}
