package gate

import (
	"fmt"
	"slices"
	"time"

	"github.com/observatoire-scanner/observatoire/criteria"
)

// The gate's rules, as named in failures, JUnit and SARIF.
const (
	RuleNewViolation      = "new-violation"
	RuleWorseCriterion    = "worse-criterion"
	RuleMinAccessibility  = "min-accessibility"
	RuleStatement         = "statement"
	RuleMobile            = "mobile"
	RuleMaxViolations     = "max-violations"
	RuleExpiredAcceptance = "expired-acceptance"
)

// Failure is one reason the gate fails.
type Failure struct {
	// Rule is one of the Rule constants.
	Rule string `json:"rule"`
	// Page is the page path concerned ("" for the whole run).
	Page    string `json:"page,omitempty"`
	Message string `json:"message"`
	// Criterion and Fingerprint point at what failed, when there is one.
	Criterion   criteria.ID `json:"criterion,omitempty"`
	Fingerprint string      `json:"fingerprint,omitempty"`
}

// Change is a criterion whose level moved since the baseline.
type Change struct {
	Page      string         `json:"page"`
	Criterion criteria.ID    `json:"criterion"`
	From      criteria.Level `json:"from"`
	To        criteria.Level `json:"to"`
	// Label and Fix are the current verdict's label and fix text.
	Label string `json:"label,omitempty"`
	Fix   string `json:"fix,omitempty"`
}

// Judged is a finding with its place relative to the baseline and the
// accepted list.
type Judged struct {
	Finding
	// Accepted is the reason of the acceptance that covers it, "" if none;
	// Expired says that acceptance has expired.
	Accepted string `json:"accepted,omitempty"`
	Expires  string `json:"expires,omitempty"`
	Expired  bool   `json:"expired,omitempty"`
}

// Report is the gate's verdict on an observation.
type Report struct {
	// Pass is true when there is no failure.
	Pass bool `json:"pass"`
	Runs int  `json:"runs"`
	// Baseline is the file compared with, "" when there was none.
	Baseline string `json:"baseline,omitempty"`
	// New, Fixed and Present are the findings absent from, only in, and
	// in both the baseline and this run.
	New      []Judged    `json:"new"`
	Fixed    []Judged    `json:"fixed"`
	Present  []Judged    `json:"present"`
	Worse    []Change    `json:"worse"`
	Better   []Change    `json:"better"`
	Failures []Failure   `json:"failures"`
	Notes    []string    `json:"notes,omitempty"`
	Flips    []Flip      `json:"flips,omitempty"`
	Pages    []PageState `json:"pages"`
	Rules    Rules       `json:"rules"`
}

// Compare judges an observation against the baseline (nil: none) under
// the config's rules, on now's date (for expiries).
func Compare(c *Config, base *Baseline, obs *Observation, now time.Time) *Report {
	r := &Report{Runs: obs.Runs, Flips: obs.Flips, Pages: obs.Pages, Rules: c.Rules,
		New: []Judged{}, Fixed: []Judged{}, Present: []Judged{}, Worse: []Change{}, Better: []Change{}, Failures: []Failure{}}
	if base != nil {
		r.Baseline = c.Baseline
	} else {
		r.Notes = append(r.Notes, "pas de référence (baseline) : toute violation est nouvelle ; lancer observatoire ci --update-baseline pour en créer une")
	}
	if base != nil && obs.Axe != "" && base.Axe != "" && base.Axe != obs.Axe {
		r.Notes = append(r.Notes, fmt.Sprintf("axe-core %s ici, %s dans la référence : de nouvelles règles peuvent donner de nouvelles violations", obs.Axe, base.Axe))
	}

	var known []Finding
	if base != nil {
		known = base.Findings
	}
	pair := Match(known, obs.Findings)
	findings := Adopt(known, obs.Findings, pair)
	paired := make([]bool, len(known))
	renamed := map[string]string{}
	used := make([]bool, len(c.Accepted))
	counts := map[string]int{}
	for i, f := range findings {
		if f.Fingerprint != obs.Findings[i].Fingerprint {
			renamed[obs.Findings[i].Fingerprint] = f.Fingerprint
		}
		j := Judged{Finding: f}
		for k, a := range c.Accepted {
			if a.Matches(f) {
				used[k] = true
				j.Accepted, j.Expires, j.Expired = a.Reason, a.Expires, a.ExpiredAt(now)
				break
			}
		}
		wasKnown := pair[i] >= 0
		if wasKnown {
			paired[pair[i]] = true
			r.Present = append(r.Present, j)
		} else {
			r.New = append(r.New, j)
		}
		switch {
		case j.Expired:
			r.Failures = append(r.Failures, Failure{Rule: RuleExpiredAcceptance, Page: f.Page, Fingerprint: f.Fingerprint,
				Message: fmt.Sprintf("acceptation expirée le %s (%s) : %s %s", j.Expires, j.Accepted, f.Rule, f.Selector)})
		case j.Accepted != "":
			continue // not counted against the caps
		case !wasKnown && c.Rules.NewViolations:
			r.Failures = append(r.Failures, Failure{Rule: RuleNewViolation, Page: f.Page, Fingerprint: f.Fingerprint,
				Message: fmt.Sprintf("nouvelle violation %s sur %s : %s", f.Rule, f.Selector, f.Help)})
		}
		counts[f.Impact]++
	}
	if len(renamed) > 0 {
		r.Flips = slices.Clone(r.Flips)
		for i, fl := range r.Flips {
			if to, ok := renamed[fl.Key]; ok && fl.Kind == "finding" {
				r.Flips[i].Key = to
			}
		}
	}
	for i, a := range c.Accepted {
		if !used[i] && a.ExpiredAt(now) {
			r.Notes = append(r.Notes, fmt.Sprintf("%s:%d: acceptation expirée le %s ne couvre plus rien : la retirer", c.File, a.Line, a.Expires))
		}
	}
	for i, f := range known {
		if !paired[i] {
			r.Fixed = append(r.Fixed, Judged{Finding: f})
		}
	}
	for _, imp := range impacts {
		if limit, ok := c.Rules.MaxViolations[imp]; ok && counts[imp] > limit {
			r.Failures = append(r.Failures, Failure{Rule: RuleMaxViolations,
				Message: fmt.Sprintf("%d élément(s) en échec d'impact %s, maximum %d", counts[imp], imp, limit)})
		}
	}

	for _, p := range obs.Pages {
		r.judgePage(c, base, p)
	}
	r.Pass = len(r.Failures) == 0
	return r
}

// judgePage applies the criteria rules to one procedure.
func (r *Report) judgePage(c *Config, base *Baseline, p PageState) {
	var bp PageState
	hasBase := false
	if base != nil {
		bp, hasBase = base.Page(p.Page)
		if !hasBase {
			r.Notes = append(r.Notes, p.Page+" : page absente de la référence, ses critères ne sont pas comparés")
		}
	}
	if hasBase {
		for _, id := range criteria.IDs {
			from, to := bp.Criteria[id], p.Criteria[id]
			// A criterion that was measured and no longer is counts as
			// worse: a second page (sign-in, statement) that stopped
			// loading is a regression, not a pass.
			lost := from.Rank() >= 0 && to == criteria.NotMeasured
			if !lost && (from.Rank() < 0 || to.Rank() < 0 || from == to) {
				continue
			}
			ch := Change{Page: p.Page, Criterion: id, From: from, To: to, Label: p.Verdicts[id].Label, Fix: p.Verdicts[id].Fix}
			if !lost && to.Rank() > from.Rank() {
				r.Better = append(r.Better, ch)
				continue
			}
			r.Worse = append(r.Worse, ch)
			if c.Rules.WorseCriteria {
				r.Failures = append(r.Failures, Failure{Rule: RuleWorseCriterion, Page: p.Page, Criterion: id,
					Message: fmt.Sprintf("critère %s (%s) : %s → %s%s", id, id.Title(), from, to, labelText(p.Verdicts[id]))})
			}
		}
	}
	if floor := c.Rules.MinAccessibility; floor != "" {
		l := p.Criteria[criteria.IDAccessibility]
		switch {
		case l == criteria.NotApplicable:
		case l.Rank() < 0:
			r.Failures = append(r.Failures, Failure{Rule: RuleMinAccessibility, Page: p.Page, Criterion: criteria.IDAccessibility,
				Message: fmt.Sprintf("accessibilité non mesurée, au moins %s exigé", floor)})
		case l.Rank() < floor.Rank():
			r.Failures = append(r.Failures, Failure{Rule: RuleMinAccessibility, Page: p.Page, Criterion: criteria.IDAccessibility,
				Message: fmt.Sprintf("accessibilité %s, au moins %s exigé%s", l, floor, labelText(p.Verdicts[criteria.IDAccessibility]))})
		}
	}
	if c.Rules.Statement && p.Mention == "" {
		if !hasBase || bp.Mention != "" {
			msg := "la page n'affiche plus la mention « Accessibilité : … conforme » (déclaration d'accessibilité)"
			if hasBase {
				msg += fmt.Sprintf(" ; la référence montrait « %s »", bp.Mention)
			}
			r.Failures = append(r.Failures, Failure{Rule: RuleStatement, Page: p.Page, Criterion: criteria.IDAccessibility, Message: msg})
		} else {
			r.Notes = append(r.Notes, p.Page+" : pas de mention d'accessibilité, déjà absente de la référence")
		}
	}
	if c.Rules.Mobile {
		if l := p.Criteria[criteria.IDMobile]; l != criteria.Good && l != criteria.NotApplicable {
			r.Failures = append(r.Failures, Failure{Rule: RuleMobile, Page: p.Page, Criterion: criteria.IDMobile,
				Message: fmt.Sprintf("compatibilité mobile %s, bon exigé%s", l, labelText(p.Verdicts[criteria.IDMobile]))})
		}
	}
	slices.SortStableFunc(r.Worse, func(a, b Change) int { return compareStrings(a.Page, b.Page) })
}

func labelText(v criteria.Verdict) string {
	if v.Label == "" {
		return ""
	}
	return " (« " + v.Label + " »)"
}
