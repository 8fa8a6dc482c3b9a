package criteria

import (
	"slices"
	"sync"

	"github.com/observatoire-scanner/observatoire/scanner"
)

// RGAACriteria is the number of criteria of the RGAA 4.1 (the French
// accessibility standard), the denominator of a compliance rate.
const RGAACriteria = 106

// Coverage says how much of the RGAA the automated checks can see: the
// rest needs a human audit.
type Coverage struct {
	// Criteria is how many RGAA criteria at least one automated rule checks;
	// Total is the RGAA's number of criteria (106).
	Criteria int `json:"criteria"`
	Total    int `json:"total"`
	// Rules is how many axe-core rules are tagged RGAAv4; Axe names the
	// axe-core version they come from.
	Rules int    `json:"rules"`
	Axe   string `json:"axe"`
}

// AxeCoverage is the coverage of the embedded axe-core's RGAAv4 rules,
// read from its source once.
var AxeCoverage = sync.OnceValue(func() Coverage {
	return Coverage{
		Criteria: len(scanner.AxeRGAACriteria()),
		Total:    RGAACriteria,
		Rules:    len(scanner.AxeRGAARules()),
		Axe:      scanner.AxeVersion,
	}
})

// CriterionViolations are the automated failures of one RGAA criterion.
type CriterionViolations struct {
	// Criterion is the RGAA criterion ("1.1"); Tests the RGAA tests that
	// failed ("1.1.1").
	Criterion string   `json:"criterion"`
	Tests     []string `json:"tests"`
	// Rules are the failing axe-core rules, with their help texts.
	Rules []string `json:"rules"`
	Help  []string `json:"help"`
	// Elements counts the failing elements (the same element may fail two
	// rules); Selectors lists those that were kept, capped.
	Elements  int      `json:"elements"`
	Selectors []string `json:"selectors"`
}

// maxSelectors caps the selectors kept per criterion.
const maxSelectors = 10

// GroupViolations groups axe-core violations by RGAA criterion, in RGAA
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
