package monitor

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"os/signal"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

// TestMain runs the test binary as a monitor process when MONITOR_HELPER
// is set (see helperMain), for the tests that kill it.
func TestMain(m *testing.M) {
	if os.Getenv("MONITOR_HELPER") != "" {
		os.Exit(helperMain())
	}
	os.Exit(m.Run())
}

// helperMain runs a monitor over MONITOR_TARGETS (id=url,...) into
// MONITOR_DATA at MONITOR_INTERVAL, serves its handler on 127.0.0.1 (it
// prints "listen ADDR"), prints "round N" after each round is written and
// stops on SIGTERM.
func helperMain() int {
	var targets []Target
	for _, kv := range strings.Split(os.Getenv("MONITOR_TARGETS"), ",") {
		id, u, _ := strings.Cut(kv, "=")
		targets = append(targets, Target{ID: id, URL: u})
	}
	interval, _ := time.ParseDuration(os.Getenv("MONITOR_INTERVAL"))
	perHost, _ := strconv.Atoi(os.Getenv("MONITOR_PER_HOST"))
	// Generous: the test machine may be loaded; a late answer is not a
	// down host.
	timeout := 5 * time.Second
	out := bufio.NewWriter(os.Stdout)
	var mu sync.Mutex
	m, err := New(os.Getenv("MONITOR_DATA"), targets, Options{Interval: interval, Timeout: timeout, PerHost: perHost, OnRound: func(r Round) {
		mu.Lock()
		defer mu.Unlock()
		fmt.Fprintf(out, "round %d\n", r.N)
		out.Flush()
	}})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	go http.Serve(ln, m.Handler())
	mu.Lock()
	fmt.Fprintf(out, "listen %s\n", ln.Addr())
	out.Flush()
	mu.Unlock()
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM)
	defer stop()
	if err := m.Run(ctx); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	return 0
}

// helper is a running monitor process.
type helper struct {
	cmd    *exec.Cmd
	lines  chan string
	listen string
	rounds int // the last "round N" read
}

func startHelper(t *testing.T, data string, targets []Target, interval time.Duration, perHost int) *helper {
	t.Helper()
	var tv []string
	for _, tg := range targets {
		tv = append(tv, tg.ID+"="+tg.URL)
	}
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "MONITOR_HELPER=1", "MONITOR_DATA="+data, "MONITOR_TARGETS="+strings.Join(tv, ","),
		"MONITOR_INTERVAL="+interval.String(), "MONITOR_PER_HOST="+strconv.Itoa(perHost))
	cmd.Stderr = os.Stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	h := &helper{cmd: cmd, lines: make(chan string, 1024)}
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			h.lines <- sc.Text()
		}
		close(h.lines)
	}()
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	line := h.next(t)
	h.listen = strings.TrimPrefix(line, "listen ")
	return h
}

func (h *helper) next(t *testing.T) string {
	t.Helper()
	select {
	case l, ok := <-h.lines:
		if !ok {
			return ""
		}
		if n, ok := strings.CutPrefix(l, "round "); ok {
			h.rounds, _ = strconv.Atoi(n)
		}
		return l
	case <-time.After(30 * time.Second):
		t.Fatal("monitor process: no output for 30 s")
	}
	return ""
}

// waitRounds reads until round n is written.
func (h *helper) waitRounds(t *testing.T, n int) {
	t.Helper()
	for h.rounds < n {
		if h.next(t) == "" {
			t.Fatalf("monitor process ended at round %d", h.rounds)
		}
	}
}

// stop sends sig, reads the rest of the output and waits for the end.
func (h *helper) stop(t *testing.T, sig os.Signal) *os.ProcessState {
	t.Helper()
	h.cmd.Process.Signal(sig)
	// The rounds written before the signal landed are announced too.
	for h.next(t) != "" {
	}
	h.cmd.Wait()
	return h.cmd.ProcessState
}

func get(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// scheduleServer answers 200 after delay while up, 503 at once while down:
// up for the first upFor of each period, counted from origin.
type scheduleServer struct {
	origin         time.Time
	period, upFor  time.Duration
	delay          time.Duration
	upSeen, dnSeen atomic.Int64
}

func (s *scheduleServer) up(at time.Time) bool { return at.Sub(s.origin)%s.period < s.upFor }

func (s *scheduleServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if s.up(time.Now()) {
		s.upSeen.Add(1)
		time.Sleep(s.delay)
		fmt.Fprintln(w, "<p>démarche</p>")
		return
	}
	s.dnSeen.Add(1)
	http.Error(w, "maintenance", http.StatusServiceUnavailable)
}

// TestSchedule: a fixture server that goes down and up on a schedule (up
// 400 ms, down 200 ms, every 600 ms) probed every 50 ms gives the uptime
// and time to first byte the schedule implies, within one sample.
func TestSchedule(t *testing.T) {
	const interval = 50 * time.Millisecond
	const delay = 20 * time.Millisecond
	srv := &scheduleServer{period: 600 * time.Millisecond, upFor: 400 * time.Millisecond, delay: delay}
	ts := httptest.NewServer(srv)
	defer ts.Close()
	data := t.TempDir()
	const rounds = 60
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	m, err := New(data, []Target{{ID: "p1", URL: ts.URL + "/demarche"}}, Options{Interval: interval, Jitter: -1, Timeout: 5 * time.Second,
		OnRound: func(r Round) {
			if r.N == rounds {
				cancel()
			}
		}})
	if err != nil {
		t.Fatal(err)
	}
	// Rounds start on a 50 ms beat from now; the schedule changes half-way
	// between two beats, away from the probes.
	start := time.Now()
	srv.origin = start.Add(interval / 2)
	if err := m.Run(ctx); err != nil {
		t.Fatal(err)
	}
	samples, _, err := ReadSamples(data, "p1", start.Add(-time.Second), time.Now().Add(time.Second))
	if err != nil {
		t.Fatal(err)
	}
	sum := Summary{From: start, To: time.Now()}
	summarizeSamples(&sum, samples)
	// What the schedule implies for each sample, from the time it was
	// taken (the request reaches the server a fraction of a millisecond
	// later: a sample on a change of state may go either way).
	wantUp := 0
	for _, s := range samples {
		if srv.up(s.At) {
			wantUp++
		}
	}
	t.Logf("%d samples in %s: %d up (schedule: %d), uptime %.1f %%, TTFB mean %.1f ms, median %.1f ms; server answered %d up, %d down; %d interruption(s)",
		sum.Samples(), sum.To.Sub(sum.From).Round(time.Millisecond), sum.Up, wantUp, sum.Uptime(), sum.MeanTTFB, sum.MedianTTFB,
		srv.upSeen.Load(), srv.dnSeen.Load(), sum.Interruptions)
	if sum.Samples() != rounds || sum.NoNetwork != 0 {
		t.Fatalf("%+v: want %d samples, no gap", sum, rounds)
	}
	if d := sum.Up - wantUp; d < -1 || d > 1 {
		t.Errorf("%d up samples, the schedule implies %d", sum.Up, wantUp)
	}
	if implied, one := 100*float64(wantUp)/rounds, 100.0/rounds; sum.Uptime() < implied-one || sum.Uptime() > implied+one {
		t.Errorf("uptime %.2f %%, the schedule implies %.2f %% ± %.2f", sum.Uptime(), implied, one)
	}
	// The monitor stores what the server answered, no more, no less.
	if int64(sum.Up) != srv.upSeen.Load() || int64(sum.Down) != srv.dnSeen.Load() {
		t.Errorf("stored %d up / %d down, the server answered %d / %d", sum.Up, sum.Down, srv.upSeen.Load(), srv.dnSeen.Load())
	}
	// With regular beats the schedule's share of up time (2/3) is the
	// uptime; a loaded machine delays beats, so only roughly.
	if sum.Uptime() < 50 || sum.Uptime() > 83 {
		t.Errorf("uptime %.1f %%, the schedule is up 66.7 %% of the time", sum.Uptime())
	}
	// TTFB: the server's delay, plus a local connection's time.
	ms := float64(delay / time.Millisecond)
	if sum.MeanTTFB < ms || sum.MedianTTFB < ms || sum.MedianTTFB > ms+15 {
		t.Errorf("TTFB mean %.1f ms, median %.1f ms; want about %.0f ms", sum.MeanTTFB, sum.MedianTTFB, ms)
	}
}

// cutServer answers while on, and drops every connection without an
// answer while off (as when the network is gone).
type cutServer struct{ off atomic.Bool }

func (s *cutServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if s.off.Load() {
		c, _, err := w.(http.Hijacker).Hijack()
		if err == nil {
			c.Close()
		}
		return
	}
	fmt.Fprintln(w, "ok")
}

// TestNoNetworkGap: rounds in which every host fails at once are gaps,
// not downtime; a host failing while another answers is downtime.
func TestNoNetworkGap(t *testing.T) {
	a, b := &cutServer{}, &cutServer{}
	ta, tb := httptest.NewServer(a), httptest.NewServer(b)
	defer ta.Close()
	defer tb.Close()
	// Two hosts: 127.0.0.1 and localhost.
	targets := []Target{{ID: "a", URL: ta.URL + "/"}, {ID: "b", URL: strings.Replace(tb.URL, "127.0.0.1", "localhost", 1) + "/"}}
	data := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var rounds []Round
	m, err := New(data, targets, Options{Interval: 20 * time.Millisecond, Timeout: 5 * time.Second, OnRound: func(r Round) {
		rounds = append(rounds, r)
		switch r.N {
		case 10: // both hosts cut: no network
			a.off.Store(true)
			b.off.Store(true)
		case 20: // only b cut: b is down
			a.off.Store(false)
		case 30:
			cancel()
		}
	}})
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	if err := m.Run(ctx); err != nil {
		t.Fatal(err)
	}
	gaps := 0
	for _, r := range rounds {
		if r.NoNetwork {
			gaps++
		}
	}
	if gaps != 10 {
		t.Errorf("%d no-network rounds, want 10 (rounds 11-20)", gaps)
	}
	for _, tt := range []struct {
		id             string
		up, down, gaps int
	}{{"a", 20, 0, 10}, {"b", 10, 10, 10}} {
		s, err := summarizeWindow(data, tt.id, "test", start.Add(-time.Second), time.Now().Add(time.Second))
		if err != nil {
			t.Fatal(err)
		}
		if s.Up != tt.up || s.Down != tt.down || s.NoNetwork != tt.gaps {
			t.Errorf("%s: %d up, %d down, %d gap; want %d, %d, %d", tt.id, s.Up, s.Down, s.NoNetwork, tt.up, tt.down, tt.gaps)
		}
		if s.NoNetworkTime <= 0 || s.Covered <= 0 {
			t.Errorf("%s: no-network time %s, covered %s", tt.id, s.NoNetworkTime, s.Covered)
		}
	}
	// With a single host, its failure cannot be told from a network cut:
	// it is downtime.
	if m.nHosts != 2 {
		t.Fatalf("%d hosts", m.nHosts)
	}
	one := &Monitor{nHosts: 1}
	if one.noNetwork([]Sample{{Kind: "network"}}) {
		t.Error("one host failing counts as no network")
	}
}

// TestKillRestart kills a monitor process with SIGKILL mid-run and starts
// it again: at most the round in flight (one sample per procedure) is
// lost, a torn record is dropped, and the stop is counted as a gap, not
// downtime.
func TestKillRestart(t *testing.T) {
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { fmt.Fprintln(w, "ok") }))
	defer ts.Close()
	targets := []Target{{ID: "a", URL: ts.URL + "/a"}, {ID: "b", URL: ts.URL + "/b"}, {ID: "c", URL: ts.URL + "/c"}}
	data := t.TempDir()
	const interval = 50 * time.Millisecond
	start := time.Now()
	h := startHelper(t, data, targets, interval, 0)
	h.waitRounds(t, 20)
	if code, body := get(t, "http://"+h.listen+"/healthz"); code != 200 || body != "ok\n" {
		t.Errorf("/healthz: %d %q", code, body)
	}
	code, metrics := get(t, "http://"+h.listen+"/metrics")
	for _, want := range []string{`observatoire_monitor_up{procedure="a"} 1`, `observatoire_monitor_probes_total{procedure="b",result="up"}`,
		`observatoire_monitor_ttfb_seconds{procedure="c"}`, `observatoire_monitor_probes_total{procedure="c",result="gap"} 0`, "process_resident_memory_bytes"} {
		if code != 200 || !strings.Contains(metrics, want) {
			t.Errorf("/metrics lacks %q", want)
		}
	}
	h.stop(t, syscall.SIGKILL)
	r1 := h.rounds
	for _, tg := range targets {
		s, dropped, err := ReadSamples(data, tg.ID, start.Add(-time.Second), time.Now().Add(time.Second))
		if err != nil || dropped != 0 || len(s) < r1 || len(s) > r1+1 {
			t.Fatalf("%s after SIGKILL at round %d: %d samples, %d dropped, %v; want %d or %d", tg.ID, r1, len(s), dropped, err, r1, r1+1)
		}
	}
	// A torn record, as a write cut short would leave.
	path := dayFile(data, "a", time.Now().UTC().Truncate(24*time.Hour))
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.Write([]byte{9, 9, 9, 9, 9})
	f.Close()
	if _, dropped, _ := ReadSamples(data, "a", start.Add(-time.Second), time.Now().Add(time.Second)); dropped != 1 {
		t.Errorf("torn record: %d dropped, want 1", dropped)
	}
	const pause = time.Second
	time.Sleep(pause)
	h = startHelper(t, data, targets, interval, 0)
	h.waitRounds(t, 20)
	st := h.stop(t, syscall.SIGTERM)
	if !st.Success() {
		t.Errorf("SIGTERM: %v", st)
	}
	r2 := h.rounds
	for _, tg := range targets {
		s, err := summarizeWindow(data, tg.ID, "test", start, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%s: rounds %d + %d, %d samples, %d dropped, uptime %.1f %%, coverage %.1f %%, %d interruption(s), longest %s",
			tg.ID, r1, r2, s.Samples(), s.Dropped, s.Uptime(), s.Coverage(), s.Interruptions, s.Longest)
		if s.Samples() < r1+r2 || s.Samples() > r1+r2+1 || s.Dropped != 0 {
			t.Errorf("%s: %d samples, %d dropped; want %d or %d, none dropped", tg.ID, s.Samples(), s.Dropped, r1+r2, r1+r2+1)
		}
		if s.Down != 0 || s.Uptime() != 100 {
			t.Errorf("%s: the stop counted as downtime: %d down", tg.ID, s.Down)
		}
		// The stop is a gap of about the pause (a loaded machine may delay
		// a round past two intervals: more, shorter, gaps).
		// The first sample after the restart covers one interval of the
		// pause.
		if s.Interruptions < 1 || s.Longest < pause-interval || s.NotCovered() < pause-interval {
			t.Errorf("%s: %d interruptions, longest %s, not covered %s; want one ≥ %s", tg.ID, s.Interruptions, s.Longest, s.NotCovered(), pause-interval)
		}
	}
}

// TestNew refuses bad targets and options.
func TestNew(t *testing.T) {
	ok := []Target{{ID: "a", URL: "https://a.example/"}}
	for _, tt := range []struct {
		name    string
		targets []Target
		o       Options
		want    string
	}{
		{"none", nil, Options{}, "no procedure"},
		{"twice", []Target{ok[0], ok[0]}, Options{}, "given twice"},
		{"bad id", []Target{{ID: "../a", URL: "https://a.example/"}}, Options{}, "procedure id"},
		{"relative", []Target{{ID: "a", URL: "/demarche"}}, Options{}, "not an absolute http(s) URL"},
		{"ftp", []Target{{ID: "a", URL: "ftp://a.example/"}}, Options{}, "not an absolute http(s) URL"},
		{"interval", ok, Options{Interval: time.Millisecond}, "interval"},
		{"jitter", ok, Options{Jitter: 2}, "jitter"},
	} {
		if _, err := New(t.TempDir(), tt.targets, tt.o); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: %v, want %q", tt.name, err, tt.want)
		}
	}
}

// TestWriteFailureStops: a sample that cannot be written stops the
// monitor with the error, and /healthz says so.
func TestWriteFailureStops(t *testing.T) {
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	defer ts.Close()
	data := t.TempDir()
	m, err := New(data, []Target{{ID: "a", URL: ts.URL}}, Options{Interval: 20 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	// The day's file cannot be created: a folder is in the way.
	os.MkdirAll(dayFile(data, "a", time.Now().UTC().Truncate(24*time.Hour)), 0o755)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	err = m.Run(ctx)
	if err == nil || !strings.Contains(err.Error(), "samples cannot be stored") {
		t.Fatalf("Run: %v", err)
	}
	rec := httptest.NewRecorder()
	m.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/healthz", nil))
	if rec.Code != http.StatusServiceUnavailable || !strings.Contains(rec.Body.String(), "samples cannot be stored") {
		t.Errorf("/healthz after the failure: %d %q", rec.Code, rec.Body.String())
	}
}

// TestHungHost: a host that does not answer costs a round one timeout,
// not one per procedure: its other procedures are down in that round
// without being probed again, and the other hosts are unaffected.
func TestHungHost(t *testing.T) {
	var slow atomic.Int64
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/slow/") {
			slow.Add(1)
			select { // hangs until the client gives up
			case <-r.Context().Done():
			case <-time.After(10 * time.Second):
			}
			return
		}
		fmt.Fprintln(w, "ok")
	}))
	defer ts.Close()
	targets := []Target{
		{ID: "s1", URL: ts.URL + "/slow/1"}, {ID: "s2", URL: ts.URL + "/slow/2"}, {ID: "s3", URL: ts.URL + "/slow/3"},
		{ID: "fast", URL: strings.Replace(ts.URL, "127.0.0.1", "localhost", 1) + "/fast"},
	}
	data := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	const rounds = 3
	m, err := New(data, targets, Options{Interval: 100 * time.Millisecond, Timeout: 300 * time.Millisecond, Jitter: -1, OnRound: func(r Round) {
		if r.N == rounds {
			cancel()
		}
	}})
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	if err := m.Run(ctx); err != nil {
		t.Fatal(err)
	}
	if n := slow.Load(); n != rounds {
		t.Errorf("the hung host got %d requests in %d rounds, want one a round", n, rounds)
	}
	for _, tg := range targets {
		s, _, err := ReadSamples(data, tg.ID, start.Add(-time.Second), time.Now().Add(time.Second))
		if err != nil || len(s) != rounds {
			t.Fatalf("%s: %d samples, %v", tg.ID, len(s), err)
		}
		for _, x := range s {
			if tg.ID == "fast" && !x.Up() || tg.ID != "fast" && (x.Up() || x.Kind != "timeout" || x.NoNetwork) {
				t.Errorf("%s: sample %+v", tg.ID, x)
			}
		}
	}
}
