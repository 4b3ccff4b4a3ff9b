package protocol

import (
	"bytes"
	"encoding/hex"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden from the current encoder")

// writeGolden stores frame as hex, 32 bytes a line.
func writeGolden(t *testing.T, path string, frame []byte) {
	t.Helper()
	var b strings.Builder
	for len(frame) > 0 {
		n := min(32, len(frame))
		b.WriteString(hex.EncodeToString(frame[:n]))
		b.WriteByte('\n')
		frame = frame[n:]
	}
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
}

// readGolden reads a hex file written by writeGolden.
func readGolden(t *testing.T, path string) []byte {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./protocol -update to create it)", err)
	}
	frame, err := hex.DecodeString(strings.Join(strings.Fields(string(data)), ""))
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return frame
}

// The encoded frames of a fixed Hello and a fixed Push never change: the wire format is frozen.
func TestGolden(t *testing.T) {
	tests := []struct {
		file string
		typ  Type
		msg  any
	}{
		{"hello.golden", TypeHello, sampleHello()},
		{"push.golden", TypePush, samplePush()},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			var buf bytes.Buffer
			if err := WriteFrame(&buf, tt.typ, tt.msg); err != nil {
				t.Fatal(err)
			}
			path := filepath.Join("testdata", tt.file)
			if *update {
				writeGolden(t, path, buf.Bytes())
			}
			want := readGolden(t, path)
			if !bytes.Equal(buf.Bytes(), want) {
				t.Fatalf("frame changed; if the change is intended, run go test ./protocol -update\ngot  %x\nwant %x", buf.Bytes(), want)
			}
		})
	}
}
