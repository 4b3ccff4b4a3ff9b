package clock

import (
	"bytes"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestParseOffset(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want time.Duration
		err  string
	}{
		{"", 0, ""},
		{"  \n", 0, ""},
		{"-26h", -26 * time.Hour, ""},
		{"+3h30m\n", 3*time.Hour + 30*time.Minute, ""},
		{"90s", 90 * time.Second, ""},
		{"0", 0, ""},
		{"8784h", 366 * 24 * time.Hour, ""},
		{"8785h", 0, "beyond"},
		{"-9000h", 0, "beyond"},
		{"26", 0, "not a duration"},
		{"yesterday", 0, "not a duration"},
		{"-26h garbage", 0, "not a duration"},
		{strings.Repeat("1", 65) + "s", 0, "longer than"},
	} {
		got, err := ParseOffset(tc.in)
		switch {
		case tc.err == "" && (err != nil || got != tc.want):
			t.Errorf("ParseOffset(%q) = %s, %v; want %s", tc.in, got, err, tc.want)
		case tc.err != "" && (err == nil || !strings.Contains(err.Error(), tc.err)):
			t.Errorf("ParseOffset(%q) error %v; want one saying %q", tc.in, err, tc.err)
		}
	}
}

func FuzzParseOffset(f *testing.F) {
	for _, s := range []string{"", "-26h", "+3h30m", "1.5h", "-0", "9223372036854775807ns", "1h1h1h"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseOffset(s)
		if err != nil {
			if d != 0 {
				t.Fatalf("ParseOffset(%q) = %s with error %v", s, d, err)
			}
			return
		}
		if d > maxOffset || d < -maxOffset {
			t.Fatalf("ParseOffset(%q) = %s, beyond the bound", s, d)
		}
	})
}

func TestNowFollowsTheFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "offset")
	s := &source{path: path, log: slog.New(slog.NewTextHandler(&bytes.Buffer{}, nil))}
	if d := s.now().Sub(time.Now()); d > time.Minute || d < -time.Minute {
		t.Fatalf("no file: clock off by %s", d)
	}
	write(t, path, "-26h")
	s.readAt = time.Time{} // as if a second passed
	if d := time.Now().Sub(s.now()); d < 26*time.Hour-time.Minute || d > 26*time.Hour+time.Minute {
		t.Fatalf("-26h file: clock behind by %s", d)
	}
	write(t, path, "+3h")
	if d := time.Now().Sub(s.now()); d < 26*time.Hour-time.Minute {
		t.Fatalf("re-read within a second: clock behind by %s, want the old offset", d)
	}
	s.readAt = time.Time{}
	if d := s.now().Sub(time.Now()); d < 3*time.Hour-time.Minute || d > 3*time.Hour+time.Minute {
		t.Fatalf("+3h file: clock ahead by %s", d)
	}
}

func TestMalformedFileLoggedOnceAndIgnored(t *testing.T) {
	path := filepath.Join(t.TempDir(), "offset")
	var logged bytes.Buffer
	s := &source{path: path, log: slog.New(slog.NewTextHandler(&logged, nil))}
	write(t, path, "tomorrow-ish")
	for range 3 {
		s.readAt = time.Time{}
		if d := s.now().Sub(time.Now()); d > time.Minute || d < -time.Minute {
			t.Fatalf("malformed file: clock off by %s", d)
		}
	}
	if n := strings.Count(logged.String(), "clock offset file ignored"); n != 1 {
		t.Fatalf("malformed file logged %d times, want once:\n%s", n, logged.String())
	}
	if strings.Contains(logged.String(), "tomorrow-ish") {
		t.Fatalf("log repeats the file's content:\n%s", logged.String())
	}
}

func write(t *testing.T, path, s string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(s), 0o600); err != nil {
		t.Fatal(err)
	}
}
