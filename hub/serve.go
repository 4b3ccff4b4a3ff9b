package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"regexp"
	"strings"
	"syscall"
	"time"

	"github.com/touchpoint/touchpoint/customer"
	"github.com/touchpoint/touchpoint/hub/agentlink"
	"github.com/touchpoint/touchpoint/hub/httpapi"
	"github.com/touchpoint/touchpoint/hub/metrics"
	"github.com/touchpoint/touchpoint/hub/state"
	"github.com/touchpoint/touchpoint/hub/store"
	"github.com/touchpoint/touchpoint/internal/cli"
	"github.com/touchpoint/touchpoint/internal/logsetup"
)

// serveConfig is everything `serve` needs, from flags.
type serveConfig struct {
	NodeID, DataDir, Join              string
	RaftAddr, AgentAddr, HTTPAddr      string
	DefaultRegion, LogFormat, LogLevel string
	Bootstrap                          bool
	MaxPerKind                         int
	SharedLimit                        int
	SilentAfter                        time.Duration
	RecoverPeers                       []string
	Token, CAFile                      string
	HTTPTLS                            bool
	Blocked                            []string
	RatePerSecond                      float64
	RateBurst                          int
	WebOrigins, PhoneLineCountries     []string
	SnapshotThreshold, TrailingLogs    int
	SnapshotInterval                   time.Duration
	PprofAddr                          string
}

// Bounds of the Raft log flags.
const maxRaftLogFlag = 10_000_000

var nodeIDPattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$`)

// Validate checks the flags, naming the one that is wrong.
func (c *serveConfig) Validate() error {
	switch {
	case !nodeIDPattern.MatchString(c.NodeID):
		return errors.New("--node-id: required, 1-64 letters, digits, '.', '-' or '_'")
	case c.DataDir == "":
		return errors.New("--data-dir: required")
	case c.Bootstrap && c.Join != "":
		return errors.New("--bootstrap and --join: give one, not both")
	case c.Join != "" && c.Token == "":
		return errors.New("--token (or TOUCHPOINT_TOKEN): joining needs an operator token")
	case !regexp.MustCompile(`^[A-Z]{2}$`).MatchString(c.DefaultRegion):
		return errors.New("--default-region: must be a two-letter country code like US")
	case c.SilentAfter <= 0:
		return errors.New("--silent-after: must be a positive duration like 5m")
	case c.MaxPerKind < 1 || c.MaxPerKind > 100:
		return errors.New("--max-identifiers-per-kind: must be between 1 and 100")
	case c.SharedLimit < 2 || c.SharedLimit > 100:
		return errors.New("--shared-identifier-limit: must be between 2 and 100")
	case c.SnapshotThreshold < 1 || c.SnapshotThreshold > maxRaftLogFlag:
		return fmt.Errorf("--snapshot-threshold: must be between 1 and %d entries", maxRaftLogFlag)
	case c.TrailingLogs < 1 || c.TrailingLogs > maxRaftLogFlag:
		return fmt.Errorf("--trailing-logs: must be between 1 and %d entries", maxRaftLogFlag)
	case c.SnapshotInterval < time.Second || c.SnapshotInterval > 24*time.Hour:
		return errors.New("--snapshot-interval: must be between 1s and 24h")
	}
	if c.PprofAddr != "" {
		if err := checkPprofAddr(c.PprofAddr); err != nil {
			return err
		}
	}
	if _, err := c.recoverPeers(); err != nil {
		return err
	}
	if _, err := c.intake(); err != nil {
		return err
	}
	if _, err := c.blocked(); err != nil {
		return err
	}
	for flag, addr := range map[string]string{"--raft-addr": c.RaftAddr, "--agent-addr": c.AgentAddr, "--http-addr": c.HTTPAddr} {
		if _, _, err := net.SplitHostPort(addr); err != nil {
			return fmt.Errorf("%s: %q is not host:port", flag, addr)
		}
	}
	return nil
}

// blocked is --blocked-identifiers normalised as events' identifiers are,
// phones without a country code read in --default-region.
func (c *serveConfig) blocked() ([]string, error) {
	list, err := customer.NormalizeBlocked(c.Blocked, c.DefaultRegion)
	if err != nil {
		return nil, fmt.Errorf("--blocked-identifiers: %w: give kind:value (phone, email, cid or web) or a phone number or e-mail in any form", err)
	}
	return list, nil
}

func runServe(args []string) error {
	var c serveConfig
	fs := newFlags("serve")
	fs.StringVar(&c.NodeID, "node-id", "", "this node's id, unique in the cluster")
	fs.StringVar(&c.DataDir, "data-dir", "", "where this node keeps its Raft log and state")
	fs.BoolVar(&c.Bootstrap, "bootstrap", false, "found a new cluster with this node")
	fs.StringVar(&c.Join, "join", "", "HTTP address of a cluster member to join")
	fs.StringVar(&c.Token, "token", os.Getenv("TOUCHPOINT_TOKEN"), "operator token, to --join")
	fs.StringVar(&c.RaftAddr, "raft-addr", "127.0.0.1:7081", "TCP address for Raft traffic")
	fs.StringVar(&c.AgentAddr, "agent-addr", "127.0.0.1:7443", "UDP address for agents (QUIC)")
	fs.StringVar(&c.HTTPAddr, "http-addr", "127.0.0.1:7080", "address of the HTTP API")
	fs.BoolVar(&c.HTTPTLS, "http-tls", false, "serve the HTTP API over HTTPS with the node's certificate from the cluster CA (give every node this flag)")
	fs.StringVar(&c.CAFile, "ca-file", os.Getenv("TOUCHPOINT_CA_FILE"), "cluster CA certificate, to --join a cluster whose nodes serve --http-tls")
	fs.StringVar(&c.DefaultRegion, "default-region", "US", "country assumed for phone numbers without one")
	fs.IntVar(&c.MaxPerKind, "max-identifiers-per-kind", state.DefaultMaxPerKind, "merge protection: most emails or phones one profile may hold")
	fs.IntVar(&c.SharedLimit, "shared-identifier-limit", state.DefaultSharedLimit, "most people who may share an e-mail or phone (a family's) before it joins and links nobody")
	fs.StringSliceVar(&c.Blocked, "blocked-identifiers", nil, "identifiers that never join people, in any written form, e.g. \"phone:(312) 555-0100\" (a dealership's main line) or email:frontdesk@dealer.example")
	fs.DurationVar(&c.SilentAfter, "silent-after", httpapi.DefaultSilentAfter, "an agent unheard for this long shows as silent")
	fs.StringSliceVar(&c.RecoverPeers, "recover-peers", nil, "lost-quorum recovery: force the cluster to these survivors, id=raft-addr,... (see README)")
	fs.Float64Var(&c.RatePerSecond, "rate-limit", httpapi.DefaultRatePerSecond, "events per second each channel key may send to this node (0: no limit)")
	fs.IntVar(&c.RateBurst, "rate-burst", httpapi.DefaultRateBurst, "events a channel key may send at once above --rate-limit")
	fs.StringSliceVar(&c.WebOrigins, "web-origins", nil, "page origins allowed to use the website snippet, web:SITE=ORIGIN, e.g. web:zot.example=https://www.zot.example")
	fs.StringSliceVar(&c.PhoneLineCountries, "phone-line-country", nil, "country of a phone line's caller numbers, LINE=CC, e.g. tollfree=US (else --default-region)")
	fs.IntVar(&c.SnapshotThreshold, "snapshot-threshold", store.DefaultSnapshotThreshold, "Raft entries between a node's automatic snapshots")
	fs.DurationVar(&c.SnapshotInterval, "snapshot-interval", store.DefaultSnapshotInterval, "how often a node checks whether --snapshot-threshold entries have passed (Raft waits this to twice this)")
	fs.IntVar(&c.TrailingLogs, "trailing-logs", store.DefaultTrailingLogs, "Raft entries kept after a snapshot (the log is dropped a 64 MiB segment at a time, so more stay); a follower behind what is kept installs the snapshot")
	fs.StringVar(&c.PprofAddr, "pprof-addr", "", "serve Go profiles (net/http/pprof) on this loopback address, e.g. 127.0.0.1:6060 (default: off)")
	fs.StringVar(&c.LogFormat, "log-format", "text", "text or json")
	fs.StringVar(&c.LogLevel, "log-level", "info", "debug, info, warn or error")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if err := c.Validate(); err != nil {
		return cli.WrapUsage(err)
	}
	log, err := logsetup.New(os.Stderr, c.LogFormat, c.LogLevel)
	if err != nil {
		return cli.WrapUsage(err)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	return serve(ctx, c, log)
}

// serve runs a node until ctx ends.
func serve(ctx context.Context, c serveConfig, log *slog.Logger) error {
	if err := os.MkdirAll(c.DataDir, 0o700); err != nil {
		return fmt.Errorf("failed to create data dir: %w", err)
	}

	recoverPeers, _ := c.recoverPeers()
	blocked, _ := c.blocked()
	if c.PprofAddr != "" {
		stopPprof, err := servePprof(c.PprofAddr, log)
		if err != nil {
			return err
		}
		defer stopPprof()
	}

	// Create the store; commit times go to the metrics created next.
	onCommit := func(time.Duration) {}
	st, err := store.Open(store.Config{
		NodeID: c.NodeID, DataDir: c.DataDir, RaftAddr: c.RaftAddr, HTTPAddr: c.HTTPAddr,
		AgentAddr: c.AgentAddr, Region: c.DefaultRegion, Bootstrap: c.Bootstrap, Logger: log,
		MaxPerKind: c.MaxPerKind, SharedLimit: c.SharedLimit, BlockedIdentifiers: blocked,
		OnCommit: func(d time.Duration) { onCommit(d) }, RecoverPeers: recoverPeers, HTTPTLS: c.HTTPTLS,
		SnapshotThreshold: uint64(c.SnapshotThreshold), TrailingLogs: uint64(c.TrailingLogs), SnapshotInterval: c.SnapshotInterval,
	})
	if errors.Is(err, store.ErrRaftLogUnreadable) {
		return fmt.Errorf("%w\nthe cluster's data is safe on the other nodes; to bring this node back:\n"+
			"  1. on a live node: touchpoint-hub remove-peer %s --addr LIVE_NODE_HTTP\n"+
			"  2. move %s aside\n"+
			"  3. start this node again with --join LIVE_NODE_HTTP instead of --bootstrap", err, c.NodeID, c.DataDir)
	}
	if err != nil {
		return fmt.Errorf("failed to create store: %w", err)
	}
	defer st.Close()

	// Create the metrics.
	m := metrics.New(st.RaftNumbers)
	onCommit = func(d time.Duration) { m.RaftCommit.Observe(d.Seconds()) }
	m.WatchReviewQueue(func() int { return len(st.Candidates()) })
	trendTicks := time.NewTicker(metrics.DefaultStep)
	defer trendTicks.Stop()
	go m.RecordTrends(ctx, trendTicks.C)

	// Create the agent link.
	link, err := agentlink.Listen(c.AgentAddr, c.DataDir, st, m, log)
	if err != nil {
		return fmt.Errorf("failed to create agent link: %w", err)
	}
	defer link.Close()
	go func() {
		if err := link.Serve(ctx); err != nil {
			log.Error("agent link stopped", "err", err)
		}
	}()

	// Create the HTTP API.
	intake, _ := c.intake()
	api := httpapi.New(st, link, log, httpapi.WithMetrics(m), httpapi.WithSilentAfter(c.SilentAfter), httpapi.WithIntake(intake))
	httpSrv := &http.Server{Addr: c.HTTPAddr, Handler: api, ReadHeaderTimeout: 10 * time.Second}
	ln, err := net.Listen("tcp", c.HTTPAddr)
	if err != nil {
		return fmt.Errorf("failed to create HTTP listener: %w", err)
	}
	if c.HTTPTLS {
		httpSrv.TLSConfig = st.Member().ServerTLS()
		go func() { _ = httpSrv.ServeTLS(ln, "", "") }()
	} else {
		go func() { _ = httpSrv.Serve(ln) }()
	}

	go st.RegisterSelf(ctx)
	if c.Bootstrap {
		go func() { _ = st.InitCluster(ctx) }()
	}
	if c.Join != "" {
		go joinCluster(ctx, c, st, log)
	}
	log.Info("hub node running", "node", c.NodeID, "http", st.Member().HTTPScheme()+"://"+c.HTTPAddr, "raft", c.RaftAddr, "agents", c.AgentAddr)
	<-ctx.Done()
	log.Info("shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_ = httpSrv.Shutdown(shutdownCtx)
	return nil
}

// joinCluster asks a member for this node's Raft certificate, then to
// add this node, retrying until it works.
func joinCluster(ctx context.Context, c serveConfig, st *store.Store, log *slog.Logger) {
	node := state.Node{ID: c.NodeID, RaftAddr: c.RaftAddr, HTTPAddr: c.HTTPAddr, AgentAddr: c.AgentAddr}
	client := newAPIClient(c.Join, c.Token, c.CAFile)
	client.Hints.AddrFlag = "--join"
	for attempt := 1; ; attempt++ {
		err := fetchNodeCert(ctx, client, st, c.NodeID)
		if err == nil {
			err = client.do(ctx, "POST", "/v1/peers", node, nil)
		}
		if err == nil {
			log.Info("joined the cluster", "via", c.Join)
			return
		}
		log.Warn("join failed, retrying", "via", c.Join, "attempt", attempt, "err", err)
		select {
		case <-ctx.Done():
			return
		case <-time.After(time.Second):
		}
	}
}

// recoverPeers parses --recover-peers: id=raft-addr pairs.
func (c *serveConfig) recoverPeers() ([]store.Peer, error) {
	var peers []store.Peer
	for _, p := range c.RecoverPeers {
		id, addr, ok := strings.Cut(p, "=")
		if _, _, err := net.SplitHostPort(addr); !ok || !nodeIDPattern.MatchString(id) || err != nil {
			return nil, fmt.Errorf("--recover-peers: %q must be node-id=raft-host:port", p)
		}
		peers = append(peers, store.Peer{ID: id, RaftAddr: addr})
	}
	return peers, nil
}

// intake parses the channel intake's flags: rate limit, website origins
// and phone line countries.
func (c *serveConfig) intake() (httpapi.Intake, error) {
	in := httpapi.Intake{RateLimit: httpapi.RateLimit{PerSecond: c.RatePerSecond, Burst: c.RateBurst}}
	switch {
	case c.RatePerSecond < 0:
		return in, errors.New("--rate-limit: must be 0 (no limit) or a positive number of events per second")
	case c.RatePerSecond > 0 && c.RateBurst < 1:
		return in, errors.New("--rate-burst: must be at least 1")
	}
	origins, err := httpapi.ParseWebOrigins(c.WebOrigins)
	if err != nil {
		return in, err
	}
	in.WebOrigins = origins
	in.PhoneLineCountry = map[string]string{}
	for _, entry := range c.PhoneLineCountries {
		line, cc, ok := strings.Cut(entry, "=")
		if !ok || line == "" || !regexp.MustCompile(`^[A-Z]{2}$`).MatchString(cc) {
			return in, fmt.Errorf("--phone-line-country: %q must be LINE=CC with a two-letter country code, like tollfree=US", entry)
		}
		in.PhoneLineCountry[line] = cc
	}
	return in, nil
}

// fetchNodeCert has a member sign this node's Raft certificate (mutual
// TLS between hub nodes) and puts it in use.
func fetchNodeCert(ctx context.Context, client *apiClient, st *store.Store, nodeID string) error {
	csr, err := st.Member().CSR()
	if err != nil {
		return err
	}
	var out struct {
		Certificate []byte `json:"certificate"`
		CA          []byte `json:"ca"`
	}
	req := map[string]any{"node_id": nodeID, "csr": csr}
	if err := client.do(ctx, "POST", "/v1/peers/certificate", req, &out); err != nil {
		return fmt.Errorf("node certificate: %w", err)
	}
	return st.Member().InstallNodeCert(out.Certificate, out.CA)
}
