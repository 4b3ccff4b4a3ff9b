package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/touchpoint/touchpoint/agent/localstore"
)

// syncReport is the part of the running agent's GET /v1/sync doctor reads.
type syncReport struct {
	OutboxLen     int   `json:"outbox_len"`
	OldestPending int64 `json:"oldest_pending_unix"`
	Hub           struct {
		Connected bool   `json:"connected"`
		LastError string `json:"last_error"`
	} `json:"hub"`
}

func (d *doctor) checkDisk() finding {
	f := finding{Check: "disk"}
	dir := d.dataDir
	for { // the data dir may not exist yet: measure where it will be
		if _, err := os.Stat(dir); err == nil || filepath.Dir(dir) == dir {
			break
		}
		dir = filepath.Dir(dir)
	}
	free, total, err := diskFree(dir)
	if err != nil {
		f.Status, f.Detail = statusSkip, "cannot measure: "+err.Error()
		return f
	}
	f.Detail = fmt.Sprintf("%s free of %s at %s", bytesIEC(free), bytesIEC(total), dir)
	switch {
	case free < diskFailBelow:
		f.Status, f.Fix = statusFail, "free disk space now: the agent stops recording when the disk is full"
	case free < diskWarnBelow:
		f.Status, f.Fix = statusWarn, "free disk space soon: the local database grows with the outbox while the hub is unreachable"
	}
	return f
}

func bytesIEC(n uint64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GiB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	}
	return fmt.Sprintf("%d KiB", n>>10)
}

// checkAgentRunning asks the running agent for its health and sync state.
func (d *doctor) checkAgentRunning(ctx context.Context) (*syncReport, finding) {
	f := finding{Check: "agent service"}
	base := "http://" + d.httpAddr
	if err := d.getJSON(ctx, base+"/healthz", nil); err != nil {
		f.Status, f.Detail = statusFail, "not answering at "+base+": "+err.Error()
		f.Fix = "start it: touchpoint-agent start (its log: journalctl -u touchpoint-agent, or the Windows event log, source touchpoint-agent)"
		return nil, f
	}
	var rep syncReport
	if err := d.getJSON(ctx, base+"/v1/sync", &rep); err != nil {
		f.Status, f.Detail = statusWarn, "running at "+base+", but /v1/sync failed: "+err.Error()
		f.Fix = "run doctor as root or the service account (to read the admin token), or give --token"
		return nil, f
	}
	f.Detail = "running at " + base
	if rep.Hub.Connected {
		f.Detail += ", connected to the hub"
	} else if rep.Hub.LastError != "" {
		f.Detail += ", not connected to the hub: " + rep.Hub.LastError
	}
	return &rep, f
}

func (d *doctor) getJSON(ctx context.Context, url string, out any) error {
	ctx, cancel := context.WithTimeout(ctx, localTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	if token := d.adminToken(); token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("answered %d: %s", resp.StatusCode, strings.TrimSpace(string(body)))
	}
	if out == nil {
		return nil
	}
	return json.Unmarshal(body, out)
}

func (d *doctor) adminToken() string {
	if d.token != "" {
		return d.token
	}
	b, err := os.ReadFile(filepath.Join(d.dataDir, AdminTokenFile))
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(b))
}

// checkStore checks the local database: through the running agent when
// it runs (it holds Badger's lock), else by opening it read-only and
// verifying every table's checksums.
func (d *doctor) checkStore(sync *syncReport) finding {
	f := finding{Check: "local database"}
	if sync != nil {
		f.Detail = "answering through the running agent"
		return f
	}
	dir := filepath.Join(d.dataDir, "db")
	if _, err := os.Stat(dir); errors.Is(err, fs.ErrNotExist) {
		f.Status, f.Detail = statusSkip, "no database yet: the agent creates "+dir+" when it first starts"
		return f
	}
	if runtime.GOOS == "windows" { // Badger cannot open read-only there
		f.Status, f.Detail = statusSkip, "checked only through the running agent on Windows"
		return f
	}
	if err := verifyStoreReadOnly(dir, defaultKeyFile(d.dataDir)); err != nil {
		f.Status, f.Detail = statusFail, err.Error()
		f.Fix = "if the agent is running, run doctor as root; if the database is damaged, stop the agent, move " + dir +
			" aside and start it: it downloads its customers again (events not yet sent are in the moved copy)"
		return f
	}
	f.Detail = dir + " opens read-only and its checksums verify"
	return f
}

// verifyStoreReadOnly checks the agent's local database without writing
// to it, with the key in keyFile.
func verifyStoreReadOnly(dir, keyFile string) error {
	key, err := readKeyFile(keyFile)
	if err != nil {
		return err
	}
	return localstore.VerifyReadOnly(dir, key)
}

func (d *doctor) checkOutbox(sync *syncReport) finding {
	f := finding{Check: "outbox"}
	if sync == nil {
		f.Status, f.Detail = statusSkip, "the agent is not running"
		return f
	}
	if sync.OutboxLen == 0 {
		f.Detail = "empty: every event recorded here reached the hub"
		return f
	}
	age := d.now().Sub(time.Unix(sync.OldestPending, 0))
	f.Detail = fmt.Sprintf("%d events waiting, the oldest for %s", sync.OutboxLen, age.Round(time.Second))
	fix := "events recorded here are not reaching the hub: see the hub check above and the agent's log"
	switch {
	case sync.OldestPending == 0:
		f.Detail = fmt.Sprintf("%d events waiting", sync.OutboxLen)
	case age >= outboxFailAfter:
		f.Status, f.Fix = statusFail, fix
	case age >= outboxWarnAfter:
		f.Status, f.Fix = statusWarn, fix
	}
	return f
}
