package main

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// `run` takes its settings from the config file, and a flag given on the
// command line overrides the file's value.
func TestParseRunConfig_FlagsOverrideFile(t *testing.T) {
	t.Setenv("GOMEMLIMIT", "")
	dir := t.TempDir()
	file := filepath.Join(dir, "agent.toml")
	if err := os.WriteFile(file, []byte("data_dir = \"/srv/tp\"\nhttp_addr = \"127.0.0.1:9001\"\nlog_level = \"warn\"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	bad := filepath.Join(dir, "bad.toml")
	if err := os.WriteFile(bad, []byte("data_dir = \"/srv/tp\"\nport = 1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		args    []string
		want    runConfig
		wantErr string
	}{
		{"file only", []string{"--config", file},
			runConfig{DataDir: "/srv/tp", HTTPAddr: "127.0.0.1:9001", LogFormat: "text", LogLevel: "warn", MemoryLimitMiB: shopMemoryLimitMiB}, ""},
		{"flags override", []string{"--config", file, "--http-addr", "127.0.0.1:9999", "--log-level", "debug"},
			runConfig{DataDir: "/srv/tp", HTTPAddr: "127.0.0.1:9999", LogFormat: "text", LogLevel: "debug", MemoryLimitMiB: shopMemoryLimitMiB}, ""},
		{"flags without a file", []string{"--config", filepath.Join(dir, "absent.toml"), "--data-dir", "/d"},
			runConfig{}, "absent.toml"},
		{"invalid file names the key", []string{"--config", bad}, runConfig{}, "bad.toml:2:1: port: unknown key"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseRunConfig(tt.args)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
		})
	}
}

// --pprof-addr is off by default and takes only a loopback address;
// --memory-limit defaults to a shop PC's limit unless GOMEMLIMIT is set,
// and takes 0 (leave the runtime's) or a sane size.
func TestParseRunConfig_ProfilingAndMemoryFlags(t *testing.T) {
	file := filepath.Join(t.TempDir(), "agent.toml")
	if err := os.WriteFile(file, []byte("data_dir = \"/srv/tp\"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	base := []string{"--config", file}
	tests := []struct {
		name       string
		gomemlimit string
		args       []string
		wantPprof  string
		wantMemory int
		wantErr    string
	}{
		{"defaults", "", nil, "", shopMemoryLimitMiB, ""},
		{"GOMEMLIMIT set", "200MiB", nil, "", 0, ""},
		{"flag over GOMEMLIMIT", "200MiB", []string{"--memory-limit", "64"}, "", 64, ""},
		{"no limit", "", []string{"--memory-limit", "0"}, "", 0, ""},
		{"limit too small", "", []string{"--memory-limit", "8"}, "", 0, "--memory-limit: 8 MiB is out of range"},
		{"negative limit", "", []string{"--memory-limit", "-1"}, "", 0, "--memory-limit"},
		{"pprof on loopback", "", []string{"--pprof-addr", "127.0.0.1:6060"}, "127.0.0.1:6060", shopMemoryLimitMiB, ""},
		{"pprof on IPv6 loopback", "", []string{"--pprof-addr", "[::1]:6060"}, "[::1]:6060", shopMemoryLimitMiB, ""},
		{"pprof on localhost", "", []string{"--pprof-addr", "localhost:6060"}, "localhost:6060", shopMemoryLimitMiB, ""},
		{"pprof on every interface", "", []string{"--pprof-addr", ":6060"}, "", 0, "--pprof-addr: \":6060\" must be a loopback address"},
		{"pprof on 0.0.0.0", "", []string{"--pprof-addr", "0.0.0.0:6060"}, "", 0, "--pprof-addr"},
		{"pprof on a LAN address", "", []string{"--pprof-addr", "192.168.1.20:6060"}, "", 0, "--pprof-addr"},
		{"pprof on a host name", "", []string{"--pprof-addr", "shop-pc.example:6060"}, "", 0, "--pprof-addr"},
		{"pprof without port", "", []string{"--pprof-addr", "127.0.0.1"}, "", 0, "--pprof-addr: \"127.0.0.1\" is not host:port"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv("GOMEMLIMIT", tt.gomemlimit)
			got, err := parseRunConfig(append(slices.Clone(base), tt.args...))
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got.PprofAddr != tt.wantPprof || got.MemoryLimitMiB != tt.wantMemory {
				t.Errorf("pprof %q, memory limit %d MiB; want %q, %d", got.PprofAddr, got.MemoryLimitMiB, tt.wantPprof, tt.wantMemory)
			}
		})
	}
}
