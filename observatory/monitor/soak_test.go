package monitor

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestSoak runs a monitor process over 250 fixture procedures for a
// bounded time (MONITOR_SOAK, default 20s) at a short interval
// (MONITOR_SOAK_INTERVAL, default 1s) and reports the samples written per
// second and the process's CPU time and peak memory. The figures are in
// docs/monitor.md; reproduce them with
//
//	go test -count=1 -run TestSoak -v ./observatory/monitor/
func TestSoak(t *testing.T) {
	if testing.Short() {
		t.Skip("soak test: skipped with -short")
	}
	dur, interval := 20*time.Second, time.Second
	if v := os.Getenv("MONITOR_SOAK"); v != "" {
		dur, _ = time.ParseDuration(v)
	}
	if v := os.Getenv("MONITOR_SOAK_INTERVAL"); v != "" {
		interval, _ = time.ParseDuration(v)
	}
	const n, perHost = 250, 4
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintln(w, "<!doctype html><title>Démarche</title><p>Faire sa demande en ligne</p>")
	}))
	defer ts.Close()
	var targets []Target
	for i := range n {
		base := ts.URL
		if i%2 == 1 { // two hosts: 127.0.0.1 and localhost
			base = strings.Replace(base, "127.0.0.1", "localhost", 1)
		}
		targets = append(targets, Target{ID: "p" + strconv.Itoa(i), URL: base + "/demarche/" + strconv.Itoa(i)})
	}
	data := t.TempDir()
	start := time.Now()
	h := startHelper(t, data, targets, interval, perHost)
	deadline := time.After(dur)
wait:
	for {
		select {
		case <-deadline:
			break wait
		case l, ok := <-h.lines:
			if !ok {
				t.Fatal("monitor process ended")
			}
			if v, ok := strings.CutPrefix(l, "round "); ok {
				h.rounds, _ = strconv.Atoi(v)
			}
		}
	}
	_, metrics := get(t, "http://"+h.listen+"/metrics")
	st := h.stop(t, syscall.SIGTERM)
	wall := time.Since(start)
	if !st.Success() {
		t.Fatalf("monitor process: %v", st)
	}
	written, down := 0, 0
	for _, tg := range targets {
		s, dropped, err := ReadSamples(data, tg.ID, start.Add(-time.Minute), time.Now().Add(time.Minute))
		if err != nil || dropped != 0 || len(s) < h.rounds || len(s) > h.rounds+1 {
			t.Fatalf("%s: %d samples, %d dropped, %v; want %d", tg.ID, len(s), dropped, err, h.rounds)
		}
		for _, x := range s {
			if !x.Up() {
				down++
			}
		}
		written += len(s)
	}
	ru := st.SysUsage().(*syscall.Rusage)
	cpu := time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	var du int64
	for _, tg := range targets {
		if fi, err := os.Stat(dayFile(data, tg.ID, time.Now().UTC().Truncate(24*time.Hour))); err == nil {
			du += fi.Size()
		}
	}
	t.Logf("soak: %d procedures, interval %s, %d per host, %s: %d rounds, %d samples written (%.0f/s), %d down; "+
		"monitor process CPU %s (%.1f %% of one core), peak RSS %.1f MiB; %d bytes of samples (%d per sample)",
		n, interval, perHost, wall.Round(time.Millisecond), h.rounds, written, float64(written)/wall.Seconds(), down,
		cpu.Round(time.Millisecond), 100*cpu.Seconds()/wall.Seconds(), float64(ru.Maxrss)/1024, du, du/int64(max(written, 1)))
	if down > 0 {
		t.Errorf("%d samples down on a server that always answers", down)
	}
	if h.rounds < int(dur/interval)/2 {
		t.Errorf("%d rounds in %s at %s", h.rounds, dur, interval)
	}
	if !strings.Contains(metrics, `observatoire_monitor_probes_total{procedure="p249",result="up"}`) {
		t.Error("/metrics lacks procedure p249")
	}
}
