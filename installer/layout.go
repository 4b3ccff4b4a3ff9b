package installer

import (
	"path/filepath"
	"runtime"
	"strings"
)

// currentOS is the OS this binary runs on; a variable so tests can plan
// for the other one.
var currentOS = runtime.GOOS

// Names shared by the service, the packages and the installer.
const (
	ServiceName      = "touchpoint-agent"
	DisplayName      = "Touchpoint dealer agent"
	Description      = "Keeps this dealership's customer histories and syncs them with the Touchpoint hub."
	ServiceUser      = "touchpoint" // the Linux account the service runs as
	DocumentationURL = "https://github.com/touchpoint/touchpoint#dealers-and-agents"
)

// Layout says where the agent's files live on one OS.
type Layout struct {
	OS         string
	Binary     string // the agent binary the service runs
	ConfigFile string
	DataDir    string // the default data directory
	User       string // the account the service runs as; empty means LocalSystem (Windows)
	// UnitFile is where `install` writes the systemd unit; PackageUnitFile
	// is where the .deb and .rpm put it.
	UnitFile, PackageUnitFile string
}

// Linux paths, shared with the packages.
const (
	LinuxConfigFile      = "/etc/touchpoint/agent.toml"
	LinuxDataDir         = "/var/lib/touchpoint/agent"
	LinuxPackageBinary   = "/usr/bin/touchpoint-agent"
	LinuxLocalBinary     = "/usr/local/bin/touchpoint-agent"
	LinuxUnitFile        = "/etc/systemd/system/" + ServiceName + ".service"
	LinuxPackageUnitFile = "/usr/lib/systemd/system/" + ServiceName + ".service"
)

// DefaultLayout is the layout for goos; getenv reads %ProgramData% and
// %ProgramFiles% on Windows.
func DefaultLayout(goos string, getenv func(string) string) Layout {
	if goos == "windows" {
		programData := envOr(getenv, "ProgramData", `C:\ProgramData`)
		programFiles := envOr(getenv, "ProgramFiles", `C:\Program Files`)
		return Layout{
			OS:         goos,
			Binary:     winJoin(programFiles, "Touchpoint", ServiceName+".exe"),
			ConfigFile: winJoin(programData, "Touchpoint", "agent.toml"),
			DataDir:    winJoin(programData, "Touchpoint", "data"),
		}
	}
	return Layout{
		OS:              goos,
		Binary:          LinuxLocalBinary,
		ConfigFile:      LinuxConfigFile,
		DataDir:         LinuxDataDir,
		User:            ServiceUser,
		UnitFile:        LinuxUnitFile,
		PackageUnitFile: LinuxPackageUnitFile,
	}
}

// DefaultConfigFile is where the agent looks for its config file on this
// OS when --config is not given.
func DefaultConfigFile(getenv func(string) string) string {
	return DefaultLayout(currentOS, getenv).ConfigFile
}

// systemBinDirs hold binaries the service may run in place: a package's
// or an administrator's. A binary elsewhere (a download folder, a home
// directory that ProtectHome hides) is copied to Layout.Binary.
var systemBinDirs = []string{"/usr/bin", "/usr/sbin", "/usr/local/bin", "/usr/local/sbin", "/opt"}

// runsInPlace reports whether the service can run exe where it is.
func (l Layout) runsInPlace(exe string) bool {
	if l.OS == "windows" {
		return strings.EqualFold(exe, l.Binary)
	}
	for _, dir := range systemBinDirs {
		if strings.HasPrefix(filepath.Clean(exe), dir+"/") {
			return true
		}
	}
	return false
}

func envOr(getenv func(string) string, name, def string) string {
	if v := getenv(name); v != "" {
		return v
	}
	return def
}

// winJoin joins Windows path elements whatever OS plans the install.
func winJoin(elem ...string) string {
	for i := range elem {
		elem[i] = strings.TrimRight(elem[i], `\/`)
	}
	return strings.Join(elem, `\`)
}
