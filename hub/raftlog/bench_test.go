package raftlog

import (
	"testing"

	"github.com/hashicorp/raft"
)

// BenchmarkStoreLogs measures one synced StoreLogs call, as Raft makes it.
func BenchmarkStoreLogs(b *testing.B) {
	cases := []struct {
		name  string
		batch int
		size  int
	}{
		{"64x4KiB", 64, 4 << 10},
		{"1x200KiB", 1, 200 << 10},
	}
	for _, bc := range cases {
		b.Run(bc.name, func(b *testing.B) {
			s := mustOpen(b, b.TempDir())
			next := uint64(1)
			logs := make([]*raft.Log, bc.batch)
			b.SetBytes(int64(bc.batch * bc.size))
			for b.Loop() {
				for i := range logs {
					logs[i] = entry(next, bc.size)
					next++
				}
				mustStore(b, s, logs...)
			}
		})
	}
}
