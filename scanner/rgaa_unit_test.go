package scanner

import (
	"strings"
	"testing"
)

func TestRgaaTitleFinding(t *testing.T) {
	tests := []struct {
		title    string
		ok, sure bool
	}{
		{"Demander une aide au logement - Service-Public.fr", false, false},
		{"", false, false}, // missing: axe-core's document-title (8.5)
		{"Document sans titre", true, true},
		{"  UNTITLED  ", true, true},
		{"index.html", true, true},
		{"— | —", true, true},
		{"React App", true, true},
		{"Accueil", true, false},
		{"Accueil - Caisse d'allocations familiales", false, false},
		{"Page d'accueil du site des impôts", false, false},
	}
	for _, tt := range tests {
		v, sure, ok := titleFinding(tt.title)
		if ok != tt.ok || sure != tt.sure {
			t.Errorf("titleFinding(%q) = ok %v sure %v, want %v %v", tt.title, ok, sure, tt.ok, tt.sure)
		}
		if ok && (v.Rule != RuleTitleRelevant || v.RGAA[0] != "RGAA-8.6.1" || len(v.Nodes) != 1 || !strings.Contains(v.Nodes[0].HTML, "<title>")) {
			t.Errorf("titleFinding(%q) = %+v", tt.title, v)
		}
	}
}

func TestRgaaLangFinding(t *testing.T) {
	fr := strings.Repeat("Vous pouvez faire votre demande en ligne pour la carte et le dossier de la famille. ", 8)
	en := strings.Repeat("You can apply online for the card and the file of your family, this is the way. ", 8)
	tests := []struct {
		lang, text string
		want       bool
	}{
		{"fr", fr, false},
		{"fr-FR", fr, false},
		{"en", fr, true},
		{"en-GB", fr, true},
		{"fr", en, true},
		{"en", en, false},
		{"fr", "Bonjour", false},                   // too short to tell
		{"de", fr, false},                          // only French and English are told apart
		{"", fr, false},                            // missing: axe-core's html-has-lang
		{"fr", fr + en, false},                     // mixed: no verdict
		{"en", strings.Repeat("le la ", 30), true}, // stop words alone are enough
	}
	for _, tt := range tests {
		v, got := langFinding(tt.lang, tt.text)
		if got != tt.want {
			t.Errorf("langFinding(%q, %.30q…) = %v, want %v", tt.lang, tt.text, got, tt.want)
		}
		if got && (v.RGAA[0] != "RGAA-8.4.1" || v.Nodes[0].Selector != "html" || v.Source != OwnSource) {
			t.Errorf("langFinding(%q) = %+v", tt.lang, v)
		}
	}
}

func TestOwnRGAACriteria(t *testing.T) {
	got := strings.Join(OwnRGAACriteria(), " ")
	if got != "8.4 8.6 10.7 10.11 10.12 12.7 13.2" {
		t.Errorf("OwnRGAACriteria = %s", got)
	}
	for id, tests := range OwnRGAARules() {
		if !strings.HasPrefix(id, "obs-") || len(tests) != 1 || RGAACriterion(tests[0]) == "" {
			t.Errorf("rule %s: tests %v", id, tests)
		}
	}
}
