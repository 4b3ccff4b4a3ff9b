package localstore

import (
	"bytes"
	"cmp"
	"fmt"
	"slices"
	"unicode/utf8"

	"github.com/antzucaro/matchr"
	"github.com/dgraph-io/badger/v4"
	"github.com/touchpoint/touchpoint/customer"
)

// MinNameSimilarity is the Jaro-Winkler similarity from which a stored
// name word matches a typed one ("Petorva" finds "Petrova").
const MinNameSimilarity = 0.9

// minFuzzyWord is the shortest typed word compared by similarity; shorter
// ones match stored words that start with them.
const minFuzzyWord = 3

// maxFuzzyCandidates bounds how many typo matches are ranked: a vague
// query ("an") stops there instead of reading the whole index.
const maxFuzzyCandidates = 200

// SearchNameFuzzy finds cached profiles whose names hold, for every typed
// word, a word that starts with it or is at least MinNameSimilarity alike.
// Exact matches come first, then the others best first, at most
// MaxResults. Stored words are read from the name index by their first
// letter (or second, for a transposed first pair), so the cost follows
// the number of distinct name words, not of profiles.
func (s *Store) SearchNameFuzzy(name string) ([]customer.Profile, error) {
	words := customer.NameTokens(name, "")
	if len(words) == 0 {
		return nil, nil
	}
	var out []customer.Profile
	err := s.db.View(func(bt *badger.Txn) error {
		t := txn{bt}
		custs, err := s.matchName(t, name)
		if err != nil {
			return err
		}
		if len(custs) < MaxResults {
			similar, err := similarCustomers(t, words)
			if err != nil {
				return err
			}
			for _, c := range similar {
				custs = appendNew(custs, c)
			}
		}
		out, err = s.profilesOf(t, custs)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("search name: %w", err)
	}
	return out, nil
}

// similarCustomers returns the customers matching every word by
// similarity, best first.
func similarCustomers(t txn, words []string) ([]string, error) {
	var lists []*postings
	defer func() {
		for _, l := range lists {
			l.close()
		}
	}()
	for _, w := range words {
		tokens, err := similarTokens(t, w)
		if err != nil || len(tokens) == 0 {
			return nil, err
		}
		lists = append(lists, newPostings(t, tokens))
	}
	scores := map[string]float64{}
	intersect(lists, func(c string, score float64) bool {
		scores[c] = score
		return len(scores) < maxFuzzyCandidates
	})
	return rankByScore(scores), nil
}

// rankByScore orders customers by score, best first, then by id.
func rankByScore(scores map[string]float64) []string {
	custs := make([]string, 0, len(scores))
	for c := range scores {
		custs = append(custs, c)
	}
	slices.SortFunc(custs, func(a, b string) int {
		if c := cmp.Compare(scores[b], scores[a]); c != 0 {
			return c
		}
		return cmp.Compare(a, b)
	})
	return custs
}

// similarTokens returns the distinct stored name words that match w, with
// their similarity.
func similarTokens(t txn, w string) (map[string]float64, error) {
	out := map[string]float64{}
	starts := []string{firstRune(w)}
	if second := firstRune(w[len(starts[0]):]); second != "" && second != starts[0] && utf8.RuneCountInString(w) >= minFuzzyWord {
		starts = append(starts, second)
	}
	for _, start := range starts {
		err := eachToken(t, start, func(tok string) {
			if score := wordSimilarity(w, tok); score > 0 {
				out[tok] = score
			}
		})
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// prefixSimilarity is the score of a stored word that starts with the
// typed one: below an exact match, above most typos.
const prefixSimilarity = 0.97

// wordSimilarity scores a stored word tok against a typed word w: 1 when
// they are equal, prefixSimilarity when tok starts with w, their
// Jaro-Winkler similarity when that reaches MinNameSimilarity, else 0.
func wordSimilarity(w, tok string) float64 {
	switch {
	case tok == w:
		return 1
	case len(tok) > len(w) && tok[:len(w)] == w:
		return prefixSimilarity
	}
	if utf8.RuneCountInString(w) < minFuzzyWord {
		return 0
	}
	if score := matchr.JaroWinkler(w, tok, false); score >= MinNameSimilarity {
		return score
	}
	return 0
}

// eachToken calls fn once per distinct name word starting with start,
// seeking past each word's customers instead of reading them.
func eachToken(t txn, start string, fn func(tok string)) error {
	prefix := []byte(prefixName + start)
	opts := badger.DefaultIteratorOptions
	opts.Prefix, opts.PrefetchValues = prefix, false
	it := t.NewIterator(opts)
	defer it.Close()
	for it.Seek(prefix); it.Valid(); {
		k := it.Item().Key()
		end := bytes.IndexByte(k, 0)
		if end < 0 {
			it.Next()
			continue
		}
		tok := string(k[len(prefixName):end])
		fn(tok)
		it.Seek(append(key(prefixName, tok), 1)) // the next word
	}
	return nil
}

func firstRune(s string) string {
	if s == "" {
		return ""
	}
	_, n := utf8.DecodeRuneInString(s)
	return s[:n]
}
