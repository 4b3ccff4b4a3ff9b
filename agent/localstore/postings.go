package localstore

import (
	"slices"

	"github.com/dgraph-io/badger/v4"
)

// postings walks, in customer id order, the customers filed in the name
// index under any of a few words, each with its word's score. Walking
// several in step (intersect) costs about the length of the shortest, so
// "anna petrova" does not read every Anna.
type postings struct {
	its    []*badger.Iterator
	prefix [][]byte
	score  []float64
}

// newPostings opens one iterator per word; close releases them.
func newPostings(t txn, words map[string]float64) *postings {
	p := &postings{}
	tokens := make([]string, 0, len(words))
	for w := range words {
		tokens = append(tokens, w)
	}
	slices.Sort(tokens)
	for _, w := range tokens {
		prefix := keyPrefix(prefixName, w)
		opts := badger.DefaultIteratorOptions
		opts.Prefix, opts.PrefetchValues = prefix, false
		it := t.NewIterator(opts)
		it.Seek(prefix)
		p.its, p.prefix, p.score = append(p.its, it), append(p.prefix, prefix), append(p.score, words[w])
	}
	return p
}

func (p *postings) close() {
	for _, it := range p.its {
		it.Close()
	}
}

// seek returns the smallest customer id at or after target filed under
// any of the words, with the best score among the words filing it.
func (p *postings) seek(target string) (cust string, score float64, ok bool) {
	for i, it := range p.its {
		if !it.ValidForPrefix(p.prefix[i]) {
			continue // this word has no more customers
		}
		c := string(it.Item().Key()[len(p.prefix[i]):])
		if c < target {
			it.Seek(append(slices.Clip(p.prefix[i]), target...))
			if !it.ValidForPrefix(p.prefix[i]) {
				continue
			}
			c = string(it.Item().Key()[len(p.prefix[i]):])
		}
		switch {
		case !ok || c < cust:
			cust, score, ok = c, p.score[i], true
		case c == cust:
			score = max(score, p.score[i])
		}
	}
	return cust, score, ok
}

// intersect calls fn, in customer id order, for each customer that every
// list files, with the sum of its scores, until fn returns false.
func intersect(lists []*postings, fn func(cust string, score float64) bool) {
	if len(lists) == 0 {
		return
	}
	target := ""
	for {
		sum, agreed := 0.0, true
		for _, l := range lists {
			c, score, ok := l.seek(target)
			if !ok {
				return
			}
			if c != target {
				target, agreed = c, false
				break
			}
			sum += score
		}
		if agreed {
			if !fn(target, sum) {
				return
			}
			target += "\x00" // the next id after this one
		}
	}
}
