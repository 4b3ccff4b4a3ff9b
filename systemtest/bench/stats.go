package main

import (
	"bufio"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// latencies collects durations from many goroutines.
type latencies struct {
	mu   sync.Mutex
	took []time.Duration
}

func (l *latencies) add(d time.Duration) {
	l.mu.Lock()
	l.took = append(l.took, d)
	l.mu.Unlock()
}

// quantile returns the q-quantile in milliseconds (0 when empty).
func (l *latencies) quantile(q float64) float64 {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.took) == 0 {
		return 0
	}
	slices.Sort(l.took)
	return ms(l.took[int(q*float64(len(l.took)-1))])
}

func (l *latencies) count() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.took)
}

func ms(d time.Duration) float64 { return float64(d.Nanoseconds()) / 1e6 }

// memory is a process's resident memory split by kind, in MiB.
type memory struct {
	RSS, Anonymous, FileBacked float64
}

// readMemory reads /proc/<pid>/smaps_rollup: Rss, and Anonymous; what
// is resident and not anonymous is file-backed (mapped Badger tables and
// value logs, the binary).
func readMemory(pid int) (memory, error) {
	f, err := os.Open(fmt.Sprintf("/proc/%d/smaps_rollup", pid))
	if err != nil {
		return memory{}, err
	}
	defer f.Close()
	var m memory
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) < 2 {
			continue
		}
		kb, err := strconv.ParseFloat(fields[1], 64)
		if err != nil {
			continue
		}
		switch fields[0] {
		case "Rss:":
			m.RSS = kb / 1024
		case "Anonymous:":
			m.Anonymous = kb / 1024
		}
	}
	m.FileBacked = m.RSS - m.Anonymous
	return m, sc.Err()
}

// peakSampler samples a process's memory every interval until stopped
// and keeps the peak of each kind.
type peakSampler struct {
	mu   sync.Mutex
	peak memory
	stop chan struct{}
	done chan struct{}
}

func samplePeak(pid int, every time.Duration) *peakSampler {
	s := &peakSampler{stop: make(chan struct{}), done: make(chan struct{})}
	go func() {
		defer close(s.done)
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			if m, err := readMemory(pid); err == nil {
				s.mu.Lock()
				s.peak.RSS, s.peak.Anonymous, s.peak.FileBacked = max(s.peak.RSS, m.RSS), max(s.peak.Anonymous, m.Anonymous), max(s.peak.FileBacked, m.FileBacked)
				s.mu.Unlock()
			}
			select {
			case <-s.stop:
				return
			case <-t.C:
			}
		}
	}()
	return s
}

func (s *peakSampler) finish() memory {
	close(s.stop)
	<-s.done
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.peak
}
