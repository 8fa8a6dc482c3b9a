package observatory

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/observatoire-scanner/observatoire/criteria"
	"github.com/observatoire-scanner/observatoire/scanner"
)

// ScanOptions say where an edition is written and how.
type ScanOptions struct {
	// DataDir holds the editions (DATA/editions/NAME); Edition is NAME.
	DataDir string
	Edition string
	// Rescan scans every procedure again; otherwise only those without a
	// result are scanned (a resumed edition).
	Rescan bool
	// Parallel is how many procedures are assessed at once (default: the
	// scanner's page concurrency).
	Parallel int
	// Shard, when set, scans only the procedures of shard K/N into the
	// partial edition DATA/editions/NAME.shard-K-of-N (see Merge).
	Shard Shard
	// Imports are the figures imported for the procedures (by JDMA id).
	Imports Imports
	Assess  AssessOptions
	// Progress, when set, is called after each procedure is stored, from
	// one goroutine at a time.
	Progress func(Progress)
}

// Progress reports one stored procedure.
type Progress struct {
	// Done counts the procedures with a result (resumed ones included) out
	// of Total, the catalogue's size.
	Done, Total int
	Result      *Result
}

// ScanSummary is what a scan did.
type ScanSummary struct {
	Dir string
	// Total is the catalogue's size; Resumed the procedures whose result
	// was kept from an earlier run; Scanned those scanned now.
	Total, Resumed, Scanned int
	// Counts over the whole edition.
	Measured, Failed, Skipped int
	Elapsed                   time.Duration
}

// ScanCatalog assesses every procedure of cat (or, when resuming, those
// without a result yet) and stores the edition in DATA/editions/NAME:
// each result is appended to results.jsonl as soon as it is known, so that
// an interrupted scan keeps all finished work and the next run picks up
// where it stopped. On an interruption it returns ctx's error with the
// summary so far.
func ScanCatalog(ctx context.Context, sc *scanner.Scanner, cat *Catalog, o ScanOptions) (*ScanSummary, error) {
	begin := time.Now()
	dir, err := EditionDir(o.DataDir, o.Edition)
	if err != nil {
		return nil, err
	}
	if !o.Shard.IsZero() {
		cat = o.Shard.Of(cat)
		dir = filepath.Join(o.DataDir, "editions", o.Shard.Dir(o.Edition))
	}
	var old *EditionMeta
	if data, err := os.ReadFile(filepath.Join(dir, metaFile)); err == nil {
		old = new(EditionMeta)
		if err := json.Unmarshal(data, old); err != nil {
			return nil, fmt.Errorf("edition %s: %s: %w", dir, metaFile, err)
		}
	}
	st, existing, err := openStore(dir)
	if err != nil {
		return nil, err
	}
	defer st.close()
	if old != nil && old.CatalogHash != cat.Hash && len(existing) > 0 && !o.Rescan {
		return nil, fmt.Errorf("edition %s was started with another catalogue (sha256 %.12s…, now %.12s…): rescan it with --rescan, or give another edition name", o.Edition, old.CatalogHash, cat.Hash)
	}

	have := map[string]Result{}
	for _, r := range existing {
		have[r.Procedure.ID] = r
	}
	var todo []Procedure
	for _, p := range cat.Procedures {
		if _, ok := have[p.ID]; !ok || o.Rescan {
			todo = append(todo, p)
		}
	}
	sum := &ScanSummary{Dir: dir, Total: len(cat.Procedures), Resumed: len(cat.Procedures) - len(todo)}

	if len(todo) > 0 {
		if err := sc.Start(ctx); err != nil {
			return nil, err
		}
	}
	meta := EditionMeta{
		Name:          o.Edition,
		Started:       time.Now().UTC(),
		CatalogHash:   cat.Hash,
		CatalogSize:   len(cat.Procedures),
		MethodVersion: criteria.MethodVersion,
		Browser:       sc.BrowserVersion(),
		Axe:           scanner.AxeVersion,
		Scanner:       scanner.Version,
	}
	if !o.Shard.IsZero() {
		meta.Shard = o.Shard.String()
	}
	if old != nil && !o.Rescan {
		meta.Started = old.Started // the edition began with its first run
	}
	inCatalog := func() []Result {
		var rs []Result
		for _, p := range cat.Procedures {
			if r, ok := have[p.ID]; ok {
				rs = append(rs, r)
			}
		}
		return rs
	}
	setCounts := func() {
		rs := inCatalog()
		meta.Measured, meta.Failed = countOutcomes(rs)
		meta.Skipped = len(cat.Procedures) - len(rs)
		sum.Measured, sum.Failed, sum.Skipped = meta.Measured, meta.Failed, meta.Skipped
	}
	if o.Rescan {
		clear(have)
	}
	setCounts()
	if err := st.writeMeta(meta); err != nil {
		return nil, err
	}

	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	parallel := o.Parallel
	if parallel <= 0 {
		parallel = sc.Options().Concurrency
	}
	jobs := make(chan Procedure)
	var mu sync.Mutex // guards have, sum and the Progress calls
	var wg sync.WaitGroup
	for range min(parallel, max(len(todo), 1)) {
		wg.Go(func() {
			for p := range jobs {
				r, err := assessProcedure(ctx, sc, p, o)
				if err == nil {
					err = st.add(r)
				}
				if err != nil {
					if ctx.Err() == nil {
						cancel(fmt.Errorf("procedure %s: %w", p.ID, err))
					}
					continue
				}
				mu.Lock()
				have[p.ID] = *r
				sum.Scanned++
				done := len(have)
				if o.Progress != nil {
					o.Progress(Progress{Done: done, Total: len(cat.Procedures), Result: r})
				}
				mu.Unlock()
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

	setCounts()
	sum.Elapsed = time.Since(begin)
	if err := context.Cause(ctx); err != nil {
		// Interrupted or broken: the results so far are on disk; the
		// metadata says how many are missing.
		if merr := st.writeMeta(meta); merr != nil {
			err = errors.Join(err, merr)
		}
		return sum, err
	}
	// A clean end: one line per procedure, in catalogue order (a rescan
	// appended second lines; a changed catalogue left foreign ones).
	if err := st.compact(inCatalog()); err != nil {
		return sum, err
	}
	meta.Finished = time.Now().UTC()
	if meta.Browser == "" {
		meta.Browser = sc.BrowserVersion()
	}
	return sum, st.writeMeta(meta)
}

// assessProcedure scans one procedure and makes its result.
func assessProcedure(ctx context.Context, sc *scanner.Scanner, p Procedure, o ScanOptions) (*Result, error) {
	fig := o.Imports.Figures(p)
	a, err := Assess(ctx, sc, Target{
		URL:          p.URL,
		LoginURL:     p.LoginURL,
		ContactURL:   p.ContactURL,
		StatementURL: p.StatementURL,
		Declared:     p.Declared,
		JDMA:         fig.JDMA,
		Uptime:       fig.Uptime,
	}, o.Assess)
	if err != nil {
		return nil, err
	}
	return newResult(p, a), nil
}

// newResult names the outcome and the title of an assessed procedure.
func newResult(p Procedure, a *Assessment) *Result {
	r := &Result{Procedure: p, Outcome: Measured, Assessment: a, ScannedAt: time.Now().UTC()}
	start := a.Pages[PageStart]
	if start == nil || !start.Status.Loaded() {
		r.Outcome = Failed
		if start != nil {
			r.Reason = string(start.Status)
			if start.Reason != "" {
				r.Reason += ": " + start.Reason
			}
		}
	}
	r.Title = Title(p, start)
	return r
}

// Title is the name shown for a procedure: the catalogue's, else the start
// page's <title>, else the host of its URL.
func Title(p Procedure, start *scanner.Snapshot) string {
	if t := criteria.Normalize(p.Title); t != "" {
		return t
	}
	if start != nil && start.Status.Loaded() && start.Desktop != nil {
		if t := criteria.Normalize(start.Desktop.Title); t != "" {
			return t
		}
	}
	if u, err := url.Parse(p.URL); err == nil && u.Hostname() != "" {
		return u.Hostname()
	}
	return p.URL
}
