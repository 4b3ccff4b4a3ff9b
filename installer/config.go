package installer

import (
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	toml "github.com/pelletier/go-toml/v2"
)

// MaxConfigSize bounds the config file; a real one is a few hundred bytes.
const MaxConfigSize = 64 << 10

// Defaults for keys the config file may leave out.
const (
	DefaultHTTPAddr  = "127.0.0.1:8470"
	DefaultLogLevel  = "info"
	DefaultLogFormat = "text"
)

// AgentConfig is the agent's config file, agent.toml. Flags given to the
// agent override its values.
type AgentConfig struct {
	DataDir   string `toml:"data_dir"`
	HTTPAddr  string `toml:"http_addr"`
	LogLevel  string `toml:"log_level"`
	LogFormat string `toml:"log_format"`
}

// configKeys lists the keys in the order they are documented.
var configKeys = []string{"data_dir", "http_addr", "log_level", "log_format"}

// ConfigError says which key of a config file is wrong, where and why.
type ConfigError struct {
	File         string
	Key          string // empty for a syntax error before any key
	Line, Column int    // 0 when the key is missing from the file
	Reason       string
}

func (e *ConfigError) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		fmt.Fprintf(&b, ":%d:%d", e.Line, e.Column)
	}
	b.WriteString(": ")
	if e.Key != "" {
		b.WriteString(e.Key + ": ")
	}
	b.WriteString(e.Reason)
	return b.String()
}

// LoadConfig reads and validates the config file at path.
func LoadConfig(path string) (AgentConfig, error) {
	f, err := os.Open(path)
	if err != nil {
		return AgentConfig{}, fmt.Errorf("read config: %w", err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxConfigSize+1))
	if err != nil {
		return AgentConfig{}, fmt.Errorf("read config %s: %w", path, err)
	}
	return ParseConfig(path, data)
}

// ParseConfig decodes a config file strictly (an unknown key is an error
// naming it, with its line and column) and validates it. The errors it
// returns are *ConfigError values, joined when there are several.
func ParseConfig(name string, data []byte) (AgentConfig, error) {
	var c AgentConfig
	if len(data) > MaxConfigSize {
		return c, fmt.Errorf("%s: %w: %d bytes, at most %d", name, ErrConfigTooLarge, len(data), MaxConfigSize)
	}
	dec := toml.NewDecoder(strings.NewReader(string(data)))
	dec.DisallowUnknownFields()
	err := dec.Decode(&c)
	var strict *toml.StrictMissingError
	if err != nil && !errors.As(err, &strict) {
		return c, decodeError(name, data, err)
	}
	// Unknown keys are reported with every problem of the known ones.
	var unknown error
	if strict != nil {
		unknown = decodeError(name, data, err)
		c = AgentConfig{}
		if err := toml.Unmarshal(data, &c); err != nil {
			return c, decodeError(name, data, err)
		}
	}
	c.applyDefaults()
	return c, errors.Join(unknown, c.validate(name, data))
}

func (c *AgentConfig) applyDefaults() {
	if c.HTTPAddr == "" {
		c.HTTPAddr = DefaultHTTPAddr
	}
	if c.LogLevel == "" {
		c.LogLevel = DefaultLogLevel
	}
	if c.LogFormat == "" {
		c.LogFormat = DefaultLogFormat
	}
}

// decodeError turns go-toml's errors into ConfigErrors.
func decodeError(name string, data []byte, err error) error {
	var strict *toml.StrictMissingError
	if errors.As(err, &strict) {
		var errs []error
		for i := range strict.Errors {
			e := &strict.Errors[i]
			line, col := e.Position()
			errs = append(errs, &ConfigError{
				File: name, Key: strings.Join(e.Key(), "."), Line: line, Column: col,
				Reason: "unknown key (known keys: " + strings.Join(configKeys, ", ") + ")",
			})
		}
		return errors.Join(errs...)
	}
	var de *toml.DecodeError
	if errors.As(err, &de) {
		line, col := de.Position()
		key := strings.Join(de.Key(), ".")
		reason := strings.TrimPrefix(de.Error(), "toml: ")
		if key != "" {
			if l, c := keyPosition(data, key); l > 0 {
				line, col = l, c
			}
		}
		return &ConfigError{File: name, Key: key, Line: line, Column: col, Reason: reason}
	}
	return &ConfigError{File: name, Reason: err.Error()}
}

// validate checks every value, naming the key and its line.
func (c *AgentConfig) validate(name string, data []byte) error {
	var errs []error
	bad := func(key, reason string) {
		line, col := keyPosition(data, key)
		errs = append(errs, &ConfigError{File: name, Key: key, Line: line, Column: col, Reason: reason})
	}
	switch {
	case c.DataDir == "":
		bad("data_dir", "required: the directory where the agent keeps its data, e.g. "+strconv.Quote(DefaultLayout(currentOS, os.Getenv).DataDir))
	case !isAbs(c.DataDir):
		bad("data_dir", fmt.Sprintf("%q is not an absolute path", c.DataDir))
	}
	if err := checkHostPort(c.HTTPAddr); err != nil {
		bad("http_addr", err.Error())
	}
	switch c.LogLevel {
	case "debug", "info", "warn", "error":
	default:
		bad("log_level", fmt.Sprintf("%q is not debug, info, warn or error", c.LogLevel))
	}
	switch c.LogFormat {
	case "text", "json":
	default:
		bad("log_format", fmt.Sprintf("%q is not text or json", c.LogFormat))
	}
	return errors.Join(errs...)
}

// isAbs accepts absolute paths of either OS family, so a Windows config
// can be checked on Linux and the other way round.
func isAbs(p string) bool {
	return filepath.IsAbs(p) || strings.HasPrefix(p, "/") || windowsAbs.MatchString(p)
}

var windowsAbs = regexp.MustCompile(`^([A-Za-z]:[\\/]|\\\\)`)

func checkHostPort(addr string) error {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("%q is not host:port", addr)
	}
	n, err := strconv.Atoi(port)
	if err != nil || n < 1 || n > 65535 {
		return fmt.Errorf("%q: port must be 1-65535", addr)
	}
	if host == "" {
		return fmt.Errorf("%q: give a host, e.g. 127.0.0.1:%d (an empty host listens on every network)", addr, n)
	}
	return nil
}

// keyPosition finds where a top-level key is set; 0, 0 if it is not.
func keyPosition(data []byte, key string) (line, col int) {
	re := regexp.MustCompile(`^(\s*)(` + regexp.QuoteMeta(key) + `|"` + regexp.QuoteMeta(key) + `"|'` + regexp.QuoteMeta(key) + `')\s*=`)
	for i, l := range strings.Split(string(data), "\n") {
		if m := re.FindStringSubmatch(l); m != nil {
			return i + 1, len(m[1]) + 1
		}
	}
	return 0, 0
}

// Encode renders the config as a commented agent.toml.
func (c AgentConfig) Encode() []byte {
	var b strings.Builder
	b.WriteString("# Touchpoint agent configuration. Flags given to `touchpoint-agent run`\n")
	b.WriteString("# override these values. Check it with: touchpoint-agent config check\n\n")
	b.WriteString("# Where the agent keeps its enrolment, cache and outbox (owner-only).\n")
	fmt.Fprintf(&b, "data_dir = %s\n\n", quoteTOML(c.DataDir))
	b.WriteString("# The staff page and local API. Keep it on loopback unless staff use\n# other PCs, and then put it behind the dealership's firewall.\n")
	fmt.Fprintf(&b, "http_addr = %s\n\n", quoteTOML(c.HTTPAddr))
	b.WriteString("# debug, info, warn or error; text or json.\n")
	fmt.Fprintf(&b, "log_level = %s\n", quoteTOML(c.LogLevel))
	fmt.Fprintf(&b, "log_format = %s\n", quoteTOML(c.LogFormat))
	return []byte(b.String())
}

// quoteTOML writes s as a TOML basic string.
func quoteTOML(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r < 0x20 || r == 0x7f:
			fmt.Fprintf(&b, `\u%04X`, r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}
