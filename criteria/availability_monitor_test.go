package criteria

import (
	"strings"
	"testing"

	"github.com/observatoire-scanner/observatoire/scanner"
)

// TestAvailabilityMonitorFigures: the built-in monitor's figures are
// scored as imported ones, and the evidence names the monitor, the
// quarter, the samples, the coverage and the median; an updown.json
// import keeps its wording.
func TestAvailabilityMonitorFigures(t *testing.T) {
	monitor := func(pct, mean, median, coverage float64) *Uptime {
		return &Uptime{Percent: pct, ResponseMS: mean, MedianMS: median, Samples: 129600, Source: "observatoire monitor", Period: "2026-Q4", Coverage: coverage}
	}
	tests := []struct {
		name  string
		u     *Uptime
		level Level
		label string
		facts []string
		not   []string
	}{
		{"good", monitor(99.95, 180, 150, 97.8), Good, "10/10", []string{
			"disponibilité 99,95 % ≥ 99,9 (mesurée par observatoire monitor sur 2026-Q4, 129600 mesures, 97,8 % de la période couverte (arrêts du suivi et coupures réseau exclus)) : +6 points",
			"temps de réponse (premier octet, moyenne mesurée par observatoire monitor sur 2026-Q4, médiane 150 ms) : 180 ms < 400 ms : +4 points",
		}, []string{"suivi importé", "non mesurée"}},
		{"partial uptime, low coverage said", monitor(99.2, 300, 250, 12.5), Partial, "6/10", []string{
			"disponibilité 99,20 % < 99,9 et ≥ 98,5", "12,5 % de la période couverte",
		}, nil},
		{"slow", monitor(100, 850, 820, 100), Bad, "6/10", []string{"850 ms ≥ 800 ms", "médiane 820 ms"}, nil},
		{"updown.json unchanged", &Uptime{Percent: 99.95, ResponseMS: 180, Samples: 1923, Source: "updown.json"}, Good, "10/10", []string{
			"(suivi importé updown.json, 1923 mesures)", "moyenne du suivi importé",
		}, []string{"couverte", "observatoire monitor"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := Availability(Input{Start: &scanner.Snapshot{URL: "https://demarche.example/", Status: scanner.StatusOK}, Uptime: tt.u})
			facts := monitorFacts(v)
			if v.Level != tt.level || v.Label != tt.label {
				t.Errorf("got %s %q, want %s %q\n%s", v.Level, v.Label, tt.level, tt.label, facts)
			}
			for _, f := range tt.facts {
				if !strings.Contains(facts, f) {
					t.Errorf("no evidence %q in:\n%s", f, facts)
				}
			}
			for _, f := range tt.not {
				if strings.Contains(facts, f) {
					t.Errorf("evidence says %q:\n%s", f, facts)
				}
			}
		})
	}
}

// monitorFacts is the verdict's evidence, one fact a line.
func monitorFacts(v Verdict) string {
	var b strings.Builder
	for _, e := range v.Evidence {
		b.WriteString(e.Fact + "\n")
	}
	return b.String()
}
