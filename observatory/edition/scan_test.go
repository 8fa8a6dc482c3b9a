package edition

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/observatoire-scanner/observatoire/criteria"
	"github.com/observatoire-scanner/observatoire/observatory"
	"github.com/observatoire-scanner/observatoire/observatory/catalog"
	"github.com/observatoire-scanner/observatoire/scanner"
)

// memoryAssessor is an Assessor without a browser: each procedure's start
// page "loads" unless its URL contains "fail", has one JPEG screenshot,
// and gets one verdict whose label is the assessor's label. It records the
// URLs assessed, and cancels the scan when it reaches stopAt.
type memoryAssessor struct {
	label  string
	stopAt string     // URL at which cancel is called, the procedure left unassessed
	cancel func()     // cancels the scan's context
	mu     sync.Mutex // guards urls
	urls   []string   // assessed, in order
}

func (m *memoryAssessor) Assess(ctx context.Context, t observatory.Target) (*observatory.Assessment, error) {
	if t.URL == m.stopAt && m.cancel != nil {
		m.cancel()
		return nil, context.Canceled
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	m.mu.Lock()
	m.urls = append(m.urls, t.URL)
	m.mu.Unlock()
	start := &scanner.Snapshot{URL: t.URL, Status: scanner.StatusOK, Screenshots: map[string]scanner.Screenshot{
		"desktop": {Format: "jpeg", Width: 2, Height: 1, Data: []byte("jpeg of " + t.URL)},
	}}
	level := criteria.Good
	if strings.Contains(t.URL, "fail") {
		start = &scanner.Snapshot{URL: t.URL, Status: scanner.StatusHTTPError, Reason: "HTTP 500"}
		level = criteria.NotMeasured
	}
	return &observatory.Assessment{
		URL:      t.URL,
		Pages:    map[string]*scanner.Snapshot{observatory.PageStart: start},
		Criteria: criteria.Results{criteria.IDMobile: {Level: level, Label: m.label}},
	}, nil
}

func (m *memoryAssessor) Version(context.Context) (string, error) { return "Memory/1", nil }

// assessed returns the URLs assessed so far, sorted.
func (m *memoryAssessor) assessed() []string {
	m.mu.Lock()
	defer m.mu.Unlock()
	return slices.Sorted(slices.Values(m.urls))
}

// testCatalog is a catalogue of the procedures ids, each with URL
// https://ID.example.invalid/. name makes the hash differ between
// catalogues of the same procedures.
func testCatalog(name string, ids ...string) *catalog.Catalog {
	cat := &catalog.Catalog{Name: name, Hash: "hash-of-" + name + "-" + strings.Join(ids, ",")}
	for _, id := range ids {
		cat.Procedures = append(cat.Procedures, observatory.Procedure{ID: id, URL: urlOf(id)})
	}
	return cat
}

func urlOf(id string) string { return "https://" + id + ".example.invalid/" }

// resultIDs returns the procedure ids of results, in order.
func resultIDs(rs []observatory.Result) []string {
	var ids []string
	for _, r := range rs {
		ids = append(ids, r.Procedure.ID)
	}
	return ids
}

// scanWith runs Scan of cat into edition "E" of data with a, two
// procedures at once.
func scanWith(t *testing.T, ctx context.Context, a Assessor, data string, cat *catalog.Catalog, rescan bool) (*ScanSummary, error) {
	t.Helper()
	return Scan(ctx, a, cat, ScanOptions{DataDir: data, Edition: "E", Parallel: 2, Rescan: rescan})
}

// loadE loads edition "E" of data.
func loadE(t *testing.T, data string) *Edition {
	t.Helper()
	ed, err := Load(data, "E")
	if err != nil {
		t.Fatal(err)
	}
	return ed
}

// A scan stopped after two procedures, killed while writing the third's
// line, resumes with the procedures left, and the cut line does not spoil
// the line appended after it.
func TestScanResumesAfterCutLastLine(t *testing.T) {
	data := t.TempDir()
	cat := testCatalog("c", "a", "b", "c", "d")
	ctx, cancel := context.WithCancel(context.Background())
	first := &memoryAssessor{label: "Oui", stopAt: urlOf("c"), cancel: cancel}
	// One at a time, so that a and b are done before c stops the scan.
	sum, err := Scan(ctx, first, cat, ScanOptions{DataDir: data, Edition: "E", Parallel: 1})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("first run: err %v, want context.Canceled", err)
	}
	if sum == nil || sum.Scanned != 2 || sum.Skipped != 2 {
		t.Fatalf("first run: summary %+v, want 2 scanned and 2 skipped", sum)
	}
	results := filepath.Join(data, "editions", "E", "results.jsonl")
	f, err := os.OpenFile(results, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString(`{"procedure":{"id":"c","url":"https://c.exa`)
	f.Close()

	// The second run is stopped too, at d: the file is not compacted, so
	// c's line must have been appended on a clean line.
	ctx, cancel = context.WithCancel(context.Background())
	second := &memoryAssessor{label: "Oui", stopAt: urlOf("d"), cancel: cancel}
	sum, err = Scan(ctx, second, cat, ScanOptions{DataDir: data, Edition: "E", Parallel: 1})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("second run: err %v, want context.Canceled", err)
	}
	if got := second.assessed(); !slices.Equal(got, []string{urlOf("c")}) {
		t.Errorf("second run assessed %v, want only c (a and b are kept)", got)
	}
	if sum.Resumed != 2 || sum.Scanned != 1 {
		t.Errorf("second run: summary %+v, want 2 resumed and 1 scanned", sum)
	}
	ed := loadE(t, data)
	if got := resultIDs(ed.Results); !slices.Equal(got, []string{"a", "b", "c"}) {
		t.Errorf("edition holds %v, want [a b c]", got)
	}
	if ed.Meta.Skipped != 1 || !ed.Meta.Finished.IsZero() {
		t.Errorf("meta %+v: want 1 skipped and no finish date", ed.Meta)
	}

	// The third run completes it.
	third := &memoryAssessor{label: "Oui"}
	if _, err := scanWith(t, context.Background(), third, data, cat, false); err != nil {
		t.Fatal(err)
	}
	if got := third.assessed(); !slices.Equal(got, []string{urlOf("d")}) {
		t.Errorf("third run assessed %v, want only d", got)
	}
	ed = loadE(t, data)
	if got := resultIDs(ed.Results); !slices.Equal(got, []string{"a", "b", "c", "d"}) || ed.Meta.Finished.IsZero() {
		t.Errorf("edition holds %v, finished %v; want [a b c d], finished", got, ed.Meta.Finished)
	}
}

// The temporary files that a kill leaves (between a file's creation and
// its rename) are removed when the scan resumes; other files stay.
func TestScanRemovesLeftoverTempFiles(t *testing.T) {
	data := t.TempDir()
	dir := filepath.Join(data, "editions", "E")
	files := map[string]bool{ // path under dir: whether it must survive
		".meta.json.tmp4021":                       false,
		".results.jsonl.tmp77":                     false,
		"screenshots/.a-start-desktop.jpg.tmp1234": false,
		"notes.txt":                                true,
		"screenshots/README":                       true,
	}
	for rel := range files {
		p := filepath.Join(dir, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := scanWith(t, context.Background(), &memoryAssessor{label: "Oui"}, data, testCatalog("c", "a"), false); err != nil {
		t.Fatal(err)
	}
	for rel, keep := range files {
		_, err := os.Stat(filepath.Join(dir, filepath.FromSlash(rel)))
		if exists := err == nil; exists != keep {
			t.Errorf("%s: exists %v, want %v", rel, exists, keep)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "screenshots", "a-start-desktop.jpg")); err != nil {
		t.Errorf("the screenshot was not stored: %v", err)
	}
}

// A rescan assesses every procedure again and leaves one line per
// procedure; a plain second run assesses none.
func TestScanRescan(t *testing.T) {
	data := t.TempDir()
	cat := testCatalog("c", "a", "fail-b", "c")
	if _, err := scanWith(t, context.Background(), &memoryAssessor{label: "avant"}, data, cat, false); err != nil {
		t.Fatal(err)
	}
	before := loadE(t, data)

	again := &memoryAssessor{label: "après"}
	sum, err := scanWith(t, context.Background(), again, data, cat, false)
	if err != nil {
		t.Fatal(err)
	}
	if got := again.assessed(); len(got) != 0 || sum.Resumed != 3 {
		t.Errorf("a finished edition, run again: assessed %v, resumed %d; want none and 3", got, sum.Resumed)
	}

	re := &memoryAssessor{label: "après"}
	var done []int
	sum, err = Scan(context.Background(), re, cat, ScanOptions{DataDir: data, Edition: "E", Parallel: 2, Rescan: true,
		Progress: func(p Progress) { done = append(done, p.Done) }})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(done, []int{1, 2, 3}) {
		t.Errorf("rescan progress counted %v, want [1 2 3] (earlier results do not count)", done)
	}
	if got := re.assessed(); len(got) != 3 || sum.Scanned != 3 || sum.Resumed != 0 {
		t.Errorf("rescan: assessed %v, summary %+v; want all 3 scanned, none resumed", got, sum)
	}
	ed := loadE(t, data)
	for _, r := range ed.Results {
		if l := r.Verdict(criteria.IDMobile).Label; l != "après" {
			t.Errorf("%s: label %q after the rescan, want %q", r.Procedure.ID, l, "après")
		}
	}
	if ed.Meta.Measured != 2 || ed.Meta.Failed != 1 {
		t.Errorf("meta counts %d measured, %d failed; want 2 and 1", ed.Meta.Measured, ed.Meta.Failed)
	}
	if !ed.Meta.Started.After(before.Meta.Started) {
		t.Errorf("a rescan keeps the start date %v, want a new one", ed.Meta.Started)
	}
	b, err := os.ReadFile(filepath.Join(ed.Dir, "results.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	if n := bytes.Count(b, []byte("\n")); n != 3 {
		t.Errorf("results.jsonl has %d lines after the rescan, want 3 (compacted)", n)
	}
}

// A catalogue that changed since the edition began is refused, unless the
// scan starts again; the rescanned edition follows the new catalogue.
func TestScanCatalogChanged(t *testing.T) {
	data := t.TempDir()
	if _, err := scanWith(t, context.Background(), &memoryAssessor{label: "Oui"}, data, testCatalog("old", "a", "b", "c"), false); err != nil {
		t.Fatal(err)
	}
	newCat := testCatalog("new", "c", "d", "a")
	a := &memoryAssessor{label: "Oui"}
	_, err := scanWith(t, context.Background(), a, data, newCat, false)
	if !errors.Is(err, ErrOtherCatalog) {
		t.Fatalf("resumed with another catalogue: err %v, want ErrOtherCatalog", err)
	}
	if strings.Contains(err.Error(), "--") {
		t.Errorf("the error names a flag: %q", err)
	}
	if got := a.assessed(); len(got) != 0 {
		t.Errorf("a refused scan assessed %v", got)
	}
	if ed := loadE(t, data); !slices.Equal(resultIDs(ed.Results), []string{"a", "b", "c"}) {
		t.Errorf("a refused scan changed the edition: %v", resultIDs(ed.Results))
	}

	if _, err := scanWith(t, context.Background(), &memoryAssessor{label: "Oui"}, data, newCat, true); err != nil {
		t.Fatal(err)
	}
	ed := loadE(t, data)
	if got := resultIDs(ed.Results); !slices.Equal(got, []string{"c", "d", "a"}) {
		t.Errorf("rescanned edition holds %v, want the new catalogue's [c d a]", got)
	}
	if ed.Meta.CatalogHash != newCat.Hash || ed.Meta.CatalogSize != 3 {
		t.Errorf("meta names catalogue %q of %d, want %q of 3", ed.Meta.CatalogHash, ed.Meta.CatalogSize, newCat.Hash)
	}
}

// An edition started with another catalogue but holding no result yet
// (stopped before its first procedure) takes the new one.
func TestScanCatalogChangedBeforeAnyResult(t *testing.T) {
	data := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	if _, err := Scan(ctx, &memoryAssessor{stopAt: urlOf("a"), cancel: cancel}, testCatalog("old", "a"), ScanOptions{DataDir: data, Edition: "E"}); !errors.Is(err, context.Canceled) {
		t.Fatalf("err %v, want context.Canceled", err)
	}
	if _, err := scanWith(t, context.Background(), &memoryAssessor{label: "Oui"}, data, testCatalog("new", "b"), false); err != nil {
		t.Fatalf("an empty edition refused another catalogue: %v", err)
	}
}

// Three shards scanned apart and merged make the edition that one whole
// scan makes, screenshots included.
func TestShardsMergeEqualWholeScanInMemory(t *testing.T) {
	ids := []string{"good", "viewport", "fail-broken", "mobile", "fc", "contact", "statement", "online"}
	cat := testCatalog("c", ids...)
	whole := t.TempDir()
	if _, err := scanWith(t, context.Background(), &memoryAssessor{label: "Oui"}, whole, cat, false); err != nil {
		t.Fatal(err)
	}
	data := t.TempDir()
	for k := 1; k <= 3; k++ {
		sh := Shard{K: k, N: 3}
		if len(sh.Of(cat).Procedures) == 0 {
			t.Fatalf("shard %s is empty: pick other ids", sh)
		}
		sum, err := Scan(context.Background(), &memoryAssessor{label: "Oui"}, cat, ScanOptions{DataDir: data, Edition: "E", Shard: sh})
		if err != nil {
			t.Fatal(err)
		}
		if want := filepath.Join(data, "editions", "E.shard-"+sh.String()[:1]+"-of-3"); sum.Dir != want {
			t.Errorf("shard %s went to %s, want %s", sh, sum.Dir, want)
		}
	}
	sum, err := Merge(MergeOptions{DataDir: data, Edition: "E", Catalog: cat})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Shards != 3 || sum.Total != len(ids) || sum.Failed != 1 {
		t.Errorf("merge summary %+v, want 3 shards, %d procedures, 1 failed", sum, len(ids))
	}
	want, got := loadE(t, whole), loadE(t, data)
	if !slices.Equal(resultIDs(got.Results), ids) {
		t.Fatalf("merged edition holds %v, want the catalogue's order %v", resultIDs(got.Results), ids)
	}
	for i, r := range got.Results {
		w := want.Results[i]
		if r.Outcome != w.Outcome || r.Title != w.Title || r.Verdict(criteria.IDMobile).Label != w.Verdict(criteria.IDMobile).Label {
			t.Errorf("%s: merged %s %q, whole scan %s %q", r.Procedure.ID, r.Outcome, r.Title, w.Outcome, w.Title)
		}
		if r.Outcome != observatory.Measured {
			continue
		}
		shot := r.Assessment.Pages[observatory.PageStart].Screenshots["desktop"]
		p, ok := got.File(shot.File)
		b, err := os.ReadFile(p)
		if !ok || err != nil || string(b) != "jpeg of "+r.Procedure.URL {
			t.Errorf("%s: screenshot %q in the merged edition: %q, %v", r.Procedure.ID, shot.File, b, err)
		}
	}
	if got.Meta.CatalogSize != len(ids) || got.Meta.Shard != "" || got.Meta.Finished.IsZero() {
		t.Errorf("merged meta %+v: want the whole catalogue's size, no shard, finished", got.Meta)
	}

	// A second merge must be told to replace the first.
	if _, err := Merge(MergeOptions{DataDir: data, Edition: "E", Catalog: cat}); !errors.Is(err, ErrExists) {
		t.Errorf("merge over an edition: err %v, want ErrExists", err)
	}
	if _, err := Merge(MergeOptions{DataDir: data, Edition: "E", Catalog: cat, Replace: true}); err != nil {
		t.Errorf("merge with Replace: %v", err)
	}
	if _, err := Merge(MergeOptions{DataDir: data, Edition: "E", Catalog: testCatalog("other", ids...), Replace: true}); !errors.Is(err, ErrOtherCatalog) {
		t.Errorf("merge with another catalogue: err %v, want ErrOtherCatalog", err)
	}
	if err := os.RemoveAll(filepath.Join(data, "editions", "E.shard-2-of-3")); err != nil {
		t.Fatal(err)
	}
	if _, err := Merge(MergeOptions{DataDir: data, Edition: "E", Catalog: cat, Replace: true}); err == nil || !strings.Contains(err.Error(), "shard 2/3 missing") {
		t.Errorf("merge without shard 2: err %v, want shard 2/3 missing", err)
	}
}
