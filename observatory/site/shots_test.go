package site

import (
	"context"
	"github.com/observatoire-scanner/observatoire/observatory"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
	"github.com/observatoire-scanner/observatoire/fixtures/fixturetest"
)

// TestDocScreenshots regenerates the screenshots of docs/publishing.md
// from a site published by this code. It runs only when
// OBSERVATOIRE_DOC_SHOTS names the folder to write them to:
//
//	OBSERVATOIRE_DOC_SHOTS=$PWD/docs/screenshots go test -run TestDocScreenshots ./observatory/site/
func TestDocScreenshots(t *testing.T) {
	dest := os.Getenv("OBSERVATOIRE_DOC_SHOTS")
	if dest == "" {
		t.Skip("set OBSERVATOIRE_DOC_SHOTS to regenerate the documentation's screenshots")
	}
	_, sc := fixturetest.Env(t)
	eds := assessedEditions(t, sc)
	// The payload procedure tests escaping; it has no place in the docs.
	for _, e := range eds {
		e.Results = slices.DeleteFunc(e.Results, func(r observatory.Result) bool { return r.Procedure.ID == "666" })
	}
	out := filepath.Join(t.TempDir(), "public")
	if err := Publish(eds, out); err != nil {
		t.Fatal(err)
	}
	base := serveDir(t, out, false)
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(chromePath()), chromedp.Flag("hide-scrollbars", true))
	if os.Geteuid() == 0 {
		opts = append(opts, chromedp.NoSandbox)
	}
	actx, acancel := chromedp.NewExecAllocator(context.Background(), opts...)
	defer acancel()
	ctx, cancel := chromedp.NewContext(actx)
	defer cancel()
	ctx, tcancel := context.WithTimeout(ctx, 2*time.Minute)
	defer tcancel()
	for _, s := range []struct {
		file, page    string
		width, height int64
		mobile        bool
	}{
		{"index.png", "index.html", 1280, 1700, false},
		{"procedure.png", "procedures/fixture.html", 1280, 1000, false},
		{"index-mobile.png", "index.html", 412, 823, true},
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
	}
}
