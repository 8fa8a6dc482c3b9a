package edition

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
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

// TestShardsMergeEqualWholeScan scans a catalogue of fixture procedures
// whole, then in three shards merged into one edition, and compares the
// two editions procedure by procedure: outcome, title and every verdict's
// level and label (timings and dates differ by nature). Then it breaks
// copies of the shards in each way Merge must refuse.
func TestShardsMergeEqualWholeScan(t *testing.T) {
	web, sc := fixturetest.Env(t)
	// The ids are chosen so that each of the three shards holds some:
	// 1: mobile, fc, statement; 2: good, viewport, broken, online; 3: contact.
	cat := catalogOf(t, []observatory.Procedure{
		{ID: "good", URL: web.Page("/good.html")},
		{ID: "viewport", URL: web.Page("/no-viewport.html")},
		{ID: "broken", URL: web.Page("/status/500")},
		{ID: "mobile", URL: web.Page("/mobile-ok.html")},
		{ID: "fc", URL: web.Page("/fc-button.html")},
		{ID: "contact", URL: web.Page("/contact-form.html")},
		{ID: "statement", URL: web.Page("/statement-full.html")},
		{ID: "online", URL: web.Page("/online-form.html")},
	})
	for k := 1; k <= 3; k++ {
		if n := len(Shard{K: k, N: 3}.Of(cat).Procedures); n == 0 {
			t.Fatalf("shard %d/3 is empty: pick other ids", k)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	assess := observatory.AssessOptions{Probes: scanner.ProbeOptions{Count: 1}}

	wholeData := t.TempDir()
	if _, err := Scan(ctx, observatory.Browser{Scanner: sc, Options: assess}, cat, ScanOptions{DataDir: wholeData, Edition: "E"}); err != nil {
		t.Fatal(err)
	}
	shardData := t.TempDir()
	for k := 1; k <= 3; k++ {
		sum, err := Scan(ctx, observatory.Browser{Scanner: sc, Options: assess}, cat, ScanOptions{DataDir: shardData, Edition: "E", Shard: Shard{K: k, N: 3}})
		if err != nil {
			t.Fatalf("shard %d/3: %v", k, err)
		}
		if want := filepath.Join(shardData, "editions", "E.shard-"+string(rune('0'+k))+"-of-3"); sum.Dir != want {
			t.Errorf("shard %d/3 went to %s, want %s", k, sum.Dir, want)
		}
	}
	part, err := LoadDir(filepath.Join(shardData, "editions", "E.shard-2-of-3"))
	if err != nil {
		t.Fatal(err)
	}
	if m := part.Meta; m.Shard != "2/3" || m.CatalogHash != cat.Hash || m.MethodVersion != criteria.MethodVersion || m.CatalogSize != 4 || len(part.Results) != 4 {
		t.Errorf("partial edition meta %+v, %d results", m, len(part.Results))
	}
	// A copy of the shards, pristine, for the refusals below.
	pristine := t.TempDir()
	copyTree(t, shardData, pristine)

	sum, err := Merge(MergeOptions{DataDir: shardData, Edition: "E", Catalog: cat})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Shards != 3 || sum.Total != 8 {
		t.Errorf("merge summary %+v", sum)
	}
	whole, err := Load(wholeData, "E")
	if err != nil {
		t.Fatal(err)
	}
	merged, err := Load(shardData, "E")
	if err != nil {
		t.Fatal(err)
	}
	compareEditions(t, whole, merged)

	// Screenshots resolve in the merged folder.
	for _, r := range merged.Results {
		if r.Outcome != observatory.Measured {
			continue
		}
		shot := r.Assessment.Pages[observatory.PageStart].Screenshots["desktop"]
		if _, err := os.Stat(filepath.Join(merged.Dir, shot.File)); shot.File == "" || err != nil {
			t.Errorf("%s: screenshot %q: %v", r.Procedure.ID, shot.File, err)
		}
	}
	// A second merge does not overwrite the edition unless asked.
	if _, err := Merge(MergeOptions{DataDir: shardData, Edition: "E", Catalog: cat}); err == nil || !strings.Contains(err.Error(), "exists already") {
		t.Errorf("merge over an edition: %v", err)
	}
	if _, err := Merge(MergeOptions{DataDir: shardData, Edition: "E", Catalog: cat, Replace: true}); err != nil {
		t.Errorf("merge --replace: %v", err)
	}

	other := catalogOf(t, append(append([]observatory.Procedure{}, cat.Procedures...), observatory.Procedure{ID: "extra", URL: web.Page("/good.html")}))
	refusals := []struct {
		name  string
		catal *catalog.Catalog
		spoil func(t *testing.T, eds string)
		want  string
	}{
		{"missing shard", cat, func(t *testing.T, eds string) {
			os.RemoveAll(filepath.Join(eds, "E.shard-3-of-3"))
		}, "shard 3/3 missing"},
		{"overlap", cat, func(t *testing.T, eds string) {
			// contact's line appended to shard 1 as well.
			line := readLines(t, filepath.Join(eds, "E.shard-3-of-3", resultsFile))[0]
			appendTo(t, filepath.Join(eds, "E.shard-1-of-3", resultsFile), line)
		}, "procedure contact is in shard 1/3 and in shard 3/3"},
		{"procedure in the wrong shard", cat, func(t *testing.T, eds string) {
			// contact's line moved from shard 3 to shard 1.
			line := readLines(t, filepath.Join(eds, "E.shard-3-of-3", resultsFile))[0]
			appendTo(t, filepath.Join(eds, "E.shard-1-of-3", resultsFile), line)
			if err := os.WriteFile(filepath.Join(eds, "E.shard-3-of-3", resultsFile), nil, 0o644); err != nil {
				t.Fatal(err)
			}
			editMeta(t, filepath.Join(eds, "E.shard-3-of-3"), func(m *Meta) { m.CatalogSize = 0 })
		}, "procedure contact is in shard 1/3 but belongs to shard 3/3"},
		{"method version", cat, func(t *testing.T, eds string) {
			editMeta(t, filepath.Join(eds, "E.shard-2-of-3"), func(m *Meta) { m.MethodVersion = "1999-01" })
		}, "method version 1999-01"},
		{"other catalogue in a shard", cat, func(t *testing.T, eds string) {
			editMeta(t, filepath.Join(eds, "E.shard-3-of-3"), func(m *Meta) { m.CatalogHash = strings.Repeat("0", 64) })
		}, "shard 3/3 scanned another catalogue"},
		{"other catalogue given to merge", other, func(*testing.T, string) {}, "another catalogue: the shards scanned catalogue"},
		{"different N", cat, func(t *testing.T, eds string) {
			dir := filepath.Join(eds, "E.shard-1-of-4")
			copyTree(t, filepath.Join(eds, "E.shard-1-of-3"), dir)
			editMeta(t, dir, func(m *Meta) { m.Shard = "1/4" })
		}, "shards of different splits"},
		{"unfinished shard", cat, func(t *testing.T, eds string) {
			path := filepath.Join(eds, "E.shard-2-of-3", resultsFile)
			lines := readLines(t, path)
			if err := os.WriteFile(path, []byte(strings.Join(lines[:3], "")), 0o644); err != nil {
				t.Fatal(err)
			}
			editMeta(t, filepath.Join(eds, "E.shard-2-of-3"), func(m *Meta) { m.Finished = time.Time{} })
		}, "shard 2/3 is unfinished (3 of 4"},
		{"no shards", cat, func(t *testing.T, eds string) {
			for k := 1; k <= 3; k++ {
				os.RemoveAll(filepath.Join(eds, fmt.Sprintf("E.shard-%d-of-3", k)))
			}
		}, "no partial editions of E"},
	}
	for _, tt := range refusals {
		t.Run(tt.name, func(t *testing.T) {
			data := t.TempDir()
			copyTree(t, pristine, data)
			tt.spoil(t, filepath.Join(data, "editions"))
			_, err := Merge(MergeOptions{DataDir: data, Edition: "E", Catalog: tt.catal})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("got %v, want an error containing %q", err, tt.want)
			}
			if _, err := os.Stat(filepath.Join(data, "editions", "E")); err == nil {
				t.Error("a refused merge left an edition folder")
			}
		})
	}
}

// compareEditions checks that two editions hold the same procedures in
// the same order with the same outcomes, titles and verdicts (all but
// availability, which times the network).
func compareEditions(t *testing.T, want, got *Edition) {
	t.Helper()
	if got.Meta.CatalogHash != want.Meta.CatalogHash || got.Meta.CatalogSize != want.Meta.CatalogSize ||
		got.Meta.MethodVersion != want.Meta.MethodVersion || got.Meta.Measured != want.Meta.Measured ||
		got.Meta.Failed != want.Meta.Failed || got.Meta.Skipped != 0 || got.Meta.Shard != "" || got.Meta.Finished.IsZero() {
		t.Errorf("meta:\n got %+v\nwant %+v", got.Meta, want.Meta)
	}
	if len(got.Results) != len(want.Results) {
		t.Fatalf("%d results, want %d", len(got.Results), len(want.Results))
	}
	for i, w := range want.Results {
		g := got.Results[i]
		id := w.Procedure.ID
		if g.Procedure.ID != id {
			t.Errorf("result %d is %s, want %s", i, g.Procedure.ID, id)
			continue
		}
		if g.Outcome != w.Outcome || g.Title != w.Title || g.Reason != w.Reason {
			t.Errorf("%s: %s %q %q, want %s %q %q", id, g.Outcome, g.Title, g.Reason, w.Outcome, w.Title, w.Reason)
		}
		for _, c := range criteria.IDs {
			if c == criteria.IDAvailability {
				// observatory.Measured response times of two live scans differ (the
				// machine is shared): the level may honestly move across
				// 400 ms between them. Sharding cannot change it.
				continue
			}
			gv, wv := g.Verdict(c), w.Verdict(c)
			if gv.Level != wv.Level || gv.Label != wv.Label {
				t.Errorf("%s %s: %s %q, want %s %q", id, c, gv.Level, gv.Label, wv.Level, wv.Label)
			}
		}
	}
}

func copyTree(t *testing.T, src, dst string) {
	t.Helper()
	if err := os.MkdirAll(dst, 0o755); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("cp", "-a", src+"/.", dst).CombinedOutput(); err != nil {
		t.Fatalf("cp: %v: %s", err, out)
	}
}

func appendTo(t *testing.T, path, line string) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.WriteString(strings.TrimSuffix(line, "\n") + "\n"); err != nil {
		t.Fatal(err)
	}
}

func editMeta(t *testing.T, dir string, edit func(*Meta)) {
	t.Helper()
	path := filepath.Join(dir, metaFile)
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var m Meta
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatal(err)
	}
	edit(&m)
	data, _ = json.Marshal(m)
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
}
