package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/olekukonko/tablewriter"
	"github.com/olekukonko/tablewriter/tw"

	"github.com/observatoire-scanner/observatoire/criteria"
	"github.com/observatoire-scanner/observatoire/fixtures"
	"github.com/observatoire-scanner/observatoire/observatory"
	"github.com/observatoire-scanner/observatoire/observatory/catalog"
	"github.com/observatoire-scanner/observatoire/observatory/edition"
	"github.com/observatoire-scanner/observatoire/observatory/site"
	"github.com/observatoire-scanner/observatoire/scanner"
)

// demoCommand is "observatoire demo".
func demoCommand() *command {
	return &command{
		name:    "demo",
		summary: "serve simulated procedures on 127.0.0.1, scan them as three editions and publish the site",
		usage:   "[--procedures N] [--seed S] [--editions N] [--past-sample N] [--data DIR] [--out DIR] [flags]",
		flags: func(fs *flag.FlagSet) func(context.Context, *env, []string) error {
			var sf scanFlags
			sf.register(fs)
			n := fs.Int("procedures", 250, "number of simulated procedures")
			seed := fs.Int64("seed", 2026, "seed of the simulated procedures (the same seed gives the same sites)")
			data := fs.String("data", filepath.Join("data", "demo"), "data folder: the catalogue, the imported figures and the edition")
			out := fs.String("out", "public", "folder the site is published to")
			pages := fs.Bool("fixture-pages", false, "scan the fixture pages of the tests instead, and print one row per page")
			editions := fs.Int("editions", 3, "number of editions (1 to 3): the earlier ones show the procedures as they were, some better, some worse")
			sample := fs.Int("past-sample", 30, "procedures scanned in each earlier edition (a sample spread over the catalogue; 0: all)")
			return func(ctx context.Context, e *env, args []string) error {
				if len(args) > 0 {
					return usageError{"demo takes no arguments"}
				}
				if *pages {
					return demoFixturePages(ctx, e, sf)
				}
				if *n <= 0 {
					return usageError{"--procedures must be 1 or more"}
				}
				if *editions < 1 || *editions > len(demoEditions) {
					return usageError{"--editions must be 1 to 3"}
				}
				if *sample < 0 {
					return usageError{"--past-sample must be 0 or more"}
				}
				return runDemo(ctx, e, sf.options(), *seed, *n, *data, *out, *editions, *sample)
			}
		},
	}
}

// demoEditions names the demo's editions, oldest first; a demo of N
// editions takes the last N.
var demoEditions = []string{"2026-Q2", "2026-Q3", "2026-Q4"}

// pastSample returns a sample of k procedures spread over the catalogue
// (all of them when k is 0 or more than there are).
func pastSample(procs []observatory.Procedure, k int) []observatory.Procedure {
	if k <= 0 || k >= len(procs) {
		return procs
	}
	out := make([]observatory.Procedure, 0, k)
	for i := range k {
		out = append(out, procs[i*len(procs)/k])
	}
	return out
}

// runDemo serves the simulated procedures and scans them as editions
// (catalogue and imported figures written under data): the earlier ones,
// on a sample, with the sites as they were (some better, some worse), the
// latest on the whole catalogue. It publishes the site and prints the
// share of procedures at each level in the latest edition.
func runDemo(ctx context.Context, e *env, opts scanner.Options, seed int64, n int, data, out string, editions, sample int) error {
	web, err := fixtures.StartDemo(seed, n)
	if err != nil {
		return err
	}
	defer web.Close()
	catFile := filepath.Join(data, "catalog.yaml")
	results := filepath.Join(data, "results")
	if err := os.MkdirAll(results, 0o755); err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	yaml, err := web.CatalogYAML()
	if err != nil {
		return err
	}
	if err := os.WriteFile(catFile, yaml, 0o644); err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	if err := web.WriteImports(results); err != nil {
		return err
	}
	cat, err := catalog.Load(catFile)
	if err != nil {
		return err
	}
	im, _, err := catalog.LoadImports(results, cat.Procedures)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "Demo web on %s: %d simulated procedures (seed %d), catalogue %s\n", web.URL, n, seed, catFile)

	// Every site shares the one host: allow as many of its pages at once
	// as the browser loads (a real catalogue keeps the per-host bound).
	opts.PerHost = opts.Concurrency
	if opts.PerHost <= 0 {
		opts.PerHost = scanner.DefaultConcurrency()
	}
	sc, err := scanner.New(opts)
	if err != nil {
		return err
	}
	defer sc.Close()
	start := time.Now()
	names := demoEditions[len(demoEditions)-editions:]
	var eds []*edition.Edition
	for i, name := range names {
		back := len(names) - 1 - i
		web.SetPast(back)
		c := cat
		if back > 0 {
			c = &catalog.Catalog{Name: cat.Name, Hash: cat.Hash, Procedures: pastSample(cat.Procedures, sample)}
			fmt.Fprintf(e.stdout, "\nEdition %s: %d procedures as they were %d edition(s) before the latest\n", name, len(c.Procedures), back)
		}
		so := edition.ScanOptions{DataDir: data, Edition: name, Rescan: true, Imports: im, Parallel: sc.Options().Concurrency}
		browser := observatory.Browser{Scanner: sc}
		browser.Options.Probes = scanner.ProbeOptions{Count: 3, Interval: 200 * time.Millisecond, Timeout: 10 * time.Second}
		so.Progress = progressReporter(e, len(c.Procedures))
		sum, err := edition.Scan(ctx, browser, c, so)
		if sum != nil {
			printScanSummary(e, name, sum)
		}
		if err != nil {
			return err
		}
		ed, err := edition.Load(data, name)
		if err != nil {
			return err
		}
		eds = append(eds, ed)
	}
	web.SetPast(0)
	ed := eds[len(eds)-1]
	// As publish does: the site replaces the previous one whole, so that a
	// smaller demo leaves no stale procedure pages behind.
	t0 := time.Now()
	if err := publishInto(eds, out, site.Options{}); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "\n%d editions scanned and published in %s (publishing: %s)\n", len(eds), time.Since(start).Round(time.Second), time.Since(t0).Round(time.Millisecond))
	fmt.Fprintln(e.stdout)
	if err := printLevelShares(e.stdout, ed); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "\nSite published to %s/: open it with\n    observatoire serve %s    # then http://127.0.0.1:8080/\n", out, out)
	return nil
}

// printLevelShares prints, per criterion, the share of the edition's
// procedures at each level.
func printLevelShares(w io.Writer, ed *edition.Edition) error {
	t := tablewriter.NewTable(w, tablewriter.WithHeaderAutoFormat(tw.Off))
	header := []string{"Critère"}
	for _, l := range edition.Levels {
		header = append(header, l.Word())
	}
	t.Header(header)
	total := len(ed.Results)
	for _, id := range criteria.IDs {
		counts := map[criteria.Level]int{}
		for i := range ed.Results {
			counts[ed.Results[i].Verdict(id).Level]++
		}
		row := []string{id.Title()}
		for _, l := range edition.Levels {
			row = append(row, shareText(counts[l], total))
		}
		if err := t.Append(row); err != nil {
			return err
		}
	}
	if err := t.Render(); err != nil {
		return err
	}
	fmt.Fprintf(w, "%d procedures: %d measured, %d failed (start page not loaded)\n", total, ed.Meta.Measured, ed.Meta.Failed)
	return nil
}

// shareText writes "34 % (85)".
func shareText(n, total int) string {
	if total == 0 || n == 0 {
		return "–"
	}
	return criteria.Decimal(100*float64(n)/float64(total), 0) + " % (" + strconv.Itoa(n) + ")"
}

// demoFixturePages is the first demo: the test fixture pages, one row
// each.
func demoFixturePages(ctx context.Context, e *env, sf scanFlags) error {
	web, err := fixtures.Start()
	if err != nil {
		return err
	}
	defer web.Close()
	var urls []string
	for _, p := range web.Pages() {
		urls = append(urls, web.Page(p))
	}
	urls = append(urls, web.Page("/status/500"), web.Page("/redirect?n=2&page=good.html"))
	fmt.Fprintf(e.stdout, "Fixture web on %s: scanning %d pages\n", web.URL, len(urls))
	opts := sf.options()
	opts.NoScreenshots = true
	snaps, err := scanURLs(ctx, opts, urls)
	if err != nil {
		return err
	}
	return printSnapshots(e.stdout, snaps)
}
