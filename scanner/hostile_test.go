package scanner_test

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/observatoire-scanner/observatoire/fixtures"
	"github.com/observatoire-scanner/observatoire/fixtures/fixturetest"
	"github.com/observatoire-scanner/observatoire/scanner"
)

// The hostile suite runs on a scanner of its own, with short bounds, so
// that its browser's processes and tabs can be counted before and after
// each fault.
var hostileBounds = scanner.Options{
	Concurrency:       3,
	NavigationTimeout: 3 * time.Second,
	SettleTimeout:     8 * time.Second,
	AxeTimeout:        8 * time.Second,
	PageTimeout:       30 * time.Second,
	MaxRetryWait:      3 * time.Second,
	JSHeapMB:          256,
	Logf:              func(f string, a ...any) { fmt.Fprintf(os.Stderr, f+"\n", a...) },
}

// hostileScanner starts a scanner with the hostile bounds (plus changes)
// and closes it at the end of the test.
func hostileScanner(t *testing.T, change func(*scanner.Options)) *scanner.Scanner {
	t.Helper()
	o := hostileBounds
	if change != nil {
		change(&o)
	}
	s, err := scanner.New(o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	if err := s.Start(ctx); err != nil {
		t.Fatal(err)
	}
	return s
}

// fault is one misbehaviour of a page and what the scanner must make of it.
type fault struct {
	name string
	path string // on the fixture server; a full URL when it has a scheme
	want scanner.Status
	// check looks at the snapshot further (nil: status and reason only).
	check func(t *testing.T, s *scanner.Snapshot)
}

// TestHostile scans each fault next to a good page on one browser, and
// checks that the fault ends with an explicit status within the bounds,
// that the good page is unharmed, and that no tab or process is left.
func TestHostile(t *testing.T) {
	web, _ := fixturetest.Env(t)
	tlsWeb, err := web.StartTLS()
	if err != nil {
		t.Fatal(err)
	}
	defer tlsWeb.Close()
	hs := hostileScanner(t, nil)
	// The bound on one fault: the page cap, plus a retry after a bounded
	// wait, plus a browser restart; wide, since the machine is shared.
	o := hs.Options()
	bound := 2*o.PageTimeout + o.MaxRetryWait + 30*time.Second

	faults := []fault{
		{"never answers", "/never", scanner.StatusTimeout, nil},
		{"one byte per second", "/hostile/drip", scanner.StatusPartial, nil},
		{"stalls after the headers", "/hostile/stall", scanner.StatusPartial, func(t *testing.T, s *scanner.Snapshot) {
			if s.Desktop == nil || !strings.Contains(s.Desktop.Text, "Page figée") {
				t.Errorf("what arrived should be read: %+v", s.Desktop)
			}
		}},
		{"HTTP 500", "/status/500", scanner.StatusHTTPError, func(t *testing.T, s *scanner.Snapshot) {
			if s.Attempts != 1 {
				t.Errorf("a 500 is final: %d attempts", s.Attempts)
			}
		}},
		{"HTTP 503 with Retry-After", "/status/503?retry-after=1", scanner.StatusHTTPError, func(t *testing.T, s *scanner.Snapshot) {
			if s.Attempts != 2 {
				t.Errorf("a 503 is tried once more: %d attempts", s.Attempts)
			}
		}},
		{"HTTP 429", "/status/429?retry-after=1", scanner.StatusBlocked, func(t *testing.T, s *scanner.Snapshot) {
			if s.Attempts != 2 {
				t.Errorf("a 429 is tried once more: %d attempts", s.Attempts)
			}
		}},
		{"HTTP redirect loop", "/hostile/loop", scanner.StatusNetwork, func(t *testing.T, s *scanner.Snapshot) {
			if !strings.Contains(s.Reason, "TOO_MANY_REDIRECTS") {
				t.Errorf("reason %q", s.Reason)
			}
		}},
		{"meta-refresh loop", "/hostile-meta-loop.html", scanner.StatusNetwork, func(t *testing.T, s *scanner.Snapshot) {
			if !strings.Contains(s.Reason, "redirections côté client") || len(s.Redirects) < 3 {
				t.Errorf("reason %q, %d redirects", s.Reason, len(s.Redirects))
			}
		}},
		{"client-side redirect", "/hostile-js-redirect.html", scanner.StatusOK, func(t *testing.T, s *scanner.Snapshot) {
			if len(s.Redirects) != 1 || s.Redirects[0].Status != 0 || !strings.HasSuffix(s.Redirects[0].URL, "/hostile-js-redirect.html") {
				t.Errorf("redirects %+v, want the script page with status 0", s.Redirects)
			}
			if !strings.HasSuffix(s.FinalURL, "/good.html") || s.Desktop == nil || s.Desktop.Title != "Demander une aide au logement" {
				t.Errorf("final URL %s, facts of %q", s.FinalURL, s.Desktop.Title)
			}
		}},
		{"50 MB response", "/hostile/huge?mb=50", scanner.StatusPartial, func(t *testing.T, s *scanner.Snapshot) {
			if !strings.Contains(s.Reason, "Mo") {
				t.Errorf("reason %q", s.Reason)
			}
		}},
		{"PDF", "/hostile/pdf", scanner.StatusNotHTML, nil},
		{"download (Content-Disposition: attachment)", "/hostile/download", scanner.StatusNotHTML, func(t *testing.T, s *scanner.Snapshot) {
			if !strings.Contains(s.Reason, "attachment") {
				t.Errorf("reason %q", s.Reason)
			}
		}},
		{"infinite JavaScript loop", "/hostile-busy.html", scanner.StatusPartial, func(t *testing.T, s *scanner.Snapshot) {
			if s.Desktop == nil || s.Desktop.Title != "Page dont le script ne rend jamais la main" {
				t.Errorf("facts should be read once the script is stopped: %+v", s.Desktop)
			}
		}},
		{"windows opened in a loop", "/hostile-popups.html", scanner.StatusOK, func(t *testing.T, s *scanner.Snapshot) {
			if s.Popups < 20 {
				t.Errorf("popups %d, want each attempt counted (>= 20)", s.Popups)
			}
		}},
		{"dialogs", "/alert.html", scanner.StatusOK, nil},
		{"100,000 elements", "/hostile/many?n=100000", "", func(t *testing.T, s *scanner.Snapshot) {
			if !s.Status.Loaded() || s.Desktop == nil {
				t.Fatalf("status %s (%s)", s.Status, s.Reason)
			}
			if s.Desktop.Elements < 100000 || len(s.Desktop.Links) > 1500 || !s.Desktop.Truncated {
				t.Errorf("elements %d, links %d, truncated %v: want all counted, lists capped", s.Desktop.Elements, len(s.Desktop.Links), s.Desktop.Truncated)
			}
		}},
		{"deeply nested iframes", "/hostile/nest?depth=60", "", func(t *testing.T, s *scanner.Snapshot) {
			if !s.Status.Loaded() || s.Desktop == nil || len(s.Desktop.Iframes) != 1 {
				t.Errorf("status %s (%s), facts %v", s.Status, s.Reason, s.Desktop != nil)
			}
		}},
		{"tab out of memory", "/hostile-memory.html", scanner.StatusCrashed, nil},
		{"invalid TLS certificate", tlsWeb.URL + "/good.html", scanner.StatusTLS, func(t *testing.T, s *scanner.Snapshot) {
			if s.Attempts != 1 {
				t.Errorf("a TLS failure is final: %d attempts", s.Attempts)
			}
		}},
		{"connection reset mid-body", "/hostile/reset", scanner.StatusNetwork, func(t *testing.T, s *scanner.Snapshot) {
			if !strings.Contains(s.Reason, "RESET") || s.Attempts != 2 {
				t.Errorf("reason %q, %d attempts", s.Reason, s.Attempts)
			}
		}},
		{"bot challenge (403)", "/hostile/challenge", scanner.StatusBlocked, nil},
	}

	base := measure(t, hs)
	t.Logf("baseline: %d processes, %d tabs, %d MB", base.procs, base.tabs, base.rssMB)
	var report []string
	for _, f := range faults {
		t.Run(f.name, func(t *testing.T) {
			u := f.path
			if !strings.Contains(u, "://") {
				u = web.Page(u)
			}
			ctx, cancel := context.WithTimeout(context.Background(), bound+30*time.Second)
			defer cancel()
			var good *scanner.Snapshot
			var goodErr error
			var wg sync.WaitGroup
			wg.Go(func() { good, goodErr = hs.Scan(ctx, web.Page("/good.html?next-to="+f.name)) })
			start := time.Now()
			s, err := hs.Scan(ctx, u)
			took := time.Since(start)
			wg.Wait()
			if err != nil || goodErr != nil {
				t.Fatalf("Scan: %v / %v", err, goodErr)
			}
			t.Logf("%s: %s (%s) in %s, %d attempts, phases %+v", f.name, s.Status, s.Reason, took.Round(time.Millisecond), s.Attempts, s.Phases)
			if f.want != "" && s.Status != f.want {
				t.Errorf("status %s (%s), want %s", s.Status, s.Reason, f.want)
			}
			if s.Status != scanner.StatusOK && s.Reason == "" {
				t.Errorf("status %s without a reason", s.Status)
			}
			if took > bound {
				t.Errorf("took %s, bound %s", took, bound)
			}
			if f.check != nil {
				f.check(t, s)
			}
			if good.Status != scanner.StatusOK || good.Desktop == nil {
				t.Errorf("the good page next to it: %s (%s)", good.Status, good.Reason)
			}
			after := settle(t, hs, base)
			report = append(report, fmt.Sprintf("| %s | `%s` | %s | %.1f s | %d | %d |", f.name, s.Status, s.Reason, took.Seconds(), after.tabs-base.tabs, after.procs-base.procs))
		})
	}
	end := settle(t, hs, base)
	t.Logf("after %d faults: %d tabs, %d processes (baseline %d), %d MB (baseline %d MB), %d zombies",
		len(faults), end.tabs, end.procs, base.procs, end.rssMB, base.rssMB, end.zombies)
	t.Logf("bounds: navigation %s, settle %s, axe %s, page %s, retry wait %s; bound per fault %s",
		o.NavigationTimeout, o.SettleTimeout, o.AxeTimeout, o.PageTimeout, o.MaxRetryWait, bound)
	t.Log("\n| fault | status | reason | time | leaked tabs | leaked processes |\n|---|---|---|---|---|---|\n" + strings.Join(report, "\n"))
}

// usage is what a browser holds: page targets, processes (the browser and
// its descendants), their resident memory and zombies.
type usage struct {
	tabs, procs, rssMB, zombies int
}

func measure(t *testing.T, s *scanner.Scanner) usage {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	tabs, err := s.OpenTabs(ctx)
	if err != nil {
		t.Fatalf("open tabs: %v", err)
	}
	procs, rss := processTree(s.BrowserPID())
	u := usage{tabs: tabs, procs: len(procs), rssMB: rss >> 20}
	for _, st := range procs {
		if st == "Z" {
			u.zombies++
		}
	}
	u.zombies += zombieChildren()
	return u
}

// settle waits for the browser to come back to base (closed tabs' processes
// exit a moment after the tab), and fails the test if it does not.
func settle(t *testing.T, s *scanner.Scanner, base usage) usage {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		u := measure(t, s)
		if u.tabs <= base.tabs && u.procs <= base.procs && u.zombies == 0 {
			return u
		}
		if time.Now().After(deadline) {
			t.Errorf("leak: %d tabs, %d processes (baseline %d), %d zombies", u.tabs, u.procs, base.procs, u.zombies)
			return u
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// processTree returns the state of root and every descendant process, and
// their summed resident memory in bytes, read from /proc.
func processTree(root int) (map[int]string, int) {
	if root == 0 {
		return nil, 0
	}
	parent := map[int]int{}
	state := map[int]string{}
	ents, _ := os.ReadDir("/proc")
	for _, e := range ents {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		ppid, st := procStatus(pid)
		parent[pid], state[pid] = ppid, st
	}
	out := map[int]string{}
	rss := 0
	for pid := range parent {
		for p := pid; p > 1; p = parent[p] {
			if p == root {
				out[pid] = state[pid]
				rss += procRSS(pid)
				break
			}
		}
	}
	return out, rss
}

// procStatus reads a process's parent and state from /proc/PID/status.
func procStatus(pid int) (ppid int, state string) {
	f, err := os.Open(filepath.Join("/proc", strconv.Itoa(pid), "status"))
	if err != nil {
		return 0, ""
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		k, v, _ := strings.Cut(sc.Text(), ":")
		v = strings.TrimSpace(v)
		switch k {
		case "State":
			state, _, _ = strings.Cut(v, " ")
		case "PPid":
			ppid, _ = strconv.Atoi(v)
		}
	}
	return ppid, state
}

func procRSS(pid int) int {
	b, err := os.ReadFile(filepath.Join("/proc", strconv.Itoa(pid), "statm"))
	if err != nil {
		return 0
	}
	f := strings.Fields(string(b))
	if len(f) < 2 {
		return 0
	}
	pages, _ := strconv.Atoi(f[1])
	return pages * os.Getpagesize()
}

// zombieChildren counts this test process's children that exited and were
// never waited for.
func zombieChildren() int {
	n := 0
	self := os.Getpid()
	ents, _ := os.ReadDir("/proc")
	for _, e := range ents {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		if ppid, st := procStatus(pid); ppid == self && st == "Z" {
			n++
		}
	}
	return n
}

// hits asks the fixture server how many requests key received (or, for
// what "peak", the most at once).
func hits(t *testing.T, web *fixtures.Server, what, key string) int {
	t.Helper()
	resp, err := http.Get(web.Page("/hostile/" + what + "?key=" + key))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	n, err := strconv.Atoi(string(b))
	if err != nil {
		t.Fatalf("%s %s: %q", what, key, b)
	}
	return n
}

// TestHostileRetries checks politeness: a 503 or 429 is tried once more
// after its Retry-After, a Retry-After beyond the bound is not waited for,
// and a fault that persists is reported after two attempts, no more.
func TestHostileRetries(t *testing.T) {
	web, _ := fixturetest.Env(t)
	hs := hostileScanner(t, nil)
	cases := []struct {
		name, query string
		want        scanner.Status
		attempts    int
	}{
		{"503 then ok", "code=503&fail=1&retry-after=1", scanner.StatusOK, 2},
		{"429 then ok", "code=429&fail=1&retry-after=1", scanner.StatusOK, 2},
		{"503 without Retry-After, then ok", "code=503&fail=1", scanner.StatusOK, 2},
		{"503 twice", "code=503&fail=2&retry-after=1", scanner.StatusHTTPError, 2},
		{"429 beyond the wait bound", "code=429&fail=1&retry-after=3600", scanner.StatusBlocked, 1},
		{"429 as plain text, beyond the wait bound", "code=429&fail=1&retry-after=3600&text=1", scanner.StatusBlocked, 1},
		{"500 is final", "code=500&fail=1", scanner.StatusHTTPError, 1},
	}
	for i, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			key := "retry-" + strconv.Itoa(i)
			start := time.Now()
			s, err := hs.Scan(context.Background(), web.Page("/hostile/flaky?key="+key+"&"+c.query))
			if err != nil {
				t.Fatal(err)
			}
			if s.Status != c.want || s.Attempts != c.attempts {
				t.Errorf("status %s (%s) after %d attempts, want %s after %d", s.Status, s.Reason, s.Attempts, c.want, c.attempts)
			}
			if n := hits(t, web, "hits", key); n != c.attempts {
				t.Errorf("the server saw %d requests, want %d", n, c.attempts)
			}
			if c.attempts == 2 && s.FirstAttempt == "" {
				t.Error("the first attempt's outcome is not recorded")
			}
			if took := time.Since(start); took > 60*time.Second {
				t.Errorf("took %s", took)
			}
		})
	}
}

// TestHostilePerHost checks that no more than PerHost pages of one host
// load at once, even when the scanner may run more.
func TestHostilePerHost(t *testing.T) {
	web, _ := fixturetest.Env(t)
	hs := hostileScanner(t, func(o *scanner.Options) { o.Concurrency = 5; o.NoAxe = true; o.NoScreenshots = true })
	if hs.Options().PerHost != 2 {
		t.Fatalf("default PerHost %d, want 2", hs.Options().PerHost)
	}
	urls := make([]string, 5)
	for i := range urls {
		urls[i] = web.Page(fmt.Sprintf("/hostile/hold?key=perhost&for=1500ms&i=%d", i))
	}
	snaps, err := hs.ScanAll(context.Background(), urls)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range snaps {
		if s.Status != scanner.StatusOK {
			t.Errorf("%s: %s (%s)", s.URL, s.Status, s.Reason)
		}
	}
	if peak := hits(t, web, "peak", "perhost"); peak > 2 || peak < 1 {
		t.Errorf("%d pages of one host at once, want at most 2", peak)
	}
}

// TestHostileRefusePrivate checks that a scanner told to refuse private
// addresses refuses 127.0.0.1 and localhost before loading anything, and
// that the default scanner loads them.
func TestHostileRefusePrivate(t *testing.T) {
	web, sc := fixturetest.Env(t)
	hs := hostileScanner(t, func(o *scanner.Options) { o.RefusePrivate = true })
	port := strings.TrimPrefix(web.URL, "http://127.0.0.1:")
	for _, u := range []string{
		web.Page("/hostile/hold?key=private&for=1ms"),
		"http://localhost:" + port + "/hostile/hold?key=private&for=1ms",
		"http://[::1]:" + port + "/good.html",
	} {
		s, err := hs.Scan(context.Background(), u)
		if err != nil {
			t.Fatal(err)
		}
		if s.Status != scanner.StatusRefused || !strings.Contains(s.Reason, "adresse") {
			t.Errorf("%s: %s (%s), want refused for its address", u, s.Status, s.Reason)
		}
	}
	if n := hits(t, web, "hits", "private"); n != 0 {
		t.Errorf("the server saw %d requests from a scanner that refuses private addresses", n)
	}
	s, err := sc.Scan(context.Background(), web.Page("/good.html"))
	if err != nil || s.Status != scanner.StatusOK {
		t.Errorf("the default scanner loads 127.0.0.1: %v %s (%s)", err, s.Status, s.Reason)
	}
}

// TestHostileLateRedirect checks that a page that leaves while its facts
// are read (after the quiet period) is followed: the facts are the
// target's, the page left is a hop with status 0.
func TestHostileLateRedirect(t *testing.T) {
	web, sc := fixturetest.Env(t)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	s, err := sc.Scan(ctx, web.Page("/hostile/late-redirect"))
	if err != nil {
		t.Fatal(err)
	}
	if s.Status != scanner.StatusOK || s.Desktop == nil || s.Desktop.Title != "Demander une aide au logement" {
		t.Fatalf("status %s (%s), facts %+v; want ok with good.html's facts", s.Status, s.Reason, s.Desktop)
	}
	if len(s.Redirects) != 1 || s.Redirects[0].Status != 0 || !strings.HasSuffix(s.Redirects[0].URL, "/hostile/late-redirect") {
		t.Errorf("redirects %+v, want the page left, with status 0", s.Redirects)
	}
}

// TestQuietPeriodWithoutAxe checks the quiet period when nothing outlasts
// it: without axe-core, the desktop facts are read in a few milliseconds,
// before the page's script leaves (100 ms after load); the scanner must
// still see the page go and read the target instead.
func TestQuietPeriodWithoutAxe(t *testing.T) {
	web, _ := fixturetest.Env(t)
	hs := hostileScanner(t, func(o *scanner.Options) { o.NoAxe = true; o.NoScreenshots = true })
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	s, err := hs.Scan(ctx, web.Page("/hostile-js-redirect.html"))
	if err != nil {
		t.Fatal(err)
	}
	if s.Status != scanner.StatusOK || s.Desktop == nil || s.Desktop.Title != "Demander une aide au logement" {
		t.Fatalf("status %s (%s), facts %+v; want ok with good.html's facts", s.Status, s.Reason, s.Desktop)
	}
	if s.Mobile == nil || s.Mobile.ViewportWidth != 412 {
		t.Errorf("mobile facts %+v, want the phone's", s.Mobile)
	}
	if len(s.Redirects) != 1 || s.Redirects[0].Status != 0 {
		t.Errorf("redirects %+v, want the script page with status 0", s.Redirects)
	}
}

// TestHostileBrowserKilled kills the browser (kill -9) while a page loads:
// that page is retried on a new browser, and later pages work.
func TestHostileBrowserKilled(t *testing.T) {
	web, _ := fixturetest.Env(t)
	hs := hostileScanner(t, func(o *scanner.Options) { o.NoAxe = true })
	pid := hs.BrowserPID()
	if pid == 0 {
		t.Fatal("no browser pid")
	}
	before, _ := processTree(pid)
	done := make(chan *scanner.Snapshot)
	start := time.Now()
	go func() {
		s, err := hs.Scan(context.Background(), web.Page("/slow?delay=1500ms"))
		if err != nil {
			t.Error(err)
		}
		done <- s
	}()
	time.Sleep(700 * time.Millisecond)
	if err := syscall.Kill(pid, syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	s := <-done
	took := time.Since(start)
	t.Logf("in-flight page: %s (%s) in %s, %d attempts", s.Status, s.Reason, took.Round(time.Millisecond), s.Attempts)
	if s.Status != scanner.StatusOK || s.Attempts != 2 {
		t.Errorf("in-flight page: %s (%s), %d attempts; want ok on the second", s.Status, s.Reason, s.Attempts)
	}
	if took > 90*time.Second {
		t.Errorf("took %s", took)
	}
	if hs.BrowserPID() == pid || hs.BrowserPID() == 0 {
		t.Errorf("browser pid %d, want a new browser", hs.BrowserPID())
	}
	next, err := hs.Scan(context.Background(), web.Page("/good.html"))
	if err != nil || next.Status != scanner.StatusOK {
		t.Errorf("next page: %v %s (%s)", err, next.Status, next.Reason)
	}
	// The dead browser's processes are gone (orphans are adopted by init,
	// so each is looked up by its pid), none a zombie.
	deadline := time.Now().Add(15 * time.Second)
	for {
		old := 0
		for p := range before {
			if _, st := procStatus(p); st != "" && st != "Z" {
				old++
			}
		}
		z := zombieChildren()
		if old == 0 && z == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Errorf("the killed browser left %d of its %d processes, %d zombies", old, len(before), z)
			break
		}
		time.Sleep(200 * time.Millisecond)
	}
}
