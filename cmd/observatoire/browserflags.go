package main

import (
	"context"
	"flag"
	"runtime/debug"

	"github.com/observatoire-scanner/observatoire/scanner"
)

// scanFlags are the browser flags shared by every command that scans:
// one flag per field of scanner.Options, its default the scanner's own
// (scanner.DefaultOptions).
type scanFlags struct {
	opts scanner.Options
}

func (f *scanFlags) register(fs *flag.FlagSet) {
	d, o := scanner.DefaultOptions(), &f.opts
	fs.StringVar(&o.ChromePath, "chrome", d.ChromePath, "Chromium binary ($OBSERVATOIRE_CHROME, else "+scanner.DefaultChromePath+")")
	fs.IntVar(&o.Concurrency, "concurrency", d.Concurrency, "pages loaded at once (twice the number of cores)")
	fs.DurationVar(&o.NavigationTimeout, "timeout", d.NavigationTimeout, "navigation timeout per page")
	fs.DurationVar(&o.SettleTimeout, "settle-timeout", d.SettleTimeout, "bound on the wait for a page to settle and its facts to be read")
	fs.DurationVar(&o.AxeTimeout, "axe-timeout", d.AxeTimeout, "bound on axe-core's run per page")
	fs.DurationVar(&o.PageTimeout, "page-timeout", d.PageTimeout, "cap on everything done for one page")
	fs.IntVar(&o.RecycleAfter, "recycle", d.RecycleAfter, "restart the browser after this many pages")
	fs.BoolVar(&o.NoAxe, "no-axe", d.NoAxe, "skip axe-core (no automated accessibility checks)")
	fs.BoolVar(&o.NoScreenshots, "no-screenshots", d.NoScreenshots, "take no screenshots")
	fs.IntVar(&o.PerHost, "per-host", d.PerHost, "pages of one host loaded at once")
	fs.DurationVar(&o.MaxRetryWait, "max-retry-wait", d.MaxRetryWait, "longest Retry-After waited for before the one retry of a 429 or 503")
	fs.BoolVar(&o.RefusePrivate, "refuse-private", d.RefusePrivate, "refuse URLs on private, loopback or link-local addresses (catalogues from untrusted sources)")
	fs.IntVar(&o.JSHeapMB, "js-heap-mb", d.JSHeapMB, "JavaScript heap bound per page, in MB (-1: Chromium's own)")
	fs.StringVar(&o.BrowserURL, "browser", d.BrowserURL, "attach to a running Chromium (ws://HOST:PORT/devtools/browser/ID or http://HOST:PORT) instead of starting one")
}

// options returns the scanner options the flags set.
func (f *scanFlags) options() scanner.Options { return f.opts }

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
