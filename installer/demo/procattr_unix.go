//go:build !windows

package main

import "syscall"

// detached puts a server in a process group of its own, so that Ctrl-C
// in the terminal reaches only the demo, which then stops its servers in
// order: the agents, then the hub.
func detached() *syscall.SysProcAttr { return &syscall.SysProcAttr{Setpgid: true} }
