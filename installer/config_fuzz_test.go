package installer

import (
	"errors"
	"testing"
)

// Any config file parses without panicking. A file that is accepted
// names an absolute data directory and has every default filled in; one
// that is refused says why in ConfigErrors that name the file (or is too
// large), never in an anonymous error.
func FuzzParseConfig(f *testing.F) {
	for _, seed := range []string{
		"data_dir = \"/var/lib/touchpoint-agent\"\n",
		"data_dir = 'C:\\ProgramData\\Touchpoint'\nhttp_addr = \"127.0.0.1:8470\"\nlog_level = \"debug\"\nlog_format = \"json\"\n",
		"data_dir = \"relative\"\nlog_level = \"loud\"\nsurprise = 1\n",
		"[data_dir]\nx = 1\n", "data_dir = \"/x\"\nhttp_addr = \"nohost\"\n", "= = =", "\xff\xfe",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		cfg, err := ParseConfig("agent.toml", data)
		if err == nil {
			if !isAbs(cfg.DataDir) || cfg.HTTPAddr == "" || cfg.LogLevel == "" || cfg.LogFormat == "" {
				t.Fatalf("accepted %q as %+v", data, cfg)
			}
			return
		}
		if errors.Is(err, ErrConfigTooLarge) {
			return
		}
		for _, e := range leafErrors(err) {
			var ce *ConfigError
			if !errors.As(e, &ce) || ce.File != "agent.toml" || ce.Reason == "" {
				t.Fatalf("refused %q with %T %q: want ConfigErrors naming the file and a reason", data, e, e)
			}
		}
	})
}

// leafErrors flattens errors.Join trees.
func leafErrors(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		var out []error
		for _, e := range j.Unwrap() {
			out = append(out, leafErrors(e)...)
		}
		return out
	}
	return []error{err}
}
