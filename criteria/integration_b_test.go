package criteria_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/observatoire-scanner/observatoire/criteria"
	"github.com/observatoire-scanner/observatoire/fixtures/fixturetest"
	"github.com/observatoire-scanner/observatoire/scanner"
)

// These tests scan the fixture pages with the real Chromium and judge the
// snapshots, on the shared fixture web and scanner (fixturetest).

// bNow dates the verdicts: the fixture statements are dated 2025.
var bNow = time.Date(2026, 11, 2, 12, 0, 0, 0, time.UTC)

func bScan(t *testing.T, url string) *scanner.Snapshot {
	t.Helper()
	_, sc := fixturetest.Env(t)
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	s, err := sc.Scan(ctx, url)
	if err != nil {
		t.Fatalf("Scan(%s): %v", url, err)
	}
	return s
}

func bPage(t *testing.T, name string) *scanner.Snapshot {
	t.Helper()
	web, _ := fixturetest.Env(t)
	s := bScan(t, web.Page(name))
	if s.Status != scanner.StatusOK {
		t.Fatalf("%s: status %s (%s)", name, s.Status, s.Reason)
	}
	return s
}

func bEvidence(v criteria.Verdict) string {
	var b strings.Builder
	for _, e := range v.Evidence {
		b.WriteString("  " + e.Fact + " [" + e.Selector + "]\n")
	}
	return b.String()
}

func bHas(v criteria.Verdict, sub string) bool {
	return strings.Contains(bEvidence(v), sub)
}

func TestMobileScanned(t *testing.T) {
	tests := []struct {
		page  string
		level criteria.Level
		facts []string
	}{
		{"mobile-ok.html", criteria.Good, []string{"adaptée au téléphone", "pas de défilement horizontal"}},
		{"mobile-targets.html", criteria.Partial, []string{"#page-1", "#page-2", "font moins de 48×48 px"}},
		{"mobile-zoom.html", criteria.Partial, []string{"user-scalable=no", "RGAA 10.4"}},
		{"overflow.html", criteria.Bad, []string{"défilement horizontal : largeur de la page"}},
		{"no-viewport.html", criteria.Bad, []string{"aucune balise <meta name=\"viewport\">"}},
		{"tiny-text.html", criteria.Partial, []string{"< 60 %"}},
	}
	for _, tt := range tests {
		t.Run(tt.page, func(t *testing.T) {
			v := criteria.Mobile(criteria.Input{Start: bPage(t, tt.page), Now: bNow})
			if v.Level != tt.level {
				t.Errorf("level %s %q, want %s\n%s", v.Level, v.Label, tt.level, bEvidence(v))
			}
			for _, f := range tt.facts {
				if !bHas(v, f) {
					t.Errorf("no evidence %q in\n%s", f, bEvidence(v))
				}
			}
		})
	}
}

func TestAccessibilityScanned(t *testing.T) {
	web, _ := fixturetest.Env(t)
	tests := []struct {
		name, page, statement string
		level                 criteria.Level
		label                 string
		facts                 []string
	}{
		{"trap percentage in the statement", "good.html", "statement-trap.html", criteria.Partial, "Partiel (81 %)",
			[]string{"« Accessibilité : partiellement conforme »", "RGAA 4.1.2", "datée du 02/04/2025"}},
		{"U+202F mention, totally compliant, image without alt", "a11y-contradiction.html", "statement-full.html", criteria.Good, "Oui (100 %)",
			[]string{"« Accessibilité : totalement conforme »", "contradiction", "critère RGAA 1.1", "#illustration-sans-alt"}},
		{"menu entry is not a mention", "a11y-menu.html", "", criteria.Bad, "Non",
			[]string{"aucune mention", "aucune déclaration"}},
		{"statement over three years old", "good.html", "statement-old.html", criteria.Bad, "Non",
			[]string{"périmée", "statut « partiellement conforme »", "taux : 72,5 %"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := criteria.Input{Start: bPage(t, tt.page), Now: bNow}
			if tt.statement != "" {
				in.Statement = bScan(t, web.Page(tt.statement))
			}
			v := criteria.Accessibility(in)
			if v.Level != tt.level || v.Label != tt.label {
				t.Errorf("got %s %q, want %s %q\n%s", v.Level, v.Label, tt.level, tt.label, bEvidence(v))
			}
			for _, f := range tt.facts {
				if !bHas(v, f) {
					t.Errorf("no evidence %q in\n%s", f, bEvidence(v))
				}
			}
		})
	}
}

func TestAccessibilityReportScanned(t *testing.T) {
	web, _ := fixturetest.Env(t)
	in := criteria.Input{Start: bPage(t, "a11y-contradiction.html"), Statement: bScan(t, web.Page("statement-full.html")), Now: bNow}
	r := criteria.AccessibilityReport(in)
	d := r.Declaration
	if d.Mention != "Accessibilité : totalement conforme" || d.Status != criteria.StatusFull || d.Rate == nil || *d.Rate != 100 ||
		d.Date != "2025-06-20" || d.RGAAVersion != "4.1.2" || !d.Valid || d.URL != web.Page("statement-full.html") {
		t.Errorf("declaration %+v", d)
	}
	if !r.Automated || !r.Contradiction || len(r.Violations) == 0 || r.Violations[0].Criterion != "1.1" {
		t.Errorf("automated %v contradiction %v violations %+v", r.Automated, r.Contradiction, r.Violations)
	}
}

func TestAvailabilityScanned(t *testing.T) {
	web, _ := fixturetest.Env(t)
	probe := func(url string) []scanner.Probe {
		ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
		defer cancel()
		return scanner.ProbeURL(ctx, url, scanner.ProbeOptions{Count: 3, Interval: 10 * time.Millisecond, Timeout: 10 * time.Second})
	}

	t.Run("probes of a page that answers", func(t *testing.T) {
		u := web.Page("good.html")
		v := criteria.Availability(criteria.Input{Start: bScan(t, u), Probes: probe(u), Now: bNow})
		if v.Level.Rank() < 0 || !strings.HasSuffix(v.Label, "(sondes)") || v.Value != nil {
			t.Errorf("got %s %q\n%s", v.Level, v.Label, bEvidence(v))
		}
		if !bHas(v, "3 sur 3 ont répondu 2xx/3xx") || !bHas(v, "médiane des sondes HTTP") {
			t.Errorf("evidence\n%s", bEvidence(v))
		}
	})
	t.Run("a page slower than 800 ms", func(t *testing.T) {
		u := web.Page("/slow?delay=900ms&page=mobile-ok.html")
		v := criteria.Availability(criteria.Input{Start: bScan(t, u), Probes: probe(u), Now: bNow})
		if v.Level != criteria.Bad || v.Label != "Non (sondes)" {
			t.Errorf("got %s %q\n%s", v.Level, v.Label, bEvidence(v))
		}
	})
	t.Run("unreachable: not measured", func(t *testing.T) {
		u := fixturetest.ClosedPortURL(t) + "demarche"
		v := criteria.Availability(criteria.Input{Start: bScan(t, u), Probes: probe(u), Now: bNow})
		if v.Level != criteria.NotMeasured || !bHas(v, "0 sur") {
			t.Errorf("got %s %q\n%s", v.Level, v.Label, bEvidence(v))
		}
	})
	t.Run("imported uptime is scored though unreachable", func(t *testing.T) {
		u := fixturetest.ClosedPortURL(t) + "demarche"
		in := criteria.Input{Start: bScan(t, u), Now: bNow, Uptime: &criteria.Uptime{Percent: 99.95, ResponseMS: 152, Samples: 1923}}
		v := criteria.Availability(in)
		if v.Level != criteria.Good || v.Label != "10/10" || v.Value == nil || *v.Value != 10 {
			t.Errorf("got %s %q\n%s", v.Level, v.Label, bEvidence(v))
		}
		for _, c := range []func(criteria.Input) criteria.Verdict{criteria.Mobile, criteria.Accessibility} {
			if v := c(in); v.Level != criteria.NotMeasured || !bHas(v, "erreur réseau") {
				t.Errorf("unreachable page: %s %q\n%s", v.Level, v.Label, bEvidence(v))
			}
		}
	})
}
