package scanner_test

import (
	"context"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"github.com/observatoire-scanner/observatoire/fixtures/fixturetest"
	"github.com/observatoire-scanner/observatoire/scanner"
)

func TestProbeURL(t *testing.T) {
	web := fixturetest.Web(t)
	var hits atomic.Int64
	web.Handle("GET /probe-counted", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		w.Write([]byte("ok"))
	}))
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	o := scanner.ProbeOptions{Count: 2, Interval: 10 * time.Millisecond, Timeout: 5 * time.Second}

	ps := scanner.ProbeURL(ctx, web.Page("/probe-counted"), o)
	if len(ps) != 2 || hits.Load() != 2 {
		t.Fatalf("%d probes, %d requests; want 2 and 2: %+v", len(ps), hits.Load(), ps)
	}
	for _, p := range ps {
		if p.Status != 200 || p.TTFB <= 0 || p.Error != "" {
			t.Errorf("probe %+v, want status 200 with a TTFB", p)
		}
	}

	ps = scanner.ProbeURL(ctx, fixturetest.ClosedPortURL(t), o)
	if len(ps) != 2 || ps[0].Kind != scanner.StatusNetwork || ps[0].Status != 0 {
		t.Errorf("closed port: %+v, want 2 network failures (not final)", ps)
	}

	// Refused at the connection: one probe (final), and no request ever
	// reaches the server.
	o.RefusePrivate = true
	before := hits.Load()
	ps = scanner.ProbeURL(ctx, web.Page("/probe-counted"), o)
	if len(ps) != 1 || ps[0].Kind != scanner.StatusRefused || hits.Load() != before {
		t.Errorf("refuse private: %+v and %d new requests, want one refused probe and none", ps, hits.Load()-before)
	}
}
