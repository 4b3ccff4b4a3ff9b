package main

import (
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/touchpoint/touchpoint/installer"
	"github.com/touchpoint/touchpoint/internal/cli"
)

// runConfigCommand dispatches `config SUBCOMMAND`; check is the only one.
func runConfigCommand(args []string) error {
	if len(args) == 0 || (args[0] != "check" && !strings.HasPrefix(args[0], "-")) {
		return cli.UsageError("give a subcommand: check")
	}
	if args[0] == "check" {
		args = args[1:]
	}
	return runConfigCheck(args)
}

// runConfigCheck validates the config file and prints what the agent will
// use, or every problem with the key it concerns.
func runConfigCheck(args []string) error {
	fs := newFlags("config")
	config := addConfigFlag(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	c, err := installer.LoadConfig(*config.path)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("%s does not exist: `touchpoint-agent install` writes it, or give --config FILE", *config.path)
		}
		for _, line := range strings.Split(err.Error(), "\n") {
			fmt.Fprintln(os.Stderr, line)
		}
		return fmt.Errorf("%s is invalid: fix the keys named above", *config.path)
	}
	fmt.Printf("%s: ok\n  data_dir   = %s\n  http_addr  = %s\n  log_level  = %s\n  log_format = %s\n",
		*config.path, c.DataDir, c.HTTPAddr, c.LogLevel, c.LogFormat)
	if _, err := os.Stat(c.DataDir); err != nil {
		fmt.Printf("note: data_dir %s does not exist yet (`touchpoint-agent install` creates it)\n", c.DataDir)
	}
	return nil
}
