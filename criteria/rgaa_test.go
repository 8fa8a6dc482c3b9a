package criteria

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/observatoire-scanner/observatoire/scanner"
)

// The embedded axe-core 4.14.1 tags 67 rules RGAAv4; they cover 33 of the
// 106 RGAA criteria (measured on its source by scanner.AxeRGAACriteria).
func TestAxeCoverage(t *testing.T) {
	if scanner.AxeVersion != "4.14.1" {
		t.Skipf("figures measured on axe-core 4.14.1, embedded %s", scanner.AxeVersion)
	}
	rules := scanner.AxeRGAARules()
	if len(rules) != 67 {
		t.Errorf("%d RGAAv4 rules, want 67", len(rules))
	}
	if got := rules["image-alt"]; !slices.Equal(got, []string{"RGAA-1.1.1"}) {
		t.Errorf("image-alt tests %v", got)
	}
	// meta-viewport's selector holds brackets: its tags must still be found.
	if got := rules["meta-viewport"]; !slices.Equal(got, []string{"RGAA-10.4.2"}) {
		t.Errorf("meta-viewport tests %v", got)
	}
	want := "1.1 2.1 2.2 3.2 4.3 4.10 5.2 5.4 5.7 6.1 6.2 7.1 7.3 8.2 8.3 8.4 8.5 8.8 9.1 9.2 9.3 10.4 10.6 10.8 11.1 11.2 11.9 11.13 12.7 12.8 13.1 13.8 13.9"
	if got := strings.Join(scanner.AxeRGAACriteria(), " "); got != want {
		t.Errorf("criteria\n%s\nwant\n%s", got, want)
	}
	// Ours add 10.7, 10.11, 10.12, 13.2 and 8.6 (8.4 and 12.7 are axe-core's
	// too, tested more strictly).
	want38 := Coverage{Criteria: 38, AxeCriteria: 33, OwnCriteria: 7, Total: 106, Rules: 67, OwnRules: 7, Axe: "4.14.1"}
	if c := AutomatedCoverage(); c != want38 {
		t.Errorf("coverage %+v, want %+v", c, want38)
	}
	if p := AutomatedCoverage().Phrase(); p != "38 critères RGAA sur 106 testés automatiquement (axe-core 33, tests de l'observatoire 7)" {
		t.Errorf("phrase %q", p)
	}
}

func TestGroupViolations(t *testing.T) {
	vs := []scanner.Violation{
		{Rule: "b", RGAA: []string{"RGAA-10.4.2"}, Nodes: []scanner.Node{{Selector: "meta"}}},
		{Rule: "a", RGAA: []string{"RGAA-9.1.1", "RGAA-10.4.1"}, Nodes: []scanner.Node{{Selector: "h1"}, {Selector: "h1"}}},
		{Rule: "untagged", Nodes: []scanner.Node{{Selector: "div"}}},
		{Rule: "obs-reflow", RGAA: []string{"RGAA-10.11.1"}, Source: scanner.OwnSource, Nodes: []scanner.Node{{Selector: "#bandeau"}}},
	}
	g := GroupViolations(vs)
	var got []string
	for _, c := range g {
		got = append(got, c.Criterion+":"+strings.Join(c.Tests, ",")+":"+strings.Join(c.Rules, ","))
	}
	want := "9.1:9.1.1:a 10.4:10.4.1,10.4.2:b,a 10.11:10.11.1:obs-reflow ?::untagged"
	if strings.Join(got, " ") != want {
		t.Errorf("got %v, want %s", got, want)
	}
	if !slices.Equal(g[1].Sources, []string{"axe-core"}) || !slices.Equal(g[2].Sources, []string{"observatoire"}) {
		t.Errorf("sources %v %v", g[1].Sources, g[2].Sources)
	}
	if g[1].Elements != 3 || len(g[1].Selectors) != 2 {
		t.Errorf("10.4: %d elements, selectors %v", g[1].Elements, g[1].Selectors)
	}
}

func TestGroupViolationsCapsSelectors(t *testing.T) {
	v := scanner.Violation{Rule: "image-alt", RGAA: []string{"RGAA-1.1.1"}, More: 5}
	for i := range maxSelectors + 2 {
		v.Nodes = append(v.Nodes, scanner.Node{Selector: fmt.Sprintf("img:nth-of-type(%d)", i+1)})
	}
	g := GroupViolations([]scanner.Violation{v})
	if len(g) != 1 || g[0].Elements != 17 || len(g[0].Selectors) != 10 {
		t.Errorf("got %+v, want 17 elements and 10 selectors", g)
	}
}

func TestCompareRGAA(t *testing.T) {
	c := []string{"10.4", "9.1", "1.10", "1.2", "11.13"}
	slices.SortFunc(c, scanner.CompareRGAA)
	if strings.Join(c, " ") != "1.2 1.10 9.1 10.4 11.13" {
		t.Errorf("%v", c)
	}
}

// Our own findings show beside axe-core's, named by their engine; a
// finding "à vérifier" is shown and never counted.
func TestOwnFindingsInEvidence(t *testing.T) {
	reflow := scanner.Violation{Rule: "obs-reflow", Help: "Le contenu doit tenir dans 320 px", RGAA: []string{"RGAA-10.11.1"},
		Source: scanner.OwnSource, Nodes: []scanner.Node{{Selector: "#bandeau", Summary: "déborde"}}}
	in := bA11yInput("Accessibilité : partiellement conforme", "81 % des critères sont respectés. 2025-01-01", imageAlt, reflow)
	in.Start.Axe.Own = []string{"obs-reflow"}
	in.Start.Axe.Review = []scanner.Violation{{Rule: "obs-skip-link", RGAA: []string{"RGAA-12.7.1"}, Source: scanner.OwnSource,
		Nodes: []scanner.Node{{Selector: "#evitement", Summary: "pas en tête"}}}}
	r := AccessibilityReport(in)
	if r.Elements != 6 || len(r.Violations) != 2 {
		t.Fatalf("elements %d, criteria %d: want 6 (5 axe-core + 1 ours, the review not counted) on 2", r.Elements, len(r.Violations))
	}
	var facts []string
	for _, e := range Accessibility(in).Evidence {
		facts = append(facts, e.Fact)
	}
	all := strings.Join(facts, "\n")
	for _, want := range []string{
		"tests automatisés axe-core 4.14.1 (règles RGAAv4) et de l'observatoire : 6 élément(s) en échec sur 2 critère(s) RGAA",
		"critère RGAA 1.1 (tests 1.1.1) : 5 élément(s) en échec, règles image-alt (axe-core)",
		"critère RGAA 10.11 (tests 10.11.1) : 1 élément(s) en échec, règles obs-reflow (observatoire)",
		"à vérifier, critère RGAA 12.7 (test de l'observatoire obs-skip-link, non compté comme échec) : pas en tête",
	} {
		if !strings.Contains(all, want) {
			t.Errorf("evidence lacks %q:\n%s", want, all)
		}
	}
}
