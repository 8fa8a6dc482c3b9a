package criteria

import (
	"fmt"
	"slices"
	"sync"

	"github.com/observatoire-scanner/observatoire/scanner"
)

// RGAACriteria is the number of criteria of the RGAA 4.1 (the French
// accessibility standard), the denominator of a compliance rate.
const RGAACriteria = 106

// Coverage says how much of the RGAA the automated checks can see: the
// rest needs a human audit. The checks are axe-core's rules tagged RGAAv4
// and the observatory's own tests (scanner/rgaa.go).
type Coverage struct {
	// Criteria is how many RGAA criteria at least one automated test
	// checks; AxeCriteria and OwnCriteria how many axe-core's rules and ours
	// check (a criterion both check counts in both); Total is the RGAA's
	// number of criteria (106).
	Criteria    int `json:"criteria"`
	AxeCriteria int `json:"axe_criteria"`
	OwnCriteria int `json:"own_criteria"`
	Total       int `json:"total"`
	// Rules is how many axe-core rules are tagged RGAAv4, OwnRules how many
	// tests are ours; Axe names the axe-core version.
	Rules    int    `json:"rules"`
	OwnRules int    `json:"own_rules"`
	Axe      string `json:"axe"`
}

// Phrase says the coverage in French: "38 critères RGAA sur 106 testés
// automatiquement (axe-core 33, tests de l'observatoire 7)".
func (c Coverage) Phrase() string {
	return fmt.Sprintf("%d critères RGAA sur %d testés automatiquement (axe-core %d, tests de l'observatoire %d)", c.Criteria, c.Total, c.AxeCriteria, c.OwnCriteria)
}

// AutomatedCoverage is the coverage of the automated checks: the embedded
// axe-core's RGAAv4 rules, read from its source once, and our own tests.
var AutomatedCoverage = sync.OnceValue(func() Coverage {
	axe, own := scanner.AxeRGAACriteria(), scanner.OwnRGAACriteria()
	all := slices.Clone(axe)
	for _, c := range own {
		if !slices.Contains(all, c) {
			all = append(all, c)
		}
	}
	return Coverage{
		Criteria:    len(all),
		AxeCriteria: len(axe),
		OwnCriteria: len(own),
		Total:       RGAACriteria,
		Rules:       len(scanner.AxeRGAARules()),
		OwnRules:    len(scanner.OwnRGAARules()),
		Axe:         scanner.AxeVersion,
	}
})

// CriterionViolations are the automated failures of one RGAA criterion.
type CriterionViolations struct {
	// Criterion is the RGAA criterion ("1.1"); Tests the RGAA tests that
	// failed ("1.1.1").
	Criterion string   `json:"criterion"`
	Tests     []string `json:"tests"`
	// Rules are the failing rules (axe-core's, and ours named "obs-…"),
	// with their help texts; Sources the engines that found them
	// ("axe-core", "observatoire").
	Rules   []string `json:"rules"`
	Help    []string `json:"help"`
	Sources []string `json:"sources"`
	// Elements counts the failing elements (the same element may fail two
	// rules); Selectors lists those that were kept, capped.
	Elements  int      `json:"elements"`
	Selectors []string `json:"selectors"`
}

// maxSelectors caps the selectors kept per criterion.
const maxSelectors = 10

// GroupViolations groups automated violations (axe-core's and ours) by RGAA criterion, in RGAA
// order. A rule mapped to two criteria appears under both; a rule with no
// RGAA tag goes under "?".
func GroupViolations(vs []scanner.Violation) []CriterionViolations {
	byCrit := map[string]*CriterionViolations{}
	for _, v := range vs {
		crits := map[string][]string{}
		for _, t := range v.RGAA {
			c := scanner.RGAACriterion(t)
			if c == "" {
				continue
			}
			crits[c] = append(crits[c], t[len("RGAA-"):])
		}
		if len(crits) == 0 {
			crits["?"] = nil
		}
		for c, tests := range crits {
			g := byCrit[c]
			if g == nil {
				g = &CriterionViolations{Criterion: c}
				byCrit[c] = g
			}
			for _, t := range tests {
				if !slices.Contains(g.Tests, t) {
					g.Tests = append(g.Tests, t)
				}
			}
			if !slices.Contains(g.Rules, v.Rule) {
				g.Rules = append(g.Rules, v.Rule)
				g.Help = append(g.Help, v.Help)
			}
			if !slices.Contains(g.Sources, v.Engine()) {
				g.Sources = append(g.Sources, v.Engine())
			}
			g.Elements += len(v.Nodes) + v.More
			for _, n := range v.Nodes {
				if len(g.Selectors) < maxSelectors && !slices.Contains(g.Selectors, n.Selector) {
					g.Selectors = append(g.Selectors, n.Selector)
				}
			}
		}
	}
	out := make([]CriterionViolations, 0, len(byCrit))
	for _, g := range byCrit {
		slices.SortFunc(g.Tests, scanner.CompareRGAA)
		out = append(out, *g)
	}
	slices.SortFunc(out, func(a, b CriterionViolations) int { return scanner.CompareRGAA(a.Criterion, b.Criterion) })
	return out
}

// failingElements counts the failing elements of all violations.
func failingElements(vs []scanner.Violation) int {
	n := 0
	for _, v := range vs {
		n += len(v.Nodes) + v.More
	}
	return n
}
