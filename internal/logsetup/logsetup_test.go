package logsetup

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

// The flags' values pick the handler and level; a wrong value is an
// error naming its flag.
func TestNew_FormatAndLevel(t *testing.T) {
	tests := []struct {
		format, level string
		wantFlag      string // "" when valid
		wantJSON      bool
		debugShown    bool
	}{
		{"text", "info", "", false, false},
		{"json", "info", "", true, false},
		{"text", "debug", "", false, true},
		{"json", "DEBUG", "", true, true},
		{"text", "warn", "", false, false},
		{"json", "error", "", true, false},
		{"xml", "info", "--log-format", false, false},
		{"", "info", "--log-format", false, false},
		{"text", "loud", "--log-level", false, false},
		{"text", "", "--log-level", false, false},
	}
	for _, tt := range tests {
		t.Run(tt.format+"/"+tt.level, func(t *testing.T) {
			var buf bytes.Buffer
			log, err := New(&buf, tt.format, tt.level)
			if tt.wantFlag != "" {
				if err == nil || !strings.HasPrefix(err.Error(), tt.wantFlag+":") {
					t.Fatalf("error %v, want one naming %s", err, tt.wantFlag)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			log.Debug("d")
			if got := buf.Len() > 0; got != tt.debugShown {
				t.Fatalf("debug line written: %v, want %v", got, tt.debugShown)
			}
			buf.Reset()
			log.Error("e", "k", "v")
			if got := json.Valid(buf.Bytes()); got != tt.wantJSON {
				t.Fatalf("JSON line: %v, want %v: %s", got, tt.wantJSON, buf.String())
			}
		})
	}
}
