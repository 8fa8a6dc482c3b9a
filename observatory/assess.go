// Package observatory is the model of one procedure: what a catalogue says
// of it (Procedure), how it is assessed (Target, Assess: its start page,
// its contact, statement and sign-in pages, rated on the eight criteria)
// and its line in an edition (Result, Outcome). The packages under it
// build on this model: catalog reads catalogues, edition scans and
// stores editions, site publishes them, gate is the CI gate.
package observatory

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/observatoire-scanner/observatoire/criteria"
	"github.com/observatoire-scanner/observatoire/scanner"
)

// Target is one procedure to assess: its start URL, the second pages the
// catalogue names (empty: found on the start page), and what is declared
// or imported about it.
type Target struct {
	URL          string
	LoginURL     string
	ContactURL   string
	StatementURL string
	Declared     criteria.Declared
	JDMA         *criteria.JDMA
	Uptime       *criteria.Uptime
}

// AssessOptions bound the work done for one procedure.
type AssessOptions struct {
	// Probes configures the plain HTTP probes of the start URL; a Count of
	// -1 disables them.
	Probes scanner.ProbeOptions
	// Now dates the verdicts (zero: time.Now).
	Now time.Time
	// Pages, when set, is the scan's page memory: a page or probe set
	// already loaded in this scan is copied from it instead of being
	// loaded again (see Pages).
	Pages *Pages
}

// Page roles in Assessment.Pages.
const (
	PageStart     = "start"
	PageContact   = "contact"
	PageStatement = "statement"
	PageLogin     = "login"
)

// Assessment is the outcome for one procedure: the snapshots of its pages,
// the probes, and the eight verdicts.
type Assessment struct {
	URL string `json:"url"`
	// FollowUps are the second pages that were chosen (from the catalogue
	// or found on the start page).
	FollowUps criteria.FollowUps `json:"follow_ups"`
	// Pages are keyed by role (PageStart, PageContact...).
	Pages    map[string]*scanner.Snapshot `json:"pages"`
	Probes   []scanner.Probe              `json:"probes,omitempty"`
	Criteria criteria.Results             `json:"criteria"`
	// Reused lists, in role order, the pages (PageStart...) whose
	// snapshot was copied from an earlier load of the same URL in this
	// scan, for another procedure, instead of being loaded again; "probes"
	// when the probes were.
	Reused []string `json:"reused,omitempty"`
}

// ReusedProbes is the entry of Assessment.Reused for probes copied from
// an earlier run in the same scan.
const ReusedProbes = "probes"

// Assess scans a procedure's start page, chooses its second pages (the
// catalogue's, else those the start page links to), scans them and probes
// the start URL at once, and rates the whole on the eight criteria. The
// error is non-nil only when ctx ends or the browser cannot run: a page
// that fails is a snapshot with its status, and its criteria say
// not-measured.
func Assess(ctx context.Context, sc *scanner.Scanner, t Target, o AssessOptions) (*Assessment, error) {
	now := o.Now
	if now.IsZero() {
		now = time.Now()
	}
	a := &Assessment{URL: t.URL, Pages: map[string]*scanner.Snapshot{}}

	load := func(ctx context.Context, u string) (*scanner.Snapshot, bool, error) {
		if o.Pages == nil {
			s, err := sc.Scan(ctx, u)
			return s, false, err
		}
		return o.Pages.Scan(ctx, sc, u)
	}
	reused := map[string]bool{}
	var probesAgain bool

	var wg sync.WaitGroup
	if o.Probes.Count >= 0 {
		// The probes obey the scanner's refusal of private addresses: a
		// catalogue from an untrusted source must not reach the local
		// network through them either.
		po := o.Probes
		po.RefusePrivate = po.RefusePrivate || sc.Options().RefusePrivate
		probe := func() []scanner.Probe { return scanner.ProbeURL(ctx, t.URL, po) }
		if o.Pages == nil {
			wg.Go(func() { a.Probes = probe() })
		} else {
			wg.Go(func() { a.Probes, probesAgain = o.Pages.Probe(ctx, sc, t.URL, probe) })
		}
	}
	start, again, err := load(ctx, t.URL)
	if err != nil {
		wg.Wait()
		return nil, err
	}
	reused[PageStart] = again
	a.Pages[PageStart] = start
	a.FollowUps = criteria.FindFollowUps(start, criteria.FollowUps{
		Contact: t.ContactURL, Statement: t.StatementURL, Login: t.LoginURL,
	})
	roles := []string{PageContact, PageStatement, PageLogin}
	urls := []string{a.FollowUps.Contact, a.FollowUps.Statement, a.FollowUps.Login}
	var todo []string
	var todoRoles []string
	for i, u := range urls {
		if u == start.URL || u == start.FinalURL {
			// The start page is its own second page (a statement page
			// started on): it is not loaded twice.
			a.Pages[roles[i]] = start
			continue
		}
		if u != "" {
			todo, todoRoles = append(todo, u), append(todoRoles, roles[i])
		}
	}
	snaps := make([]*scanner.Snapshot, len(todo))
	agains := make([]bool, len(todo))
	errs := make([]error, len(todo))
	var pw sync.WaitGroup
	for i, u := range todo {
		pw.Go(func() { snaps[i], agains[i], errs[i] = load(ctx, u) })
	}
	pw.Wait()
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	for i, s := range snaps {
		a.Pages[todoRoles[i]] = s
		reused[todoRoles[i]] = agains[i]
	}
	for _, role := range []string{PageStart, PageContact, PageStatement, PageLogin} {
		if reused[role] {
			a.Reused = append(a.Reused, role)
		}
	}
	if probesAgain {
		a.Reused = append(a.Reused, ReusedProbes)
	}
	a.Criteria = criteria.Evaluate(criteria.Input{
		Start:     start,
		Contact:   a.Pages[PageContact],
		Statement: a.Pages[PageStatement],
		Login:     a.Pages[PageLogin],
		Probes:    a.Probes,
		Declared:  t.Declared,
		JDMA:      t.JDMA,
		Uptime:    t.Uptime,
		Now:       now,
	})
	return a, nil
}

// Browser assesses procedures in a scanner's browser, with the same
// options for each: what edition.Scan needs of a scanner. When
// Options.Pages is set, the procedures share the pages they have in
// common (one load per distinct URL); edition.Scan gives a Browser
// without one a new page memory for each scan.
type Browser struct {
	Scanner *scanner.Scanner
	Options AssessOptions
}

// Assess assesses one procedure (see the function Assess).
func (b Browser) Assess(ctx context.Context, t Target) (*Assessment, error) {
	return Assess(ctx, b.Scanner, t, b.Options)
}

// Version starts the browser if it is not running, so that a broken
// installation is reported before any procedure is scanned, and returns
// its product ("Chrome/156.0.8078.79").
func (b Browser) Version(ctx context.Context) (string, error) {
	if err := b.Scanner.Start(ctx); err != nil {
		return "", err
	}
	return b.Scanner.BrowserVersion(), nil
}
