package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"time"

	"github.com/schollz/progressbar/v3"

	"github.com/observatoire-scanner/observatoire/criteria"
	"github.com/observatoire-scanner/observatoire/observatory"
	"github.com/observatoire-scanner/observatoire/observatory/catalog"
	"github.com/observatoire-scanner/observatoire/observatory/edition"
	"github.com/observatoire-scanner/observatoire/observatory/monitor"
	"github.com/observatoire-scanner/observatoire/scanner"
)

// scanCommand is "observatoire scan".
func scanCommand() *command {
	return &command{
		name:    "scan",
		summary: "scan a catalogue of procedures into an edition (resumable)",
		usage:   "--edition NAME [--data DIR] [--catalog FILE] [--data-import DIR] [--shard K/N] [flags]",
		flags: func(fs *flag.FlagSet) func(context.Context, *env, []string) error {
			f := &scanCmdFlags{}
			f.register(fs)
			return f.run
		},
	}
}

// scanCmdFlags are the flags of scan.
type scanCmdFlags struct {
	scan                                   scanFlags
	catalog, edition, data, imports, shard string
	monitorData                            string
	rescan                                 bool
	parallel, probes                       int
}

func (f *scanCmdFlags) register(fs *flag.FlagSet) {
	f.scan.register(fs)
	fs.StringVar(&f.catalog, "catalog", "", "catalogue file (default: the one built in, see `catalog show`)")
	fs.StringVar(&f.edition, "edition", "", "edition name, e.g. 2026-Q4 (required)")
	fs.StringVar(&f.data, "data", "data", "data folder; the edition goes to DATA/editions/NAME")
	fs.StringVar(&f.imports, "data-import", "", "folder of imported figures: DIR/<jdma_id>/jdma.json and updown.json")
	fs.StringVar(&f.monitorData, "monitor-data", "", "data folder of `observatoire monitor` (default: --data); its samples of the edition's quarter (an edition named YYYY-QN) give the availability figures, before --data-import's updown.json")
	fs.BoolVar(&f.rescan, "rescan", false, "scan every procedure again (default: only those without a result)")
	fs.IntVar(&f.parallel, "parallel", 0, "procedures assessed at once (default: --concurrency)")
	fs.IntVar(&f.probes, "probes", 3, "plain HTTP probes of each start URL (0: none)")
	fs.StringVar(&f.shard, "shard", "", "scan only shard K/N (K from 1 to N) of the catalogue into DATA/editions/NAME.shard-K-of-N; join them with merge (see docs/scaling.md)")
}

// run scans the catalogue into the edition.
func (f *scanCmdFlags) run(ctx context.Context, e *env, args []string) error {
	var err error
	if len(args) > 0 {
		return usageError{fmt.Sprintf("unexpected argument %q", args[0])}
	}
	if err := checkEditionFlag(f.edition); err != nil {
		return err
	}
	var sh edition.Shard
	if f.shard != "" {
		if sh, err = edition.ParseShard(f.shard); err != nil {
			return usageError{"--shard: " + err.Error()}
		}
	}
	cat, err := loadCatalogFlag(f.catalog)
	if err != nil {
		return err
	}
	var im catalog.Imports
	if f.imports != "" {
		var warns []string
		im, warns, err = catalog.LoadImports(f.imports, cat.Procedures)
		if err != nil {
			return err
		}
		for _, w := range warns {
			fmt.Fprintln(e.stderr, "warning:", w)
		}
		fmt.Fprintf(e.stderr, "%s: figures for %d procedures\n", f.imports, len(im))
	}
	opts := f.scan.options()
	sc, err := scanner.New(opts)
	if err != nil {
		return err
	}
	defer sc.Close()
	so := edition.ScanOptions{
		DataDir: f.data, Edition: f.edition, Shard: sh, Rescan: f.rescan, Parallel: f.parallel, Imports: im,
	}
	if so.Parallel <= 0 {
		so.Parallel = sc.Options().Concurrency
	}
	browser := observatory.Browser{Scanner: sc}
	browser.Options.Probes.Count = f.probes
	if f.probes <= 0 {
		browser.Options.Probes.Count = -1
	}
	if so.Uptime, err = f.monitorUptime(e); err != nil {
		return err
	}
	so.Progress = progressReporter(e, len(sh.Of(cat).Procedures))
	sum, err := edition.Scan(ctx, browser, cat, so)
	if errors.Is(err, edition.ErrOtherCatalog) {
		err = fmt.Errorf("%w: rescan it with --rescan, or give another --edition name", err)
	}
	if sum != nil {
		name := f.edition
		if !sh.IsZero() {
			name += " shard " + sh.String()
		}
		printScanSummary(e, name, sum)
	}
	return err
}

// checkEditionFlag refuses a missing or unusable --edition (scan, merge).
func checkEditionFlag(name string) error {
	if name == "" {
		return usageError{"--edition NAME is required"}
	}
	if err := edition.CheckName(name); err != nil {
		return usageError{"--edition: " + err.Error()}
	}
	return nil
}

// loadCatalogFlag reads the --catalog file, or the built-in catalogue
// when the flag is empty (scan, merge).
func loadCatalogFlag(path string) (*catalog.Catalog, error) {
	if path == "" {
		return catalog.Default()
	}
	return catalog.Load(path)
}

// progressReporter shows a progress bar on a terminal (github.com/
// schollz/progressbar: maintained, no cgo, handles the terminal width),
// plain lines otherwise, so that logs stay readable.
func progressReporter(e *env, total int) func(edition.Progress) {
	if !e.tty {
		return func(p edition.Progress) {
			r := p.Result
			line := fmt.Sprintf("[%d/%d] %s %s: %s", p.Done, p.Total, r.Procedure.ID, r.Title, r.Outcome)
			if r.Reason != "" {
				line += " (" + r.Reason + ")"
			}
			fmt.Fprintln(e.stdout, line)
		}
	}
	var bar *progressbar.ProgressBar
	return func(p edition.Progress) {
		if bar == nil {
			bar = progressbar.NewOptions(total,
				progressbar.OptionSetWriter(e.stdout),
				progressbar.OptionSetDescription("scan"),
				progressbar.OptionShowCount(),
				progressbar.OptionSetElapsedTime(true),
				progressbar.OptionSetPredictTime(true),
				progressbar.OptionClearOnFinish(),
				progressbar.OptionFullWidth(),
			)
		}
		bar.Describe(fmt.Sprintf("%s %.30s", p.Result.Procedure.ID, p.Result.Title))
		_ = bar.Set(p.Done)
	}
}

func printScanSummary(e *env, name string, s *edition.ScanSummary) {
	fmt.Fprintf(e.stdout, "\nEdition %s (%s): %d procedures — %d measured, %d failed, %d not scanned\n",
		name, s.Dir, s.Total, s.Measured, s.Failed, s.Skipped)
	fmt.Fprintf(e.stdout, "%d scanned now, %d kept from an earlier run, in %s\n",
		s.Scanned, s.Resumed, s.Elapsed.Round(time.Second))
	if s.Scanned > 0 {
		fmt.Fprintf(e.stdout, "%d pages de départ distinctes pour %d démarches : %d pages chargées, %d reprises d'un chargement déjà fait dans ce scan\n",
			s.Starts, s.Total-s.Resumed, s.Pages.Loads, s.Pages.Reused)
	}
}

// monitorUptime returns the source of availability figures that the
// monitor's samples give for the edition's quarter, or nil when the
// edition is not named after a quarter or the monitor has no samples.
func (f *scanCmdFlags) monitorUptime(e *env) (func(observatory.Procedure) (*criteria.Uptime, error), error) {
	dir := f.monitorData
	if dir == "" {
		dir = f.data
	}
	q, err := monitor.ParseQuarter(f.edition)
	if err != nil {
		if f.monitorData != "" {
			return nil, usageError{fmt.Sprintf("--monitor-data: the edition %q is not a quarter (YYYY-QN): %v", f.edition, err)}
		}
		return nil, nil
	}
	ids, err := monitor.Procedures(dir)
	if err != nil {
		return nil, err
	}
	if len(ids) == 0 {
		if f.monitorData != "" {
			return nil, usageError{fmt.Sprintf("--monitor-data %s: no monitor samples there", f.monitorData)}
		}
		return nil, nil
	}
	fmt.Fprintf(e.stderr, "%s: monitor samples of %d procedures for %s\n", dir, len(ids), f.edition)
	return func(p observatory.Procedure) (*criteria.Uptime, error) {
		return monitor.QuarterUptime(dir, p.ID, q, time.Now())
	}, nil
}
