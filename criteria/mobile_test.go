package criteria

import (
	"fmt"
	"strings"
	"testing"

	"github.com/observatoire-scanner/observatoire/scanner"
)

// bPhone returns a start page that passes every mobile check; tests spoil
// one fact at a time.
func bPhone() *scanner.Snapshot {
	return &scanner.Snapshot{
		URL: "http://127.0.0.1/demarche", Status: scanner.StatusOK, HTTPStatus: 200,
		Desktop: &scanner.Facts{},
		Mobile: &scanner.Facts{
			HasViewport: true, Viewport: "width=device-width, initial-scale=1",
			ScrollWidth: 412, ViewportWidth: 412,
			TextSizes: map[int]int{16: 900, 14: 100},
			TapTargets: []scanner.Box{
				{X: 10, Y: 10, Width: 120, Height: 48, Selector: "a.fr-btn", Text: "Commencer"},
				{X: 10, Y: 100, Width: 20, Height: 20, Selector: "a.petit", Text: "?"},
			},
		},
	}
}

func TestMobile(t *testing.T) {
	tests := []struct {
		name  string
		spoil func(s *scanner.Snapshot)
		level Level
		label string
		fact  string // a fact that the evidence must hold
	}{
		{"all pass", func(*scanner.Snapshot) {}, Good, "Oui", "adaptée au téléphone"},
		{"initial-scale only", func(s *scanner.Snapshot) { s.Mobile.Viewport = "initial-scale=1" }, Good, "Oui", "adaptée"},
		{"no viewport", func(s *scanner.Snapshot) { s.Mobile.HasViewport, s.Mobile.Viewport = false, "" }, Bad, "Non", "aucune balise"},
		{"fixed width viewport", func(s *scanner.Snapshot) { s.Mobile.Viewport = "width=600" }, Bad, "Non", "sans width=device-width ni initial-scale"},
		{"initial-scale below 1", func(s *scanner.Snapshot) { s.Mobile.Viewport = "width=device-width, initial-scale=0.5" }, Bad, "Non", "initial-scale 0,5 < 1"},
		{"overflow", func(s *scanner.Snapshot) { s.Mobile.ScrollWidth = 900 }, Bad, "Non", "900 px > largeur de l'écran 412 px + 1"},
		{"one pixel is tolerated", func(s *scanner.Snapshot) { s.Mobile.ScrollWidth = 413 }, Good, "Oui", "413 px ≤ 412 px + 1"},
		{"two pixels overflow", func(s *scanner.Snapshot) { s.Mobile.ScrollWidth = 414 }, Bad, "Non", "défilement horizontal"},
		{"layout wider than the phone", func(s *scanner.Snapshot) {
			s.Mobile.Viewport, s.Mobile.ViewportWidth, s.Mobile.ScrollWidth = "width=1000, initial-scale=1", 1000, 1000
		}, Bad, "Non", "1000 px > largeur de l'écran 412 px"},
		{"small text", func(s *scanner.Snapshot) { s.Mobile.TextSizes = map[int]int{16: 59, 11: 41} }, Partial, "Partiel", "59 % des caractères visibles (59 sur 100) en 12 px ou plus, < 60 %"},
		{"sixty percent is enough", func(s *scanner.Snapshot) { s.Mobile.TextSizes = map[int]int{12: 60, 9: 40} }, Good, "Oui", "≥ 60 %"},
		{"no text", func(s *scanner.Snapshot) { s.Mobile.TextSizes = nil }, Good, "Oui", "aucun texte visible"},
		{"crowded targets", func(s *scanner.Snapshot) {
			s.Mobile.TapTargets = append(s.Mobile.TapTargets, scanner.Box{X: 32, Y: 100, Width: 20, Height: 20, Selector: "a.voisin", Text: "Suivant"})
		}, Partial, "Partiel", "2 sur 3 font moins de 48×48 px"},
		{"user-scalable=no", func(s *scanner.Snapshot) { s.Mobile.Viewport = "width=device-width, initial-scale=1, user-scalable=no" }, Partial, "Partiel", "zoom bloqué par la balise viewport (user-scalable=no)"},
		{"maximum-scale=1", func(s *scanner.Snapshot) { s.Mobile.Viewport = "width=device-width; maximum-scale=1.0" }, Partial, "Partiel", "maximum-scale=1 < 2"},
		{"maximum-scale=1.5", func(s *scanner.Snapshot) { s.Mobile.Viewport = "width=device-width, maximum-scale=1.5" }, Partial, "Partiel", "maximum-scale=1,5 < 2"},
		{"initial-scale 0.75", func(s *scanner.Snapshot) { s.Mobile.Viewport = "width=device-width, initial-scale=0.75" }, Bad, "Non", "initial-scale 0,75 < 1"},
		{"maximum-scale=2 lets zoom", func(s *scanner.Snapshot) { s.Mobile.Viewport = "width=device-width, maximum-scale=2" }, Good, "Oui", "adaptée"},
		{"timeout", func(s *scanner.Snapshot) { s.Status, s.Mobile = scanner.StatusTimeout, nil }, NotMeasured, "Délai dépassé", "délai imparti"},
		{"dns", func(s *scanner.Snapshot) { s.Status = scanner.StatusDNS }, NotMeasured, "Erreur DNS", "DNS"},
		{"http error", func(s *scanner.Snapshot) { s.Status, s.HTTPStatus = scanner.StatusHTTPError, 503 }, NotMeasured, "Erreur HTTP 503", "HTTP 503"},
		{"blocked", func(s *scanner.Snapshot) { s.Status, s.HTTPStatus = scanner.StatusBlocked, 403 }, NotMeasured, "Page bloquée", "bloqué le scanner"},
		{"tls", func(s *scanner.Snapshot) { s.Status = scanner.StatusTLS }, NotMeasured, "Erreur TLS", "TLS"},
		{"partial page without mobile facts", func(s *scanner.Snapshot) { s.Status, s.Mobile = scanner.StatusPartial, nil }, NotMeasured, "Non mesuré", "n'a pas pu être lue"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := bPhone()
			tt.spoil(s)
			v := Mobile(Input{Start: s})
			if v.Level != tt.level || v.Label != tt.label {
				t.Errorf("got %s %q, want %s %q\n%s", v.Level, v.Label, tt.level, tt.label, bFacts(v))
			}
			if !bHasFact(v, tt.fact) {
				t.Errorf("no evidence %q in:\n%s", tt.fact, bFacts(v))
			}
			if v.Level != Good && v.Level != NotMeasured && v.Fix == "" {
				t.Error("no fix for a verdict that is not good")
			}
		})
	}
}

func TestMobileNamesCrowdedTargets(t *testing.T) {
	s := bPhone()
	// A row of 30 small links 22 px apart: each one's finger square covers
	// its neighbours.
	s.Mobile.TapTargets = nil
	for i := range 30 {
		s.Mobile.TapTargets = append(s.Mobile.TapTargets, scanner.Box{X: float64(i * 22), Y: 0, Width: 20, Height: 16,
			Selector: fmt.Sprintf("a:nth-of-type(%d)", i+1), Text: fmt.Sprint(i + 1)})
	}
	v := Mobile(Input{Start: s})
	var named int
	for _, e := range v.Evidence {
		if e.Selector != "" {
			named++
		}
	}
	if named != maxListed {
		t.Errorf("%d failing elements named, want the cap %d", named, maxListed)
	}
	if !bHasFact(v, "… et 20 autres") || !bHasFact(v, "30 sur 30") {
		t.Errorf("evidence:\n%s", bFacts(v))
	}
	if v.Evidence[4].Selector != "a:nth-of-type(1)" || !strings.Contains(v.Evidence[4].Fact, "20×16 px") {
		t.Errorf("first named element: %+v", v.Evidence[4])
	}
}

func TestCrowdedTargets(t *testing.T) {
	tests := []struct {
		name  string
		boxes []scanner.Box
		want  int
	}{
		{"big targets side by side", []scanner.Box{{X: 0, Y: 0, Width: 48, Height: 48}, {X: 48, Y: 0, Width: 48, Height: 48}}, 0},
		{"small targets far apart", []scanner.Box{{X: 0, Y: 0, Width: 20, Height: 20}, {X: 100, Y: 0, Width: 20, Height: 20}}, 0},
		// The square of a (x -14..34) covers a on 20×20 = 400 px². b from
		// x 32 takes 2×48 = 96 px² of it, 24 %; from x 30, 192 px², 48 %.
		{"overlap under a quarter is tolerated", []scanner.Box{{X: 0, Y: 0, Width: 20, Height: 20}, {X: 32, Y: -14, Width: 48, Height: 48}}, 0},
		{"overlap above a quarter", []scanner.Box{{X: 0, Y: 0, Width: 20, Height: 20}, {X: 30, Y: -14, Width: 48, Height: 48}}, 1},
		// From x 31.5: 2.5×48 = 120 px², 30 %.
		{"overlap just above a quarter", []scanner.Box{{X: 0, Y: 0, Width: 20, Height: 20}, {X: 31.5, Y: -14, Width: 48, Height: 48}}, 1},
		{"nested boxes are one target", []scanner.Box{{X: 0, Y: 0, Width: 20, Height: 20}, {X: 0, Y: 0, Width: 200, Height: 20}}, 0},
		{"two small neighbours fail both", []scanner.Box{{X: 0, Y: 0, Width: 20, Height: 20}, {X: 22, Y: 0, Width: 20, Height: 20}}, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := CrowdedTargets(tt.boxes); len(got) != tt.want {
				t.Errorf("%d crowded, want %d: %+v", len(got), tt.want, got)
			}
		})
	}
}

func TestParseViewport(t *testing.T) {
	v := ParseViewport(" Width = device-width ; Initial-Scale=1.0, maximum-scale=5, USER-SCALABLE=yes")
	if v.Width != "device-width" || v.InitialScale != 1 || v.MaximumScale != 5 || v.UserScalable != "yes" || v.ZoomBlocked() != "" {
		t.Errorf("%+v", v)
	}
	if z := ParseViewport("width=device-width, user-scalable=0").ZoomBlocked(); z != "user-scalable=0" {
		t.Errorf("zoom %q", z)
	}
}

// bFacts lists a verdict's evidence, one a line.
func bFacts(v Verdict) string {
	var b strings.Builder
	for _, e := range v.Evidence {
		fmt.Fprintf(&b, "  %s [%s] %s\n", e.Fact, e.Selector, e.Text)
	}
	return b.String()
}

// bHasFact reports whether a fact of v holds sub.
func bHasFact(v Verdict, sub string) bool {
	for _, e := range v.Evidence {
		if strings.Contains(e.Fact, sub) {
			return true
		}
	}
	return false
}
