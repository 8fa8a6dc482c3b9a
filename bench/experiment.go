package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/chromedp/chromedp"
)

// Injection is the axe-injection experiment: does any way of loading pages
// make evaluating axe-core's source cheaper than a fresh tab per page?
type Injection struct {
	Pages   int              `json:"pages"`
	Configs []InjectionTrial `json:"configs"`
}

// InjectionTrial is one way of loading the pages, with the medians of
// evaluating axe-core's source and of running its RGAAv4 rules.
type InjectionTrial struct {
	Name     string  `json:"name"`
	InjectMS float64 `json:"inject_median_ms"`
	RunMS    float64 `json:"run_median_ms"`
}

// axeInjection loads each page and times axe-core's injection and run,
// in two set-ups: a new tab per page (what the scanner does), and new tabs
// sharing one renderer process (one V8 isolate, whose compilation cache
// could serve the second page on). Reusing one tab for every page would
// not help: each page is a new document, with a new JavaScript context
// that has no axe in it.
func axeInjection(chrome string, pages []string) (*Injection, error) {
	src, err := os.ReadFile(filepath.Join("scanner", "axe", "axe.min.js"))
	if err != nil {
		return nil, fmt.Errorf("axe-core source (run from the repository root): %w", err)
	}
	inject := string(src) + "\n;0"
	const run = `axe.run(document, {runOnly: {type: 'tag', values: ['RGAAv4']}, resultTypes: ['violations']}).then((r) => r.violations.length)`
	trials := []struct {
		name  string
		flags []chromedp.ExecAllocatorOption
	}{
		{"a new tab per page (the scanner's way)", nil},
		{"new tabs sharing one renderer (--renderer-process-limit=1)", []chromedp.ExecAllocatorOption{chromedp.Flag("renderer-process-limit", "1")}},
	}
	res := &Injection{Pages: len(pages)}
	for _, tr := range trials {
		dir, err := os.MkdirTemp("", "observatoire-bench-chromium-")
		if err != nil {
			return res, err
		}
		opts := []chromedp.ExecAllocatorOption{chromedp.ExecPath(chrome), chromedp.UserDataDir(dir), chromedp.Headless,
			chromedp.DisableGPU, chromedp.NoFirstRun, chromedp.NoSandbox, chromedp.WindowSize(1366, 768)}
		actx, acancel := chromedp.NewExecAllocator(context.Background(), append(opts, tr.flags...)...)
		bctx, bcancel := chromedp.NewContext(actx)
		var inj, ran []float64
		err = chromedp.Do(bctx)
		for _, u := range pages {
			if err != nil {
				break
			}
			tab, tabCancel := chromedp.NewContext(bctx)
			ctx, cancel := context.WithTimeout(tab, time.Minute)
			if err = chromedp.Do(ctx, chromedp.Navigate(u)); err == nil {
				t0 := time.Now()
				if err = chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](inject)); err == nil {
					inj = append(inj, ms(time.Since(t0)))
					t0 = time.Now()
					_, err = chromedp.Run(ctx, chromedp.Evaluate[int](run, chromedp.EvalAwaitPromise))
					ran = append(ran, ms(time.Since(t0)))
				}
			}
			cancel()
			tabCancel()
			if err != nil {
				err = fmt.Errorf("%s: %s: %w", tr.name, u, err)
			}
		}
		bcancel()
		acancel()
		os.RemoveAll(dir)
		if err != nil {
			return res, err
		}
		res.Configs = append(res.Configs, InjectionTrial{Name: tr.name, InjectMS: stat(inj).MedianMS, RunMS: stat(ran).MedianMS})
	}
	return res, nil
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
