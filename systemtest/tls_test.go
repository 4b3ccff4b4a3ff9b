package systemtest

import (
	"bytes"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/touchpoint/touchpoint/customer"
	"github.com/touchpoint/touchpoint/systemtest/proc"
)

// A three-node hub with --http-tls: nodes join over HTTPS trusting the
// cluster CA, Raft runs over mutual TLS, a follower forwards a write to
// the leader over HTTPS, and operators verify the nodes with the CA file.
// Plain HTTP to the API is refused.
func TestSecurity_ClusterOverTLS(t *testing.T) {
	var nodes []*proc.HubNode
	var caFile string
	for i := range 3 {
		n := MustHubNode(t, fmt.Sprintf("hub%d", i+1))
		args := append(n.ServeArgs(), "--http-tls")
		if i == 0 {
			args = append(args, "--bootstrap")
		} else {
			args = append(args, "--join", "https://"+nodes[0].HTTP, "--ca-file", caFile)
		}
		n.Proc = StartProc(t, n.ID, nil, "touchpoint-hub", args...)
		nodes = append(nodes, n)
		if i == 0 {
			caFile = filepath.Join(n.Dir, "node-tls", "ca.crt")
			(&Cluster{t: t}).ReadOperatorToken(n)
			Eventually(t, 30*time.Second, "cluster CA file", func() error { _, err := os.Stat(caFile); return err })
		}
	}
	client := clusterCAClient(t, caFile)
	Eventually(t, 60*time.Second, "three voters seen over HTTPS", func() error {
		out, err := proc.Output(command("touchpoint-hub", "peers", "--addr", "https://"+nodes[2].HTTP, "--ca-file", caFile))
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
	Eventually(t, 30*time.Second, "a write through every node", func() error {
		for _, n := range nodes {
			if err := postTLS(client, "https://"+n.HTTP+"/v1/events", e); err != nil {
				return err
			}
		}
		return nil
	})
	if resp, err := http.Get("http://" + nodes[0].HTTP + "/healthz"); err == nil {
		resp.Body.Close()
		if resp.StatusCode/100 == 2 {
			t.Error("plain HTTP to a --http-tls node answered 2xx")
		}
	}
	if err := RunErr("touchpoint-hub", "status", "--addr", "https://"+nodes[0].HTTP); err == nil {
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
