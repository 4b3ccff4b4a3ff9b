package installer

import (
	"errors"
	"strings"
	"testing"
)

// A config file is decoded strictly and validated; every error names the
// key, and its line and column when the key is in the file.
func TestParseConfig_NamesTheKeyAndWhere(t *testing.T) {
	tests := []struct {
		name string
		text string
		want AgentConfig
		errs []string // substrings, one per expected error, in order
	}{
		{
			name: "minimal file gets defaults",
			text: "data_dir = \"/var/lib/touchpoint/agent\"\n",
			want: AgentConfig{DataDir: "/var/lib/touchpoint/agent", HTTPAddr: DefaultHTTPAddr, LogLevel: "info", LogFormat: "text"},
		},
		{
			name: "every key",
			text: "data_dir = '/srv/tp'\nhttp_addr = \"0.0.0.0:9000\"\nlog_level = \"debug\"\nlog_format = \"json\"\n",
			want: AgentConfig{DataDir: "/srv/tp", HTTPAddr: "0.0.0.0:9000", LogLevel: "debug", LogFormat: "json"},
		},
		{
			name: "windows data dir",
			text: `data_dir = 'C:\ProgramData\Touchpoint\data'` + "\n",
			want: AgentConfig{DataDir: `C:\ProgramData\Touchpoint\data`, HTTPAddr: DefaultHTTPAddr, LogLevel: "info", LogFormat: "text"},
		},
		{
			name: "unknown key with line and column",
			text: "data_dir = \"/d\"\n\n  hub_addr = \"x:1\"\n",
			errs: []string{`agent.toml:3:3: hub_addr: unknown key (known keys: data_dir, http_addr, log_level, log_format)`},
		},
		{
			name: "two unknown keys, one in a table",
			text: "data_dir = \"/d\"\ncolour = 1\n[http]\naddr = \"x\"\n",
			errs: []string{"agent.toml:2:1: colour: unknown key", "agent.toml:3:2: http: unknown key"},
		},
		{
			name: "unknown keys and bad values together",
			text: "data_dir = \"/d\"\nlog_levl = \"x\"\nhttp_addr = \"foo\"\n",
			errs: []string{"agent.toml:2:1: log_levl: unknown key", `agent.toml:3:1: http_addr: "foo" is not host:port`},
		},
		{
			name: "wrong type",
			text: "data_dir = \"/d\"\nhttp_addr = 8470\n",
			errs: []string{"agent.toml:2:1: http_addr: "},
		},
		{
			name: "syntax error",
			text: "data_dir = \"/d\n",
			errs: []string{"agent.toml:1:"},
		},
		{
			name: "missing data dir",
			text: "log_level = \"info\"\n",
			errs: []string{"agent.toml: data_dir: required"},
		},
		{
			name: "relative data dir",
			text: "data_dir = \"var/lib\"\n",
			errs: []string{`agent.toml:1:1: data_dir: "var/lib" is not an absolute path`},
		},
		{
			name: "bad values name each key",
			text: "data_dir = \"/d\"\nhttp_addr = \"localhost\"\nlog_level = \"loud\"\nlog_format = \"xml\"\n",
			errs: []string{
				`agent.toml:2:1: http_addr: "localhost" is not host:port`,
				`agent.toml:3:1: log_level: "loud" is not debug, info, warn or error`,
				`agent.toml:4:1: log_format: "xml" is not text or json`,
			},
		},
		{
			name: "port out of range",
			text: "data_dir = \"/d\"\nhttp_addr = \"127.0.0.1:70000\"\n",
			errs: []string{"http_addr: \"127.0.0.1:70000\": port must be 1-65535"},
		},
		{
			name: "empty host",
			text: "data_dir = \"/d\"\nhttp_addr = \":8470\"\n",
			errs: []string{"http_addr: \":8470\": give a host"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseConfig("agent.toml", []byte(tt.text))
			if len(tt.errs) == 0 {
				if err != nil {
					t.Fatalf("error: %v", err)
				}
				if got != tt.want {
					t.Fatalf("got %+v, want %+v", got, tt.want)
				}
				return
			}
			if err == nil {
				t.Fatalf("no error, want %q", tt.errs)
			}
			lines := strings.Split(err.Error(), "\n")
			if len(lines) != len(tt.errs) {
				t.Fatalf("%d errors, want %d:\n%v", len(lines), len(tt.errs), err)
			}
			for i, want := range tt.errs {
				if !strings.Contains(lines[i], want) {
					t.Errorf("error %d = %q, want it to contain %q", i, lines[i], want)
				}
			}
			var ce *ConfigError
			if !errors.As(err, &ce) {
				t.Errorf("error is not a *ConfigError: %T", err)
			}
		})
	}
}

// A file over the size limit is refused before it is parsed.
func TestParseConfig_RefusesLargeFile(t *testing.T) {
	text := "data_dir = \"/d\"\n" + strings.Repeat("# padding\n", MaxConfigSize/10+1)
	_, err := ParseConfig("agent.toml", []byte(text))
	if !errors.Is(err, ErrConfigTooLarge) {
		t.Fatalf("err = %v, want ErrConfigTooLarge", err)
	}
}

// LoadConfig reads at most one byte over the limit of a huge file.
func TestLoadConfig_RefusesLargeFile(t *testing.T) {
	path := t.TempDir() + "/agent.toml"
	mustWrite(t, path, strings.Repeat("#", 4*MaxConfigSize))
	if _, err := LoadConfig(path); !errors.Is(err, ErrConfigTooLarge) {
		t.Fatalf("err = %v, want ErrConfigTooLarge", err)
	}
}

// Encode writes a file that parses back to the same values, whatever
// characters the paths hold.
func TestAgentConfig_EncodeRoundTrips(t *testing.T) {
	for _, c := range []AgentConfig{
		{DataDir: "/var/lib/touchpoint/agent", HTTPAddr: "127.0.0.1:8470", LogLevel: "info", LogFormat: "text"},
		{DataDir: `C:\ProgramData\Touchpoint\data`, HTTPAddr: "[::1]:8470", LogLevel: "warn", LogFormat: "json"},
		{DataDir: `/srv/a "quoted" dir/with\back\slash`, HTTPAddr: "10.0.0.5:80", LogLevel: "error", LogFormat: "text"},
	} {
		got, err := ParseConfig("agent.toml", c.Encode())
		if err != nil {
			t.Fatalf("%+v: %v\n%s", c, err, c.Encode())
		}
		if got != c {
			t.Errorf("round trip: got %+v, want %+v", got, c)
		}
	}
}
