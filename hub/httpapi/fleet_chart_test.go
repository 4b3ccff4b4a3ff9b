package httpapi

import (
	"encoding/xml"
	"math"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/touchpoint/touchpoint/hub/metrics"
)

// svgChart is what a sparkline holds, decoded as XML.
type svgChart struct {
	XMLName   xml.Name `xml:"svg"`
	Width     string   `xml:"width,attr"`
	Height    string   `xml:"height,attr"`
	Label     string   `xml:"aria-label,attr"`
	Title     string   `xml:"title"`
	Polylines []struct {
		Points string `xml:"points,attr"`
	} `xml:"polyline"`
	Polygons []struct{} `xml:"polygon"`
	Circles  []struct {
		Class string  `xml:"class,attr"`
		CY    float64 `xml:"cy,attr"`
	} `xml:"circle"`
}

func mustChart(t *testing.T, p metrics.Points, label string) svgChart {
	t.Helper()
	raw := string(sparkline(p, label))
	var c svgChart
	if err := xml.Unmarshal([]byte(raw), &c); err != nil {
		t.Fatalf("sparkline is not XML: %v\n%s", err, raw)
	}
	return c
}

// linePoints parses every polyline's "x,y" pairs.
func linePoints(t *testing.T, c svgChart) [][][2]float64 {
	t.Helper()
	var out [][][2]float64
	for _, pl := range c.Polylines {
		var line [][2]float64
		for _, pair := range strings.Fields(pl.Points) {
			xs, ys, ok := strings.Cut(pair, ",")
			x, errX := strconv.ParseFloat(xs, 64)
			y, errY := strconv.ParseFloat(ys, 64)
			if !ok || errX != nil || errY != nil {
				t.Fatalf("bad point %q", pair)
			}
			line = append(line, [2]float64{x, y})
		}
		out = append(out, line)
	}
	return out
}

// A sparkline is SVG with one point per value, spread over the width, the
// largest value at the top and zero at the bottom.
func TestSparkline_PointsAndScale(t *testing.T) {
	c := mustChart(t, metrics.Points{0, 5, 10, 5}, "ingest")
	if c.Width != "180" || c.Height != "36" || c.Title != "ingest" || c.Label != "ingest" {
		t.Errorf("svg %+v", c)
	}
	lines := linePoints(t, c)
	if len(lines) != 1 || len(lines[0]) != 4 {
		t.Fatalf("lines %v, want one line of 4 points", lines)
	}
	line := lines[0]
	if line[0][0] != sparkPad || line[3][0] != sparkWidth-sparkPad {
		t.Errorf("x from %v to %v, want %d to %d", line[0][0], line[3][0], sparkPad, sparkWidth-sparkPad)
	}
	if line[2][1] != sparkPad || line[0][1] != sparkHeight-sparkPad {
		t.Errorf("largest at y %v, zero at y %v; want top %d, bottom %d", line[2][1], line[0][1], sparkPad, sparkHeight-sparkPad)
	}
	if line[1][1] != line[3][1] || math.Abs(line[1][1]-sparkHeight/2) > 0.1 {
		t.Errorf("half the largest at y %v and %v, want the middle", line[1][1], line[3][1])
	}
	if len(c.Circles) != 1 || c.Circles[0].Class != "now" || c.Circles[0].CY != line[3][1] {
		t.Errorf("circles %+v, want one on the newest point", c.Circles)
	}
}

// Gaps break the line; a lone point between gaps is a dot; a chart of
// gaps only draws no line.
func TestSparkline_Gaps(t *testing.T) {
	c := mustChart(t, metrics.Points{1, 2, math.NaN(), 3, math.NaN(), 4, 5, 6, math.NaN()}, "lag")
	lines := linePoints(t, c)
	if len(lines) != 2 || len(lines[0]) != 2 || len(lines[1]) != 3 || len(c.Polygons) != 2 {
		t.Fatalf("lines %v (%d areas), want 2 and 3 points", lines, len(c.Polygons))
	}
	if len(c.Circles) != 1 || c.Circles[0].Class != "dot" {
		t.Errorf("circles %+v, want the lone point as a dot and no newest dot (it is a gap)", c.Circles)
	}
	empty := mustChart(t, metrics.Points{math.NaN(), math.NaN()}, "none")
	if len(empty.Polylines) != 0 || len(empty.Circles) != 0 {
		t.Errorf("an empty chart draws %+v", empty)
	}
}

// All zeros draw a flat line at the bottom; the label is escaped.
func TestSparkline_ZerosAndEscaping(t *testing.T) {
	c := mustChart(t, metrics.Points{0, 0, 0}, `Müller & Söhne <"GmbH">`)
	for _, p := range linePoints(t, c)[0] {
		if p[1] != sparkHeight-sparkPad {
			t.Errorf("zero at y %v, want the bottom", p[1])
		}
	}
	if c.Title != `Müller & Söhne <"GmbH">` {
		t.Errorf("title %q", c.Title)
	}
}

func TestCount_ThousandsSeparators(t *testing.T) {
	for in, want := range map[float64]string{0: "0", 999: "999", 1000: "1,000", 1234567: "1,234,567", -4200: "-4,200", 2.6: "3", math.NaN(): "0"} {
		if got := count(in); got != want {
			t.Errorf("count(%v) = %q, want %q", in, got, want)
		}
	}
}

func TestAgo_ReadsAsAPersonWouldSayIt(t *testing.T) {
	for _, tt := range []struct {
		d     time.Duration
		never bool
		want  string
	}{
		{0, true, "never"}, {-time.Second, false, "0 s ago"}, {5 * time.Second, false, "5 s ago"},
		{12*time.Minute + 40*time.Second, false, "12 min ago"}, {2*time.Hour + 5*time.Minute, false, "2 h 5 min ago"},
		{80 * time.Hour, false, "3 days ago"},
	} {
		if got := ago(tt.d, tt.never); got != tt.want {
			t.Errorf("ago(%s) = %q, want %q", tt.d, got, tt.want)
		}
	}
}
