// Package gate is the CI gate of `observatoire ci`: it scans a team's
// pages (once or several times), compares what it sees with a committed
// baseline, and says whether the change made a procedure less accessible.
//
// A finding is one failing element of an axe-core rule on a page,
// identified by what stays when the page around it grows (its rule, page
// path, tag, stable attributes and landmarks: see Element), never by the
// selector axe-core happens to choose. The baseline's findings are paired
// with a run's as a whole, closest first (see Match), before anything is
// called new or fixed. Criteria are compared by level (criteria.Level.Rank).
// Known problems live in the baseline or in the config's accepted list, so
// that they do not block every build.
package gate

import (
	"context"
	"slices"
	"sync"
	"time"

	"github.com/observatoire-scanner/observatoire/criteria"
	"github.com/observatoire-scanner/observatoire/observatory"
	"github.com/observatoire-scanner/observatoire/scanner"
)

// Finding is one failing element of an axe rule on a page.
type Finding struct {
	Fingerprint string `json:"fingerprint"`
	Rule        string `json:"rule"`
	Impact      string `json:"impact,omitempty"`
	// Page is the page's path (PagePath); Step the step of a journey that
	// reached it ("" for a page scanned on its own).
	Page string `json:"page"`
	Step string `json:"step,omitempty"`
	// Selector is axe's selector, normalised with its ordinal
	// (ordinalSelectors): shown to people, not the finding's identity.
	Selector string `json:"selector"`
	// Element identifies the element; nil in a version-1 baseline, whose
	// findings are known by their selector only.
	Element *Element `json:"element,omitempty"`
	// Twin is the element's rank, in document order, among the elements
	// of its rule and page that share its identity and label (0 for the
	// first).
	Twin int `json:"twin,omitempty"`
	// order is the element's rank in axe's list of the rule's elements on
	// its page (document order), in a run only: it pairs the findings of
	// a version-1 baseline, whose selectors say little, in document order.
	order int

	Help    string   `json:"help,omitempty"`
	HelpURL string   `json:"help_url,omitempty"`
	RGAA    []string `json:"rgaa,omitempty"`

	// What a run saw, left out of the baseline: the full URL, axe's own
	// selector, the element's markup and in how many runs it was seen.
	URL         string `json:"url,omitempty"`
	RawSelector string `json:"raw_selector,omitempty"`
	HTML        string `json:"html,omitempty"`
	Seen        int    `json:"seen,omitempty"`
}

// PageState is what the gate compares for one procedure: its criteria
// levels and the accessibility mention of its start page.
type PageState struct {
	// Page is the start page's path; URL the full URL (not in baseline).
	Page string `json:"page"`
	URL  string `json:"url,omitempty"`
	// Criteria are the levels, keyed by criterion id.
	Criteria map[criteria.ID]criteria.Level `json:"criteria"`
	// Mention is the accessibility status the start page states
	// ("partiellement conforme"), "" when it states none.
	Mention string `json:"accessibility_mention"`
	// Verdicts are the full verdicts of a run that gave the majority
	// levels (labels, evidence, fix); not in the baseline.
	Verdicts criteria.Results `json:"verdicts,omitempty"`
}

// Flip is a finding, a criterion or a mention that differed between runs.
type Flip struct {
	// Kind is "finding", "criterion" or "mention".
	Kind string `json:"kind"`
	Page string `json:"page"`
	// Key is the fingerprint, the criterion id, or "mention".
	Key string `json:"key"`
	// Values lists what each run gave (for a finding: "present" or
	// "absent"), in run order.
	Values []string `json:"values"`
	// Kept is the value the gate retained (the majority).
	Kept string `json:"kept"`
}

// Observation is what the scans saw, reduced to the majority over runs.
type Observation struct {
	Runs     int         `json:"runs"`
	Pages    []PageState `json:"pages"`
	Findings []Finding   `json:"findings"`
	Flips    []Flip      `json:"flips,omitempty"`
	// Broken lists the start pages that could not be scanned ("URL:
	// status — reason"): the gate cannot judge them.
	Broken []string `json:"broken,omitempty"`
	// Axe is the axe-core version that produced the findings.
	Axe string `json:"axe,omitempty"`
}

// ObserveOptions bound the scans.
type ObserveOptions struct {
	// Runs is how many times each target is scanned (at least 1).
	Runs int
	// Now dates the verdicts.
	Now time.Time
	// Probes configures the HTTP probes of each start URL.
	Probes scanner.ProbeOptions
}

// Observe assesses every target Runs times and keeps what the majority of
// runs saw. The error is non-nil only when ctx ends or the browser cannot
// run; a page that does not load is listed in Observation.Broken.
func Observe(ctx context.Context, sc *scanner.Scanner, targets []observatory.Target, o ObserveOptions) (*Observation, error) {
	runs := max(o.Runs, 1)
	now := o.Now
	if now.IsZero() {
		now = time.Now()
	}
	all := make([][]*observatory.Assessment, runs) // [run][target]
	for r := range runs {
		all[r] = make([]*observatory.Assessment, len(targets))
		errs := make([]error, len(targets))
		// Within a run each distinct URL is loaded once; each run loads
		// again (the runs are there to see what flips).
		pages := observatory.NewPages()
		var wg sync.WaitGroup
		for i, t := range targets {
			wg.Go(func() {
				all[r][i], errs[i] = observatory.Assess(ctx, sc, t, observatory.AssessOptions{Probes: o.Probes, Now: now, Pages: pages})
			})
		}
		wg.Wait()
		for _, err := range errs {
			if err != nil {
				return nil, err
			}
		}
	}
	return reduce(targets, all), nil
}

// reduce keeps, over runs, the majority of each finding, level and
// mention, and records what flipped.
func reduce(targets []observatory.Target, all [][]*observatory.Assessment) *Observation {
	runs := len(all)
	obs := &Observation{Runs: runs}
	broken := map[string]bool{}
	type seen struct {
		f    Finding
		runs []bool
	}
	findings := map[string]*seen{}
	for r, as := range all {
		for _, a := range as {
			st := a.Pages[observatory.PageStart]
			if st == nil || !st.Status.Loaded() {
				msg := a.URL
				if st != nil {
					msg += ": " + string(st.Status)
					if st.Reason != "" {
						msg += " — " + st.Reason
					}
				}
				if !broken[msg] {
					broken[msg] = true
					obs.Broken = append(obs.Broken, msg)
				}
			}
			for _, f := range assessmentFindings(a) {
				s := findings[f.Fingerprint]
				if s == nil {
					s = &seen{runs: make([]bool, runs)}
					findings[f.Fingerprint] = s
				}
				s.f = f
				s.runs[r] = true
			}
			if st != nil && st.Axe != nil && st.Axe.Version != "" {
				obs.Axe = st.Axe.Version
			}
		}
	}
	for fp, s := range findings {
		n := 0
		values := make([]string, runs)
		for r, ok := range s.runs {
			values[r] = "absent"
			if ok {
				n++
				values[r] = "present"
			}
		}
		kept := n*2 > runs
		if n < runs {
			k := "absent"
			if kept {
				k = "present"
			}
			obs.Flips = append(obs.Flips, Flip{Kind: "finding", Page: s.f.Page, Key: fp, Values: values, Kept: k})
		}
		if kept {
			s.f.Seen = n
			obs.Findings = append(obs.Findings, s.f)
		}
	}
	sortFindings(obs.Findings)

	for i, t := range targets {
		ps := PageState{Page: PagePath(t.URL), URL: t.URL, Criteria: map[criteria.ID]criteria.Level{}}
		for _, id := range criteria.IDs {
			values := make([]string, runs)
			for r := range runs {
				values[r] = string(all[r][i].Criteria[id].Level)
			}
			kept := majority(values)
			ps.Criteria[id] = criteria.Level(kept)
			if !allSame(values) {
				obs.Flips = append(obs.Flips, Flip{Kind: "criterion", Page: ps.Page, Key: string(id), Values: values, Kept: kept})
			}
		}
		// The verdicts of the last run whose levels are the kept ones
		// (else the last run's), for labels and fixes.
		ps.Verdicts = all[runs-1][i].Criteria
		for r := runs - 1; r >= 0; r-- {
			if sameLevels(all[r][i].Criteria, ps.Criteria) {
				ps.Verdicts = all[r][i].Criteria
				break
			}
		}
		mentions := make([]string, runs)
		for r := range runs {
			mentions[r] = startMention(all[r][i])
		}
		ps.Mention = majority(mentions)
		if !allSame(mentions) {
			obs.Flips = append(obs.Flips, Flip{Kind: "mention", Page: ps.Page, Key: "mention", Values: mentions, Kept: ps.Mention})
		}
		obs.Pages = append(obs.Pages, ps)
	}
	slices.SortFunc(obs.Flips, func(a, b Flip) int {
		if c := compareStrings(a.Page, b.Page); c != 0 {
			return c
		}
		return compareStrings(a.Kind+a.Key, b.Kind+b.Key)
	})
	return obs
}

// assessmentFindings lists the failing elements of every page scanned for
// a procedure (start page and second pages), each page once.
func assessmentFindings(a *observatory.Assessment) []Finding {
	var out []Finding
	done := map[string]bool{}
	for _, role := range []string{observatory.PageStart, observatory.PageLogin, observatory.PageContact, observatory.PageStatement} {
		s := a.Pages[role]
		if s == nil || s.Axe == nil || done[s.URL] {
			continue
		}
		done[s.URL] = true
		out = append(out, SnapshotFindings(s)...)
	}
	return out
}

// SnapshotFindings turns a page's axe violations into findings, one per
// failing element, each with its Element read from axe's markup and
// ancestry. Elements left out by the scanner's cap (Violation.More) are
// not fingerprinted.
func SnapshotFindings(s *scanner.Snapshot) []Finding {
	if s.Axe == nil {
		return nil
	}
	page := PagePath(s.URL)
	var out []Finding
	for _, v := range s.Axe.Violations {
		raw := make([]string, len(v.Nodes))
		for i, n := range v.Nodes {
			raw[i] = n.Selector
		}
		twins := map[string]int{}
		for i, sel := range ordinalSelectors(raw) {
			n := v.Nodes[i]
			f := Finding{
				Rule: v.Rule, Impact: v.Impact, Page: page, Selector: sel,
				Element: ParseElement(n.HTML, n.Ancestry),
				Help:    v.Help, HelpURL: v.HelpURL, RGAA: v.RGAA,
				URL: s.URL, RawSelector: n.Selector, HTML: n.HTML, order: i,
			}
			k := f.Element.identity() + "\x1f" + f.Element.Label
			f.Twin = twins[k]
			twins[k]++
			f.Fingerprint = findingFingerprint(&f, f.Twin)
			out = append(out, f)
		}
	}
	return out
}

// startMention is the accessibility status stated on the start page's
// footer (else anywhere in its text), "" when none.
func startMention(a *observatory.Assessment) string {
	s := a.Pages[observatory.PageStart]
	if s == nil || s.Desktop == nil {
		return ""
	}
	for _, text := range []string{s.Desktop.FooterText, s.Desktop.Text} {
		if m, ok := criteria.FindMention(text); ok {
			return m.Status
		}
	}
	return ""
}

// majority returns the most frequent value; a tie goes to the value seen
// first, so that one odd run does not decide.
func majority(values []string) string {
	count := map[string]int{}
	for _, v := range values {
		count[v]++
	}
	best, bestN := "", 0
	for _, v := range values {
		if count[v] > bestN {
			best, bestN = v, count[v]
		}
	}
	return best
}

func allSame(values []string) bool {
	for _, v := range values {
		if v != values[0] {
			return false
		}
	}
	return true
}

func sameLevels(r criteria.Results, levels map[criteria.ID]criteria.Level) bool {
	for id, l := range levels {
		if r[id].Level != l {
			return false
		}
	}
	return true
}

func sortFindings(fs []Finding) {
	slices.SortFunc(fs, func(a, b Finding) int {
		if c := compareStrings(a.Page, b.Page); c != 0 {
			return c
		}
		if c := compareStrings(a.Rule, b.Rule); c != 0 {
			return c
		}
		if c := compareStrings(a.Selector, b.Selector); c != 0 {
			return c
		}
		return compareStrings(a.Fingerprint, b.Fingerprint)
	})
}

func compareStrings(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
