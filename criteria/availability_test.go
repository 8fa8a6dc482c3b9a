package criteria

import (
	"testing"
	"time"

	"github.com/observatoire-scanner/observatoire/scanner"
)

func TestUptimePoints(t *testing.T) {
	tests := []struct {
		pct  float64
		want int
	}{{100, 6}, {99.91, 6}, {99.9, 4}, {99.5, 4}, {99.49, 3}, {99, 3}, {98.99, 2}, {98, 2}, {97.9, 0}, {95, 0}, {94.9, -6}, {0, -6}}
	for _, tt := range tests {
		if got := UptimePoints(tt.pct); got != tt.want {
			t.Errorf("UptimePoints(%v) = %d, want %d", tt.pct, got, tt.want)
		}
	}
}

func TestResponsePoints(t *testing.T) {
	tests := []struct {
		ms   float64
		want int
	}{{50, 4}, {199, 4}, {200, 3}, {399, 3}, {400, 2}, {599, 2}, {600, 1}, {799, 1}, {800, 0}, {999, 0}, {1000, -4}, {5000, -4}}
	for _, tt := range tests {
		if got := ResponsePoints(tt.ms); got != tt.want {
			t.Errorf("ResponsePoints(%v) = %d, want %d", tt.ms, got, tt.want)
		}
	}
}

func TestAvailabilityImported(t *testing.T) {
	tests := []struct {
		name     string
		pct, ms  float64
		level    Level
		label    string
		fact     string
		startBad bool
	}{
		{"all good", 100, 152, Good, "10/10", "disponibilité 100,00 % ≥ 99,9", false},
		{"uptime partial", 99.0, 152, Partial, "7/10", "< 99,9 et ≥ 98,5", false},
		{"response partial", 99.95, 500, Partial, "8/10", "500 ms ≥ 400 ms et < 800 ms : +2 points", false},
		{"uptime bad", 98.4, 100, Bad, "6/10", "< 98,5", false},
		{"99.9 % is good", 99.9, 152, Good, "8/10", "disponibilité 99,90 % ≥ 99,9", false},
		{"98.5 % is partial", 98.5, 152, Partial, "6/10", "98,50 % < 99,9 et ≥ 98,5", false},
		{"399 ms is good", 100, 399, Good, "9/10", "399 ms < 400 ms", false},
		{"400 ms is partial", 100, 400, Partial, "8/10", "400 ms ≥ 400 ms et < 800 ms", false},
		{"799 ms is partial", 100, 799, Partial, "7/10", "799 ms ≥ 400 ms et < 800 ms", false},
		{"response bad", 100, 800, Bad, "6/10", "≥ 800 ms", false},
		{"both worst", 90, 1200, Bad, "-10/10", "note -10/10", false},
		{"scored although the page did not load", 99.95, 300, Good, "9/10", "note 9/10", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := bPhone()
			if tt.startBad {
				s.Status, s.Mobile, s.Desktop = scanner.StatusDNS, nil, nil
			}
			v := Availability(Input{Start: s, Uptime: &Uptime{Percent: tt.pct, ResponseMS: tt.ms, Samples: 1923, Source: "updown.json"}})
			if v.Level != tt.level || v.Label != tt.label {
				t.Errorf("got %s %q, want %s %q\n%s", v.Level, v.Label, tt.level, tt.label, bFacts(v))
			}
			if v.Value == nil || bScore(*v.Value) != tt.label {
				t.Errorf("value %v, want the score of %q", v.Value, tt.label)
			}
			if !bHasFact(v, tt.fact) {
				t.Errorf("no evidence %q in:\n%s", tt.fact, bFacts(v))
			}
			if v.Level != Good && v.Fix == "" {
				t.Error("no fix")
			}
		})
	}
}

// bScore writes a score out of ten as the availability label does.
func bScore(v float64) string { return Decimal(v, 0) + "/10" }

func TestAvailabilityImportedWithoutResponseTime(t *testing.T) {
	in := Input{Start: bPhone(), Uptime: &Uptime{Percent: 100},
		Probes: []scanner.Probe{{Status: 200, TTFB: 650}}}
	v := Availability(in)
	if v.Level != Partial || v.Label != "7/10" || !bHasFact(v, "médiane des sondes HTTP du scan") {
		t.Errorf("got %s %q\n%s", v.Level, v.Label, bFacts(v))
	}
}

func TestAvailabilityProbes(t *testing.T) {
	at := time.Date(2026, 11, 2, 10, 0, 0, 0, time.UTC)
	ok := func(ms float64) scanner.Probe { return scanner.Probe{At: at, Status: 200, TTFB: ms} }
	tests := []struct {
		name   string
		probes []scanner.Probe
		ttfb   float64
		status scanner.Status
		level  Level
		label  string
		fact   string
	}{
		{"fast probes", []scanner.Probe{ok(100), ok(120), ok(900)}, 50, scanner.StatusOK, Good, "Oui (sondes)", "médiane des sondes HTTP) : 120 ms < 400 ms"},
		{"slow probes", []scanner.Probe{ok(500), ok(600), ok(700)}, 50, scanner.StatusOK, Partial, "Partiel (sondes)", "600 ms ≥ 400 ms et < 800 ms"},
		{"very slow probes", []scanner.Probe{ok(900), ok(950)}, 50, scanner.StatusOK, Bad, "Non (sondes)", "925 ms ≥ 800 ms"},
		{"a failed probe caps at partial", []scanner.Probe{ok(100), {At: at, Error: "connection reset", Kind: scanner.StatusNetwork}, ok(110)}, 50, scanner.StatusOK, Partial, "Partiel (sondes)", "1 sonde(s) sur 3 sans réponse 2xx/3xx"},
		{"a 503 probe caps at partial", []scanner.Probe{ok(100), {At: at, Status: 503, TTFB: 20}}, 50, scanner.StatusOK, Partial, "Partiel (sondes)", "HTTP 503"},
		{"no probes: the browser's time", nil, 850, scanner.StatusOK, Bad, "Non (sondes)", "navigateur, chargement de la page) : 850 ms"},
		{"honest about the snapshot", []scanner.Probe{ok(100)}, 50, scanner.StatusOK, Good, "Oui (sondes)", "instantané, pas une disponibilité trimestrielle"},
		{"quarter not measured", []scanner.Probe{ok(100)}, 50, scanner.StatusOK, Good, "Oui (sondes)", "disponibilité sur le trimestre non mesurée"},
		{"no time at all", nil, 0, scanner.StatusOK, NotMeasured, "Non mesuré", "temps de réponse non mesuré"},
		{"page did not load", []scanner.Probe{{At: at, Error: "timeout", Kind: scanner.StatusTimeout}}, 0, scanner.StatusTimeout, NotMeasured, "Délai dépassé", "délai imparti"},
		{"page did not load: the probes are told", []scanner.Probe{{At: at, Error: "timeout", Kind: scanner.StatusTimeout}}, 0, scanner.StatusTimeout, NotMeasured, "Délai dépassé", "0 sur 1 ont répondu"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := bPhone()
			s.Status, s.Timings.TTFB = tt.status, tt.ttfb
			v := Availability(Input{Start: s, Probes: tt.probes})
			if v.Level != tt.level || v.Label != tt.label {
				t.Errorf("got %s %q, want %s %q\n%s", v.Level, v.Label, tt.level, tt.label, bFacts(v))
			}
			if v.Value != nil {
				t.Errorf("value %v without imported uptime", *v.Value)
			}
			if !bHasFact(v, tt.fact) {
				t.Errorf("no evidence %q in:\n%s", tt.fact, bFacts(v))
			}
		})
	}
}
