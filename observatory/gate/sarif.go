package gate

import (
	"encoding/json"
	"io"

	"github.com/owenrumney/go-sarif/v3/pkg/report/v210/sarif"
)

// sarifFingerprintKey names the gate's fingerprint among a result's
// partial fingerprints, so that code scanning follows a finding across
// runs.
const sarifFingerprintKey = "observatoireFingerprint/v1"

// WriteSARIF writes a SARIF 2.1.0 log for code-scanning annotations: one
// result per new violation (and per finding whose acceptance expired),
// with the axe rule as ruleId, a level from axe's impact, the page URL as
// artifact location, the selector as a logical location and the element's
// markup as the region's snippet.
func WriteSARIF(w io.Writer, r *Report, version string) error {
	rep := sarif.NewReport()
	run := sarif.NewRunWithInformationURI("observatoire", "https://github.com/observatoire-scanner/observatoire")
	run.Tool.Driver.WithSemanticVersion(version)
	var todo []Judged
	for _, j := range r.New {
		if j.Accepted == "" || j.Expired {
			todo = append(todo, j)
		}
	}
	for _, j := range r.Present {
		if j.Expired {
			todo = append(todo, j)
		}
	}
	for _, j := range todo {
		rule := run.AddRule(j.Rule).WithDescription(j.Help)
		if j.HelpURL != "" {
			rule.WithHelpURI(j.HelpURL)
		}
		uri := j.URL
		if uri == "" {
			uri = j.Page
		}
		msg := j.Help + " (" + selectorText(j.Finding) + ")"
		if j.Expired {
			msg += " — acceptation expirée le " + j.Expires
		}
		region := sarif.NewRegion().WithStartLine(1)
		if j.HTML != "" {
			region.WithSnippet(sarif.NewArtifactContent().WithText(j.HTML))
		}
		res := run.CreateResultForRule(j.Rule).
			WithLevel(sarifLevel(j.Impact)).
			WithMessage(sarif.NewTextMessage(msg)).
			WithPartialFingerprints(map[string]string{sarifFingerprintKey: j.Fingerprint}).
			AddLocation(sarif.NewLocation().
				WithPhysicalLocation(sarif.NewPhysicalLocation().
					WithArtifactLocation(sarif.NewSimpleArtifactLocation(uri)).
					WithRegion(region)).
				AddLogicalLocation(sarif.NewLogicalLocation().
					WithFullyQualifiedName(selectorText(j.Finding)).
					WithKind("element")))
		if len(j.RGAA) > 0 {
			res.WithProperties(sarif.NewPropertyBag().Add("rgaa", j.RGAA).Add("impact", j.Impact))
		}
	}
	rep.AddRun(run)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(rep)
}

// sarifLevel maps axe's impact to a SARIF level.
func sarifLevel(impact string) string {
	switch impact {
	case "critical", "serious":
		return "error"
	case "moderate":
		return "warning"
	}
	return "note"
}
