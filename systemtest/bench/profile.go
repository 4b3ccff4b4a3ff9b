package main

import (
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"
)

// profileNodes takes a CPU profile of every hub node for d, in the
// background, when the run was asked to (--profile); wait returns once
// they are written to <dir>/<name>-<node>.pprof. Read them with
// `go tool pprof -top bin/touchpoint-hub FILE`.
func (b *bench) profileNodes(name string, d time.Duration) (wait func()) {
	if b.cfg.Profile == "" || b.hub == nil {
		return func() {}
	}
	var wg sync.WaitGroup
	for _, n := range b.hub.nodes {
		if n.Pprof == "" {
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			file := filepath.Join(b.cfg.Profile, fmt.Sprintf("%s-%s.pprof", strings.ReplaceAll(name, " ", "_"), n.ID))
			if err := fetchProfile(n.Pprof, d, file); err != nil {
				fmt.Fprintf(os.Stderr, "profile %s: %v\n", file, err)
			}
		}()
	}
	return wg.Wait
}

func fetchProfile(addr string, d time.Duration, file string) error {
	if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
		return err
	}
	client := &http.Client{Timeout: d + 30*time.Second}
	resp, err := client.Get(fmt.Sprintf("http://%s/debug/pprof/profile?seconds=%d", addr, int(d.Seconds())))
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("status %s", resp.Status)
	}
	f, err := os.Create(file)
	if err != nil {
		return err
	}
	if _, err := io.Copy(f, io.LimitReader(resp.Body, 256<<20)); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
