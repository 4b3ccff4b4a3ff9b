package packaging

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"text/template"

	"github.com/touchpoint/touchpoint/installer"
)

// Identifiers that must never change between releases: Windows Installer
// finds the installed product to upgrade by UpgradeCode, and keeps the
// service and files of one component across upgrades by its GUID.
const (
	msiUpgradeCode   = "{5E0B8C1A-3D47-4F7B-9A60-2C1D7E4B9F21}"
	msiComponentGUID = "{A3F6D2B4-7C18-4E5A-8B9D-0F2E6C4A1B37}"
)

// MSI describes the Windows installer to build.
type MSI struct {
	Version string // the build version, as stamped into the binary
	Binary  string // the agent built for windows/amd64 (signed, when signing)
	OutDir  string
}

// WindowsSpec is the service the .msi installs, with the default
// %ProgramFiles% and %ProgramData% (the service's command line is
// written with Windows Installer's own folder properties).
func WindowsSpec() installer.Spec {
	l := installer.DefaultLayout("windows", func(string) string { return "" })
	return installer.SpecFor(l, l.DataDir)
}

// FileName is the installer's file name.
func (m MSI) FileName() (string, error) {
	v, err := PackageVersions(m.Version)
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("%s-%s-x64.msi", packageName, v.Linux), nil
}

// Build writes the .msi into OutDir with wixl and returns its path.
func (m MSI) Build() (string, error) {
	wixl, err := exec.LookPath("wixl")
	if err != nil {
		return "", fmt.Errorf("wixl not found: install the Debian package wixl (msitools): %w", err)
	}
	name, err := m.FileName()
	if err != nil {
		return "", err
	}
	wxs, err := m.WXS()
	if err != nil {
		return "", err
	}
	stage, err := os.MkdirTemp("", "touchpoint-msi-")
	if err != nil {
		return "", err
	}
	defer os.RemoveAll(stage)
	// wixl finds sources relative to its working directory only.
	if err := linkOrCopy(m.Binary, filepath.Join(stage, installer.ServiceName+".exe")); err != nil {
		return "", fmt.Errorf("stage binary: %w", err)
	}
	if err := os.WriteFile(filepath.Join(stage, "touchpoint-agent.wxs"), wxs, 0o644); err != nil {
		return "", err
	}
	out, err := filepath.Abs(filepath.Join(m.OutDir, name))
	if err != nil {
		return "", err
	}
	cmd := exec.Command(wixl, "--arch", "x64", "--output", out, "touchpoint-agent.wxs")
	cmd.Dir = stage
	if b, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("wixl: %v: %s", err, b)
	}
	return out, nil
}

// WXS renders the WiX source that wixl compiles. Windows Installer's
// ServiceInstall row cannot say "delayed start" or "restart on failure"
// and wixl has no ServiceConfig element, so deferred custom actions run
// sc.exe with the same settings `touchpoint-agent install` applies.
// With HUB and TOKEN given (msiexec /i ... HUB=hub:7443 TOKEN=tpe_...)
// the installer also enrols the agent and starts it; an upgrade restarts
// an enrolled agent.
func (m MSI) WXS() ([]byte, error) {
	v, err := PackageVersions(m.Version)
	if err != nil {
		return nil, err
	}
	spec := WindowsSpec()
	// The service runs the installed file with the config file under
	// %ProgramData%, written with Installer folder properties.
	spec.ConfigFile = `[CommonAppDataFolder]Touchpoint\agent.toml`
	svc := installer.WindowsServiceFor(spec)
	// Quote every argument: a folder property may resolve to a path with blanks.
	var args []string
	for _, a := range svc.Arguments {
		args = append(args, `"`+a+`"`)
	}
	var sc []string
	for _, args := range svc.ScCommands() {
		sc = append(sc, strings.Join(args, " "))
	}
	data := map[string]any{
		"Version": v.MSI, "UpgradeCode": msiUpgradeCode, "ComponentGUID": msiComponentGUID,
		"Service": svc, "Arguments": strings.Join(args, " "), "ScConfig": sc[0], "ScFailure": sc[1],
		"EventMessageFile": strings.Replace(svc.EventMessageFile, `%SystemRoot%\System32\`, `[System64Folder]`, 1),
		"Manufacturer":     vendor, "ProductName": "Touchpoint Agent", "ExeName": installer.ServiceName + ".exe",
	}
	var b bytes.Buffer
	if err := wxsTemplate.Execute(&b, data); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

var wxsTemplate = template.Must(template.New("wxs").Funcs(template.FuncMap{"x": xmlEscape}).Parse(`<?xml version="1.0" encoding="utf-8"?>
<Wix xmlns="http://schemas.microsoft.com/wix/2006/wi">
  <Product Id="*" Name="{{x .ProductName}}" Language="1033" Version="{{x .Version}}" Manufacturer="{{x .Manufacturer}}" UpgradeCode="{{.UpgradeCode}}">
    <Package InstallerVersion="500" Compressed="yes" InstallScope="perMachine" Description="{{x .Service.Description}}" Comments="Enrol during install with HUB=host:7443 TOKEN=tpe_..."/>
    <MajorUpgrade DowngradeErrorMessage="A newer Touchpoint Agent is already installed."/>
    <Media Id="1" Cabinet="agent.cab" EmbedCab="yes"/>
    <Property Id="HUB"/>
    <Property Id="TOKEN"/>
    <Property Id="MsiHiddenProperties" Value="TOKEN"/>
    <Directory Id="TARGETDIR" Name="SourceDir">
      <Directory Id="ProgramFiles64Folder">
        <Directory Id="INSTALLDIR" Name="Touchpoint">
          <Component Id="Agent" Guid="{{.ComponentGUID}}" Win64="yes">
            <File Id="AgentExe" Name="{{x .ExeName}}" Source="{{x .ExeName}}" KeyPath="yes"/>
            <ServiceInstall Id="AgentService" Name="{{x .Service.Name}}" DisplayName="{{x .Service.DisplayName}}" Description="{{x .Service.Description}}" Type="ownProcess" Start="{{x .Service.StartType}}" ErrorControl="normal" Account="{{x .Service.Account}}" Arguments="{{x .Arguments}}"/>
            <ServiceControl Id="AgentServiceControl" Name="{{x .Service.Name}}" Stop="both" Remove="uninstall" Wait="yes"/>
            <RegistryKey Root="HKLM" Key="SYSTEM\CurrentControlSet\Services\EventLog\Application\{{x .Service.EventSource}}">
              <RegistryValue Name="EventMessageFile" Type="string" Value="{{x .EventMessageFile}}"/>
              <RegistryValue Name="TypesSupported" Type="integer" Value="7"/>
            </RegistryKey>
          </Component>
        </Directory>
      </Directory>
    </Directory>
    <Feature Id="Agent" Title="Touchpoint dealer agent" Level="1">
      <ComponentRef Id="Agent"/>
    </Feature>
    <CustomAction Id="SetScExe" Property="SCEXE" Value="[System64Folder]sc.exe"/>
    <CustomAction Id="ServiceDelayedStart" Property="SCEXE" ExeCommand="{{x .ScConfig}}" Execute="deferred" Impersonate="no" Return="ignore"/>
    <CustomAction Id="ServiceRecovery" Property="SCEXE" ExeCommand="{{x .ScFailure}}" Execute="deferred" Impersonate="no" Return="ignore"/>
    <CustomAction Id="EnrolAndStart" FileKey="AgentExe" ExeCommand="install --hub &quot;[HUB]&quot; --token &quot;[TOKEN]&quot;" Execute="deferred" Impersonate="no" Return="check"/>
    <CustomAction Id="RestartAfterUpgrade" FileKey="AgentExe" ExeCommand="install" Execute="deferred" Impersonate="no" Return="ignore"/>
    <InstallExecuteSequence>
      <Custom Action="SetScExe" Sequence="5801">NOT REMOVE</Custom>
      <Custom Action="ServiceDelayedStart" Sequence="5802">NOT REMOVE</Custom>
      <Custom Action="ServiceRecovery" Sequence="5803">NOT REMOVE</Custom>
      <Custom Action="EnrolAndStart" Sequence="5950">HUB AND TOKEN AND NOT REMOVE</Custom>
      <Custom Action="RestartAfterUpgrade" Sequence="5951">WIX_UPGRADE_DETECTED AND NOT HUB AND NOT REMOVE</Custom>
    </InstallExecuteSequence>
  </Product>
</Wix>
`))

// linkOrCopy puts src at dst, by a hard link when the file system allows.
func linkOrCopy(src, dst string) error {
	if err := os.Link(src, dst); err == nil {
		return nil
	}
	data, err := os.ReadFile(src)
	if err != nil {
		return err
	}
	return os.WriteFile(dst, data, 0o644)
}

func xmlEscape(s string) (string, error) {
	var b strings.Builder
	if err := xml.EscapeText(&b, []byte(s)); err != nil {
		return "", err
	}
	return b.String(), nil
}
