package observatory

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"

	"github.com/observatoire-scanner/observatoire/scanner"
)

// Loader loads one page: *scanner.Scanner is the real one.
type Loader interface {
	Scan(ctx context.Context, url string) (*scanner.Snapshot, error)
}

// Pages remembers the pages loaded and the probes run during one scan (an
// edition's scan, one check or ci run), so that each distinct URL is
// loaded once: a start page or second page asked for again (by its URL,
// or by the final URL of an earlier load) is copied from the first load
// instead of being loaded again, and the probes of a start URL are run
// once. Two procedures asking for one URL at once wait for one load.
//
// A Pages belongs to one scan and is never shared between scans: a new
// scan (a resumed edition included) loads again what it needs. Entries are
// keyed by loader as well as URL, so that two scanners (two emulations)
// never share a snapshot. The zero Pages is not usable: use NewPages.
type Pages struct {
	mu     sync.Mutex
	pages  map[pageKey]*pageEntry
	probes map[pageKey]*probeEntry
	stats  PageStats
}

// PageStats counts what a Pages did.
type PageStats struct {
	// Loads counts the pages loaded; Reused the pages copied from an
	// earlier load instead.
	Loads, Reused int
	// ProbeSets counts the start URLs probed; ProbesReused the probe sets
	// copied instead of being run again.
	ProbeSets, ProbesReused int
}

type pageKey struct {
	loader any
	url    string
}

type pageEntry struct {
	done chan struct{}
	snap *scanner.Snapshot
	err  error
}

type probeEntry struct {
	done   chan struct{}
	probes []scanner.Probe
}

// NewPages returns an empty page memory for one scan.
func NewPages() *Pages {
	return &Pages{pages: map[pageKey]*pageEntry{}, probes: map[pageKey]*probeEntry{}}
}

// Stats returns what the Pages did so far.
func (c *Pages) Stats() PageStats {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.stats
}

// Scan returns the snapshot of url, loading it with l unless it was
// already loaded (or is being loaded) in this scan. The snapshot returned
// is the caller's own copy; reused reports that it came from an earlier
// load. A load that ends with an error (ctx ended, no browser) is not
// remembered: the next caller loads again.
func (c *Pages) Scan(ctx context.Context, l Loader, url string) (snap *scanner.Snapshot, reused bool, err error) {
	k := pageKey{l, url}
	for {
		c.mu.Lock()
		e, ok := c.pages[k]
		if !ok {
			e = &pageEntry{done: make(chan struct{})}
			c.pages[k] = e
			c.stats.Loads++
			c.mu.Unlock()
			return c.load(ctx, l, k, e)
		}
		c.mu.Unlock()
		select {
		case <-e.done:
		case <-ctx.Done():
			return nil, false, ctx.Err()
		}
		if e.err != nil {
			continue // that load failed and was forgotten: load again
		}
		cp, err := cloneSnapshot(e.snap)
		if err != nil {
			return nil, false, err
		}
		if cp.URL != url {
			// Reached by the final URL of a load that was redirected:
			// this caller asked for the final URL itself.
			cp.URL, cp.Redirects = url, nil
		}
		c.mu.Lock()
		c.stats.Reused++
		c.mu.Unlock()
		return cp, true, nil
	}
}

// load loads the page of entry e and publishes it.
func (c *Pages) load(ctx context.Context, l Loader, k pageKey, e *pageEntry) (*scanner.Snapshot, bool, error) {
	snap, err := l.Scan(ctx, k.url)
	var cp *scanner.Snapshot
	if err == nil {
		// The caller gets its own copy: the remembered one is never
		// handed out, so that no result aliases another's.
		cp, err = cloneSnapshot(snap)
	}
	c.mu.Lock()
	if err != nil {
		delete(c.pages, k)
		c.stats.Loads--
		e.err = err
	} else {
		e.snap = snap
		if snap.Status.Loaded() && snap.FinalURL != "" && snap.FinalURL != k.url {
			fk := pageKey{k.loader, snap.FinalURL}
			if _, ok := c.pages[fk]; !ok {
				c.pages[fk] = e
			}
		}
	}
	c.mu.Unlock()
	close(e.done)
	if err != nil {
		return nil, false, err
	}
	return cp, false, nil
}

// Probe returns the probes of url, running them with run unless they were
// already run in this scan for the same loader; reused reports that they
// were copied.
func (c *Pages) Probe(ctx context.Context, l Loader, url string, run func() []scanner.Probe) (probes []scanner.Probe, reused bool) {
	k := pageKey{l, url}
	c.mu.Lock()
	e, ok := c.probes[k]
	if !ok {
		e = &probeEntry{done: make(chan struct{})}
		c.probes[k] = e
		c.stats.ProbeSets++
		c.mu.Unlock()
		e.probes = run()
		close(e.done)
		return cloneProbes(e.probes), false
	}
	c.mu.Unlock()
	select {
	case <-e.done:
	case <-ctx.Done():
		return nil, false
	}
	c.mu.Lock()
	c.stats.ProbesReused++
	c.mu.Unlock()
	return cloneProbes(e.probes), true
}

// cloneSnapshot deep-copies a snapshot through its JSON form, which is
// the whole of it (every field is encoded: see scanner.Snapshot).
func cloneSnapshot(s *scanner.Snapshot) (*scanner.Snapshot, error) {
	if s == nil {
		return nil, nil
	}
	b, err := json.Marshal(s)
	if err != nil {
		return nil, fmt.Errorf("copying the snapshot of %s: %w", s.URL, err)
	}
	var cp scanner.Snapshot
	if err := json.Unmarshal(b, &cp); err != nil {
		return nil, fmt.Errorf("copying the snapshot of %s: %w", s.URL, err)
	}
	return &cp, nil
}

// cloneProbes copies a probe set (probes are plain values).
func cloneProbes(ps []scanner.Probe) []scanner.Probe {
	if ps == nil {
		return nil
	}
	return append([]scanner.Probe(nil), ps...)
}
