package edition

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/observatoire-scanner/observatoire/criteria"
	"github.com/observatoire-scanner/observatoire/observatory"
	"github.com/observatoire-scanner/observatoire/observatory/catalog"
	"github.com/observatoire-scanner/observatoire/scanner"
)

// Assessor is what Scan needs of a scanner. observatory.Browser is the
// real one, a headless Chromium.
type Assessor interface {
	// Assess assesses one procedure. Its error is non-nil only when ctx
	// ends or the browser cannot run: a page that fails is part of the
	// assessment.
	Assess(ctx context.Context, t observatory.Target) (*observatory.Assessment, error)
	// Version names the browser ("Chrome/156.0.8078.79"), starting it if
	// needed, so that a broken installation is reported before any
	// procedure is scanned.
	Version(ctx context.Context) (string, error)
}

// ScanOptions say where an edition is written and how.
type ScanOptions struct {
	// DataDir holds the editions (DATA/editions/NAME); Edition is NAME.
	DataDir string
	Edition string
	// Rescan scans every procedure again; otherwise only those without a
	// result are scanned (a resumed edition).
	Rescan bool
	// Parallel is how many procedures are assessed at once (default 1).
	Parallel int
	// Shard, when set, scans only the procedures of shard K/N into the
	// partial edition DATA/editions/NAME.shard-K-of-N (see Merge).
	Shard Shard
	// Imports are the figures imported for the procedures (by JDMA id).
	Imports catalog.Imports
	// Uptime, when set, gives a procedure's availability figures for the
	// edition's quarter (the built-in monitor's); they come before an
	// imported updown.json. A nil result leaves the imported figures.
	Uptime func(observatory.Procedure) (*criteria.Uptime, error)
	// Progress, when set, is called after each procedure is stored, from
	// one goroutine at a time.
	Progress func(Progress)
}

// Progress reports one stored procedure.
type Progress struct {
	// Done counts the procedures with a result (resumed ones included) out
	// of Total, the catalogue's size.
	Done, Total int
	Result      *observatory.Result
}

// ScanSummary is what a scan did.
type ScanSummary struct {
	Dir string
	// Total is the catalogue's size; Resumed the procedures whose result
	// was kept from an earlier run; Scanned those scanned now.
	Total, Resumed, Scanned int
	// Counts over the whole edition.
	Measured, Failed, Skipped int
	// Starts counts the distinct start URLs of the procedures scanned now;
	// Pages what the scan's page memory did (each distinct URL loaded
	// once: see observatory.Pages), when the assessor is an
	// observatory.Browser.
	Starts  int
	Pages   observatory.PageStats
	Elapsed time.Duration
}

// ErrOtherCatalog says that an edition holds results of another catalogue
// than the one given: resuming it would mix the two. Scanning every
// procedure again (ScanOptions.Rescan) or another edition name avoids it.
var ErrOtherCatalog = errors.New("another catalogue")

// Scan assesses every procedure of cat (or, when resuming, those without a
// result yet) and stores the edition in DATA/editions/NAME: each result is
// appended to results.jsonl as soon as it is known, so that an
// interrupted scan keeps all finished work and the next run picks up where
// it stopped. On an interruption it returns ctx's error with the summary
// so far.
func Scan(ctx context.Context, a Assessor, cat *catalog.Catalog, o ScanOptions) (*ScanSummary, error) {
	begin := time.Now()
	ed, err := At(o.DataDir, o.Edition)
	if err != nil {
		return nil, err
	}
	if !o.Shard.IsZero() {
		cat = o.Shard.Of(cat)
		ed = ed.Shard(o.Shard)
	}
	var old *Meta
	if ed.exists() {
		if old, err = ed.readMeta(); err != nil {
			return nil, err
		}
	}
	st, existing, err := openStore(ed)
	if err != nil {
		return nil, err
	}
	defer st.close()
	if old != nil && old.CatalogHash != cat.Hash && len(existing) > 0 && !o.Rescan {
		return nil, fmt.Errorf("%w: edition %s was started with catalogue sha256 %.12s…, this one is %.12s…", ErrOtherCatalog, o.Edition, old.CatalogHash, cat.Hash)
	}
	run := &scanRun{st: st, cat: cat, o: o, have: map[string]observatory.Result{}}
	for _, r := range existing {
		run.have[r.Procedure.ID] = r
	}
	todo := run.todo()
	run.sum = ScanSummary{Dir: ed.Dir, Total: len(cat.Procedures), Resumed: len(cat.Procedures) - len(todo)}
	run.meta = Meta{
		Name:          o.Edition,
		Started:       time.Now().UTC(),
		CatalogHash:   cat.Hash,
		CatalogSize:   len(cat.Procedures),
		MethodVersion: criteria.MethodVersion,
		Axe:           scanner.AxeVersion,
		Scanner:       scanner.Version,
	}
	if !o.Shard.IsZero() {
		run.meta.Shard = o.Shard.String()
	}
	if old != nil && !o.Rescan {
		run.meta.Started = old.Started // the edition began with its first run
		run.meta.Browser = old.Browser // until a procedure is scanned now
	}
	if len(todo) > 0 {
		if run.meta.Browser, err = a.Version(ctx); err != nil {
			return nil, err
		}
	}
	if o.Rescan {
		clear(run.have)
	}
	run.setCounts()
	if err := ed.writeMeta(run.meta); err != nil {
		return nil, err
	}

	// One page memory per scan: the procedures scanned now share the pages
	// they have in common; a resumed scan loads again what it needs.
	var pages *observatory.Pages
	if b, ok := a.(observatory.Browser); ok {
		if b.Options.Pages == nil {
			b.Options.Pages = observatory.NewPages()
			a = b
		}
		pages = b.Options.Pages
	}
	starts := map[string]bool{}
	for _, p := range todo {
		starts[p.URL] = true
	}
	run.sum.Starts = len(starts)

	err = run.assess(ctx, a, todo)
	if pages != nil {
		run.sum.Pages = pages.Stats()
	}
	run.setCounts()
	run.sum.Elapsed = time.Since(begin)
	if err != nil {
		// Interrupted or broken: the results so far are on disk; the
		// metadata says how many are missing.
		if merr := ed.writeMeta(run.meta); merr != nil {
			err = errors.Join(err, merr)
		}
		return &run.sum, err
	}
	// A clean end: one line per procedure, in catalogue order (a rescan
	// appended second lines; a changed catalogue left foreign ones).
	if err := st.compact(run.inCatalog()); err != nil {
		return &run.sum, err
	}
	run.meta.Finished = time.Now().UTC()
	return &run.sum, ed.writeMeta(run.meta)
}

// scanRun is the state of one Scan.
type scanRun struct {
	st  *store
	cat *catalog.Catalog
	o   ScanOptions

	mu   sync.Mutex // guards have, sum and the Progress calls
	have map[string]observatory.Result
	sum  ScanSummary
	meta Meta
}

// todo lists the procedures to scan, in catalogue order: those without a
// result, or all of them on a rescan.
func (run *scanRun) todo() []observatory.Procedure {
	var todo []observatory.Procedure
	for _, p := range run.cat.Procedures {
		if _, ok := run.have[p.ID]; !ok || run.o.Rescan {
			todo = append(todo, p)
		}
	}
	return todo
}

// inCatalog returns the results of the catalogue's procedures, in its
// order (results of procedures no longer in it are left out).
func (run *scanRun) inCatalog() []observatory.Result {
	var rs []observatory.Result
	for _, p := range run.cat.Procedures {
		if r, ok := run.have[p.ID]; ok {
			rs = append(rs, r)
		}
	}
	return rs
}

// setCounts counts the outcomes into the metadata and the summary.
func (run *scanRun) setCounts() {
	rs := run.inCatalog()
	m := &run.meta
	m.Measured, m.Failed = countOutcomes(rs)
	m.Skipped = len(run.cat.Procedures) - len(rs)
	run.sum.Measured, run.sum.Failed, run.sum.Skipped = m.Measured, m.Failed, m.Skipped
}

// assess assesses and stores the procedures todo, Parallel at once. The
// first error (ctx's, the browser's or the disk's) stops the work; what
// was stored stays.
func (run *scanRun) assess(ctx context.Context, a Assessor, todo []observatory.Procedure) error {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	jobs := make(chan observatory.Procedure)
	var wg sync.WaitGroup
	for range min(max(run.o.Parallel, 1), max(len(todo), 1)) {
		wg.Go(func() {
			for p := range jobs {
				if err := run.one(ctx, a, p); err != nil && ctx.Err() == nil {
					cancel(fmt.Errorf("procedure %s: %w", p.ID, err))
				}
			}
		})
	}
feed:
	for _, p := range todo {
		select {
		case jobs <- p:
		case <-ctx.Done():
			break feed
		}
	}
	close(jobs)
	wg.Wait()
	return context.Cause(ctx)
}

// one assesses procedure p, stores its result and reports the progress.
func (run *scanRun) one(ctx context.Context, a Assessor, p observatory.Procedure) error {
	fig := run.o.Imports.Figures(p)
	if run.o.Uptime != nil {
		u, err := run.o.Uptime(p)
		if err != nil {
			return fmt.Errorf("availability figures of %s: %w", p.ID, err)
		}
		if u != nil {
			fig.Uptime = u
		}
	}
	as, err := a.Assess(ctx, observatory.Target{
		URL:          p.URL,
		LoginURL:     p.LoginURL,
		ContactURL:   p.ContactURL,
		StatementURL: p.StatementURL,
		Declared:     p.Declared,
		JDMA:         fig.JDMA,
		Uptime:       fig.Uptime,
	})
	if err != nil {
		return err
	}
	r := observatory.NewResult(p, as)
	if err := run.st.add(r); err != nil {
		return err
	}
	run.mu.Lock()
	defer run.mu.Unlock()
	run.have[p.ID] = *r
	run.sum.Scanned++
	if run.o.Progress != nil {
		run.o.Progress(Progress{Done: len(run.have), Total: len(run.cat.Procedures), Result: r})
	}
	return nil
}
