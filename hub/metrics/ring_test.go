package metrics

import (
	"math"
	"testing"
)

func sum(a, b float64) float64 { return a + b }

// A ring keeps the newest Len slots; older ones read as missing.
func TestRing_KeepsTheNewestSlots(t *testing.T) {
	r := NewRing(4)
	for slot := int64(100); slot < 110; slot++ {
		r.Put(slot, float64(slot), sum)
	}
	for slot := int64(100); slot < 110; slot++ {
		v, ok := r.Get(slot)
		if want := slot >= 106; ok != want || (ok && v != float64(slot)) {
			t.Errorf("slot %d = %v, %v; want kept %v", slot, v, ok, want)
		}
	}
	if newest, ok := r.Newest(); !ok || newest != 109 {
		t.Errorf("newest = %d, %v", newest, ok)
	}
}

// A slot never written is a gap, not the value of the slot it shares a
// cell with.
func TestRing_SkippedSlotIsAGap(t *testing.T) {
	r := NewRing(4)
	r.Put(10, 1, sum)
	r.Put(12, 3, sum)
	if _, ok := r.Get(11); ok {
		t.Error("slot 11 was never written but reads")
	}
	if _, ok := r.Get(14); ok {
		t.Error("slot 14 reads slot 10's cell")
	}
}

// Two samples of one slot combine; a sample older than the ring reaches
// does not clobber a newer one.
func TestRing_CombinesAndIgnoresTooOld(t *testing.T) {
	r := NewRing(4)
	r.Put(20, 2, sum)
	r.Put(20, 3, sum)
	if v, _ := r.Get(20); v != 5 {
		t.Errorf("slot 20 = %v, want 2+3", v)
	}
	r.Put(21, 7, math.Max)
	r.Put(21, 4, math.Max)
	if v, _ := r.Get(21); v != 7 {
		t.Errorf("slot 21 = %v, want max 7", v)
	}
	r.Put(16, 99, sum) // same cell as 20, four slots too old
	if v, ok := r.Get(20); !ok || v != 5 {
		t.Errorf("slot 20 = %v, %v after a too-old put; want 5", v, ok)
	}
	if _, ok := r.Get(16); ok {
		t.Error("a too-old slot was stored")
	}
}

// An empty ring has no newest slot and reads nothing, even at slot 0.
func TestRing_EmptyReadsNothing(t *testing.T) {
	r := NewRing(3)
	if _, ok := r.Newest(); ok {
		t.Error("empty ring has a newest slot")
	}
	for _, slot := range []int64{-1, 0, 1} {
		if _, ok := r.Get(slot); ok {
			t.Errorf("empty ring reads slot %d", slot)
		}
	}
}
