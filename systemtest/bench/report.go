package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"
)

// row is one line of the result table.
type row struct {
	Workload string   `json:"workload"`
	Metric   string   `json:"metric"`
	Value    float64  `json:"value"`
	Unit     string   `json:"unit"`
	P50      float64  `json:"p50_ms,omitempty"`
	P99      float64  `json:"p99_ms,omitempty"`
	Baseline float64  `json:"baseline,omitempty"`
	BaseName string   `json:"baseline_name,omitempty"`
	Ratio    float64  `json:"ours_over_raw,omitempty"`
	Target   *target  `json:"target,omitempty"`
	Met      *bool    `json:"met,omitempty"`
	Note     string   `json:"note,omitempty"`
	Checked  *float64 `json:"-"` // the figure compared with the target when not Value
}

// target is a bound: Value must be at least (">=") or at most ("<=") Limit.
type target struct {
	Op    string  `json:"op"`
	Limit float64 `json:"limit"`
	Unit  string  `json:"unit"`
}

func atLeast(v float64, unit string) *target { return &target{">=", v, unit} }
func atMost(v float64, unit string) *target  { return &target{"<=", v, unit} }

// judge fills Ratio and Met.
func (r *row) judge() {
	if r.Baseline > 0 {
		r.Ratio = r.Value / r.Baseline
	}
	if r.Target == nil {
		return
	}
	v := r.Value
	if r.Checked != nil {
		v = *r.Checked
	}
	ok := v >= r.Target.Limit
	if r.Target.Op == "<=" {
		ok = v <= r.Target.Limit
	}
	r.Met = &ok
}

// results gathers the rows of a run.
type results struct {
	Machine map[string]string `json:"machine"`
	Rows    []row             `json:"rows"`
	Skipped []string          `json:"skipped,omitempty"`
}

func (rs *results) add(r row) {
	r.judge()
	rs.Rows = append(rs.Rows, r)
	printRows(os.Stdout, []row{r}, false)
}

func (rs *results) skip(workload, why string) {
	rs.Skipped = append(rs.Skipped, workload+": "+why)
	fmt.Printf("%-10s skipped: %s\n", workload, why)
}

// printRows writes rows as an aligned table, or as Markdown.
func printRows(w io.Writer, rows []row, markdown bool) {
	sep := "\t"
	if markdown {
		sep = " | "
		fmt.Fprintln(w, "| workload | metric | value | p50 ms | p99 ms | baseline | ours/raw | target | met |")
		fmt.Fprintln(w, "|---|---|---|---|---|---|---|---|---|")
	}
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
	out := io.Writer(tw)
	if markdown {
		out = w
	}
	for _, r := range rows {
		cells := []string{r.Workload, r.Metric, num(r.Value) + " " + r.Unit, opt(r.P50), opt(r.P99),
			baseline(r), ratio(r), targetText(r.Target), met(r.Met)}
		line := strings.Join(cells, sep)
		if markdown {
			line = "| " + line + " |"
		}
		if r.Note != "" && !markdown {
			line += sep + r.Note
		}
		fmt.Fprintln(out, line)
	}
	tw.Flush()
}

func num(v float64) string {
	switch {
	case v == 0:
		return "0"
	case v >= 100:
		return fmt.Sprintf("%.0f", v)
	case v >= 1:
		return fmt.Sprintf("%.2f", v)
	}
	return fmt.Sprintf("%.3f", v)
}

func opt(v float64) string {
	if v == 0 {
		return "-"
	}
	return num(v)
}

func baseline(r row) string {
	if r.Baseline == 0 {
		return "-"
	}
	return num(r.Baseline) + " (" + r.BaseName + ")"
}

func ratio(r row) string {
	if r.Ratio == 0 {
		return "-"
	}
	return fmt.Sprintf("%.2f", r.Ratio)
}

func targetText(t *target) string {
	if t == nil {
		return "-"
	}
	return t.Op + " " + num(t.Limit) + " " + t.Unit
}

func met(m *bool) string {
	switch {
	case m == nil:
		return "-"
	case *m:
		return "yes"
	}
	return "NO"
}

func (rs *results) writeJSON(path string) error {
	b, err := json.MarshalIndent(rs, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, b, 0o644)
}

// writeMarkdown writes the machine, the table and what was skipped.
func (rs *results) writeMarkdown(path string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	fmt.Fprintf(f, "Machine: %s\n\n", machineLine(rs.Machine))
	printRows(f, rs.Rows, true)
	if len(rs.Skipped) > 0 {
		fmt.Fprintln(f)
		for _, s := range rs.Skipped {
			fmt.Fprintf(f, "- skipped: %s\n", s)
		}
	}
	fmt.Fprintln(f)
	fmt.Fprintln(f, "Notes per row:")
	fmt.Fprintln(f)
	for _, r := range rs.Rows {
		if r.Note != "" {
			fmt.Fprintf(f, "- %s / %s: %s\n", r.Workload, r.Metric, r.Note)
		}
	}
	return f.Close()
}
