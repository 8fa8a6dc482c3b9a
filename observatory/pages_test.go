package observatory

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/observatoire-scanner/observatoire/scanner"
)

// countingLoader is a Loader for the unit tests of Pages: it counts the
// loads of each URL, answers after a pause (so that callers overlap) and
// redirects the URLs of its redirects map.
type countingLoader struct {
	mu        sync.Mutex
	loads     map[string]int
	redirects map[string]string
	fail      atomic.Int32 // the next fail loads end with an error
}

func (l *countingLoader) Scan(ctx context.Context, url string) (*scanner.Snapshot, error) {
	l.mu.Lock()
	if l.loads == nil {
		l.loads = map[string]int{}
	}
	l.loads[url]++
	l.mu.Unlock()
	time.Sleep(20 * time.Millisecond)
	if l.fail.Add(-1) >= 0 {
		return nil, errors.New("no browser")
	}
	final := url
	var hops []scanner.Redirect
	if to, ok := l.redirects[url]; ok {
		final = to
		hops = []scanner.Redirect{{URL: url, Status: 302}}
	}
	return &scanner.Snapshot{
		URL: url, FinalURL: final, Redirects: hops, Status: scanner.StatusOK,
		Desktop:     &scanner.Facts{Title: "Page " + final},
		Screenshots: map[string]scanner.Screenshot{"desktop": {Format: "jpeg", Data: []byte{1, 2, 3}}},
	}, nil
}

func (l *countingLoader) count(url string) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.loads[url]
}

func TestPagesLoadsEachURLOnce(t *testing.T) {
	ctx := context.Background()
	l := &countingLoader{}
	c := NewPages()
	const callers = 8
	snaps := make([]*scanner.Snapshot, callers)
	reused := make([]bool, callers)
	var wg sync.WaitGroup
	for i := range callers {
		wg.Go(func() {
			var err error
			if snaps[i], reused[i], err = c.Scan(ctx, l, "http://127.0.0.1/a"); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if n := l.count("http://127.0.0.1/a"); n != 1 {
		t.Fatalf("loads of /a = %d, want 1 for %d callers at once", n, callers)
	}
	fresh := 0
	for i, s := range snaps {
		if !reused[i] {
			fresh++
		}
		if s == nil || s.Desktop == nil || s.Desktop.Title != "Page http://127.0.0.1/a" {
			t.Fatalf("snapshot %d = %+v", i, s)
		}
	}
	if fresh != 1 {
		t.Errorf("%d callers were told the page was loaded for them, want 1", fresh)
	}
	// Copies, not aliases: changing one result leaves the others alone.
	snaps[0].Desktop.Title = "changed"
	snaps[0].Screenshots["desktop"].Data[0] = 9
	for _, s := range snaps[1:] {
		if s == snaps[0] || s.Desktop == snaps[0].Desktop {
			t.Fatal("two callers share one snapshot")
		}
		if s.Desktop.Title == "changed" || s.Screenshots["desktop"].Data[0] == 9 {
			t.Fatal("a change to one caller's snapshot shows in another's")
		}
	}
	if st := c.Stats(); st.Loads != 1 || st.Reused != callers-1 {
		t.Errorf("stats = %+v, want 1 load and %d reused", st, callers-1)
	}
}

func TestPagesFinalURL(t *testing.T) {
	ctx := context.Background()
	l := &countingLoader{redirects: map[string]string{"http://127.0.0.1/old": "http://127.0.0.1/new"}}
	c := NewPages()
	first, _, err := c.Scan(ctx, l, "http://127.0.0.1/old")
	if err != nil {
		t.Fatal(err)
	}
	again, reused, err := c.Scan(ctx, l, "http://127.0.0.1/new")
	if err != nil {
		t.Fatal(err)
	}
	if !reused || l.count("http://127.0.0.1/new") != 0 {
		t.Fatalf("the final URL of an earlier load was loaded again (reused %v, loads %d)", reused, l.count("http://127.0.0.1/new"))
	}
	if again.URL != "http://127.0.0.1/new" || len(again.Redirects) != 0 || again.FinalURL != "http://127.0.0.1/new" {
		t.Errorf("reused by final URL: url %q, redirects %v, final %q; want the URL asked for and no hop", again.URL, again.Redirects, again.FinalURL)
	}
	if first.URL != "http://127.0.0.1/old" || len(first.Redirects) != 1 {
		t.Errorf("first load changed: %q %v", first.URL, first.Redirects)
	}
}

func TestPagesSeparateLoadersAndFailures(t *testing.T) {
	ctx := context.Background()
	desktop, other := &countingLoader{}, &countingLoader{}
	c := NewPages()
	for _, l := range []*countingLoader{desktop, other} {
		if _, reused, err := c.Scan(ctx, l, "http://127.0.0.1/a"); err != nil || reused {
			t.Fatalf("first load on a loader: reused %v, err %v", reused, err)
		}
	}
	if desktop.count("http://127.0.0.1/a") != 1 || other.count("http://127.0.0.1/a") != 1 {
		t.Error("two loaders (two emulations) shared a snapshot")
	}

	// A load that ends in error is not remembered: the next caller loads.
	failing := &countingLoader{}
	failing.fail.Store(1)
	if _, _, err := c.Scan(ctx, failing, "http://127.0.0.1/b"); err == nil {
		t.Fatal("the loader's error was lost")
	}
	s, reused, err := c.Scan(ctx, failing, "http://127.0.0.1/b")
	if err != nil || reused || s == nil {
		t.Fatalf("after a failed load: reused %v, err %v", reused, err)
	}
	if n := failing.count("http://127.0.0.1/b"); n != 2 {
		t.Errorf("loads after a failure = %d, want 2", n)
	}
}

func TestPagesProbeOnce(t *testing.T) {
	ctx := context.Background()
	l := &countingLoader{}
	c := NewPages()
	var runs atomic.Int32
	run := func() []scanner.Probe {
		runs.Add(1)
		time.Sleep(20 * time.Millisecond)
		return []scanner.Probe{{Status: 200}, {Status: 200}}
	}
	var wg sync.WaitGroup
	got := make([][]scanner.Probe, 4)
	for i := range got {
		wg.Go(func() { got[i], _ = c.Probe(ctx, l, "http://127.0.0.1/a", run) })
	}
	wg.Wait()
	if runs.Load() != 1 {
		t.Fatalf("probe sets run = %d, want 1", runs.Load())
	}
	got[0][0].Status = 500
	for _, ps := range got[1:] {
		if len(ps) != 2 || ps[0].Status != 200 {
			t.Fatalf("probes = %+v: shared or lost", ps)
		}
	}
	if st := c.Stats(); st.ProbeSets != 1 || st.ProbesReused != 3 {
		t.Errorf("stats = %+v", st)
	}
}
