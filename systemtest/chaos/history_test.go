package chaos

import (
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"sync"

	"github.com/touchpoint/touchpoint/customer"
)

// history records what the chaos workload was told: every event sent,
// and which of them a source (the hub's HTTP API) or an agent (to staff)
// acknowledged. Acknowledged events must survive everything; the others
// may be missing but never stored twice.
type history struct {
	mu     sync.Mutex
	events map[string]*sentEvent // by event key (source, id)
	phones map[string]bool       // one customer per phone
}

type sentEvent struct {
	id, source, phone string
	acked             bool
}

func newHistory() *history {
	return &history{events: map[string]*sentEvent{}, phones: map[string]bool{}}
}

// sent notes an attempt to record e.
func (h *history) sent(e customer.Event) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.events[e.Key()] == nil {
		h.events[e.Key()] = &sentEvent{id: e.ID, source: e.Source, phone: e.Customer.Phone}
	}
	h.phones[e.Customer.Phone] = true
}

// acked notes that e was acknowledged (created or duplicate).
func (h *history) acked(e customer.Event) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.events[e.Key()].acked = true
}

func (h *history) ackedCount() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	n := 0
	for _, e := range h.events {
		if e.acked {
			n++
		}
	}
	return n
}

func (h *history) customerPhones() []string {
	h.mu.Lock()
	defer h.mu.Unlock()
	var out []string
	for p := range h.phones {
		out = append(out, p)
	}
	sort.Strings(out)
	return out
}

// replicaView is every profile one replica (a hub node or an agent's
// cache) shows for the history's customers, by customer id.
type replicaView struct {
	name     string
	profiles map[string]customer.Profile
}

// searcher asks one replica for the profiles holding a phone.
type searcher func(phone string) ([]customer.Profile, error)

// readReplica asks a few phones at a time.
func readReplica(name string, phones []string, find searcher) (replicaView, error) {
	const workers = 6
	v := replicaView{name: name, profiles: map[string]customer.Profile{}}
	var mu sync.Mutex
	var firstErr error
	next := make(chan string)
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for phone := range next {
				found, err := find(phone)
				mu.Lock()
				if err != nil && firstErr == nil {
					firstErr = fmt.Errorf("%s: %w", name, err)
				}
				for _, p := range found {
					v.profiles[p.CustomerID] = p
				}
				mu.Unlock()
			}
		}()
	}
	for _, phone := range phones {
		next <- phone
	}
	close(next)
	wg.Wait()
	return v, firstErr
}

// counts returns how many times each event key appears in the view.
func (v replicaView) counts() map[string]int {
	n := map[string]int{}
	for _, p := range v.profiles {
		for _, e := range p.Events {
			n[e.Key()]++
		}
	}
	return n
}

// verdict is the history checked against the replicas.
type verdict struct {
	acked, lost, duplicated, unequal int
	problems                         []string // first few, for the log
}

func (v *verdict) problem(format string, a ...any) {
	if len(v.problems) < 10 {
		v.problems = append(v.problems, fmt.Sprintf(format, a...))
	}
}

func (v verdict) ok() bool { return v.lost == 0 && v.duplicated == 0 && v.unequal == 0 }

func (v verdict) String() string {
	return fmt.Sprintf("%d acknowledged, %d lost, %d duplicated, %d profiles unequal %v", v.acked, v.lost, v.duplicated, v.unequal, v.problems)
}

// check compares the history with the hub (every node) and the agents:
// each acknowledged event is at every replica exactly once, no event is
// anywhere twice, and every agent's profiles equal the hub's.
func (h *history) check(hub []replicaView, agents []replicaView) verdict {
	h.mu.Lock()
	defer h.mu.Unlock()
	var v verdict
	for _, e := range h.events {
		if e.acked {
			v.acked++
		}
	}
	for _, r := range append(slices.Clone(hub), agents...) {
		counts := r.counts()
		for key, e := range h.events {
			switch n := counts[key]; {
			case n == 0 && e.acked:
				v.lost++
				v.problem("%s lacks acknowledged %s", r.name, e.id)
			case n > 1:
				v.duplicated++
				v.problem("%s holds %s %d times", r.name, e.id, n)
			}
		}
	}
	if len(hub) == 0 {
		return v
	}
	for _, r := range append(slices.Clone(hub[1:]), agents...) {
		v.unequal += h.compare(hub[0], r, &v)
	}
	return v
}

// compare counts the profiles of want that got differs on.
func (h *history) compare(want, got replicaView, v *verdict) int {
	unequal := 0
	for id, p := range want.profiles {
		q, ok := got.profiles[id]
		if !ok {
			unequal++
			v.problem("%s lacks profile %s", got.name, id)
			continue
		}
		if a, b := profileJSON(p), profileJSON(q); a != b {
			unequal++
			v.problem("%s profile %s differs from %s's in %s", got.name, id, want.name, differingFields(a, b))
		}
	}
	for id := range got.profiles {
		if _, ok := want.profiles[id]; !ok {
			unequal++
			v.problem("%s has profile %s the hub does not", got.name, id)
		}
	}
	return unequal
}

func profileJSON(p customer.Profile) string {
	b, _ := json.Marshal(p)
	return string(b)
}

// differingFields names the top-level fields two profile JSONs differ
// in, with both values (shortened) for the first.
func differingFields(a, b string) string {
	var ma, mb map[string]json.RawMessage
	_ = json.Unmarshal([]byte(a), &ma)
	_ = json.Unmarshal([]byte(b), &mb)
	var names []string
	first := ""
	for k, va := range ma {
		if string(va) != string(mb[k]) {
			names = append(names, k)
		}
	}
	sort.Strings(names)
	if len(names) > 0 {
		k := names[0]
		first = fmt.Sprintf(" (%s: %.160s vs %.160s)", k, ma[k], mb[k])
	}
	return fmt.Sprint(names) + first
}
