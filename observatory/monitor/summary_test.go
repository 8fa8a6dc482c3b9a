package monitor

import (
	"math"
	"strings"
	"testing"
	"time"

	"github.com/observatoire-scanner/observatoire/criteria"
	"github.com/observatoire-scanner/observatoire/scanner"
)

func TestParseQuarter(t *testing.T) {
	for _, tt := range []struct {
		in         string
		start, end string
		err        string
	}{
		{in: "2026-Q4", start: "2026-10-01", end: "2027-01-01"},
		{in: "2026-Q1", start: "2026-01-01", end: "2026-04-01"},
		{in: "2026-Q5", err: "want YEAR-QN"},
		{in: "2026Q4", err: "want YEAR-QN"},
		{in: "", err: "want YEAR-QN"},
	} {
		q, err := ParseQuarter(tt.in)
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("%q: %v, want %q", tt.in, err, tt.err)
			}
			continue
		}
		if err != nil || q.Start().Format(time.DateOnly) != tt.start || q.End().Format(time.DateOnly) != tt.end || q.String() != tt.in {
			t.Errorf("%q: %v %v %v %v", tt.in, q, q.Start(), q.End(), err)
		}
	}
}

// TestSummarize: a synthetic hour of one-minute samples with a
// 10-minute stop of the monitor and a 5-minute network cut.
func TestSummarize(t *testing.T) {
	from := time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC)
	var samples []Sample
	for m := 1; m <= 60; m++ {
		s := Sample{At: from.Add(time.Duration(m) * time.Minute), Status: 200, TTFB: float64(m), Interval: time.Minute}
		switch {
		case m > 20 && m <= 30: // not running
			continue
		case m > 40 && m <= 45:
			s = Sample{At: s.At, Kind: "network", Interval: time.Minute, NoNetwork: true}
		case m > 50 && m <= 52: // down while others answer
			s.Status, s.TTFB = 503, 1
		}
		samples = append(samples, s)
	}
	sum := Summary{From: from, To: from.Add(time.Hour)}
	summarizeSamples(&sum, samples)
	// Counted: 60 − 10 − 5 = 45 samples, 2 down. The first sample after
	// the stop covers one interval: 10 minutes not covered.
	if sum.Up != 43 || sum.Down != 2 || sum.NoNetwork != 5 {
		t.Errorf("counts %+v", sum)
	}
	if sum.Covered != 45*time.Minute || sum.NoNetworkTime != 5*time.Minute || sum.NotCovered() != 15*time.Minute {
		t.Errorf("covered %s, no network %s, not covered %s", sum.Covered, sum.NoNetworkTime, sum.NotCovered())
	}
	if sum.Interruptions != 1 || sum.Longest != 10*time.Minute {
		t.Errorf("interruptions %d, longest %s", sum.Interruptions, sum.Longest)
	}
	if got := sum.Uptime(); math.Abs(got-100*43.0/45) > 1e-9 {
		t.Errorf("uptime %v", got)
	}
	if got := sum.Coverage(); got != 75 {
		t.Errorf("coverage %v, want 75", got)
	}
	// Up samples' TTFB: minutes 1-20, 31-40, 46-50, 53-60.
	var total float64
	n := 0
	for m := 1; m <= 60; m++ {
		if (m > 20 && m <= 30) || (m > 40 && m <= 45) || (m > 50 && m <= 52) {
			continue
		}
		total += float64(m)
		n++
	}
	if math.Abs(sum.MeanTTFB-total/float64(n)) > 1e-9 || sum.MedianTTFB != 32 {
		t.Errorf("mean %v (want %v), median %v (want 32: the 22nd of 43)", sum.MeanTTFB, total/float64(n), sum.MedianTTFB)
	}
}

// TestMonitorFeedsAvailability: the monitor's figures are what the
// availability criterion scores, and its evidence names the monitor, the
// quarter and the coverage.
func TestMonitorFeedsAvailability(t *testing.T) {
	for _, tt := range []struct {
		name      string
		up, down  int
		ttfb      float64
		level     criteria.Level
		label     string
		wantFacts []string
	}{
		{"good", 1000, 0, 150, criteria.Good, "10/10", []string{"mesurée par observatoire monitor sur 2026-Q4, 1000 mesures", "% de la période couverte", "moyenne mesurée par observatoire monitor sur 2026-Q4, médiane 150 ms"}},
		{"partial uptime", 990, 10, 150, criteria.Partial, "7/10", []string{"disponibilité 99,00 %"}},
		{"bad uptime", 900, 100, 150, criteria.Bad, "-2/10", []string{"disponibilité 90,00 %"}},
		{"slow", 1000, 0, 900, criteria.Bad, "6/10", []string{"900 ms ≥ 800 ms"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			from := time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC)
			var samples []Sample
			for i := range tt.up + tt.down {
				s := Sample{At: from.Add(time.Duration(i+1) * time.Minute), Status: 200, TTFB: tt.ttfb, Interval: time.Minute}
				if i < tt.down {
					s.Status = 500
				}
				samples = append(samples, s)
			}
			sum := Summary{Period: "2026-Q4", From: from, To: from.Add(time.Duration(len(samples)+100) * time.Minute)}
			summarizeSamples(&sum, samples)
			u := sum.Criterion()
			if u == nil || u.Source != Source || u.Period != "2026-Q4" || u.Coverage <= 0 || u.Coverage >= 100 {
				t.Fatalf("criterion input %+v", u)
			}
			v := criteria.Availability(criteria.Input{Start: &scanner.Snapshot{URL: "https://demarche.example/", Status: scanner.StatusOK}, Uptime: u})
			if v.Level != tt.level || v.Label != tt.label {
				t.Errorf("verdict %s %q, want %s %q; evidence %+v", v.Level, v.Label, tt.level, tt.label, v.Evidence)
			}
			var facts []string
			for _, e := range v.Evidence {
				facts = append(facts, e.Fact)
			}
			all := strings.Join(facts, "\n")
			t.Logf("%s %s:\n%s", v.Level, v.Label, all)
			for _, f := range tt.wantFacts {
				if !strings.Contains(all, f) {
					t.Errorf("evidence lacks %q:\n%s", f, all)
				}
			}
		})
	}
	if (Summary{}).Criterion() != nil {
		t.Error("a summary without samples gives figures")
	}
}
