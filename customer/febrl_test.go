package customer

import (
	"encoding/csv"
	"fmt"
	"os"
	"sort"
	"strings"
	"testing"
)

// febrlRecord is one row of the Febrl data sets in ../shared/datasets.
type febrlRecord struct {
	id, truth string
	person    Person
}

func loadFebrl(tb testing.TB, names ...string) []febrlRecord {
	tb.Helper()
	var out []febrlRecord
	for _, name := range names {
		f, err := os.Open("../../shared/datasets/febrl/" + name)
		if err != nil {
			tb.Skipf("febrl data not available: %v", err)
		}
		rows, err := csv.NewReader(f).ReadAll()
		f.Close()
		if err != nil {
			tb.Fatal(err)
		}
		for _, r := range rows[1:] {
			for i := range r {
				r[i] = strings.TrimSpace(r[i])
			}
			p := Profile{GivenName: r[1], FamilyName: r[2], BirthDate: r[9]}
			p.Addresses = []Address{{Line1: strings.TrimSpace(r[3] + " " + r[4]), City: r[6], PostalCode: r[7]}}
			id := r[0]
			truth := strings.Split(id, "-")[1]
			out = append(out, febrlRecord{id: id, truth: truth, person: PersonOf(&p)})
		}
	}
	return out
}

// linkQuality blocks, scores and counts candidate pairs against the truth.
func linkQuality(recs []febrlRecord, threshold float64) (tp, fp, fn, compared int) {
	blocks := map[string][]int{}
	for i, r := range recs {
		for _, k := range BlockingKeys(r.person) {
			blocks[k] = append(blocks[k], i)
		}
	}
	seen := map[[2]int]bool{}
	found := map[[2]int]bool{}
	for _, members := range blocks {
		if len(members) > MaxBlockSize {
			continue
		}
		for x := 0; x < len(members); x++ {
			for y := x + 1; y < len(members); y++ {
				pair := [2]int{members[x], members[y]}
				if seen[pair] {
					continue
				}
				seen[pair] = true
				if s, _ := Score(recs[pair[0]].person, recs[pair[1]].person); s >= threshold {
					found[pair] = true
				}
			}
		}
	}
	byTruth := map[string][]int{}
	for i, r := range recs {
		byTruth[r.truth] = append(byTruth[r.truth], i)
	}
	for pair := range found {
		if recs[pair[0]].truth == recs[pair[1]].truth {
			tp++
		} else {
			fp++
		}
	}
	for _, ids := range byTruth {
		n := len(ids)
		fn += n * (n - 1) / 2
	}
	return tp, fp, fn - tp, len(seen)
}

// Match candidates on the Febrl data (names, addresses and birth dates
// with typos, swaps and gaps; no email or phone) reach recall and precision
// of at least 0.95 at CandidateThreshold, on dataset 4 (linking 4a with
// 4b) and dataset 3 (duplicates within one source).
func TestScore_FebrlCandidatesReachTargetQuality(t *testing.T) {
	for _, set := range [][]string{{"dataset4a.csv", "dataset4b.csv"}, {"dataset3.csv"}} {
		recs := loadFebrl(t, set...)
		var lines []string
		for _, th := range []float64{CandidateThreshold - 0.05, CandidateThreshold, CandidateThreshold + 0.05} {
			tp, fp, fn, cmp := linkQuality(recs, th)
			precision, recall := float64(tp)/float64(tp+fp), float64(tp)/float64(tp+fn)
			lines = append(lines, fmt.Sprintf("%v threshold=%.2f pairs scored=%d tp=%d fp=%d fn=%d precision=%.3f recall=%.3f",
				set, th, cmp, tp, fp, fn, precision, recall))
			if th == CandidateThreshold && (precision < 0.95 || recall < 0.95) {
				t.Errorf("%v: precision %.3f, recall %.3f; want both >= 0.95", set, precision, recall)
			}
		}
		sort.Strings(lines)
		t.Log("\n" + strings.Join(lines, "\n"))
	}
}
