package monitor

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/observatoire-scanner/observatoire/scanner"
)

// Target is one procedure to watch.
type Target struct {
	// ID is the procedure's id: a file name under DIR/monitor.
	ID string
	// URL is its start page.
	URL string
}

// Options tune the monitor. The zero value is the defaults.
type Options struct {
	// Interval is the time between rounds (default one minute).
	Interval time.Duration
	// Timeout bounds each probe (default 15 s, at most Interval).
	Timeout time.Duration
	// Jitter is the share of Interval over which a round's probes start
	// at random (default 0.5; negative: 0, every probe at the round's
	// start).
	Jitter float64
	// PerHost is how many probes of one host run at once (default 1).
	PerHost int
	// Concurrency caps the probes in flight (default 32).
	Concurrency int
	// SyncEvery is the longest time between two fsyncs of the files
	// (default one minute).
	SyncEvery time.Duration
	// RefusePrivate refuses private, loopback and link-local addresses,
	// as the scanner's option does.
	RefusePrivate bool
	// OnRound, if set, is called after each round's samples are written.
	OnRound func(Round)
}

// Round is what one round did.
type Round struct {
	// N counts the rounds since Run started, from 1.
	N     int
	Start time.Time
	// Elapsed is the time from the round's start to its samples written.
	Elapsed time.Duration
	// Up, Down count the round's samples; NoNetwork is true when no host
	// answered (every sample a gap).
	Up, Down  int
	NoNetwork bool
}

// Monitor probes a set of targets in rounds and stores the samples.
type Monitor struct {
	targets []Target
	hosts   map[string]chan struct{}
	nHosts  int
	o       Options
	store   *Store
	metrics *metrics

	mu        sync.Mutex
	lastRound time.Time // end of the last round written
	started   time.Time
	failure   error // the write error that stopped the monitor
}

// New checks the targets and options and opens the store under dataDir
// (an unwritable folder is an error here).
func New(dataDir string, targets []Target, o Options) (*Monitor, error) {
	if len(targets) == 0 {
		return nil, errors.New("monitor: no procedure to watch")
	}
	if o.Interval == 0 {
		o.Interval = time.Minute
	}
	if o.Interval < 10*time.Millisecond || o.Interval > 24*time.Hour {
		return nil, fmt.Errorf("monitor: interval %s: want from 10ms to 24h", o.Interval)
	}
	if o.Timeout == 0 {
		o.Timeout = min(15*time.Second, o.Interval)
	}
	if o.Timeout < 0 {
		return nil, fmt.Errorf("monitor: timeout %s: must be positive", o.Timeout)
	}
	if o.Jitter == 0 {
		o.Jitter = 0.5
	}
	if o.Jitter < 0 {
		o.Jitter = 0
	}
	if o.Jitter > 1 {
		return nil, fmt.Errorf("monitor: jitter %v: want from 0 to 1", o.Jitter)
	}
	if o.PerHost <= 0 {
		o.PerHost = 1
	}
	if o.Concurrency <= 0 {
		o.Concurrency = 32
	}
	if o.SyncEvery <= 0 {
		o.SyncEvery = time.Minute
	}
	m := &Monitor{targets: targets, hosts: map[string]chan struct{}{}, o: o}
	seen := map[string]bool{}
	for _, t := range targets {
		if !validID.MatchString(t.ID) {
			return nil, fmt.Errorf("monitor: procedure id %q: want letters, digits, '.', '_' or '-'", t.ID)
		}
		if seen[t.ID] {
			return nil, fmt.Errorf("monitor: procedure id %q given twice", t.ID)
		}
		seen[t.ID] = true
		u, err := url.Parse(t.URL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return nil, fmt.Errorf("monitor: procedure %s: start URL %q is not an absolute http(s) URL", t.ID, t.URL)
		}
		h := strings.ToLower(u.Hostname())
		if m.hosts[h] == nil {
			m.hosts[h] = make(chan struct{}, o.PerHost)
		}
	}
	m.nHosts = len(m.hosts)
	store, err := OpenStore(dataDir)
	if err != nil {
		return nil, err
	}
	m.store = store
	m.metrics = newMetrics(m)
	return m, nil
}

// Interval is the monitor's interval.
func (m *Monitor) Interval() time.Duration { return m.o.Interval }

// Run probes the targets round after round until ctx ends (then it
// returns nil, having written every finished round and synced the files)
// or a sample cannot be written (then it returns the error: samples are
// never dropped silently). The round in flight when ctx ends is dropped.
// Run closes the store when it returns: call it once.
func (m *Monitor) Run(ctx context.Context) (err error) {
	m.mu.Lock()
	m.started = time.Now()
	m.mu.Unlock()
	defer func() {
		if cerr := m.store.Close(); err == nil && cerr != nil {
			err = fmt.Errorf("monitor: %w", cerr)
		}
		if err != nil {
			m.mu.Lock()
			m.failure = err
			m.mu.Unlock()
		}
	}()
	lastSync := time.Now()
	next := time.Now()
	for n := 1; ; n++ {
		start := time.Now()
		samples, ok := m.probeRound(ctx)
		if !ok {
			return nil
		}
		r := Round{N: n, Start: start}
		r.NoNetwork = m.noNetwork(samples)
		for i, t := range m.targets {
			s := samples[i]
			s.NoNetwork = r.NoNetwork
			if err := m.store.Append(t.ID, s); err != nil {
				return fmt.Errorf("monitor: stopped, samples cannot be stored: %w", err)
			}
			m.metrics.observe(t.ID, s)
			if s.Up() {
				r.Up++
			} else {
				r.Down++
			}
		}
		if time.Since(lastSync) >= m.o.SyncEvery {
			if err := m.store.Sync(); err != nil {
				return fmt.Errorf("monitor: stopped, samples cannot be stored: %w", err)
			}
			lastSync = time.Now()
		}
		r.Elapsed = time.Since(start)
		m.metrics.round(r)
		m.mu.Lock()
		m.lastRound = time.Now()
		m.mu.Unlock()
		if m.o.OnRound != nil {
			m.o.OnRound(r)
		}
		next = next.Add(m.o.Interval)
		if now := time.Now(); next.Before(now) {
			// The round overran: start the next one now, on a new beat.
			next = now
		}
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(time.Until(next)):
		}
	}
}

// noNetwork reports whether a round is a network gap: no probe got an
// HTTP answer and at least two hosts were probed.
func (m *Monitor) noNetwork(samples []Sample) bool {
	if m.nHosts < 2 {
		return false
	}
	for _, s := range samples {
		if s.Status != 0 || s.Kind == scanner.StatusRefused {
			return false
		}
	}
	return true
}

// probeRound probes every target once, each at a random offset within
// Jitter × Interval, and returns the samples in the targets' order; ok is
// false when ctx ended before the round finished. A host that times out
// costs the round one timeout: its procedures not yet probed in the round
// are recorded as timed out too, so that a hung host with many procedures
// does not stretch the round for all.
func (m *Monitor) probeRound(ctx context.Context) (samples []Sample, ok bool) {
	samples = make([]Sample, len(m.targets))
	sem := make(chan struct{}, m.o.Concurrency)
	spread := time.Duration(m.o.Jitter * float64(m.o.Interval))
	var mu sync.Mutex
	timedOut := map[string]bool{} // hosts that timed out in this round
	var wg sync.WaitGroup
	for i, t := range m.targets {
		wg.Go(func() {
			if spread > 0 {
				select {
				case <-ctx.Done():
					return
				case <-time.After(rand.N(spread)):
				}
			}
			name := hostname(t.URL)
			host := m.hosts[name]
			// The host's slot first, then a global one: procedures queued
			// behind a slow host do not hold the others back.
			select {
			case <-ctx.Done():
				return
			case host <- struct{}{}:
			}
			defer func() { <-host }()
			select {
			case <-ctx.Done():
				return
			case sem <- struct{}{}:
			}
			defer func() { <-sem }()
			mu.Lock()
			late := timedOut[name]
			mu.Unlock()
			if late {
				// The host did not answer in time in this round: its other
				// procedures are down too, without waiting again.
				samples[i] = Sample{At: time.Now().UTC(), Kind: scanner.StatusTimeout, Interval: m.o.Interval}
				return
			}
			ps := scanner.ProbeURL(ctx, t.URL, scanner.ProbeOptions{Count: 1, Timeout: m.o.Timeout, RefusePrivate: m.o.RefusePrivate})
			if len(ps) == 0 {
				return
			}
			p := ps[0]
			samples[i] = Sample{At: p.At, Status: p.Status, TTFB: p.TTFB, Kind: p.Kind, Interval: m.o.Interval}
			if p.Status == 0 && p.Kind == "" {
				samples[i].Kind = scanner.StatusNetwork
			}
			if p.Kind == scanner.StatusTimeout {
				mu.Lock()
				timedOut[name] = true
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if ctx.Err() != nil {
		return nil, false
	}
	return samples, true
}

func hostname(raw string) string {
	u, _ := url.Parse(raw)
	return strings.ToLower(u.Hostname())
}

// Health reports whether the monitor is working: nil while rounds finish
// on time and samples are written.
func (m *Monitor) Health() error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.failure != nil {
		return m.failure
	}
	if m.started.IsZero() {
		return errors.New("monitor not started")
	}
	last := m.lastRound
	if last.IsZero() {
		last = m.started
	}
	// A round may take the interval, plus the jitter's wait and a probe's
	// timeout; three intervals and a timeout is late.
	if late := 3*m.o.Interval + m.o.Timeout; time.Since(last) > late {
		return fmt.Errorf("no round finished for %s", time.Since(last).Round(time.Millisecond))
	}
	return nil
}
