package systemtest

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// importOutcome is what one run of an import command did.
type importOutcome struct {
	code           int
	stdout, stderr string
	peakRSS        int64 // bytes, from the kernel's accounting of the process
	rows, created  int
	duplicate      int
	rejected       int
}

var summaryLine = regexp.MustCompile(`: (\d+) rows, (\d+) created, (\d+) duplicate, (\d+) rejected`)

// runImport runs an import command to completion, with no timeout of its
// own beyond the test's.
func runImport(t *testing.T, bin string, args ...string) importOutcome {
	t.Helper()
	cmd := command(bin, append([]string{"import"}, args...)...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	if _, exited := err.(*exec.ExitError); err != nil && !exited {
		t.Fatalf("run %s import: %v", bin, err)
	}
	out := importOutcome{code: cmd.ProcessState.ExitCode(), stdout: stdout.String(), stderr: stderr.String()}
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		out.peakRSS = ru.Maxrss << 10 // Linux reports KiB
	}
	if m := summaryLine.FindStringSubmatch(out.stdout); m != nil {
		out.rows, out.created, out.duplicate, out.rejected = atoi(m[1]), atoi(m[2]), atoi(m[3]), atoi(m[4])
	}
	return out
}

func atoi(s string) int { n, _ := strconv.Atoi(s); return n }

// writeCustomersCSV writes a DMS-style export of rows customers; the row
// on file line badLine (when > 0) has a date that is not one.
func writeCustomersCSV(t *testing.T, path, prefix string, rows, badLine int) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w := bufio.NewWriter(f)
	fmt.Fprintln(w, "Customer No,First Name,Surname,E-Mail,Date,Model")
	for i := range rows {
		date := fmt.Sprintf("2026-%02d-%02d", 1+i%12, 1+i%28)
		if i+2 == badLine {
			date = "someday"
		}
		fmt.Fprintf(w, "%s-%07d,Anna,Muster%d,%s-%d@example.com,%s,ZOT %d\n", prefix, i, i, prefix, i, date, i%5)
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}

// importSizes are the large and small file sizes. The 100k rows
// take the race-built hub of these tests about 15 minutes, so they run
// with TOUCHPOINT_IMPORT_ROWS=100000; the default 20k rows already make
// a tenfold size step for the memory check, and -short scales down.
func importSizes(t *testing.T) (large, small int) {
	large = 20_000
	if testing.Short() {
		large = 5_000
	}
	if v := os.Getenv("TOUCHPOINT_IMPORT_ROWS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1000 {
			t.Fatalf("TOUCHPOINT_IMPORT_ROWS=%q: want a number of at least 1000", v)
		}
		large = n
	}
	return large, large / 10
}

// A large CSV (100k rows with TOUCHPOINT_IMPORT_ROWS=100000) imports into a real hub in constant memory, resumes
// after being killed mid-way, reports its bad row by line number, and
// creates no duplicates when run again.
func TestImport_HubLargeFileResumesAndDeduplicates(t *testing.T) {
	large, small := importSizes(t)
	c := StartCluster(t, 1)
	addr := c.Nodes[0].HTTP
	dir := t.TempDir()
	file := filepath.Join(dir, "dms-export.csv")
	badLine := large/2 + 7
	writeCustomersCSV(t, file, "big", large, badLine)

	killMidway(t, file, large/4, "--addr", addr, "--batch", "500")
	resumed := runImport(t, "touchpoint-hub", file, "--addr", addr)
	t.Logf("resumed run: %s", resumed.stdout)
	if !strings.Contains(resumed.stderr, "resuming the interrupted import at line") {
		t.Errorf("the rerun did not say it resumed:\n%s", lastLines(resumed.stderr, 5))
	}
	wantTotals(t, "resumed run", resumed, large, 1)
	if resumed.created+resumed.duplicate != large-1 {
		t.Errorf("resumed run: %d created + %d duplicate, want %d", resumed.created, resumed.duplicate, large-1)
	}
	checkReport(t, file+".rejected.csv", badLine)
	checkImported(t, c, "big", 0, large-1)

	again := runImport(t, "touchpoint-hub", file, "--addr", addr)
	t.Logf("full rerun: %s", again.stdout)
	wantTotals(t, "full rerun", again, large, 1)
	if again.created != 0 || again.duplicate != large-1 {
		t.Errorf("full rerun: %d created, %d duplicate; want 0 and %d", again.created, again.duplicate, large-1)
	}

	smallFile := filepath.Join(dir, "small.csv")
	writeCustomersCSV(t, smallFile, "small", small, 0)
	few := runImport(t, "touchpoint-hub", smallFile, "--addr", addr)
	if few.code != 0 || few.created != small {
		t.Fatalf("small import: exit %d, %d created, want 0 and %d\n%s%s", few.code, few.created, small, few.stdout, lastLines(few.stderr, 5))
	}
	t.Logf("peak RSS: %d rows %.1f MiB, %d rows %.1f MiB", small, mib(few.peakRSS), large, mib(again.peakRSS))
	if limit := few.peakRSS*3/2 + 16<<20; again.peakRSS > limit {
		t.Errorf("peak RSS grows with the file: %.1f MiB for %d rows, %.1f MiB for %d rows (limit %.1f MiB)",
			mib(few.peakRSS), small, mib(again.peakRSS), large, mib(limit))
	}
}

// killMidway starts an import and kills it (SIGKILL, as in a crash)
// once its checkpoint has passed line.
func killMidway(t *testing.T, file string, line int, args ...string) {
	t.Helper()
	cmd := command("touchpoint-hub", append([]string{"import", file}, args...)...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	Eventually(t, 10*time.Minute, "checkpoint past line "+strconv.Itoa(line), func() error {
		select {
		case err := <-done:
			t.Fatalf("the import ended before it was killed: %v\n%s", err, lastLines(stderr.String(), 5))
		default:
		}
		next, err := checkpointLine(file + ".tpimport.json")
		if err == nil && next < line {
			err = fmt.Errorf("checkpoint at line %d", next)
		}
		return err
	})
	_ = cmd.Process.Kill()
	<-done
}

func checkpointLine(path string) (int, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return 0, err
	}
	var cp struct {
		Next struct{ Line int }
	}
	err = json.Unmarshal(b, &cp)
	return cp.Next.Line, err
}

// wantTotals checks an import read every row, rejected the planted ones
// and exited with 2 (or 0 when nothing was rejected).
func wantTotals(t *testing.T, what string, o importOutcome, rows, rejected int) {
	t.Helper()
	wantCode := 0
	if rejected > 0 {
		wantCode = 2
	}
	if o.code != wantCode || o.rows != rows || o.rejected != rejected {
		t.Fatalf("%s: exit %d, %d rows, %d rejected; want exit %d, %d rows, %d rejected\n%s%s",
			what, o.code, o.rows, o.rejected, wantCode, rows, rejected, o.stdout, lastLines(o.stderr, 5))
	}
}

// checkReport wants the report to name the bad row's line and reason.
func checkReport(t *testing.T, path string, line int) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("rejected-rows report: %v", err)
	}
	want := fmt.Sprintf("\n%d,Date,occurred_at,\"is not a date:", line)
	if !strings.Contains(string(b), want) {
		t.Errorf("report does not hold %q:\n%s", strings.TrimSpace(want), b)
	}
	if n := strings.Count(string(b), "\n"); n != 2 {
		t.Errorf("report has %d lines, want the header and one row:\n%s", n, b)
	}
}

// checkImported looks up rows first..last's customers at the hub.
func checkImported(t *testing.T, c *Cluster, prefix string, first, last int) {
	t.Helper()
	for _, i := range []int{first, (first + last) / 3, last} {
		email := fmt.Sprintf("%s-%d@example.com", prefix, i)
		profiles, err := Search("http://"+c.Nodes[0].HTTP, "email", email)
		if err != nil || len(profiles) != 1 || len(profiles[0].Events) != 1 {
			t.Errorf("%s: %d profiles (err %v), want one with one event", email, len(profiles), err)
		}
	}
}

// A dealer's CSV imports through the running agent, recorded as the
// dealer's events; a rerun adds nothing to anyone's history. The agent
// only deduplicates events it still holds as local copies (it forgets
// them once the hub's profile includes them), so a later rerun may count
// rows as created at the agent: the hub drops them by (source, id).
func TestImport_AgentRecordsRowsOnce(t *testing.T) {
	c := StartCluster(t, 1)
	c.AddDealer("D-IMP", "10")
	a := c.StartAgent("D-IMP")
	file := filepath.Join(t.TempDir(), "showroom.csv")
	const rows = 1000
	writeCustomersCSV(t, file, "dealer", rows, 0)

	first := runImport(t, "touchpoint-agent", file, "--addr", a.HTTP, "--data-dir", a.Dir)
	if first.code != 0 || first.created != rows {
		t.Fatalf("agent import: exit %d, %d created; want 0 and %d\n%s%s", first.code, first.created, rows, first.stdout, lastLines(first.stderr, 5))
	}
	email := fmt.Sprintf("dealer-%d@example.com", rows-1)
	var id string
	Eventually(t, 2*time.Minute, "imported rows reach the hub", func() error {
		found, err := Search("http://"+c.Nodes[0].HTTP, "email", email)
		if err != nil || len(found) != 1 || len(found[0].Events) != 1 {
			return fmt.Errorf("%d profiles (err %v), want one with one event", len(found), err)
		}
		id = found[0].Events[0].ID
		if src := found[0].Events[0].Source; src != "dealer:D-IMP" {
			t.Fatalf("imported event has source %q, want dealer:D-IMP", src)
		}
		return nil
	})
	again := runImport(t, "touchpoint-agent", file, "--addr", a.HTTP, "--data-dir", a.Dir)
	if again.code != 0 || again.rows != rows || again.rejected != 0 {
		t.Fatalf("agent rerun: exit %d, %d rows, %d rejected\n%s", again.code, again.rows, again.rejected, again.stdout)
	}
	Eventually(t, 2*time.Minute, "the rerun's rows pushed", func() error {
		if st := a.SyncStatus(); st.OutboxLen != 0 {
			return fmt.Errorf("outbox holds %d", st.OutboxLen)
		}
		return nil
	})
	for name, url := range map[string]string{"hub": "http://" + c.Nodes[0].HTTP, "agent": "http://" + a.HTTP} {
		found, err := Search(url, "email", email)
		if err != nil || len(found) != 1 || len(found[0].Events) != 1 || found[0].Events[0].ID != id {
			t.Errorf("%s after the rerun: %d profiles (err %v), want one with event %s only", name, len(found), err, id)
		}
	}
}

func mib(n int64) float64 { return float64(n) / (1 << 20) }
