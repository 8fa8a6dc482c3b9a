package main

import (
	"github.com/observatoire-scanner/observatoire/criteria"
	"github.com/observatoire-scanner/observatoire/observatory"
	"github.com/observatoire-scanner/observatoire/scanner"
)

// checkDoc is the document `check --format json` prints; docs/method.md
// describes it, and its shape is kept stable.
type checkDoc struct {
	Method       string        `json:"method"`
	ToolVersions toolVersions  `json:"tool_versions"`
	Results      []checkResult `json:"results"`
}

type toolVersions struct {
	Browser string `json:"browser"`
	Axe     string `json:"axe"`
	Scanner string `json:"scanner"`
}

// checkResult is one procedure's outcome.
type checkResult struct {
	URL           string                       `json:"url"`
	Status        scanner.Status               `json:"status"`
	FollowUps     criteria.FollowUps           `json:"follow_ups"`
	Criteria      map[criteria.ID]checkVerdict `json:"criteria"`
	Accessibility criteria.A11yReport          `json:"accessibility"`
	Pages         map[string]*scanner.Snapshot `json:"pages"`
}

// checkVerdict is a verdict with every key present (value null when there
// is no number, evidence [] when empty).
type checkVerdict struct {
	Level    criteria.Level      `json:"level"`
	Label    string              `json:"label"`
	Value    *float64            `json:"value"`
	Evidence []criteria.Evidence `json:"evidence"`
	Fix      string              `json:"fix,omitempty"`
}

// checkDocument builds the JSON document of assessments.
func checkDocument(res []assessment) checkDoc {
	doc := checkDoc{Method: criteria.MethodVersion, ToolVersions: toolVersions{Axe: scanner.AxeVersion, Scanner: scanner.Version}, Results: []checkResult{}}
	for _, a := range res {
		start := a.Pages[observatory.PageStart]
		if doc.ToolVersions.Browser == "" {
			doc.ToolVersions.Browser = start.Versions.Browser
		}
		r := checkResult{URL: a.URL, Status: start.Status, FollowUps: a.FollowUps, Criteria: map[criteria.ID]checkVerdict{},
			Accessibility: criteria.AccessibilityReport(a.input()), Pages: a.Pages}
		for _, id := range criteria.IDs {
			v := a.Criteria[id]
			ev := v.Evidence
			if ev == nil {
				ev = []criteria.Evidence{}
			}
			r.Criteria[id] = checkVerdict{Level: v.Level, Label: v.Label, Value: v.Value, Evidence: ev, Fix: v.Fix}
		}
		doc.Results = append(doc.Results, r)
	}
	return doc
}
