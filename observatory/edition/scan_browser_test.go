package edition

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/observatoire-scanner/observatoire/criteria"
	"github.com/observatoire-scanner/observatoire/fixtures/fixturetest"
	"github.com/observatoire-scanner/observatoire/observatory"
	"github.com/observatoire-scanner/observatoire/observatory/catalog"
	"github.com/observatoire-scanner/observatoire/scanner"
)

func TestMain(m *testing.M) { fixturetest.Main(m) }

// catalogOf writes procedures as a catalogue and loads it back.
func catalogOf(t *testing.T, procs []observatory.Procedure) *catalog.Catalog {
	t.Helper()
	var buf bytes.Buffer
	if err := catalog.Write(&buf, "test", procs); err != nil {
		t.Fatal(err)
	}
	cat, err := catalog.Parse("test.yaml", buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	return cat
}

func TestScanResume(t *testing.T) {
	web, sc := fixturetest.Env(t)
	cat := catalogOf(t, []observatory.Procedure{
		{ID: "good", URL: web.Page("/good.html"), JDMAID: "10"},
		{ID: "named", Title: "Titre du catalogue", URL: web.Page("/no-viewport.html")},
		{ID: "broken", URL: web.Page("/status/500")},
	})
	im := catalog.Imports{"10": {JDMA: &criteria.JDMA{Satisfaction: 8.2, Count: 500, Source: "test"}}}
	data := t.TempDir()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	var progress []string
	browser := observatory.Browser{Scanner: sc, Options: observatory.AssessOptions{Probes: scanner.ProbeOptions{Count: 1}}}
	opts := ScanOptions{DataDir: data, Edition: "2026-Q4", Imports: im,
		Progress: func(p Progress) {
			progress = append(progress, fmt.Sprintf("%d/%d %s", p.Done, p.Total, p.Result.Procedure.ID))
		}}
	sum, err := Scan(ctx, browser, cat, opts)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Scanned != 3 || sum.Measured != 2 || sum.Failed != 1 || sum.Skipped != 0 || len(progress) != 3 || !strings.HasPrefix(progress[2], "3/3 ") {
		t.Fatalf("summary %+v, progress %v", sum, progress)
	}
	ed, err := Load(data, "2026-Q4")
	if err != nil {
		t.Fatal(err)
	}
	m := ed.Meta
	if m.Name != "2026-Q4" || m.CatalogHash != cat.Hash || m.CatalogSize != 3 || m.MethodVersion != criteria.MethodVersion ||
		!strings.HasPrefix(m.Browser, "Chrome/") || m.Axe != scanner.AxeVersion || m.Scanner != scanner.Version ||
		m.Finished.IsZero() || m.Started.After(m.Finished) || m.Measured != 2 || m.Failed != 1 {
		t.Errorf("meta %+v", m)
	}
	if len(ed.Results) != 3 {
		t.Fatalf("%d results", len(ed.Results))
	}
	// Catalogue order after the clean end.
	byID := map[string]observatory.Result{}
	for i, r := range ed.Results {
		if r.Procedure.ID != cat.Procedures[i].ID {
			t.Errorf("result %d is %s, want catalogue order", i, r.Procedure.ID)
		}
		byID[r.Procedure.ID] = r
	}
	good := byID["good"]
	if good.Outcome != observatory.Measured || good.Title == "" || good.Title == "127.0.0.1" {
		t.Errorf("good: outcome %s, title %q (want the page's <title>)", good.Outcome, good.Title)
	}
	if v := good.Verdict(criteria.IDSatisfaction); v.Level == criteria.NotMeasured {
		t.Errorf("imported JDMA not scored: %+v", v)
	}
	if r := byID["named"]; r.Title != "Titre du catalogue" {
		t.Errorf("named: title %q", r.Title)
	}
	broken := byID["broken"]
	if broken.Outcome != observatory.Failed || !strings.HasPrefix(broken.Reason, "http-error") || broken.Title != "127.0.0.1" {
		t.Errorf("broken: %s %q title %q", broken.Outcome, broken.Reason, broken.Title)
	}
	// Screenshots are files beside the edition, not data in the lines.
	shot := good.Assessment.Pages[observatory.PageStart].Screenshots["desktop"]
	if len(shot.Data) != 0 || shot.File != "screenshots/good-start-desktop.jpg" {
		t.Errorf("screenshot %+v", shot.File)
	}
	if img, err := os.ReadFile(filepath.Join(ed.Dir, shot.File)); err != nil || !bytes.HasPrefix(img, []byte{0xff, 0xd8}) {
		t.Errorf("screenshot file: %v", err)
	}
	if names, err := List(data); err != nil || len(names) != 1 || names[0] != "2026-Q4" {
		t.Errorf("List: %v %v", names, err)
	}

	// Same command again: nothing to scan.
	progress = nil
	sum, err = Scan(ctx, browser, cat, opts)
	if err != nil || sum.Scanned != 0 || sum.Resumed != 3 || len(progress) != 0 {
		t.Fatalf("resume: %+v %v", sum, err)
	}

	// A kill while writing the third line: the truncated line is dropped and
	// that procedure alone is scanned again.
	path := filepath.Join(ed.Dir, resultsFile)
	lines := readLines(t, path)
	cut := strings.Join(lines[:2], "") + lines[2][:len(lines[2])/2]
	if err := os.WriteFile(path, []byte(cut), 0o644); err != nil {
		t.Fatal(err)
	}
	if ed, err := Load(data, "2026-Q4"); err != nil || len(ed.Results) != 2 || ed.Meta.Skipped != 1 {
		t.Fatalf("load with a truncated line: %v, %+v", err, ed)
	}
	sum, err = Scan(ctx, browser, cat, opts)
	if err != nil || sum.Scanned != 1 || sum.Resumed != 2 {
		t.Fatalf("resume after truncation: %+v %v", sum, err)
	}
	if lines := readLines(t, path); len(lines) != 3 {
		t.Errorf("%d lines after resume, want 3", len(lines))
	}

	// --rescan scans all again and still leaves one line each.
	opts.Rescan = true
	sum, err = Scan(ctx, browser, cat, opts)
	if err != nil || sum.Scanned != 3 {
		t.Fatalf("rescan: %+v %v", sum, err)
	}
	if lines := readLines(t, path); len(lines) != 3 {
		t.Errorf("%d lines after rescan, want 3", len(lines))
	}

	// Another catalogue in the same edition is refused without --rescan.
	opts.Rescan = false
	other := catalogOf(t, []observatory.Procedure{{ID: "x", URL: web.Page("/good.html")}})
	if _, err := Scan(ctx, browser, other, opts); err == nil || !strings.Contains(err.Error(), "another catalogue") {
		t.Errorf("changed catalogue: %v", err)
	}
}

func readLines(t *testing.T, path string) []string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return strings.SplitAfter(strings.TrimSuffix(string(data), "\n"), "\n")
}

// TestScanOffline is the default catalogue's case on a machine without
// network: every start page fails at once (DNS errors are final), every
// criterion says not-measured with the reason, and imported figures are
// still scored.
func TestScanOffline(t *testing.T) {
	_, sc := fixturetest.Env(t)
	var procs []observatory.Procedure
	for i := range 8 {
		u := fmt.Sprintf("https://demarche-%d.example.invalid/", i)
		if i%2 == 1 {
			u = fixturetest.ClosedPortURL(t)
		}
		procs = append(procs, observatory.Procedure{ID: fmt.Sprint(100 + i), URL: u, JDMAID: fmt.Sprint(100 + i)})
	}
	cat := catalogOf(t, procs)
	im := catalog.Imports{}
	for _, p := range procs[:4] {
		im[p.JDMAID] = catalog.Figures{
			JDMA:   &criteria.JDMA{Satisfaction: 7.5, Count: 400, Source: "test"},
			Uptime: &criteria.Uptime{Percent: 99.95, ResponseMS: 300, Source: "test"},
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	start := time.Now()
	sum, err := Scan(ctx, observatory.Browser{Scanner: sc}, cat, ScanOptions{DataDir: t.TempDir(), Edition: "offline", Imports: im})
	if err != nil {
		t.Fatal(err)
	}
	if took := time.Since(start); took > 2*time.Minute {
		t.Errorf("offline scan of 8 procedures took %s", took)
	}
	if sum.Failed != 8 || sum.Measured != 0 {
		t.Fatalf("summary %+v", sum)
	}
	ed, err := LoadDir(sum.Dir)
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range ed.Results {
		if r.Outcome != observatory.Failed || r.Reason == "" || r.Title != hostOf(procs[i].URL) {
			t.Errorf("%s: outcome %s, reason %q, title %q", r.Procedure.ID, r.Outcome, r.Reason, r.Title)
		}
		imported := i < 4
		for _, id := range criteria.IDs {
			v := r.Verdict(id)
			scored := imported && (id == criteria.IDSatisfaction || id == criteria.IDAvailability)
			if scored {
				if v.Level == criteria.NotMeasured {
					t.Errorf("%s %s: imported figures not scored: %+v", r.Procedure.ID, id, v)
				}
				continue
			}
			if v.Level != criteria.NotMeasured || len(v.Evidence) == 0 {
				t.Errorf("%s %s: %s with %d evidence, want not-measured with the reason", r.Procedure.ID, id, v.Level, len(v.Evidence))
			}
		}
	}
}

func hostOf(u string) string {
	u = strings.TrimPrefix(strings.TrimPrefix(u, "https://"), "http://")
	h, _, _ := strings.Cut(u, "/")
	if i := strings.LastIndexByte(h, ':'); i >= 0 {
		h = h[:i]
	}
	return h
}
