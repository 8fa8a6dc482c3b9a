package site

import (
	"strings"
	"testing"

	"github.com/observatoire-scanner/observatoire/criteria"
)

// The method page summarises the rules in prose, apart from the criteria
// package: this test ties each threshold the prose states to the verdict
// criteria gives on either side of it, so that a changed threshold fails
// here until the summary says the new one.
func TestMethodRulesMatchCriteria(t *testing.T) {
	rules := ruleSummaries()
	for _, id := range criteria.IDs {
		if len(rules[id]) == 0 || headline[id] == "" {
			t.Errorf("criterion %s: rule summary or headline missing", id)
		}
	}
	says := func(id criteria.ID, texts ...string) {
		t.Helper()
		all := strings.Join(rules[id], " ")
		for _, s := range texts {
			if !strings.Contains(all, s) {
				t.Errorf("the %s summary does not say %q: %s", id, s, all)
			}
		}
	}
	level := func(id criteria.ID, v criteria.Verdict, want criteria.Level, what string) {
		t.Helper()
		if v.Level != want {
			t.Errorf("%s %s: %s, the summary says %s", id, what, v.Level, want)
		}
	}

	says(criteria.IDSatisfaction, "à partir de 100 réponses", "8 ou plus Oui, 5 ou plus Partiel, moins de 5 Non")
	for _, c := range []struct {
		score float64
		count int
		want  criteria.Level
	}{{8, 100, criteria.Good}, {7.9, 100, criteria.Partial}, {5, 100, criteria.Partial}, {4.9, 100, criteria.Bad}, {9, 99, criteria.NotMeasured}} {
		level(criteria.IDSatisfaction, criteria.Satisfaction(criteria.Input{JDMA: &criteria.JDMA{Satisfaction: c.score, Count: c.count}}), c.want,
			criteria.Decimal(c.score, 1)+"/10 over "+criteria.Integer(c.count)+" answers")
	}

	says(criteria.IDAvailability, "99,9 % ou plus Oui, 98,5 % ou plus Partiel", "moins de 400 ms Oui, moins de 800 ms Partiel", "le moins bon des deux")
	for _, c := range []struct {
		pct, ms float64
		want    criteria.Level
	}{{99.9, 399, criteria.Good}, {99.8, 100, criteria.Partial}, {98.5, 100, criteria.Partial}, {98.4, 100, criteria.Bad},
		{100, 400, criteria.Partial}, {100, 799, criteria.Partial}, {100, 800, criteria.Bad}} {
		level(criteria.IDAvailability, criteria.Availability(criteria.Input{Uptime: &criteria.Uptime{Percent: c.pct, ResponseMS: c.ms}}), c.want,
			criteria.Decimal(c.pct, 1)+" % and "+criteria.Decimal(c.ms, 0)+" ms")
	}

	says(criteria.IDDLNUF, "0 ou 1 Oui, 2 à 4 Partiel, 5 ou plus Non")
	for _, c := range []struct {
		n    float64
		want criteria.Level
	}{{0, criteria.Good}, {1, criteria.Good}, {2, criteria.Partial}, {4, criteria.Partial}, {5, criteria.Bad}} {
		n := c.n
		level(criteria.IDDLNUF, criteria.DLNUF(criteria.Input{Declared: criteria.Declared{DLNUF: &n}}), c.want, "declared "+criteria.Decimal(n, 0))
	}

	cov := criteria.AutomatedCoverage()
	says(criteria.IDAccessibility, "couvrent "+criteria.Integer(cov.Criteria)+" des "+criteria.Integer(cov.Total)+" critères")
}
