package monitor

import (
	"fmt"
	"net/http"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// metrics are the monitor's Prometheus metrics, on a registry of its own.
type metrics struct {
	reg       *prometheus.Registry
	up        *prometheus.GaugeVec
	ttfb      *prometheus.GaugeVec
	last      *prometheus.GaugeVec
	probes    *prometheus.CounterVec
	rounds    prometheus.Counter
	gapRounds prometheus.Counter
	written   prometheus.Counter
	roundTime prometheus.Gauge
}

func newMetrics(m *Monitor) *metrics {
	x := &metrics{
		reg: prometheus.NewRegistry(),
		up: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "observatoire_monitor_up",
			Help: "1 when the procedure's start URL answered 2xx or 3xx at its last probe, else 0.",
		}, []string{"procedure"}),
		ttfb: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "observatoire_monitor_ttfb_seconds",
			Help: "Time to first byte of the procedure's last probe that got an answer.",
		}, []string{"procedure"}),
		last: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "observatoire_monitor_last_probe_timestamp_seconds",
			Help: "Unix time of the procedure's last probe.",
		}, []string{"procedure"}),
		probes: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "observatoire_monitor_probes_total",
			Help: "Probes of the procedure's start URL by result: up (2xx/3xx), down, or gap (no host answered: no network).",
		}, []string{"procedure", "result"}),
		rounds: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "observatoire_monitor_rounds_total",
			Help: "Rounds of probes written.",
		}),
		gapRounds: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "observatoire_monitor_network_gap_rounds_total",
			Help: "Rounds in which no host answered, counted as gaps.",
		}),
		written: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "observatoire_monitor_samples_written_total",
			Help: "Samples written to the data folder.",
		}),
		roundTime: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "observatoire_monitor_round_duration_seconds",
			Help: "Time the last round took, from its start to its samples written.",
		}),
	}
	x.reg.MustRegister(x.up, x.ttfb, x.last, x.probes, x.rounds, x.gapRounds, x.written, x.roundTime,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "observatoire_monitor_interval_seconds",
			Help: "The monitor's interval between rounds.",
		}, func() float64 { return m.o.Interval.Seconds() }))
	// Every procedure is listed from the start, at zero.
	for _, t := range m.targets {
		for _, r := range []string{"up", "down", "gap"} {
			x.probes.WithLabelValues(t.ID, r)
		}
	}
	return x
}

// observe records one written sample.
func (x *metrics) observe(id string, s Sample) {
	x.written.Inc()
	x.last.WithLabelValues(id).Set(float64(s.At.UnixMilli()) / 1000)
	switch {
	case s.NoNetwork:
		x.probes.WithLabelValues(id, "gap").Inc()
		return
	case s.Up():
		x.probes.WithLabelValues(id, "up").Inc()
		x.up.WithLabelValues(id).Set(1)
	default:
		x.probes.WithLabelValues(id, "down").Inc()
		x.up.WithLabelValues(id).Set(0)
	}
	if s.Status > 0 {
		x.ttfb.WithLabelValues(id).Set(s.TTFB / 1000)
	}
}

// round records one finished round.
func (x *metrics) round(r Round) {
	x.rounds.Inc()
	if r.NoNetwork {
		x.gapRounds.Inc()
	}
	x.roundTime.Set(r.Elapsed.Seconds())
}

// Handler serves /metrics (Prometheus text format) and /healthz (200 "ok"
// while the monitor works, 503 and the reason otherwise).
func (m *Monitor) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", promhttp.HandlerFor(m.metrics.reg, promhttp.HandlerOpts{}))
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		if err := m.Health(); err != nil {
			w.WriteHeader(http.StatusServiceUnavailable)
			fmt.Fprintln(w, "not ok:", err)
			return
		}
		fmt.Fprintln(w, "ok")
	})
	return mux
}
