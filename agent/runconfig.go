package main

import (
	"errors"
	"fmt"
	"io/fs"
	"net"
	"os"

	"github.com/spf13/pflag"
	"github.com/touchpoint/touchpoint/installer"
)

// configFlag adds --config to fs; load reads the file it names or, when
// the flag is not given, the OS's default config file if there is one.
type configFlag struct {
	fs   *pflag.FlagSet
	path *string
}

func addConfigFlag(fs *pflag.FlagSet) *configFlag {
	def := installer.DefaultConfigFile(os.Getenv)
	return &configFlag{fs: fs, path: fs.String("config", def, "config file; flags override its values (skipped when the default is absent)")}
}

// load returns the config file's values; found is false when no file was
// named and the default one does not exist.
func (c *configFlag) load() (cfg installer.AgentConfig, found bool, err error) {
	cfg, err = installer.LoadConfig(*c.path)
	if errors.Is(err, fs.ErrNotExist) && !c.fs.Changed("config") {
		return installer.AgentConfig{}, false, nil
	}
	if err != nil {
		return cfg, false, err
	}
	return cfg, true, nil
}

// override sets *dst to the file's value unless the flag was given.
func override(fs *pflag.FlagSet, flag string, dst *string, fileValue string) {
	if !fs.Changed(flag) && fileValue != "" {
		*dst = fileValue
	}
}

// parseRunConfig reads `run`'s flags over the config file.
func parseRunConfig(args []string) (runConfig, error) {
	var c runConfig
	fs := newFlags("run")
	config := addConfigFlag(fs)
	fs.StringVar(&c.DataDir, "data-dir", "", "the enrolled data directory")
	fs.StringVar(&c.HTTPAddr, "http-addr", installer.DefaultHTTPAddr, "address of the staff page and API")
	fs.StringVar(&c.LogFormat, "log-format", installer.DefaultLogFormat, "text or json")
	fs.StringVar(&c.LogLevel, "log-level", installer.DefaultLogLevel, "debug, info, warn or error")
	fs.StringVar(&c.PprofAddr, "pprof-addr", "", "serve Go profiles (/debug/pprof/) on this loopback host:port; off when empty")
	fs.IntVar(&c.MemoryLimitMiB, "memory-limit", defaultMemoryLimitMiB(os.Getenv),
		fmt.Sprintf("soft limit of the Go runtime's memory in MiB, with GOGC=%d unless GOGC is set; 0 leaves both to the Go runtime (default %d, or 0 when GOMEMLIMIT is set)", shopGCPercent, shopMemoryLimitMiB))
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	file, _, err := config.load()
	if err != nil {
		return c, err
	}
	override(fs, "data-dir", &c.DataDir, file.DataDir)
	override(fs, "http-addr", &c.HTTPAddr, file.HTTPAddr)
	override(fs, "log-format", &c.LogFormat, file.LogFormat)
	override(fs, "log-level", &c.LogLevel, file.LogLevel)
	return c, c.Validate()
}

// Validate checks the merged flags and file, naming the flag.
func (c *runConfig) Validate() error {
	if c.DataDir == "" {
		return errors.New("--data-dir: required (or data_dir in the config file)")
	}
	if _, _, err := net.SplitHostPort(c.HTTPAddr); err != nil {
		return fmt.Errorf("--http-addr: %q is not host:port", c.HTTPAddr)
	}
	if c.PprofAddr != "" {
		if err := checkPprofAddr(c.PprofAddr); err != nil {
			return err
		}
	}
	if m := c.MemoryLimitMiB; m != 0 && (m < minMemoryLimitMiB || m > maxMemoryLimitMiB) {
		return fmt.Errorf("--memory-limit: %d MiB is out of range: give 0 (none) or %d to %d", m, minMemoryLimitMiB, maxMemoryLimitMiB)
	}
	return nil
}

// The agent's memory settings on a shop PC. The collector runs when the
// heap has grown by half of what is live (GOGC=50 instead of 100), so
// idle the agent holds about 40 MiB anonymous at 100k cached profiles
// instead of about 60. The soft limit stops runaway growth; it sits well
// above Badger's write path (table builders hold 75-90 MiB while a long
// burst of recordings or a large initial sync is flushed), because a
// limit near what is live makes the runtime collect continuously: at 48
// MiB recording 50k events offline ran at a third of the rate, at 96 MiB
// at 37 % (3.5k against 9.5k events/s) and the outbox drained at half
// the rate (make bench, docs/benchmarks.md).
const (
	shopMemoryLimitMiB = 256
	shopGCPercent      = 50
	minMemoryLimitMiB  = 16
	maxMemoryLimitMiB  = 1 << 20
)

// defaultMemoryLimitMiB is shopMemoryLimitMiB, or 0 when GOMEMLIMIT sets
// the runtime's limit already.
func defaultMemoryLimitMiB(getenv func(string) string) int {
	if getenv("GOMEMLIMIT") != "" {
		return 0
	}
	return shopMemoryLimitMiB
}
