// Command package builds the agent's packages from the binaries `make
// dist` wrote: a .deb and an .rpm per Linux architecture and a Windows
// .msi, optionally Authenticode-signed. `make packages` runs it.
package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"time"

	"github.com/spf13/pflag"
	"github.com/touchpoint/touchpoint/installer/packaging"
)

// config is what the command needs, from flags.
type config struct {
	Dist, Out, Version string
	SignCert, SignKey  string
	LinuxArchs         []string
	Formats            []string
}

// Validate checks the flags, naming the one that is wrong.
func (c *config) Validate() error {
	switch {
	case c.Dist == "":
		return errors.New("--dist: required (the directory `make dist` wrote)")
	case c.Version == "":
		return errors.New("--version: required (the version stamped into the binaries)")
	case (c.SignCert == "") != (c.SignKey == ""):
		return errors.New("--sign-cert and --sign-key: give both or neither")
	}
	for _, f := range c.Formats {
		if f != "deb" && f != "rpm" && f != "msi" {
			return fmt.Errorf("--formats: %q is not deb, rpm or msi", f)
		}
	}
	for _, a := range c.LinuxArchs {
		if a != "amd64" && a != "arm64" {
			return fmt.Errorf("--linux-arch: %q is not amd64 or arm64", a)
		}
	}
	if _, err := packaging.PackageVersions(c.Version); err != nil {
		return fmt.Errorf("--version: %w", err)
	}
	return nil
}

func main() {
	var c config
	fs := pflag.NewFlagSet("package", pflag.ContinueOnError)
	fs.StringVar(&c.Dist, "dist", "dist", "directory with <os>_<arch>/touchpoint-agent[.exe]")
	fs.StringVar(&c.Out, "out", "", "where to write the packages (default: --dist)")
	fs.StringVar(&c.Version, "version", "", "the build version, as stamped into the binaries")
	fs.StringVar(&c.SignCert, "sign-cert", "", "PEM code-signing certificate (chain) for the Windows binary and .msi")
	fs.StringVar(&c.SignKey, "sign-key", "", "PEM private key of --sign-cert")
	fs.StringSliceVar(&c.LinuxArchs, "linux-arch", []string{"amd64", "arm64"}, "Linux architectures to package")
	fs.StringSliceVar(&c.Formats, "formats", []string{"deb", "rpm", "msi"}, "package formats to build")
	if err := fs.Parse(os.Args[1:]); err != nil {
		if errors.Is(err, pflag.ErrHelp) {
			return
		}
		os.Exit(2)
	}
	if c.Out == "" {
		c.Out = c.Dist
	}
	if err := c.Validate(); err != nil {
		fmt.Fprintln(os.Stderr, "package:", err)
		os.Exit(2)
	}
	if err := build(c); err != nil {
		fmt.Fprintln(os.Stderr, "package:", err)
		os.Exit(1)
	}
}

func build(c config) error {
	for _, arch := range c.LinuxArchs {
		for _, format := range []string{"deb", "rpm"} {
			if !slices.Contains(c.Formats, format) {
				continue
			}
			bin := filepath.Join(c.Dist, "linux_"+arch, "touchpoint-agent")
			if _, err := os.Stat(bin); err != nil {
				return fmt.Errorf("failed to find the linux/%s agent: %w (run make dist)", arch, err)
			}
			p := packaging.LinuxPackage{Format: format, Arch: arch, Version: c.Version, Binary: bin, OutDir: c.Out}
			if err := report(p.Build); err != nil {
				return fmt.Errorf("failed to build the %s %s: %w", arch, format, err)
			}
		}
	}
	if slices.Contains(c.Formats, "msi") {
		return buildMSI(c)
	}
	return nil
}

// buildMSI signs the Windows agent, packs it into the .msi and signs that.
func buildMSI(c config) error {
	exe := filepath.Join(c.Dist, "windows_amd64", "touchpoint-agent.exe")
	if _, err := os.Stat(exe); err != nil {
		return fmt.Errorf("failed to find the windows/amd64 agent: %w (run make dist)", err)
	}
	signer := packaging.Signer{Cert: c.SignCert, Key: c.SignKey, Description: "Touchpoint dealer agent", URL: "https://github.com/touchpoint/touchpoint"}
	if c.SignCert != "" {
		signed := filepath.Join(c.Out, "touchpoint-agent-signed.exe")
		if err := report(func() (string, error) { return signed, signer.Sign(exe, signed) }); err != nil {
			return fmt.Errorf("failed to sign the agent: %w", err)
		}
		defer os.Remove(signed)
		exe = signed
	} else {
		fmt.Println("not signing: give --sign-cert and --sign-key (SIGN_CERT, SIGN_KEY for make) for a release")
	}
	msi := packaging.MSI{Version: c.Version, Binary: exe, OutDir: c.Out}
	var built string
	if err := report(func() (string, error) { p, err := msi.Build(); built = p; return p, err }); err != nil {
		return fmt.Errorf("failed to build the .msi: %w", err)
	}
	if c.SignCert == "" {
		return nil
	}
	unsigned := built + ".unsigned"
	if err := os.Rename(built, unsigned); err != nil {
		return err
	}
	defer os.Remove(unsigned)
	if err := report(func() (string, error) { return built, signer.Sign(unsigned, built) }); err != nil {
		return fmt.Errorf("failed to sign the .msi: %w", err)
	}
	return nil
}

// report runs one build step and prints what it wrote, its size and time.
func report(step func() (string, error)) error {
	start := time.Now()
	path, err := step()
	if err != nil {
		return err
	}
	fi, err := os.Stat(path)
	if err != nil {
		return err
	}
	fmt.Printf("%-52s %6.1f MiB  %5.1fs\n", filepath.Base(path), float64(fi.Size())/(1<<20), time.Since(start).Seconds())
	return nil
}
