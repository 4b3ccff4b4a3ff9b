package main

import (
	"fmt"
	"os"
	"runtime"

	"github.com/touchpoint/touchpoint/installer"
)

func runStart(args []string) error   { return controlService("start", args) }
func runStop(args []string) error    { return controlService("stop", args) }
func runRestart(args []string) error { return controlService("restart", args) }

// controlService asks the OS service manager to start, stop or restart
// the agent.
func controlService(action string, args []string) error {
	if err := newFlags(action).Parse(args); err != nil {
		return err
	}
	if err := installer.RequireAdmin(); err != nil {
		return err
	}
	m, err := installer.NewServiceManager()
	if err != nil {
		return err
	}
	registered, running, err := m.Status()
	if err != nil {
		return err
	}
	switch {
	case !registered:
		return installer.ErrNotInstalled
	case action == "start" && running:
		fmt.Println("touchpoint-agent is already running")
		return nil
	case action == "stop" && !running:
		fmt.Println("touchpoint-agent is already stopped")
		return nil
	}
	if err := m.Control(action); err != nil {
		return err
	}
	fmt.Printf("touchpoint-agent: %s done\n", action)
	return nil
}

// runStatus says whether the service is installed and running, and where
// its files are; a stopped or missing service is an error (exit status 1).
func runStatus(args []string) error {
	if err := newFlags("status").Parse(args); err != nil {
		return err
	}
	m, err := installer.NewServiceManager()
	if err != nil {
		return err
	}
	registered, running, err := m.Status()
	if err != nil {
		return err
	}
	layout := installer.DefaultLayout(runtime.GOOS, os.Getenv)
	state := "stopped"
	switch {
	case !registered:
		state = "not installed"
	case running:
		state = "running"
	}
	fmt.Printf("service:     %s (%s)\nconfig file: %s\n", installer.ServiceName, state, layout.ConfigFile)
	if c, err := installer.LoadConfig(layout.ConfigFile); err == nil {
		fmt.Printf("data dir:    %s\nstaff page:  http://%s/\n", c.DataDir, c.HTTPAddr)
	}
	switch {
	case !registered:
		return installer.ErrNotInstalled
	case !running:
		return fmt.Errorf("the agent is stopped: start it with `touchpoint-agent start`; `touchpoint-agent doctor` says what is wrong")
	}
	return nil
}
