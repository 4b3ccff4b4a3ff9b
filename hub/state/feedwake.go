package state

import "sync"

// feedWake wakes the feed sessions of exactly the dealers whose feed an
// applied entry extended: with a thousand agents connected, waking every
// session on every entry made each of them look for changes it did not
// have.
type feedWake struct {
	mu      sync.Mutex
	waiters map[string]chan struct{} // by dealer, closed at its next change
}

// wait returns a channel closed when the dealer's feed next grows.
func (f *feedWake) wait(dealer string) <-chan struct{} {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.waiters == nil {
		f.waiters = map[string]chan struct{}{}
	}
	ch, ok := f.waiters[dealer]
	if !ok {
		ch = make(chan struct{})
		f.waiters[dealer] = ch
	}
	return ch
}

// wake wakes the sessions of the given dealers.
func (f *feedWake) wake(dealers map[string]bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for d := range dealers {
		if ch, ok := f.waiters[d]; ok {
			close(ch)
			delete(f.waiters, d)
		}
	}
}

// wakeAll wakes every session: after a snapshot is restored, or an entry
// replayed after a crash, any feed may have changed.
func (f *feedWake) wakeAll() {
	f.mu.Lock()
	defer f.mu.Unlock()
	for d, ch := range f.waiters {
		close(ch)
		delete(f.waiters, d)
	}
}
