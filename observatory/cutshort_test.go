package observatory_test

import (
	"context"
	"testing"
	"time"

	"github.com/observatoire-scanner/observatoire/criteria"
	"github.com/observatoire-scanner/observatoire/fixtures/fixturetest"
	"github.com/observatoire-scanner/observatoire/observatory"
	"github.com/observatoire-scanner/observatoire/scanner"
)

// TestCutShortPagesInChromium assesses hostile pages that never finish
// arriving, in Chromium: no verdict may be "bad" for what the page had
// not shown yet, and the verdicts that rest on an absence say "Page
// incomplète".
func TestCutShortPagesInChromium(t *testing.T) {
	web, sc := fixturetest.Env(t)
	four := []criteria.ID{criteria.IDSatisfaction, criteria.IDSupport, criteria.IDFranceConnect, criteria.IDAccessibility}
	pages := []struct {
		name, path string
		// incomplete are the criteria that rest on an absence here; found
		// the ones whose verdict rests on what the page showed.
		incomplete []criteria.ID
		found      map[criteria.ID]string
	}{
		// The drip page's phone layout is not read at all ("Non mesuré").
		{"body dripping", "/hostile/drip", four, nil},
		{"size cap", "/hostile/huge?mb=25", append(four, criteria.IDMobile), nil},
		// The busy page shows a mention and a statement link that leads
		// to a 404: a broken link that was found, so "Non" stands.
		{"script stopped", "/hostile-busy.html", []criteria.ID{criteria.IDSatisfaction, criteria.IDFranceConnect},
			map[criteria.ID]string{criteria.IDAccessibility: "Non"}},
	}
	for _, p := range pages {
		t.Run(p.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
			defer cancel()
			a, err := observatory.Assess(ctx, sc, observatory.Target{URL: web.URL + p.path}, observatory.AssessOptions{Probes: scanner.ProbeOptions{Count: -1}})
			if err != nil {
				t.Fatal(err)
			}
			if st := a.Pages[observatory.PageStart].Status; st != scanner.StatusPartial {
				t.Fatalf("start page %s (%s), want partial", st, a.Pages[observatory.PageStart].Reason)
			}
			for _, id := range []criteria.ID{criteria.IDOnline, criteria.IDSatisfaction, criteria.IDMobile, criteria.IDSupport, criteria.IDFranceConnect, criteria.IDAccessibility} {
				v := a.Criteria[id]
				if _, ok := p.found[id]; !ok && v.Level == criteria.Bad {
					t.Errorf("%s: bad %q on a page cut short: %+v", id, v.Label, v.Evidence)
				}
			}
			for _, id := range p.incomplete {
				if v := a.Criteria[id]; v.Label != criteria.LabelIncomplete {
					t.Errorf("%s: %s %q, want %q", id, v.Level, v.Label, criteria.LabelIncomplete)
				}
			}
			for id, label := range p.found {
				if v := a.Criteria[id]; v.Label != label {
					t.Errorf("%s: %s %q, want %q (found on the page)", id, v.Level, v.Label, label)
				}
			}
		})
	}
}
