package scanner_test

import (
	"strings"
	"testing"

	"github.com/observatoire-scanner/observatoire/scanner"
)

// ownFindings returns, by rule, our own findings on a scanned page: the
// failures (Violations with Source observatoire) and the reviews apart.
func ownFindings(t *testing.T, s *scanner.Snapshot) (fail, review map[string]scanner.Violation) {
	t.Helper()
	if s.Status != scanner.StatusOK || s.Axe == nil {
		t.Fatalf("status %s (%s), axe %v", s.Status, s.Reason, s.Axe != nil)
	}
	if s.Axe.OwnError != "" {
		t.Fatalf("own tests stopped: %s", s.Axe.OwnError)
	}
	if len(s.Axe.Own) != 7 {
		t.Errorf("own rules run %v, want the 7", s.Axe.Own)
	}
	fail, review = map[string]scanner.Violation{}, map[string]scanner.Violation{}
	for _, v := range s.Axe.Violations {
		if v.Source == scanner.OwnSource {
			if !strings.HasPrefix(v.Rule, "obs-") || len(v.RGAA) != 1 || len(v.Nodes) == 0 {
				t.Errorf("malformed finding %+v", v)
			}
			fail[v.Rule] = v
		}
	}
	for _, v := range s.Axe.Review {
		review[v.Rule] = v
	}
	return fail, review
}

func TestRgaaPassingPages(t *testing.T) {
	for _, path := range []string{"/rgaa-pass.html", "/good.html"} {
		t.Run(path, func(t *testing.T) {
			s := scan(t, path)
			fail, review := ownFindings(t, s)
			for rule, v := range fail {
				t.Errorf("%s: unexpected failure %s: %+v", path, rule, v.Nodes)
			}
			for rule, v := range review {
				t.Errorf("%s: unexpected review %s: %+v", path, rule, v.Nodes)
			}
			if s.Phases.RGAA <= 0 {
				t.Errorf("phase rgaa_ms %v, want measured", s.Phases.RGAA)
			}
			t.Logf("%s: rgaa %.0f ms, axe %.0f ms, total %.0f ms", path, s.Phases.RGAA, s.Phases.Axe, s.Phases.Total)
		})
	}
}

func TestRgaaFailingPages(t *testing.T) {
	tests := []struct {
		path, rule, test string
		// selector is a part of a failing element's selector.
		selector string
		// summary is a part of its explanation.
		summary string
	}{
		{"/rgaa-focus-fail.html", scanner.RuleFocusVisible, "RGAA-10.7.1", "#envoyer", "ne changent"},
		{"/rgaa-skip-missing.html", scanner.RuleSkipLink, "RGAA-12.7.1", "#menu1", "aucun lien"},
		{"/rgaa-skip-broken.html", scanner.RuleSkipLink, "RGAA-12.7.1", "#evitement", "n'existe pas"},
		{"/rgaa-skip-hidden.html", scanner.RuleSkipLink, "RGAA-12.7.1", "#evitement", "invisible"},
		{"/rgaa-skip-inert.html", scanner.RuleSkipLink, "RGAA-12.7.1", "#evitement", "ne mène pas dans le contenu principal"},
		{"/rgaa-skip-wrong.html", scanner.RuleSkipLink, "RGAA-12.7.1", "#evitement", "pas la zone de contenu principal"},
		{"/rgaa-reflow-fail.html", scanner.RuleReflow, "RGAA-10.11.1", "#bandeau", "320 px"},
		{"/rgaa-spacing-fail.html", scanner.RuleTextSpacing, "RGAA-10.12.1", "#encart", "coupé"},
		{"/rgaa-popup.html", scanner.RulePopup, "RGAA-13.2.1", "html", "sans aucune action"},
		{"/rgaa-title-fail.html", scanner.RuleTitleRelevant, "RGAA-8.6.1", "title", "par défaut"},
		{"/rgaa-lang-fail.html", scanner.RuleLangRelevant, "RGAA-8.4.1", "html", "texte est en français"},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			s := scan(t, tt.path)
			fail, review := ownFindings(t, s)
			v, ok := fail[tt.rule]
			if !ok {
				t.Fatalf("no %s failure; failures %v, reviews %v", tt.rule, keys(fail), keys(review))
			}
			if v.RGAA[0] != tt.test || v.Impact == "" || v.Help == "" || v.Engine() != "observatoire" {
				t.Errorf("finding %s: rgaa %v impact %q help %q engine %q", tt.rule, v.RGAA, v.Impact, v.Help, v.Engine())
			}
			found := false
			for _, n := range v.Nodes {
				found = found || strings.Contains(n.Selector, tt.selector) && strings.Contains(n.Summary, tt.summary) && n.HTML != ""
			}
			if !found {
				t.Errorf("elements %+v, want one with selector ~%q summary ~%q", v.Nodes, tt.selector, tt.summary)
			}
			// Each page fails only the rule it is built for.
			for rule := range fail {
				if rule != tt.rule {
					t.Errorf("also fails %s: %+v", rule, fail[rule].Nodes)
				}
			}
		})
	}
}

func keys(m map[string]scanner.Violation) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}
