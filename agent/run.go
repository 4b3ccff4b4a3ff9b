package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"runtime/debug"
	"time"

	"github.com/touchpoint/touchpoint/agent/clock"
	"github.com/touchpoint/touchpoint/agent/hublink"
	"github.com/touchpoint/touchpoint/agent/localstore"
	"github.com/touchpoint/touchpoint/agent/staffapi"
	"github.com/touchpoint/touchpoint/installer"
	"github.com/touchpoint/touchpoint/internal/cli"
	"github.com/touchpoint/touchpoint/internal/logsetup"
)

// AdminTokenFile holds the local admin token for the agent's API.
const AdminTokenFile = "admin.token"

func runEnroll(args []string) error {
	fs := newFlags("enroll")
	hub := fs.String("hub", "", "the hub's agent address (host:port, QUIC)")
	token := fs.String("token", "", "one-time token from `touchpoint-hub token create`")
	dataDir := fs.String("data-dir", "", "where the agent keeps its data")
	if err := fs.Parse(args); err != nil {
		return err
	}
	switch {
	case *hub == "":
		return cli.UsageError("--hub: required (the hub's agent address, e.g. 127.0.0.1:7443)")
	case *token == "":
		return cli.UsageError("--token: required (from `touchpoint-hub token create --dealer ID`)")
	case *dataDir == "":
		return cli.UsageError("--data-dir: required")
	}
	if _, _, err := net.SplitHostPort(*hub); err != nil {
		return cli.WrapUsage(fmt.Errorf("--hub: %q is not host:port", *hub))
	}
	return enroll(*hub, *token, *dataDir)
}

func enroll(hub, token, dataDir string) error {
	creds, err := enrollDataDir(hub, token, dataDir)
	if err != nil {
		return err
	}
	fmt.Printf("enrolled agent %s for dealer %s; hub nodes: %v\nstart it with: touchpoint-agent run --data-dir %s\n", creds.AgentID, creds.DealerID, creds.Hubs, dataDir)
	return nil
}

// enrollDataDir enrols at the hub and writes the credentials, the local
// keys and the version marker into dataDir (`enroll` and `install`).
func enrollDataDir(hub, token, dataDir string) (*hublink.Credentials, error) {
	if _, err := hublink.LoadCredentials(dataDir); err == nil {
		return nil, fmt.Errorf("%s is already enrolled: use a new --data-dir or remove %s", dataDir, hublink.CredentialsFile)
	}
	if err := os.MkdirAll(dataDir, 0o700); err != nil {
		return nil, fmt.Errorf("create data dir: %w", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	creds, err := hublink.Enroll(ctx, hub, token)
	if err != nil {
		return nil, err
	}
	if err := creds.Save(dataDir); err != nil {
		return nil, err
	}
	if err := createKeyFile(defaultKeyFile(dataDir)); err != nil {
		return nil, err
	}
	admin := make([]byte, 24)
	_, _ = rand.Read(admin)
	if err := hublink.WriteFileAtomic(filepath.Join(dataDir, AdminTokenFile), []byte(hex.EncodeToString(admin)+"\n")); err != nil {
		return nil, err
	}
	if err := claimDataDir(dataDir, version); err != nil {
		return nil, err
	}
	return creds, nil
}

// runConfig is what `run` needs, from flags.
type runConfig struct {
	DataDir, HTTPAddr, LogFormat, LogLevel string
	PprofAddr                              string // loopback host:port for /debug/pprof/; empty: off
	MemoryLimitMiB                         int    // soft Go memory limit (and GOGC=50); 0 leaves the runtime's
}

func runAgent(args []string) error {
	c, err := parseRunConfig(args)
	if err != nil {
		return err
	}
	log, err := logsetup.New(os.Stderr, c.LogFormat, c.LogLevel)
	if err != nil {
		return err
	}
	level, _ := logsetup.ParseLevel(c.LogLevel) // accepted by New
	log = installer.ServiceLogger(log, level)
	return installer.Run(installer.Service{
		Check: func() error { return preflight(c.DataDir) },
		Run:   func(ctx context.Context) error { return run(ctx, c, log) },
		Log:   log,
	})
}

func run(ctx context.Context, c runConfig, log *slog.Logger) error {
	creds, err := hublink.LoadCredentials(c.DataDir)
	if err != nil {
		return err
	}
	if err := claimDataDir(c.DataDir, version); err != nil {
		return err
	}
	log = log.With("dealer", creds.DealerID)
	setMemoryLimit(c.MemoryLimitMiB, log)
	if c.PprofAddr != "" {
		stop, err := servePprof(c.PprofAddr, log)
		if err != nil {
			return err
		}
		defer stop()
	}
	clock.SetLogger(log)

	// Create the local store.
	key, err := readKeyFile(defaultKeyFile(c.DataDir))
	if err != nil {
		return err
	}
	st, damage, err := localstore.OpenChecked(filepath.Join(c.DataDir, "db"), localstore.Options{Region: creds.Country, Logger: log, EncryptionKey: key})
	if damage != nil {
		log.Error("local database was damaged: moved it aside and rebuilding it from the hub",
			"reason", damage.Reason, "quarantine", damage.Quarantine, "unsent_events_kept", damage.Salvaged)
	}
	if err != nil {
		return fmt.Errorf("failed to create local store: %w", err)
	}
	defer st.Close()

	// Create the hub link.
	link := hublink.New(creds, c.DataDir, st, version, log)
	linkDone := make(chan struct{})
	go func() { link.Run(ctx); close(linkDone) }()

	// Create the staff API.
	ln, err := net.Listen("tcp", c.HTTPAddr)
	if err != nil {
		return fmt.Errorf("failed to create HTTP listener: %w", err)
	}
	srv := &http.Server{Handler: staffapi.New(st, link, creds.DealerID, log, staffapi.WithAdminTokenFile(filepath.Join(c.DataDir, AdminTokenFile))), ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	log.Info("agent running", "agent", creds.AgentID, "staff_page", "http://"+c.HTTPAddr+"/")

	<-ctx.Done()
	log.Info("stopping")
	shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_ = srv.Shutdown(shutdown)
	<-linkDone
	return nil
}

// setMemoryLimit sets the Go runtime's soft memory limit and, unless
// GOGC is set, the shop PC's collection pace; 0 leaves both to the
// runtime (GOMEMLIMIT, GOGC).
func setMemoryLimit(mib int, log *slog.Logger) {
	if mib == 0 {
		return
	}
	debug.SetMemoryLimit(int64(mib) << 20)
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(shopGCPercent)
	}
	log.Debug("soft memory limit set", "mib", mib)
}
