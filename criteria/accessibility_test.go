package criteria

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/observatoire-scanner/observatoire/scanner"
)

var bNow = time.Date(2026, 11, 2, 12, 0, 0, 0, time.UTC)

// bA11yInput returns a procedure whose footer carries footer and whose
// statement page (nil when statement is "") reads statement.
func bA11yInput(footer, statement string, violations ...scanner.Violation) Input {
	s := bPhone()
	s.Desktop.FooterText = footer
	s.Desktop.Text = "Demander une aide " + footer
	s.Axe = &scanner.AxeResult{Version: "4.14.1", Rules: 60, Violations: violations}
	in := Input{Start: s, Now: bNow}
	if statement != "" {
		in.Statement = &scanner.Snapshot{URL: "http://127.0.0.1/accessibilite", Status: scanner.StatusOK,
			Desktop: &scanner.Facts{Text: statement}}
	}
	return in
}

var imageAlt = scanner.Violation{Rule: "image-alt", Help: "Images must have alternative text", RGAA: []string{"RGAA-1.1.1"},
	Nodes: []scanner.Node{{Selector: "img.logo"}, {Selector: "main > img"}}, More: 3}

func TestAccessibility(t *testing.T) {
	tests := []struct {
		name      string
		in        Input
		level     Level
		label     string
		facts     []string
		noFact    string
		contradic bool
	}{
		{"fully compliant and valid",
			bA11yInput("Accessibilité : totalement conforme", "Le site est totalement conforme. 100 % des critères sont respectés. Audit du 12 mars 2025."),
			Good, "Oui (100 %)", []string{"mention en pied de page : « Accessibilité : totalement conforme »", "taux : 100 %", "valide jusqu'au 12/03/2028"}, "contradiction", false},
		{"partly compliant",
			bA11yInput("Accessibilité\u202f: partiellement conforme", "Partiellement conforme. 81 % des critères sont respectés. RGAA 4.1.2. 12/03/2025"),
			Partial, "Partiel (81 %)", []string{"RGAA 4.1.2", "statut « partiellement conforme »"}, "", false},
		{"fifty percent is partial",
			bA11yInput("", "Taux de conformité : 50 %. 2025-01-01"), Partial, "Partiel (50 %)", nil, "", false},
		{"just below fifty is bad",
			bA11yInput("", "Taux de conformité : 49,75 %. 2025-01-01"), Bad, "Non (49,75 %)", []string{"taux : 49,75 %"}, "", false},
		{"below fifty",
			bA11yInput("Accessibilité : non conforme", "Non conforme. 32,5 % des critères sont respectés. 2025-01-01"),
			Bad, "Non (32,5 %)", []string{"« Accessibilité : non conforme »"}, "", false},
		{"expired statement",
			bA11yInput("Accessibilité : partiellement conforme", "81 % des critères sont respectés. Audit du 1er novembre 2023."),
			Bad, "Non", []string{"périmée depuis le 01/11/2026"}, "", false},
		{"undated statement",
			bA11yInput("", "81 % des critères sont respectés."), Bad, "Non", []string{"aucune date lisible"}, "", false},
		{"no statement",
			bA11yInput("Accessibilité : partiellement conforme", ""), Bad, "Non", []string{"aucune déclaration d'accessibilité trouvée"}, "", false},
		{"menu entry is no mention",
			bA11yInput("Accueil Accessibilité Contact", ""), Bad, "Non", []string{"aucune mention"}, "mention en pied", false},
		{"mention outside the footer",
			func() Input {
				in := bA11yInput("", "")
				in.Start.Desktop.Text = "Accessibilité : non conforme"
				return in
			}(), Bad, "Non", []string{"mention hors du pied de page"}, "", false},
		{"declared rate wins",
			func() Input { in := bA11yInput("", ""); in.Declared.RGAARate = aFloat(100); return in }(),
			Good, "Oui (100 %)", []string{"taux de conformité déclaré au catalogue : 100 %"}, "", false},
		{"declared rate over the statement's",
			func() Input {
				in := bA11yInput("", "81 % des critères sont respectés. 2025-01-01")
				in.Declared.RGAARate = aFloat(45)
				return in
			}(), Bad, "Non (45 %)", nil, "", false},
		{"status without rate",
			bA11yInput("", "Le site est partiellement conforme avec le RGAA 4.1. 2025-01-01"), Partial, "Partiel", []string{"niveau tiré du statut"}, "", false},
		{"unreadable statement",
			bA11yInput("", "Bienvenue sur notre site. 2025-01-01"), NotMeasured, "À vérifier", []string{"ni statut ni taux"}, "", false},
		{"statement did not load",
			func() Input {
				in := bA11yInput("", "x")
				in.Statement.Status, in.Statement.Desktop = scanner.StatusTimeout, nil
				return in
			}(), NotMeasured, "Non mesuré", []string{"déclaration d'accessibilité non chargée : la page n'a pas répondu dans le délai imparti"}, "", false},
		{"statement link leads to a 404",
			func() Input {
				in := bA11yInput("Accessibilité : partiellement conforme", "x")
				in.Statement.Status, in.Statement.HTTPStatus, in.Statement.Desktop = scanner.StatusHTTPError, 404, nil
				return in
			}(), Bad, "Non", []string{"la déclaration d'accessibilité liée n'existe pas : le serveur a répondu par une erreur HTTP 404"}, "", false},
		{"start page did not load",
			func() Input { in := bA11yInput("", ""); in.Start.Status = scanner.StatusDNS; return in }(),
			NotMeasured, "Erreur DNS", []string{"DNS"}, "", false},
		{"contradiction: totally compliant with violations",
			bA11yInput("Accessibilité : totalement conforme", "Totalement conforme, 100 % des critères sont respectés, 2025-06-01", imageAlt),
			Good, "Oui (100 %)", []string{"contradiction : le site se déclare totalement conforme, mais les tests automatisés trouvent 5 élément(s) en échec",
				"5 élément(s) en échec sur 1 critère(s) RGAA", "couvrent 38 critères RGAA sur 106 (axe-core 33, tests de l'observatoire 7)"}, "", true},
		{"violations shown beside the level",
			bA11yInput("Accessibilité : partiellement conforme", "81 % des critères sont respectés. 2025-01-01", imageAlt),
			Partial, "Partiel (81 %)", []string{"critère RGAA 1.1 (tests 1.1.1) : 5 élément(s) en échec, règles image-alt"}, "contradiction", false},
		{"zoom blocking is an RGAA fault",
			func() Input {
				in := bA11yInput("", "100 % des critères sont respectés. 2025-01-01")
				in.Start.Mobile.Viewport = "width=device-width, user-scalable=no"
				return in
			}(), Good, "Oui (100 %)", []string{"critère RGAA 10.4 non respecté"}, "", false},
		{"axe did not run",
			func() Input { in := bA11yInput("", ""); in.Start.Axe = nil; return in }(),
			Bad, "Non", []string{"tests automatisés (axe-core) non exécutés"}, "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := Accessibility(tt.in)
			if v.Level != tt.level || v.Label != tt.label {
				t.Errorf("got %s %q, want %s %q\n%s", v.Level, v.Label, tt.level, tt.label, bFacts(v))
			}
			for _, f := range tt.facts {
				if !bHasFact(v, f) {
					t.Errorf("no evidence %q in:\n%s", f, bFacts(v))
				}
			}
			if tt.noFact != "" && bHasFact(v, tt.noFact) {
				t.Errorf("evidence %q should not be there:\n%s", tt.noFact, bFacts(v))
			}
			if v.Level != Good && v.Level != NotMeasured && v.Fix == "" {
				t.Error("no fix")
			}
			if tt.in.Start.Status.Loaded() {
				if r := AccessibilityReport(tt.in); r.Contradiction != tt.contradic {
					t.Errorf("contradiction %v, want %v", r.Contradiction, tt.contradic)
				}
			}
		})
	}
}

func TestAccessibilityReportJSON(t *testing.T) {
	in := bA11yInput("Accessibilité : partiellement conforme",
		"Partiellement conforme. 81 % des critères du RGAA 4.1.2 sont respectés. Audit du 12 mars 2025.", imageAlt,
		scanner.Violation{Rule: "label", RGAA: []string{"RGAA-11.1.1"}, Nodes: []scanner.Node{{Selector: "#nom"}}},
		scanner.Violation{Rule: "image-alt-2", RGAA: []string{"RGAA-1.1.2"}, Nodes: []scanner.Node{{Selector: "img.logo"}}},
		scanner.Violation{Rule: "color-contrast", RGAA: []string{"RGAA-3.2.1"}, Nodes: []scanner.Node{{Selector: "p"}}})
	b, err := json.Marshal(AccessibilityReport(in))
	if err != nil {
		t.Fatal(err)
	}
	var got struct {
		Declaration map[string]any `json:"declaration"`
		Violations  []struct {
			Criterion string
			Tests     []string
			Elements  int
			Selectors []string
		} `json:"violations"`
		Coverage Coverage `json:"coverage"`
	}
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatal(err)
	}
	want := map[string]any{"mention": "Accessibilité : partiellement conforme", "status": StatusPartial,
		"url": "http://127.0.0.1/accessibilite", "rate": 81.0, "date": "2025-03-12", "rgaa_version": "4.1.2", "valid": true}
	for k, w := range want {
		if got.Declaration[k] != w {
			t.Errorf("declaration.%s = %v, want %v (%s)", k, got.Declaration[k], w, b)
		}
	}
	var order []string
	for _, g := range got.Violations {
		order = append(order, g.Criterion)
	}
	if strings.Join(order, " ") != "1.1 3.2 11.1" {
		t.Errorf("criteria %v, want RGAA order 1.1 3.2 11.1", order)
	}
	g := got.Violations[0]
	if strings.Join(g.Tests, " ") != "1.1.1 1.1.2" || g.Elements != 6 || strings.Join(g.Selectors, " ") != "img.logo main > img" {
		t.Errorf("group 1.1: %+v", g)
	}
	if got.Coverage.Criteria != 38 || got.Coverage.Total != 106 {
		t.Errorf("coverage %+v", got.Coverage)
	}
}
