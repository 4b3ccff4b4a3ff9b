package csvimport

import (
	"fmt"
	"io"
	"time"
)

// progress shows how an import is doing on a terminal (one line
// rewritten in place, at most four times a second) or in a log (a plain
// line every few seconds, so a CI log stays readable).
type progress struct {
	w        io.Writer
	tty      bool
	every    time.Duration
	now      func() time.Time
	total    int64 // file size
	start    time.Time
	startAt  Position // where this run started reading
	startRow int
	last     time.Time
	width    int // length of the line on the terminal, to blank it out
}

func newProgress(w io.Writer, tty bool, now func() time.Time, total int64, startAt Position, startRows int) *progress {
	p := &progress{w: w, tty: tty, now: now, total: total, startAt: startAt, startRow: startRows, every: 5 * time.Second}
	if tty {
		p.every = 250 * time.Millisecond
	}
	p.start = now()
	p.last = p.start
	return p
}

// update shows the state when the last update is old enough, or always
// when final.
func (p *progress) update(c Counts, at Position, final bool) {
	if p == nil || p.w == nil {
		return
	}
	t := p.now()
	if !final && t.Sub(p.last) < p.every {
		return
	}
	p.last = t
	line := p.describe(c, at, t)
	if !p.tty {
		fmt.Fprintln(p.w, line)
		return
	}
	// Pad with spaces rather than an ANSI erase, which older Windows
	// consoles print as is.
	pad := max(p.width-len(line), 0)
	p.width = len(line)
	end := ""
	if final {
		end = "\n"
	}
	fmt.Fprintf(p.w, "\r%s%*s%s", line, pad, "", end)
}

// describe reads "12,000 rows (3,100 rows/s), 42% of 9.8 MiB, 3 rejected, ETA 40s".
func (p *progress) describe(c Counts, at Position, t time.Time) string {
	elapsed := t.Sub(p.start).Seconds()
	rate := 0.0
	if elapsed > 0 {
		rate = float64(c.Rows-p.startRow) / elapsed
	}
	pct := 100.0
	if p.total > 0 {
		pct = 100 * float64(at.Offset) / float64(p.total)
	}
	s := fmt.Sprintf("%s rows (%s rows/s), %.0f%% of %s, %s rejected", thousands(c.Rows), thousands(int(rate)), pct, mebibytes(p.total), thousands(c.Rejected))
	if eta, ok := p.eta(at, elapsed); ok {
		s += ", ETA " + eta.String()
	}
	return s
}

// eta extrapolates this run's byte rate over the rest of the file.
func (p *progress) eta(at Position, elapsed float64) (time.Duration, bool) {
	done := at.Offset - p.startAt.Offset
	if done <= 0 || elapsed < 1 || at.Offset >= p.total {
		return 0, false
	}
	left := float64(p.total-at.Offset) / (float64(done) / elapsed)
	return time.Duration(left * float64(time.Second)).Round(time.Second), true
}

func mebibytes(n int64) string {
	if n < 1<<20 {
		return fmt.Sprintf("%.0f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
}

// thousands writes n with comma separators.
func thousands(n int) string {
	s := fmt.Sprint(n)
	if n < 0 {
		return s
	}
	out := make([]byte, 0, len(s)+len(s)/3)
	for i := range len(s) {
		if i > 0 && (len(s)-i)%3 == 0 {
			out = append(out, ',')
		}
		out = append(out, s[i])
	}
	return string(out)
}
