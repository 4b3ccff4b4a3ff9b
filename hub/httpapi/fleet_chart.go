package httpapi

import (
	"html/template"
	"math"
	"strconv"
	"strings"

	"github.com/touchpoint/touchpoint/hub/metrics"
)

var nan = math.NaN()

// A sparkline's size in CSS pixels, and the margin that keeps the line's
// stroke and the end dot inside it.
const (
	sparkWidth  = 180
	sparkHeight = 36
	sparkPad    = 3
)

// sparkline draws points as a small SVG chart: the points spread evenly
// from left to right, zero at the bottom and the largest point (or 1, if
// none is above zero) at the top. A gap breaks the line; a point with
// gaps on both sides is a dot; the newest point carries a dot of its own.
// label names the chart for screen readers and as its tooltip.
func sparkline(points metrics.Points, label string) template.HTML {
	top := points.Fold(math.Max)
	if math.IsNaN(top) || top <= 0 {
		top = 1
	}
	x := func(i int) float64 {
		if len(points) < 2 {
			return sparkWidth / 2
		}
		return sparkPad + float64(i)*(sparkWidth-2*sparkPad)/float64(len(points)-1)
	}
	y := func(v float64) float64 { return sparkPad + (sparkHeight-2*sparkPad)*(1-v/top) }
	label = template.HTMLEscapeString(label)

	var b strings.Builder
	b.WriteString(`<svg xmlns="http://www.w3.org/2000/svg" class="spark" width="` + num(sparkWidth) + `" height="` + num(sparkHeight) +
		`" viewBox="0 0 ` + num(sparkWidth) + ` ` + num(sparkHeight) + `" role="img" aria-label="` + label + `"><title>` + label + `</title>`)
	base := num(y(0))
	b.WriteString(`<line class="base" x1="0" y1="` + base + `" x2="` + num(sparkWidth) + `" y2="` + base + `"/>`)
	for _, run := range runs(points) {
		if run[1]-run[0] == 1 {
			i := run[0]
			b.WriteString(`<circle class="dot" cx="` + num(x(i)) + `" cy="` + num(y(points[i])) + `" r="1.5"/>`)
			continue
		}
		var line []string
		for i := run[0]; i < run[1]; i++ {
			line = append(line, num(x(i))+","+num(y(points[i])))
		}
		area := append(append([]string{num(x(run[0])) + "," + base}, line...), num(x(run[1]-1))+","+base)
		b.WriteString(`<polygon class="area" points="` + strings.Join(area, " ") + `"/>`)
		b.WriteString(`<polyline class="line" points="` + strings.Join(line, " ") + `"/>`)
	}
	if i := len(points) - 1; i >= 0 && !math.IsNaN(points[i]) {
		b.WriteString(`<circle class="now" cx="` + num(x(i)) + `" cy="` + num(y(points[i])) + `" r="2.5"/>`)
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String()) // numbers and an escaped label only
}

// runs returns the [start, end) index ranges of consecutive points that
// are not gaps.
func runs(points metrics.Points) [][2]int {
	var out [][2]int
	start := -1
	for i, v := range points {
		switch {
		case !math.IsNaN(v) && start < 0:
			start = i
		case math.IsNaN(v) && start >= 0:
			out = append(out, [2]int{start, i})
			start = -1
		}
	}
	if start >= 0 {
		out = append(out, [2]int{start, len(points)})
	}
	return out
}

// num writes a coordinate with at most one decimal.
func num(v float64) string { return strconv.FormatFloat(math.Round(v*10)/10, 'f', -1, 64) }
