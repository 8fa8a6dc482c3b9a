package site

import (
	"fmt"
	"io/fs"
	"math/rand/v2"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/observatoire-scanner/observatoire/criteria"
	"github.com/observatoire-scanner/observatoire/fixtures"
	"github.com/observatoire-scanner/observatoire/observatory"
	"github.com/observatoire-scanner/observatoire/observatory/edition"
	"github.com/observatoire-scanner/observatoire/scanner"
)

// syntheticEditions builds editions of the demo's n procedures (their
// titles, ministries, administrations and volumes) with drawn verdicts,
// evidence and axe results of realistic size, no screenshots. Each
// edition after the first moves about one level in six up or down.
func syntheticEditions(n, editions int) []*edition.Edition {
	procs := fixtures.GenerateDemo(2026, n)
	rng := rand.New(rand.NewPCG(14, 14))
	levels := []criteria.Level{criteria.Good, criteria.Partial, criteria.Bad, criteria.NotApplicable, criteria.NotMeasured}
	cur := make([]map[criteria.ID]criteria.Level, n)
	for i := range cur {
		cur[i] = map[criteria.ID]criteria.Level{}
		for _, id := range criteria.IDs {
			cur[i][id] = levels[rng.IntN(3)]
			if rng.IntN(10) == 0 {
				cur[i][id] = levels[3+rng.IntN(2)]
			}
		}
	}
	var out []*edition.Edition
	start := time.Date(2026, 4, 1, 8, 0, 0, 0, time.UTC)
	for q := range editions {
		when := start.AddDate(0, 3*q, 0)
		e := &edition.Edition{Meta: edition.Meta{
			Name: fmt.Sprintf("2026-Q%d", q+2), Started: when, Finished: when.Add(2 * time.Hour),
			MethodVersion: criteria.MethodVersion, Browser: "Chrome/141", Axe: "4.14.1", Measured: n,
		}}
		for i, p := range procs {
			res := criteria.Results{}
			for _, id := range criteria.IDs {
				if q > 0 && rng.IntN(6) == 0 {
					cur[i][id] = levels[rng.IntN(3)]
				}
				l := cur[i][id]
				res[id] = criteria.Verdict{Level: l, Label: l.Word(), Evidence: []criteria.Evidence{
					{Fact: "constat mesuré sur la page de départ, avec le seuil comparé", Page: "http://127.0.0.1/p/" + p.ID + "/", Selector: "main > form > button.fr-btn"},
					{Fact: "second constat", Text: "Faire ma demande en ligne"},
				}, Fix: "Ce qu'il faut changer pour atteindre « Oui »."}
			}
			var viol []scanner.Violation
			for k := range rng.IntN(4) {
				viol = append(viol, scanner.Violation{Rule: fmt.Sprintf("rule-%d", k), Impact: "serious", Help: "Les éléments doivent respecter la règle", RGAA: []string{fmt.Sprintf("RGAA-%d.1.1", k+1)},
					Nodes: []scanner.Node{{Selector: "#contenu > p:nth-child(3)", HTML: `<p class="pale">texte</p>`}}})
			}
			url := "http://127.0.0.1/p/" + p.ID + "/"
			e.Results = append(e.Results, observatory.Result{
				Procedure: observatory.Procedure{ID: p.ID, Title: p.Title, Ministry: p.Ministry, Administration: p.Administration, URL: url, Volume: p.Volume},
				Title:     p.Title, Outcome: observatory.Measured, ScannedAt: when.Add(time.Hour),
				Assessment: &observatory.Assessment{URL: url, Criteria: res, Pages: map[string]*scanner.Snapshot{
					observatory.PageStart: {URL: url, Status: scanner.StatusOK, Axe: &scanner.AxeResult{Version: "4.14.1", Rules: 60, Passes: 55, Violations: viol}},
				}},
			})
		}
		out = append(out, e)
	}
	return out
}

// TestPublishScale publishes the demo's 250 procedures over three editions
// and checks the time and the size of the site: under a minute and under
// 30 MB. It logs both figures.
func TestPublishScale(t *testing.T) {
	eds := syntheticEditions(250, 3)
	out := filepath.Join(t.TempDir(), "public")
	t0 := time.Now()
	if err := PublishOptions(eds, out, Options{Now: publishNow}); err != nil {
		t.Fatal(err)
	}
	took := time.Since(t0)
	var size int64
	files := 0
	kinds := map[string]int64{}
	filepath.WalkDir(out, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		size += info.Size()
		files++
		rel, _ := filepath.Rel(out, p)
		kinds[strings.SplitN(filepath.ToSlash(rel), "/", 2)[0]] += info.Size()
		return nil
	})
	t.Logf("250 procedures × 3 editions: published in %v, %d files, %.1f MB", took.Round(time.Millisecond), files, float64(size)/1e6)
	for k, v := range kinds {
		if v > 1e6 {
			t.Logf("  %s: %.1f MB", k, float64(v)/1e6)
		}
	}
	if took > time.Minute {
		t.Errorf("publishing took %v, want under a minute", took)
	}
	if size > 30e6 {
		t.Errorf("site is %.1f MB, want under 30 MB", float64(size)/1e6)
	}
}
