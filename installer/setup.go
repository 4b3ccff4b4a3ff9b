package installer

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// ServiceManager is what install needs of the OS service manager.
type ServiceManager interface {
	// Status reports whether the agent service is registered and running.
	Status() (registered, running bool, err error)
	// Register registers the service that s describes.
	Register(s Spec) error
	// Unregister removes the service's registration.
	Unregister() error
	// Control starts, stops or restarts the service.
	Control(action string) error
}

// System is what install needs of the machine besides the service manager.
type System interface {
	// EnsureUser creates the service account if it is missing and returns
	// its user and group ids.
	EnsureUser(name, home string) (uid, gid int, err error)
	// Own hands path (a directory with everything in it, or a file) to
	// the service account (uid and gid on Linux, SYSTEM and Administrators
	// on Windows), owner-only.
	Own(path string, uid, gid int) error
}

// Installer installs the agent service. Root prefixes every path it
// touches; production leaves it empty, tests point it at a temporary
// directory, and the plan (the unit, the config) names the real paths.
type Installer struct {
	Layout     Layout
	Root       string
	Manager    ServiceManager
	System     System
	Executable string    // the running agent binary
	Out        io.Writer // one line per step
	// Enroll enrols the agent into dataDir unless it already is.
	Enroll func(dataDir string) error
	// Beside lists files outside dataDir that belong to it (the local
	// database's encryption key): handed to the service account with it,
	// and purged with it.
	Beside func(dataDir string) []string
}

// InstallOptions override what the existing config file or the defaults say.
type InstallOptions struct {
	DataDir, HTTPAddr string
	NoStart           bool
}

// Plan is what Install writes and registers, worked out before anything
// on the machine changes.
type Plan struct {
	Config     AgentConfig
	ConfigText []byte
	CopyBinary bool // copy Executable to Spec.Executable
	Spec       Spec
}

// Plan works out the install: the existing config file is kept and
// updated with the options, so a re-install or upgrade keeps its settings.
func (in *Installer) Plan(o InstallOptions) (Plan, error) {
	cfg := AgentConfig{DataDir: in.Layout.DataDir}
	existing, err := os.ReadFile(in.path(in.Layout.ConfigFile))
	switch {
	case err == nil:
		if cfg, err = ParseConfig(in.Layout.ConfigFile, existing); err != nil {
			return Plan{}, fmt.Errorf("the existing config file is invalid: fix or remove it: %w", err)
		}
	case !errors.Is(err, fs.ErrNotExist):
		return Plan{}, fmt.Errorf("read config: %w", err)
	}
	if o.DataDir != "" {
		cfg.DataDir = o.DataDir
	}
	if o.HTTPAddr != "" {
		cfg.HTTPAddr = o.HTTPAddr
	}
	cfg.applyDefaults()
	text := cfg.Encode()
	if _, err := ParseConfig(in.Layout.ConfigFile, text); err != nil {
		return Plan{}, err
	}
	p := Plan{Config: cfg, ConfigText: text, Spec: SpecFor(in.Layout, cfg.DataDir)}
	if in.Layout.runsInPlace(in.Executable) {
		p.Spec.Executable = in.Executable
	} else {
		p.CopyBinary = true
	}
	return p, nil
}

// Install enrols the agent, writes its config file, creates its data
// directory owner-only, registers the service and starts it.
func (in *Installer) Install(o InstallOptions) (Plan, error) {
	p, err := in.Plan(o)
	if err != nil {
		return p, err
	}
	uid, gid := -1, -1
	if in.Layout.User != "" {
		if uid, gid, err = in.System.EnsureUser(in.Layout.User, filepath.Dir(p.Config.DataDir)); err != nil {
			return p, fmt.Errorf("create service account %s: %w", in.Layout.User, err)
		}
	}
	dataDir := in.path(p.Config.DataDir)
	// The parent stays traversable for the service account.
	if err := os.MkdirAll(filepath.Dir(dataDir), 0o755); err != nil {
		return p, fmt.Errorf("create data dir: %w", err)
	}
	if err := os.Mkdir(dataDir, 0o700); err != nil && !errors.Is(err, fs.ErrExist) {
		return p, fmt.Errorf("create data dir: %w", err)
	}
	if err := in.Enroll(dataDir); err != nil {
		return p, err
	}
	for _, path := range append([]string{dataDir}, in.beside(dataDir)...) {
		if err := in.System.Own(path, uid, gid); err != nil {
			return p, fmt.Errorf("secure data dir: %w", err)
		}
	}
	in.say("data directory %s: owner-only", p.Config.DataDir)
	if err := in.writeConfig(p); err != nil {
		return p, err
	}
	if p.CopyBinary {
		// A running service holds the old binary open (on Windows it
		// cannot be replaced then): stop it first; start() starts it again.
		if _, running, err := in.Manager.Status(); err == nil && running {
			if err := in.Manager.Control("stop"); err != nil {
				return p, fmt.Errorf("stop service to replace its binary: %w", err)
			}
		}
		if err := copyFile(in.Executable, in.path(p.Spec.Executable), 0o755); err != nil {
			return p, fmt.Errorf("install binary: %w", err)
		}
		in.say("copied %s to %s", in.Executable, p.Spec.Executable)
	}
	if err := in.register(p); err != nil {
		return p, err
	}
	if o.NoStart {
		return p, nil
	}
	return p, in.start()
}

func (in *Installer) writeConfig(p Plan) error {
	file := in.path(in.Layout.ConfigFile)
	if old, err := os.ReadFile(file); err == nil && bytes.Equal(old, p.ConfigText) {
		in.say("config file %s unchanged", in.Layout.ConfigFile)
		return nil
	}
	if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
		return fmt.Errorf("create config dir: %w", err)
	}
	if err := writeAtomic(file, p.ConfigText, 0o644); err != nil {
		return err
	}
	in.say("wrote %s", in.Layout.ConfigFile)
	return nil
}

// register registers the service unless it is; a unit written by an
// earlier install is replaced when it differs (a new data directory or
// binary), one from a package is left to the package.
func (in *Installer) register(p Plan) error {
	registered, _, err := in.Manager.Status()
	if err != nil {
		return fmt.Errorf("service status: %w", err)
	}
	if registered && in.Layout.UnitFile != "" {
		old, err := os.ReadFile(in.path(in.Layout.UnitFile))
		if err == nil && string(old) != SystemdUnit(p.Spec) {
			if err := in.Manager.Unregister(); err != nil {
				return fmt.Errorf("replace service: %w", err)
			}
			registered = false
		}
	}
	if registered {
		in.say("service %s already registered", ServiceName)
		return nil
	}
	if err := in.Manager.Register(p.Spec); err != nil {
		return fmt.Errorf("register service: %w", err)
	}
	in.say("registered service %s", ServiceName)
	return nil
}

// start starts the service, or restarts it when it runs (an upgrade).
func (in *Installer) start() error {
	_, running, err := in.Manager.Status()
	if err != nil {
		return fmt.Errorf("service status: %w", err)
	}
	action := "start"
	if running {
		action = "restart"
	}
	if err := in.Manager.Control(action); err != nil {
		return fmt.Errorf("%s service: %w", action, err)
	}
	in.say("service %s: %sed", ServiceName, action)
	return nil
}

// Uninstall stops and unregisters the service. Data and config stay
// unless purge is set.
func (in *Installer) Uninstall(purge bool) error {
	registered, running, err := in.Manager.Status()
	if err != nil {
		return fmt.Errorf("service status: %w", err)
	}
	if registered && in.packageOwned() {
		return ErrPackageOwned
	}
	if !registered && !purge {
		return ErrNotInstalled
	}
	if running {
		if err := in.Manager.Control("stop"); err != nil {
			return fmt.Errorf("stop service: %w", err)
		}
		in.say("stopped %s", ServiceName)
	}
	if registered {
		if err := in.Manager.Unregister(); err != nil {
			return fmt.Errorf("unregister service: %w", err)
		}
		in.say("unregistered %s", ServiceName)
	}
	if !purge {
		in.say("kept the config file and the data directory (remove them with --purge)")
		return nil
	}
	return in.purge()
}

// purge removes the data directory and the config file.
func (in *Installer) purge() error {
	dataDir := in.Layout.DataDir
	if c, err := LoadConfig(in.path(in.Layout.ConfigFile)); err == nil {
		dataDir = c.DataDir
	}
	for _, path := range append([]string{in.path(dataDir)}, in.beside(in.path(dataDir))...) {
		if err := os.RemoveAll(path); err != nil {
			return fmt.Errorf("remove data dir: %w", err)
		}
	}
	in.say("removed %s", dataDir)
	if err := os.Remove(in.path(in.Layout.ConfigFile)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("remove config: %w", err)
	}
	_ = os.Remove(filepath.Dir(in.path(in.Layout.ConfigFile))) // only if empty
	in.say("removed %s", in.Layout.ConfigFile)
	return nil
}

// beside lists the files kept next to dataDir that exist.
func (in *Installer) beside(dataDir string) []string {
	if in.Beside == nil {
		return nil
	}
	var out []string
	for _, p := range in.Beside(dataDir) {
		if _, err := os.Lstat(p); err == nil {
			out = append(out, p)
		}
	}
	return out
}

// packageOwned reports whether a .deb or .rpm installed the unit.
func (in *Installer) packageOwned() bool {
	if in.Layout.PackageUnitFile == "" {
		return false
	}
	_, errPkg := os.Stat(in.path(in.Layout.PackageUnitFile))
	_, errOwn := os.Stat(in.path(in.Layout.UnitFile))
	return errPkg == nil && errOwn != nil
}

func (in *Installer) path(p string) string {
	if in.Root == "" {
		return p
	}
	return filepath.Join(in.Root, p)
}

func (in *Installer) say(format string, a ...any) {
	if in.Out != nil {
		fmt.Fprintf(in.Out, format+"\n", a...)
	}
}

// writeAtomic writes data to path through a synced temporary file.
func writeAtomic(path string, data []byte, mode os.FileMode) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := tmp.Chmod(mode); err != nil {
		tmp.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("sync %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// copyFile copies src to dst atomically with mode.
func copyFile(src, dst string, mode os.FileMode) error {
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return err
	}
	data, err := os.ReadFile(src) // an agent binary is tens of MiB
	if err != nil {
		return err
	}
	return writeAtomic(dst, data, mode)
}
