package systemtest

import (
	"bytes"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/touchpoint/touchpoint/customer"
)

// A three-node hub with --http-tls: nodes join over HTTPS trusting the
// cluster CA, Raft runs over mutual TLS, a follower forwards a write to
// the leader over HTTPS, and operators verify the nodes with the CA file.
// Plain HTTP to the API is refused.
func TestSecurity_ClusterOverTLS(t *testing.T) {
	var nodes []*hubNode
	var caFile string
	for i := range 3 {
		n := &hubNode{id: fmt.Sprintf("hub%d", i+1), raft: freeTCP(t), http: freeTCP(t), agent: freeUDP(t)}
		n.dir = filepath.Join(t.TempDir(), n.id)
		args := []string{"serve", "--node-id", n.id, "--data-dir", n.dir, "--http-tls",
			"--raft-addr", n.raft, "--http-addr", n.http, "--agent-addr", n.agent}
		if i == 0 {
			args = append(args, "--bootstrap")
		} else {
			args = append(args, "--join", "https://"+nodes[0].http, "--ca-file", caFile)
		}
		n.proc = startProc(t, n.id, "touchpoint-hub", args...)
		nodes = append(nodes, n)
		if i == 0 {
			caFile = filepath.Join(n.dir, "node-tls", "ca.crt")
			(&hubCluster{t: t}).readOperatorToken(n)
			eventually(t, 30*time.Second, "cluster CA file", func() error { _, err := os.Stat(caFile); return err })
		}
	}
	client := clusterCAClient(t, caFile)
	eventually(t, 60*time.Second, "three voters seen over HTTPS", func() error {
		out, err := runOut("touchpoint-hub", "peers", "--addr", "https://"+nodes[2].http, "--ca-file", caFile)
		if err != nil {
			return err
		}
		if strings.Count(out, "Voter") != 3 {
			return fmt.Errorf("peers:\n%s", out)
		}
		return nil
	})

	e := customer.Event{ID: "tls-1", Source: "web:zot.example", Channel: "web", Type: "page_view",
		OccurredAt: time.Now().UTC().Truncate(time.Second), Customer: customer.Hints{WebID: "w-tls"}}
	eventually(t, 30*time.Second, "a write through every node", func() error {
		for _, n := range nodes {
			if err := postTLS(client, "https://"+n.http+"/v1/events", e); err != nil {
				return err
			}
		}
		return nil
	})
	if resp, err := http.Get("http://" + nodes[0].http + "/healthz"); err == nil {
		resp.Body.Close()
		if resp.StatusCode/100 == 2 {
			t.Error("plain HTTP to a --http-tls node answered 2xx")
		}
	}
	if err := runErr("touchpoint-hub", "status", "--addr", "https://"+nodes[0].http); err == nil {
		t.Error("status without --ca-file trusted the node's certificate")
	}
}

func clusterCAClient(t *testing.T, caFile string) *http.Client {
	t.Helper()
	pemBytes, err := os.ReadFile(caFile)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pemBytes) {
		t.Fatal("no certificate in the CA file")
	}
	tr := &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool, ServerName: "touchpoint-hub", MinVersion: tls.VersionTLS12}}
	return &http.Client{Transport: tr, Timeout: 20 * time.Second}
}

func postTLS(client *http.Client, url string, e customer.Event) error {
	body, _ := json.Marshal(e)
	req, _ := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+operatorToken)
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("POST %s: %d", url, resp.StatusCode)
	}
	return nil
}

// runOut runs a binary and returns its output, or its error with stderr.
func runOut(bin string, args ...string) (string, error) {
	cmd := exec.Command(filepath.Join(binDir, bin), args...)
	cmd.Env = commandEnv()
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("%v: %s", err, stderr.String())
	}
	return string(out), nil
}
