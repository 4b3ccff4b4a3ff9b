package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// `run` takes its settings from the config file, and a flag given on the
// command line overrides the file's value.
func TestParseRunConfig_FlagsOverrideFile(t *testing.T) {
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
			runConfig{DataDir: "/srv/tp", HTTPAddr: "127.0.0.1:9001", LogFormat: "text", LogLevel: "warn"}, ""},
		{"flags override", []string{"--config", file, "--http-addr", "127.0.0.1:9999", "--log-level", "debug"},
			runConfig{DataDir: "/srv/tp", HTTPAddr: "127.0.0.1:9999", LogFormat: "text", LogLevel: "debug"}, ""},
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
