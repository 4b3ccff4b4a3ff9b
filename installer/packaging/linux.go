package packaging

import (
	"embed"
	"fmt"
	"os"
	"path/filepath"

	"github.com/goreleaser/nfpm/v2"
	"github.com/goreleaser/nfpm/v2/deb"
	"github.com/goreleaser/nfpm/v2/files"
	"github.com/goreleaser/nfpm/v2/rpm"
	"github.com/touchpoint/touchpoint/installer"
)

//go:embed scripts/*.sh
var scripts embed.FS

// Package metadata shared by every format.
const (
	packageName = "touchpoint-agent"
	maintainer  = "Touchpoint <support@touchpoint.invalid>"
	vendor      = "Touchpoint"
	homepage    = "https://github.com/touchpoint/touchpoint"
	license     = "Proprietary"
)

// LinuxPackage describes one .deb or .rpm to build.
type LinuxPackage struct {
	Format  string // "deb" or "rpm"
	Arch    string // GOARCH: amd64, arm64
	Version string // the build version, as stamped into the binary
	Binary  string // the agent built for linux/Arch
	OutDir  string
}

// LinuxSpec is the service the Linux packages install: the packaged
// binary, the default config file and data directory, the touchpoint user.
func LinuxSpec() installer.Spec {
	s := installer.SpecFor(installer.DefaultLayout("linux", os.Getenv), installer.LinuxDataDir)
	s.Executable = installer.LinuxPackageBinary
	return s
}

// FileName is the package's conventional file name.
func (p LinuxPackage) FileName() (string, error) {
	v, err := PackageVersions(p.Version)
	if err != nil {
		return "", err
	}
	if p.Format == "rpm" {
		return fmt.Sprintf("%s-%s-1.%s.rpm", packageName, v.Linux, rpmArch(p.Arch)), nil
	}
	return fmt.Sprintf("%s_%s_%s.deb", packageName, v.Linux, p.Arch), nil
}

func rpmArch(goarch string) string {
	switch goarch {
	case "amd64":
		return "x86_64"
	case "arm64":
		return "aarch64"
	}
	return goarch
}

// Build writes the package into OutDir and returns its path.
func (p LinuxPackage) Build() (string, error) {
	v, err := PackageVersions(p.Version)
	if err != nil {
		return "", err
	}
	name, err := p.FileName()
	if err != nil {
		return "", err
	}
	stage, err := os.MkdirTemp("", "touchpoint-package-")
	if err != nil {
		return "", err
	}
	defer os.RemoveAll(stage)
	contents, scriptFiles, err := stageLinuxFiles(stage, p.Binary)
	if err != nil {
		return "", err
	}
	info := &nfpm.Info{
		Name: packageName, Arch: p.Arch, Platform: "linux",
		Version: v.Linux, VersionSchema: "none", Release: "1",
		Section: "net", Priority: "optional",
		Maintainer: maintainer, Vendor: vendor, Homepage: homepage, License: license,
		Description: "Touchpoint dealer agent\n" +
			"Keeps this dealership's customer histories and syncs them with the\n" +
			"Touchpoint hub. Runs as the systemd service touchpoint-agent; enrol it\n" +
			"with: touchpoint-agent install --hub HUB:7443 --token TOKEN",
		Overridables: nfpm.Overridables{
			Contents:   contents,
			Scripts:    scriptFiles,
			Recommends: []string{"systemd"},
			RPM:        nfpm.RPM{Summary: "Touchpoint dealer agent", Group: "System Environment/Daemons"},
		},
	}
	info = nfpm.WithDefaults(info)
	if err := nfpm.PrepareForPackager(info, p.Format); err != nil {
		return "", fmt.Errorf("prepare %s: %w", p.Format, err)
	}
	var packager nfpm.Packager = deb.Default
	if p.Format == "rpm" {
		packager = rpm.DefaultRPM
	}
	out := filepath.Join(p.OutDir, name)
	f, err := os.Create(out)
	if err != nil {
		return "", err
	}
	if err := packager.Package(info, f); err != nil {
		f.Close()
		return "", fmt.Errorf("build %s: %w", name, err)
	}
	return out, f.Close()
}

// stageLinuxFiles writes the generated files (unit, config, scripts) into
// stage and lists the package's contents.
func stageLinuxFiles(stage, binary string) (files.Contents, nfpm.Scripts, error) {
	spec := LinuxSpec()
	unit := filepath.Join(stage, installer.ServiceName+".service")
	config := filepath.Join(stage, "agent.toml")
	cfg := installer.AgentConfig{DataDir: spec.DataDir, HTTPAddr: installer.DefaultHTTPAddr, LogLevel: installer.DefaultLogLevel, LogFormat: installer.DefaultLogFormat}
	written := map[string][]byte{unit: []byte(installer.SystemdUnit(spec)), config: cfg.Encode()}
	var sc nfpm.Scripts
	for name, dst := range map[string]*string{"postinstall.sh": &sc.PostInstall, "preremove.sh": &sc.PreRemove, "postremove.sh": &sc.PostRemove} {
		b, err := scripts.ReadFile("scripts/" + name)
		if err != nil {
			return nil, sc, err
		}
		*dst = filepath.Join(stage, name)
		written[*dst] = b
	}
	for path, data := range written {
		if err := os.WriteFile(path, data, 0o644); err != nil {
			return nil, sc, err
		}
	}
	file := func(mode os.FileMode) *files.ContentFileInfo {
		return &files.ContentFileInfo{Owner: "root", Group: "root", Mode: mode}
	}
	contents := files.Contents{
		{Source: binary, Destination: spec.Executable, FileInfo: file(0o755)},
		{Source: unit, Destination: installer.LinuxPackageUnitFile, FileInfo: file(0o644)},
		{Source: config, Destination: spec.ConfigFile, Type: files.TypeConfigNoReplace, FileInfo: file(0o644)},
		{Destination: filepath.Dir(spec.ConfigFile), Type: files.TypeDir, FileInfo: file(0o755)},
	}
	return contents, sc, nil
}
