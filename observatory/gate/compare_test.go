package gate

import (
	"slices"
	"testing"
	"time"

	"github.com/observatoire-scanner/observatoire/criteria"
)

func finding(rule, impact, page, sel string) Finding {
	return Finding{Fingerprint: Fingerprint(rule, page, sel), Rule: rule, Impact: impact, Page: page, Selector: sel, Help: "aide"}
}

func state(page, mention string, levels map[criteria.ID]criteria.Level) PageState {
	return PageState{Page: page, Mention: mention, Criteria: levels}
}

func TestCompare(t *testing.T) {
	now := time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)
	alt := finding("image-alt", "critical", "/d", "img")
	btn := finding("button-name", "critical", "/d", "button.fr-btn")
	good := map[criteria.ID]criteria.Level{criteria.IDFranceConnect: criteria.Good, criteria.IDAccessibility: criteria.Partial, criteria.IDMobile: criteria.Good}
	fcBad := map[criteria.ID]criteria.Level{criteria.IDFranceConnect: criteria.Bad, criteria.IDAccessibility: criteria.Partial, criteria.IDMobile: criteria.Good}
	fcLost := map[criteria.ID]criteria.Level{criteria.IDFranceConnect: criteria.NotMeasured, criteria.IDAccessibility: criteria.Partial, criteria.IDMobile: criteria.Good}
	a11yBad := map[criteria.ID]criteria.Level{criteria.IDFranceConnect: criteria.Good, criteria.IDAccessibility: criteria.Bad, criteria.IDMobile: criteria.Partial}
	base := &Baseline{Pages: []PageState{state("/d", criteria.StatusPartial, good)}, Findings: []Finding{alt}}
	noMention := &Baseline{Pages: []PageState{state("/d", "", good)}, Findings: []Finding{alt}}

	tests := []struct {
		name     string
		rules    func(*Rules)
		accepted []Acceptance
		base     *Baseline
		now      PageState
		findings []Finding
		want     []string // failing rules, in order
		new      int
		fixed    int
	}{
		{name: "unchanged", base: base, now: state("/d", criteria.StatusPartial, good), findings: []Finding{alt}},
		{name: "new violation", base: base, now: state("/d", criteria.StatusPartial, good), findings: []Finding{alt, btn}, want: []string{RuleNewViolation}, new: 1},
		{name: "new violation, rule off", rules: func(r *Rules) { r.NewViolations = false }, base: base, now: state("/d", criteria.StatusPartial, good), findings: []Finding{alt, btn}, new: 1},
		{name: "fixed", base: base, now: state("/d", criteria.StatusPartial, good), fixed: 1},
		{name: "no baseline: all new", now: state("/d", criteria.StatusPartial, good), findings: []Finding{alt}, want: []string{RuleNewViolation}, new: 1},
		{name: "worse criterion", base: base, now: state("/d", criteria.StatusPartial, fcBad), findings: []Finding{alt}, want: []string{RuleWorseCriterion}},
		{name: "criterion no longer measured", base: base, now: state("/d", criteria.StatusPartial, fcLost), findings: []Finding{alt}, want: []string{RuleWorseCriterion}},
		{name: "worse, rule off", rules: func(r *Rules) { r.WorseCriteria = false }, base: base, now: state("/d", criteria.StatusPartial, fcBad), findings: []Finding{alt}},
		{name: "mention lost", base: base, now: state("/d", "", good), findings: []Finding{alt}, want: []string{RuleStatement}},
		{name: "mention already absent", base: noMention, now: state("/d", "", good), findings: []Finding{alt}},
		{name: "min accessibility and mobile", rules: func(r *Rules) { r.MinAccessibility = criteria.Partial; r.Mobile = true; r.WorseCriteria = false },
			base: base, now: state("/d", criteria.StatusPartial, a11yBad), findings: []Finding{alt}, want: []string{RuleMinAccessibility, RuleMobile}},
		{name: "cap per impact", rules: func(r *Rules) { r.MaxViolations = map[string]int{"critical": 1} }, base: base,
			now: state("/d", criteria.StatusPartial, good), findings: []Finding{alt, btn}, want: []string{RuleNewViolation, RuleMaxViolations}, new: 1},
		{name: "accepted by rule", accepted: []Acceptance{{Rule: "button-name", Reason: "r", expires: time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)}},
			rules: func(r *Rules) { r.MaxViolations = map[string]int{"critical": 1} },
			base:  base, now: state("/d", criteria.StatusPartial, good), findings: []Finding{alt, btn}, new: 1},
		{name: "accepted on another page", accepted: []Acceptance{{Rule: "button-name", Page: "/autre", Reason: "r", expires: time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)}},
			base: base, now: state("/d", criteria.StatusPartial, good), findings: []Finding{alt, btn}, want: []string{RuleNewViolation}, new: 1},
		{name: "expired acceptance of a known finding", accepted: []Acceptance{{Fingerprint: alt.Fingerprint, Reason: "r", expires: time.Date(2026, 11, 19, 0, 0, 0, 0, time.UTC)}},
			base: base, now: state("/d", criteria.StatusPartial, good), findings: []Finding{alt}, want: []string{RuleExpiredAcceptance}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := DefaultConfig()
			c.Accepted = tt.accepted
			if tt.rules != nil {
				tt.rules(&c.Rules)
			}
			obs := &Observation{Runs: 1, Pages: []PageState{tt.now}, Findings: tt.findings}
			r := Compare(c, tt.base, obs, now)
			var got []string
			for _, f := range r.Failures {
				got = append(got, f.Rule)
			}
			if !slices.Equal(got, tt.want) || r.Pass != (len(tt.want) == 0) {
				t.Errorf("failures %v (pass %v), want %v: %+v", got, r.Pass, tt.want, r.Failures)
			}
			if len(r.New) != tt.new || len(r.Fixed) != tt.fixed {
				t.Errorf("new %d fixed %d, want %d %d", len(r.New), len(r.Fixed), tt.new, tt.fixed)
			}
		})
	}
}
