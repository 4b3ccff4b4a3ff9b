package metrics

import "math"

// Ring is one series' samples, one per slot (a minute since the epoch),
// keeping the newest len slots. Each cell remembers its slot, so a slot
// that was never written, or was overwritten by a newer round, reads as
// missing. Not safe for concurrent use.
type Ring struct {
	cells  []cell
	newest int64 // the newest slot written, once filled
	filled bool
}

// cell is one sample: 16 bytes.
type cell struct {
	slot  int64
	value float64
}

// NewRing returns a ring of n slots (n ≥ 1).
func NewRing(n int) *Ring {
	r := &Ring{cells: make([]cell, max(n, 1))}
	for i := range r.cells {
		r.cells[i].slot = math.MinInt64
	}
	return r
}

// Len is how many slots the ring keeps.
func (r *Ring) Len() int { return len(r.cells) }

// Put records v at slot. A slot that already holds a value keeps
// combine(old, v); a slot older than the ring reaches is ignored.
func (r *Ring) Put(slot int64, v float64, combine func(old, v float64) float64) {
	if r.filled && slot <= r.newest-int64(len(r.cells)) {
		return
	}
	c := &r.cells[r.index(slot)]
	if c.slot == slot {
		v = combine(c.value, v)
	}
	*c = cell{slot: slot, value: v}
	if !r.filled || slot > r.newest {
		r.newest, r.filled = slot, true
	}
}

// Get returns the value at slot, and false when the ring holds none.
func (r *Ring) Get(slot int64) (float64, bool) {
	c := r.cells[r.index(slot)]
	return c.value, c.slot == slot
}

// Newest returns the newest slot written, and false for an empty ring.
func (r *Ring) Newest() (int64, bool) { return r.newest, r.filled }

func (r *Ring) index(slot int64) int {
	i := slot % int64(len(r.cells))
	if i < 0 {
		i += int64(len(r.cells))
	}
	return int(i)
}
