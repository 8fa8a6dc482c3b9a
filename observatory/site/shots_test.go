package site

import (
	"github.com/observatoire-scanner/observatoire/observatory"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
	"github.com/observatoire-scanner/observatoire/fixtures/fixturetest"
)

// TestDocScreenshots regenerates the screenshots of docs/publishing.md:
// the main page, a trend page and a procedure page at 1366 and 412 px. It
// runs only when OBSERVATOIRE_DOC_SHOTS names the folder to write them to;
// OBSERVATOIRE_DOC_SITE may name a published site to shoot (the demo's),
// else the test editions are published:
//
//	OBSERVATOIRE_DOC_SHOTS=$PWD/docs/screenshots OBSERVATOIRE_DOC_SITE=$PWD/public go test -run TestDocScreenshots ./observatory/site/
func TestDocScreenshots(t *testing.T) {
	dest := os.Getenv("OBSERVATOIRE_DOC_SHOTS")
	if dest == "" {
		t.Skip("set OBSERVATOIRE_DOC_SHOTS to regenerate the documentation's screenshots")
	}
	out := os.Getenv("OBSERVATOIRE_DOC_SITE")
	trend, proc := "tendances/ministeres/ministere-des-solidarites.html", "procedures/fixture.html"
	if out == "" {
		_, sc := fixturetest.Env(t)
		eds := assessedEditions(t, sc)
		// The payload procedure tests escaping; it has no place in the docs.
		for _, e := range eds {
			e.Results = slices.DeleteFunc(e.Results, func(r observatory.Result) bool { return r.Procedure.ID == "666" })
		}
		out = filepath.Join(t.TempDir(), "public")
		if err := Publish(eds, out); err != nil {
			t.Fatal(err)
		}
	} else {
		// The demo's site: its first ministry's trends, and the procedure
		// whose "Non" has lasted longest.
		ts, _ := filepath.Glob(filepath.Join(out, "tendances", "ministeres", "*.html"))
		if len(ts) == 0 {
			t.Fatal("no trend page in " + out)
		}
		trend = "tendances/ministeres/" + filepath.Base(ts[0])
		b, err := os.ReadFile(filepath.Join(out, durationsPage))
		m := regexp.MustCompile(`href="(procedures/[^"]+)"`).FindSubmatch(b)
		if err != nil || m == nil {
			t.Fatalf("no procedure in %s: %v", durationsPage, err)
		}
		proc = string(m[1])
	}
	base := serveDir(t, out, false)
	ctx := browserWith(t, 3*time.Minute, chromedp.Flag("hide-scrollbars", true))
	for _, s := range []struct {
		file, page    string
		width, height int64
		mobile        bool
	}{
		{"index-1366.png", "index.html", 1366, 1500, false},
		{"index-412.png", "index.html", 412, 1400, true},
		{"trend-1366.png", trend, 1366, 1500, false},
		{"trend-412.png", trend, 412, 1400, true},
		{"procedure-1366.png", proc, 1366, 1500, false},
		{"procedure-412.png", proc, 412, 1400, true},
	} {
		if _, err := chromedp.Call(ctx, emulation.SetDeviceMetricsOverride, emulation.SetDeviceMetricsOverrideParams{
			Width: s.width, Height: s.height, DeviceScaleFactor: 1, Mobile: s.mobile,
		}); err != nil {
			t.Fatal(err)
		}
		if err := chromedp.Do(ctx, chromedp.Navigate(base+"/"+s.page)); err != nil {
			t.Fatal(err)
		}
		png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dest, s.file), png, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("%s: %s at %d px", s.file, s.page, s.width)
	}
}
