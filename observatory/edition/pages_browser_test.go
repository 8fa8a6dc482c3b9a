package edition

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/observatoire-scanner/observatoire/criteria"
	"github.com/observatoire-scanner/observatoire/fixtures"
	"github.com/observatoire-scanner/observatoire/fixtures/fixturetest"
	"github.com/observatoire-scanner/observatoire/observatory"
	"github.com/observatoire-scanner/observatoire/scanner"
)

// TestScanLoadsSharedPagesOnce scans two procedures that share their start
// page and their statement page: the fixture server sees those pages (and
// the start URL's probes) as many times as for one procedure alone, and
// the verdicts are those of two separate scans.
func TestScanLoadsSharedPagesOnce(t *testing.T) {
	_, sc := fixturetest.Env(t)
	// A server of its own, so that no other test's requests are counted.
	web, err := fixtures.Start()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { web.Close() })
	a := observatory.Procedure{ID: "a", URL: web.Page("/good.html"),
		StatementURL: web.Page("/statement-full.html"), ContactURL: web.Page("/contact-form.html")}
	b := observatory.Procedure{ID: "b", URL: web.Page("/good.html"),
		StatementURL: web.Page("/statement-full.html"), ContactURL: web.Page("/contact-empty.html")}
	shared := []string{"/good.html", "/statement-full.html"}
	counts := func() []int {
		var n []int
		for _, p := range shared {
			n = append(n, web.Requests(p))
		}
		return n
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	data := t.TempDir()
	browser := observatory.Browser{Scanner: sc, Options: observatory.AssessOptions{Probes: scanner.ProbeOptions{Count: 1}}}
	scan := func(name string, procs ...observatory.Procedure) (map[string]observatory.Result, *ScanSummary, []int) {
		t.Helper()
		before := counts()
		sum, err := Scan(ctx, browser, catalogOf(t, procs), ScanOptions{DataDir: data, Edition: name, Parallel: 2})
		if err != nil {
			t.Fatalf("scan %s: %v", name, err)
		}
		ed, err := Load(data, name)
		if err != nil {
			t.Fatal(err)
		}
		byID := map[string]observatory.Result{}
		for _, r := range ed.Results {
			byID[r.Procedure.ID] = r
		}
		after := counts()
		for i := range after {
			after[i] -= before[i]
		}
		return byID, sum, after
	}

	alone, _, one := scan("separate-a", a)
	aloneB, _, _ := scan("separate-b", b)
	alone["b"] = aloneB["b"]
	for i, n := range one {
		if n < 1 {
			t.Fatalf("one procedure alone: %d requests for %s", n, shared[i])
		}
	}
	both, sum, two := scan("together", a, b)
	if !slices.Equal(one, two) {
		t.Errorf("requests for %v: %v for two procedures sharing them, want %v as for one", shared, two, one)
	}
	if sum.Starts != 1 || sum.Scanned != 2 || sum.Pages.Loads != 4 || sum.Pages.Reused != 2 ||
		sum.Pages.ProbeSets != 1 || sum.Pages.ProbesReused != 1 {
		t.Errorf("summary %+v, want 1 distinct start for 2 procedures, 4 loads, 2 reused, 1 probe set reused once", sum)
	}
	reused := map[string]int{}
	for _, id := range []string{"a", "b"} {
		r := both[id]
		if r.Assessment == nil || r.Outcome != observatory.Measured {
			t.Fatalf("procedure %s: %+v", id, r)
		}
		for _, role := range r.Assessment.Reused {
			reused[role]++
		}
		for _, c := range criteria.IDs {
			sep := alone[id]
			if got, want := r.Verdict(c).Level, sep.Verdict(c).Level; got != want {
				t.Errorf("procedure %s, %s: %q with the shared pages, %q scanned alone", id, c, got, want)
			}
		}
		st := r.Assessment.Pages[observatory.PageStatement]
		if st == nil || st.URL != b.StatementURL || !st.Status.Loaded() {
			t.Errorf("procedure %s: statement page %+v", id, st)
		}
	}
	want := map[string]int{observatory.PageStart: 1, observatory.PageStatement: 1, observatory.ReusedProbes: 1}
	if len(reused) != len(want) || reused[observatory.PageStart] != 1 || reused[observatory.PageStatement] != 1 || reused[observatory.ReusedProbes] != 1 {
		t.Errorf("reuse recorded in the results: %v, want %v (once each, in one procedure or the other)", reused, want)
	}
}
