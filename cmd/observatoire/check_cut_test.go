package main

import (
	"encoding/json"
	"testing"

	"github.com/observatoire-scanner/observatoire/criteria"
	"github.com/observatoire-scanner/observatoire/fixtures/fixturetest"
)

// TestCheckJSONDrippingPage runs `check --format json` on a page that
// sends one byte a second and never ends: the verdicts that would rest on
// what had not arrived are "Page incomplète", and none is "bad".
func TestCheckJSONDrippingPage(t *testing.T) {
	if testing.Short() {
		t.Skip("scans with Chromium")
	}
	web := fixturetest.Web(t)
	code, out, stderr := runCmd("check", "--format", "json", "--timeout", "6s", "--no-axe", "--no-screenshots", web.URL+"/hostile/drip")
	if code != exitOK {
		t.Fatalf("exit %d, stderr %s", code, stderr)
	}
	var doc struct {
		Results []struct {
			Status   string                      `json:"status"`
			Criteria map[string]criteria.Verdict `json:"criteria"`
		} `json:"results"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil || len(doc.Results) != 1 {
		t.Fatalf("JSON: %v\n%s", err, out)
	}
	r := doc.Results[0]
	if r.Status != "partial" {
		t.Fatalf("status %q, want partial", r.Status)
	}
	for id, v := range r.Criteria {
		if v.Level == criteria.Bad {
			t.Errorf("%s: bad %q on a page still arriving: %+v", id, v.Label, v.Evidence)
		}
	}
	for _, id := range []criteria.ID{criteria.IDSatisfaction, criteria.IDSupport, criteria.IDFranceConnect, criteria.IDAccessibility} {
		if v := r.Criteria[string(id)]; v.Label != criteria.LabelIncomplete {
			t.Errorf("%s: %s %q, want %q", id, v.Level, v.Label, criteria.LabelIncomplete)
		}
	}
}
