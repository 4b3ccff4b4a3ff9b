package main

import (
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"runtime"

	"github.com/touchpoint/touchpoint/agent/hublink"
	"github.com/touchpoint/touchpoint/installer"
)

func runInstall(args []string) error {
	fs := newFlags("install")
	hub := fs.String("hub", "", "the hub's agent address (host:port, QUIC); needed to enrol")
	token := fs.String("token", "", "one-time token from `touchpoint-hub token create`; needed to enrol")
	var o installer.InstallOptions
	fs.StringVar(&o.DataDir, "data-dir", "", "data directory (default: the config file's data_dir, else the OS default)")
	fs.StringVar(&o.HTTPAddr, "http-addr", "", "address of the staff page and API (default: the config file's, else "+installer.DefaultHTTPAddr+")")
	fs.BoolVar(&o.NoStart, "no-start", false, "register the service without starting it")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *hub != "" {
		if _, _, err := net.SplitHostPort(*hub); err != nil {
			return fmt.Errorf("--hub: %q is not host:port", *hub)
		}
	}
	if err := installer.RequireAdmin(); err != nil {
		return err
	}
	in, err := newInstaller()
	if err != nil {
		return err
	}
	in.Enroll = func(dataDir string) error { return enrolOnce(dataDir, *hub, *token) }
	plan, err := in.Install(o)
	if err != nil {
		return err
	}
	if o.NoStart {
		fmt.Println("installed; start it with: touchpoint-agent start")
		return nil
	}
	fmt.Printf("installed and started: staff page http://%s/, check it with: touchpoint-agent doctor\n", plan.Config.HTTPAddr)
	return nil
}

// enrolOnce enrols dataDir unless it already is (a re-install or an
// upgrade keeps its enrolment).
func enrolOnce(dataDir, hub, token string) error {
	if creds, err := hublink.LoadCredentials(dataDir); err == nil {
		if token != "" {
			fmt.Printf("already enrolled as agent %s of dealer %s: --token not used\n", creds.AgentID, creds.DealerID)
		}
		return nil
	}
	if hub == "" || token == "" {
		return errors.New("--hub and --token: required to enrol this PC (the token comes from `touchpoint-hub token create --dealer ID`)")
	}
	creds, err := enrollDataDir(hub, token, dataDir)
	if err != nil {
		return err
	}
	fmt.Printf("enrolled agent %s for dealer %s; hub nodes: %v\n", creds.AgentID, creds.DealerID, creds.Hubs)
	return nil
}

func runUninstall(args []string) error {
	fs := newFlags("uninstall")
	purge := fs.Bool("purge", false, "also delete the data directory (the local cache and any events not yet sent) and the config file")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if err := installer.RequireAdmin(); err != nil {
		return err
	}
	in, err := newInstaller()
	if err != nil {
		return err
	}
	return in.Uninstall(*purge)
}

// newInstaller is the installer for this machine's OS and service manager.
func newInstaller() (*installer.Installer, error) {
	exe, err := os.Executable()
	if err != nil {
		return nil, fmt.Errorf("find this binary: %w", err)
	}
	if resolved, err := filepath.EvalSymlinks(exe); err == nil {
		exe = resolved
	}
	m, err := installer.NewServiceManager()
	if err != nil {
		return nil, err
	}
	return &installer.Installer{
		Layout:     installer.DefaultLayout(runtime.GOOS, os.Getenv),
		Manager:    m,
		System:     installer.NewSystem(),
		Executable: exe,
		Out:        os.Stdout,
		Beside:     func(dataDir string) []string { return []string{defaultKeyFile(dataDir)} },
	}, nil
}
