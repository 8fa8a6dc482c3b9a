package main

import (
	"context"
	"flag"
	"runtime/debug"
	"time"

	"github.com/observatoire-scanner/observatoire/scanner"
)

// scanFlags are the browser flags shared by every command that scans.
type scanFlags struct {
	chrome        string
	concurrency   int
	navTimeout    time.Duration
	settleTimeout time.Duration
	axeTimeout    time.Duration
	pageTimeout   time.Duration
	recycle       int
	noAxe         bool
	noScreenshots bool
	browserURL    string
	perHost       int
	maxRetryWait  time.Duration
	refusePrivate bool
	jsHeapMB      int
}

func (f *scanFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.chrome, "chrome", "", "Chromium binary (default $OBSERVATOIRE_CHROME, else /usr/bin/chromium)")
	fs.IntVar(&f.concurrency, "concurrency", 0, "pages loaded at once (default: twice the number of cores)")
	fs.DurationVar(&f.navTimeout, "timeout", 30*time.Second, "navigation timeout per page")
	fs.DurationVar(&f.settleTimeout, "settle-timeout", 10*time.Second, "bound on the wait for a page to settle and its facts to be read")
	fs.DurationVar(&f.axeTimeout, "axe-timeout", 30*time.Second, "bound on axe-core's run per page")
	fs.DurationVar(&f.pageTimeout, "page-timeout", 90*time.Second, "cap on everything done for one page")
	fs.IntVar(&f.recycle, "recycle", 200, "restart the browser after this many pages")
	fs.BoolVar(&f.noAxe, "no-axe", false, "skip axe-core (no automated accessibility checks)")
	fs.BoolVar(&f.noScreenshots, "no-screenshots", false, "take no screenshots")
	fs.IntVar(&f.perHost, "per-host", 2, "pages of one host loaded at once")
	fs.DurationVar(&f.maxRetryWait, "max-retry-wait", 30*time.Second, "longest Retry-After waited for before the one retry of a 429 or 503")
	fs.BoolVar(&f.refusePrivate, "refuse-private", false, "refuse URLs on private, loopback or link-local addresses (catalogues from untrusted sources)")
	fs.IntVar(&f.jsHeapMB, "js-heap-mb", 1024, "JavaScript heap bound per page, in MB (-1: Chromium's own)")
	fs.StringVar(&f.browserURL, "browser", "", "attach to a running Chromium (ws://HOST:PORT/devtools/browser/ID or http://HOST:PORT) instead of starting one")
}

func (f *scanFlags) options() scanner.Options {
	return scanner.Options{
		ChromePath:        f.chrome,
		Concurrency:       f.concurrency,
		NavigationTimeout: f.navTimeout,
		SettleTimeout:     f.settleTimeout,
		AxeTimeout:        f.axeTimeout,
		PageTimeout:       f.pageTimeout,
		RecycleAfter:      f.recycle,
		NoAxe:             f.noAxe,
		NoScreenshots:     f.noScreenshots,
		PerHost:           f.perHost,
		MaxRetryWait:      f.maxRetryWait,
		RefusePrivate:     f.refusePrivate,
		JSHeapMB:          f.jsHeapMB,
		BrowserURL:        f.browserURL,
	}
}

// startScanner makes a scanner with opts and starts its browser (check,
// ci, demo --fixture-pages); the caller closes it.
func startScanner(ctx context.Context, opts scanner.Options) (*scanner.Scanner, error) {
	sc, err := scanner.New(opts)
	if err != nil {
		return nil, err
	}
	if err := sc.Start(ctx); err != nil {
		sc.Close()
		return nil, err
	}
	return sc, nil
}

// version is the scanner's version plus the VCS revision when the binary
// was built from a checkout.
func version() string {
	v := scanner.Version
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, s := range bi.Settings {
			if s.Key == "vcs.revision" && len(s.Value) >= 7 {
				v += " (" + s.Value[:7] + ")"
			}
		}
	}
	return v
}
