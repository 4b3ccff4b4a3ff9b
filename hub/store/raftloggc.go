package store

import (
	"sync"
	"time"
)

// raftLogGCInterval is how often the Raft log's value log (entries of 4
// KiB or more) is rewritten where it is mostly compacted away.
const raftLogGCInterval = 10 * time.Minute

func (s *Store) collectRaftLog() {
	n, err := s.raftLog.CollectGarbage()
	switch {
	case err != nil:
		s.log.Warn("raft log value log collection failed", "err", err)
	case n > 0:
		s.log.Info("raft log value log collected", "files_rewritten", n)
	}
}

// periodic runs a function every interval until stopped.
type periodic struct {
	done, stopped chan struct{}
	once          sync.Once
}

func startEvery(interval time.Duration, fn func()) *periodic {
	p := &periodic{done: make(chan struct{}), stopped: make(chan struct{})}
	go func() {
		defer close(p.stopped)
		t := time.NewTicker(interval)
		defer t.Stop()
		for {
			select {
			case <-p.done:
				return
			case <-t.C:
				fn()
			}
		}
	}()
	return p
}

// stop ends the loop and waits for a run in progress.
func (p *periodic) stop() {
	p.once.Do(func() { close(p.done) })
	<-p.stopped
}
