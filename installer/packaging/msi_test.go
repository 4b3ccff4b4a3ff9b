package packaging

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// msiTable exports one table of an .msi as rows keyed by column name.
func msiTable(t *testing.T, msi, table string) []map[string]string {
	t.Helper()
	out := run(t, needTool(t, "msiinfo", "msitools"), "export", msi, table)
	lines := strings.Split(strings.TrimRight(out, "\r\n"), "\n")
	if len(lines) < 3 {
		t.Fatalf("table %s: %q", table, out)
	}
	cols := strings.Split(strings.TrimRight(lines[0], "\r"), "\t")
	var rows []map[string]string
	for _, l := range lines[3:] { // column names, column types, table name and keys
		row := map[string]string{}
		for i, v := range strings.Split(strings.TrimRight(l, "\r"), "\t") {
			if i < len(cols) {
				row[cols[i]] = v
			}
		}
		rows = append(rows, row)
	}
	return rows
}

// rowWith returns the row whose column col is val.
func rowWith(t *testing.T, rows []map[string]string, col, val string) map[string]string {
	t.Helper()
	for _, r := range rows {
		if r[col] == val {
			return r
		}
	}
	t.Fatalf("no row with %s=%s in %v", col, val, rows)
	return nil
}

// buildMSI builds an .msi around binary into dir.
func buildMSI(t *testing.T, binary, dir string) string {
	t.Helper()
	needTool(t, "wixl", "wixl")
	path, err := MSI{Version: testVersion, Binary: binary, OutDir: dir}.Build()
	if err != nil {
		t.Fatal(err)
	}
	return path
}

// sharedMSI is the .msi of the unsigned agent the package command built.
func sharedMSI(t *testing.T) string {
	t.Helper()
	needTool(t, "wixl", "wixl")
	name, err := MSI{Version: testVersion}.FileName()
	if err != nil {
		t.Fatal(err)
	}
	return built(t, name)
}

// The .msi installs the agent as an automatically started service run as
// LocalSystem with the config file under %ProgramData%, stops and removes
// it on uninstall, registers its event log source, and sets delayed start
// and restart-on-failure through sc.exe.
func TestMSI_ServiceTablesAndEventSource(t *testing.T) {
	msi := sharedMSI(t)
	if got := filepath.Base(msi); got != "touchpoint-agent-1.4.2+3.gabc1234-x64.msi" {
		t.Errorf("file name %s", got)
	}
	svc := rowWith(t, msiTable(t, msi, "ServiceInstall"), "Name", "touchpoint-agent")
	for col, want := range map[string]string{
		"DisplayName":  "Touchpoint dealer agent",
		"ServiceType":  "16", // SERVICE_WIN32_OWN_PROCESS
		"StartType":    "2",  // SERVICE_AUTO_START
		"ErrorControl": "1", "StartName": "LocalSystem", "Component_": "Agent",
		"Arguments": `"run" "--config" "[CommonAppDataFolder]Touchpoint\agent.toml"`,
	} {
		if svc[col] != want {
			t.Errorf("ServiceInstall.%s = %q, want %q", col, svc[col], want)
		}
	}
	ctl := rowWith(t, msiTable(t, msi, "ServiceControl"), "Name", "touchpoint-agent")
	// 0x02 stop on install, 0x20 stop on uninstall, 0x80 delete on uninstall; never started
	// before enrolment.
	if ctl["Event"] != "162" || ctl["Wait"] != "1" {
		t.Errorf("ServiceControl %v", ctl)
	}
	reg := msiTable(t, msi, "Registry")
	src := `SYSTEM\CurrentControlSet\Services\EventLog\Application\touchpoint-agent\`
	if r := rowWith(t, reg, "Name", "EventMessageFile"); r["Key"] != src || r["Value"] != `[System64Folder]EventCreate.exe` || r["Root"] != "2" {
		t.Errorf("event source %v", r)
	}
	if r := rowWith(t, reg, "Name", "TypesSupported"); r["Value"] != "#7" {
		t.Errorf("TypesSupported %v", r)
	}
	ca := msiTable(t, msi, "CustomAction")
	for action, target := range map[string]string{
		"ServiceDelayedStart": "config touchpoint-agent start= delayed-auto",
		"ServiceRecovery":     "failure touchpoint-agent reset= 86400 actions= restart/5000/restart/5000/restart/30000",
		"EnrolAndStart":       `install --hub "[HUB]" --token "[TOKEN]"`,
		"RestartAfterUpgrade": "install",
	} {
		if r := rowWith(t, ca, "Action", action); r["Target"] != target {
			t.Errorf("custom action %s target %q, want %q", action, r["Target"], target)
		}
	}
	seq := msiTable(t, msi, "InstallExecuteSequence")
	at := func(action string) int {
		n, err := strconv.Atoi(rowWith(t, seq, "Action", action)["Sequence"])
		if err != nil {
			t.Fatalf("%s: %v", action, err)
		}
		return n
	}
	installServices, finalize := at("InstallServices"), at("InstallFinalize")
	for _, action := range []string{"ServiceDelayedStart", "ServiceRecovery", "EnrolAndStart", "RestartAfterUpgrade"} {
		s := at(action)
		if s <= installServices || s >= finalize { // deferred actions must run inside the install script
			t.Errorf("%s at %d, want between InstallServices (%d) and InstallFinalize (%d)", action, s, installServices, finalize)
		}
	}
	if r := rowWith(t, seq, "Action", "EnrolAndStart"); r["Condition"] != "HUB AND TOKEN AND NOT REMOVE" {
		t.Errorf("enrol condition %q", r["Condition"])
	}
	props := msiTable(t, msi, "Property")
	for name, want := range map[string]string{"ProductVersion": "1.4.203", "UpgradeCode": msiUpgradeCode, "MsiHiddenProperties": "TOKEN", "ALLUSERS": "1"} {
		if r := rowWith(t, props, "Property", name); r["Value"] != want {
			t.Errorf("property %s = %q, want %q", name, r["Value"], want)
		}
	}
	if f := rowWith(t, msiTable(t, msi, "File"), "File", "AgentExe"); f["FileName"] != "touchpoint-agent.exe" && !strings.HasSuffix(f["FileName"], "|touchpoint-agent.exe") {
		t.Errorf("file %v", f)
	}
}

// The .msi carries the agent binary byte for byte.
func TestMSI_CarriesTheAgentBinary(t *testing.T) {
	msi := sharedMSI(t)
	got := extractFromMSI(t, msi)
	want, _ := os.ReadFile(binaries["windows/amd64"])
	if !bytes.Equal(got, want) {
		t.Fatalf("extracted binary differs: %d bytes, want %d", len(got), len(want))
	}
}

func extractFromMSI(t *testing.T, msi string) []byte {
	t.Helper()
	dir := t.TempDir()
	run(t, needTool(t, "msiextract", "msitools"), "--directory", dir, msi)
	var found []byte
	_ = filepath.Walk(dir, func(p string, fi os.FileInfo, err error) error {
		if err == nil && fi.Name() == "touchpoint-agent.exe" {
			found, err = os.ReadFile(p)
		}
		return err
	})
	if found == nil {
		t.Fatal("touchpoint-agent.exe not in the .msi")
	}
	return found
}
