package scanner

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/target"
	"github.com/chromedp/chromedp"
)

// tab is the scan of one URL in one browser tab: the tab, what its events
// told, and the snapshot being filled. Each phase of the scan is a method
// that fills t.snap and reports whether the scan goes on; when it does not,
// t.snap's status and reason say why. scanPage runs them in order, then
// close.
type tab struct {
	s     *Scanner
	b     *instance
	url   string
	start time.Time
	snap  *Snapshot
	// hint tells Scan whether the failure, if any, is worth a second try.
	hint retryHint

	// ctx is the tab's, bounded by the page cap and by the caller's
	// context; cancel ends it (and closes the tab).
	ctx    context.Context
	cancel context.CancelFunc
	// id is the tab's target, once it is open.
	id target.ID
	ev *tabEvents
	// undo is what close runs, last first.
	undo []func()
	// arrival is what navigate saw, for classify to judge.
	arrival arrival
}

// arrival is the outcome of the navigation, as the navigate phase saw it.
type arrival struct {
	// err is page.Navigate's own failure; errorText the browser's net
	// error when the navigation did not commit.
	err       error
	errorText string
	// boundHit: the navigation bound ended before the navigation did.
	boundHit bool
	// loadTimedOut, loop, tooBig: what the wait for the load found.
	loadTimedOut, loop, tooBig bool
	// failed and blocked are the main request's net error and why the
	// browser blocked it; disposition its Content-Disposition.
	failed, blocked, disposition string
}

// scanPage does the work of Scan on one browser instance. The hint tells
// Scan whether the failure, if any, is worth a second try.
func (s *Scanner) scanPage(parent context.Context, b *instance, url string) (*Snapshot, retryHint) {
	t := s.newTab(b, url)
	defer t.close()
	if !t.open(parent) {
		return t.snap, t.hint
	}
	for _, phase := range []func() bool{
		t.navigate,
		t.classify,
		t.unfreeze,
		t.readDesktop,
		t.screenshotDesktop,
		t.readMobile,
		t.screenshotMobile,
	} {
		if !phase() {
			break
		}
	}
	return t.snap, t.hint
}

// newTab prepares the scan of url on b; open opens its tab.
func (s *Scanner) newTab(b *instance, url string) *tab {
	start := time.Now()
	return &tab{s: s, b: b, url: url, start: start,
		snap: &Snapshot{URL: url, ScannedAt: start.UTC(), Status: StatusOK,
			Versions: Versions{Browser: b.product, Axe: AxeVersion, Scanner: Version}}}
}

// deferred adds f to what close runs.
func (t *tab) deferred(f func()) { t.undo = append(t.undo, f) }

// open opens the tab, bounded by the page cap and by parent, listens to
// its events, answers its dialogs, closes its popups, and sets the desktop
// emulation and the user agent.
func (t *tab) open(parent context.Context) bool {
	popCtx := t.bind(parent)
	if err := chromedp.Do(t.ctx); err != nil {
		return t.end(StatusCrashed, "impossible d'ouvrir un onglet : "+err.Error())
	}
	t.id = chromedp.FromContext(t.ctx).Target.TargetID
	t.ev = newTabEvents(cdp.FrameID(t.id), int64(t.s.opts.MaxDocumentMB)<<20)
	if err := chromedp.Listen(t.ctx, t.ev.handle); err != nil {
		return t.end(StatusCrashed, "impossible d'écouter les événements de l'onglet : "+err.Error())
	}
	if err := t.s.closePopups(popCtx, t.b, t.id); err != nil {
		return t.end(StatusCrashed, "impossible de surveiller les fenêtres que la page ouvre : "+err.Error())
	}
	go t.answerDialogs()
	go t.endOnCrash()

	ua := t.b.userAgent + " " + userAgentToken()
	t.snap.Versions.UserAgent = ua
	if err := prepareTab(t.ctx, ua); err != nil {
		return t.fail(stepError{"préparation de l'onglet", err})
	}
	return true
}

// bind makes the tab's contexts and what close undoes of them. It returns
// the context the popups are closed on.
func (t *tab) bind(parent context.Context) (popCtx context.Context) {
	bctx := t.b.ctx
	// Popups are closed on a context that outlives the tab: a page can open
	// windows until its tab is gone.
	popCtx, popCancel := context.WithCancel(bctx)
	t.deferred(popCancel)
	tabCtx, closeTab := chromedp.NewContext(bctx)
	t.deferred(closeTab)
	// Closing the tab's context may not close a tab that is navigating
	// (a meta refresh loop): close it by its id as well, until the browser
	// no longer lists it.
	t.deferred(func() {
		if t.id != "" {
			closeTarget(bctx, t.id)
		}
	})
	// The total cap. The tab is bound to the first call's context, so the
	// cap also closes the tab when it fires.
	t.ctx, t.cancel = context.WithTimeout(tabCtx, t.s.opts.PageTimeout)
	t.deferred(t.cancel)
	stop := context.AfterFunc(parent, t.cancel)
	t.deferred(func() { stop() })
	return popCtx
}

// answerDialogs answers each dialog at once, until the tab ends: a dialog
// blocks the page's script and every evaluation after it (accept: leave
// on beforeunload, OK on alert).
func (t *tab) answerDialogs() {
	for {
		select {
		case <-t.ctx.Done():
			return
		case d := <-t.ev.dialogs:
			_, _ = chromedp.Call(t.ctx, page.HandleJavaScriptDialog, page.HandleJavaScriptDialogParams{Accept: true, PromptText: d.DefaultPrompt})
		}
	}
}

// endOnCrash ends the page at once when its renderer crashes: a crashed
// renderer answers nothing.
func (t *tab) endOnCrash() {
	select {
	case <-t.ev.crashed:
		t.cancel()
	case <-t.ctx.Done():
	}
}

// close closes the tab and whatever open set up, and records the total
// time.
func (t *tab) close() {
	for i := len(t.undo) - 1; i >= 0; i-- {
		t.undo[i]()
	}
	t.snap.Phases.Total = ms(time.Since(t.start))
}

// navigate loads the URL, bounded by the navigation timeout.
// page.navigate returns when the document commits (or fails); the load
// event may come much later, or never, and the page may then leave for
// another (a client-side redirect): navigate waits for a loaded document
// within the same bound. What it saw is for classify to judge.
func (t *tab) navigate() bool {
	t0 := time.Now()
	navCtx, navCancel := context.WithTimeout(t.ctx, t.s.opts.NavigationTimeout)
	res, err := chromedp.Call(navCtx, page.Navigate, page.NavigateParams{URL: t.url})
	t.snap.Phases.Navigate = ms(time.Since(t0))
	a := &t.arrival
	a.err = err
	if err == nil {
		a.errorText = res.ErrorText
	}
	if err == nil && res.ErrorText == "" {
		t0 = time.Now()
		a.loadTimedOut, a.loop, a.tooBig = waitSettled(navCtx, t.ev)
		t.snap.Phases.Settle = ms(time.Since(t0))
	}
	a.boundHit = navCtx.Err() != nil
	navCancel()
	t.ev.fill(t.snap)
	t.hint.remoteIP = t.ev.remoteIP()
	a.failed, a.blocked = t.ev.failure()
	a.disposition = t.ev.header("Content-Disposition")
	return true
}

// classify judges the answer: no document (the navigation failed, a
// download, a redirect loop, a connection cut), a document read as it is
// (too big, too slow to load), a retry worth asking for (503, 429), or a
// file that is not a web page. It returns whether there is a web page to
// read.
func (t *tab) classify() bool {
	if !t.arrived() {
		return false
	}
	t.stopIncompleteLoad()
	if t.snap.HTTPStatus == 503 || t.snap.HTTPStatus == 429 {
		t.hint.transient, t.hint.retryAfter = true, t.ev.header("Retry-After")
	}
	if !isHTML(t.snap.ContentType) {
		// An error status says more than its body's type: a 404 served as
		// text/plain is a missing page, not a document of another kind.
		if t.snap.HTTPStatus >= 400 {
			judgeAnswer(t.snap, "", "")
			return false
		}
		return t.end(StatusNotHTML, notHTMLReason(t.snap.ContentType))
	}
	return true
}

// arrived reports whether a document arrived; when none did, it says why
// in t.snap.
func (t *tab) arrived() bool {
	a := t.arrival
	switch {
	case t.ev.isCrashed():
		return t.end(StatusCrashed, "l'onglet du navigateur s'est arrêté pendant le chargement de la page")
	case a.err != nil && a.boundHit:
		t.hint.transient = true
		if t.ctx.Err() != nil {
			return t.end(StatusTimeout, "pas de réponse dans la limite par page ("+frDuration(t.s.opts.PageTimeout)+")")
		}
		return t.end(StatusTimeout, "délai de navigation dépassé ("+frDuration(t.s.opts.NavigationTimeout)+")")
	case a.err != nil:
		return t.fail(stepError{"navigation", a.err})
	case isAttachment(a.disposition):
		return t.end(StatusNotHTML, "l'adresse est un téléchargement (Content-Disposition: "+a.disposition+"), pas une page web")
	case a.errorText != "":
		return t.notLoaded()
	case a.loop:
		return t.end(StatusNetwork, t.loopReason())
	case a.failed != "" && !strings.Contains(a.failed, "ERR_ABORTED"):
		// The document committed, then its connection failed: what
		// arrived is a fragment of the page.
		t.hint.transient = isTransientNetError(a.failed)
		return t.end(classifyNetError(a.failed), "la connexion a été coupée pendant le chargement de la page : "+a.failed)
	}
	return true
}

// notLoaded explains a navigation that did not commit: the browser's net
// error, or a file it will not show.
func (t *tab) notLoaded() bool {
	a := t.arrival
	text := a.errorText
	if a.failed != "" {
		text = a.failed
	}
	// A file the browser will not show aborts the navigation after the
	// response arrived.
	if ct := t.snap.ContentType; ct != "" && !isHTML(ct) {
		return t.end(StatusNotHTML, notHTMLReason(ct))
	}
	reason := "le navigateur n'a pas pu charger la page : " + text
	if a.blocked != "" {
		reason += " (bloquée : " + a.blocked + ")"
	}
	st := classifyNetError(text)
	t.hint.transient = st == StatusTimeout || isTransientNetError(text)
	return t.end(st, reason)
}

// loopReason explains a client-side redirect loop.
func (t *tab) loopReason() string {
	return fmt.Sprintf("boucle de redirections côté client : %d redirections par script ou meta refresh, %s quittée %d fois", len(t.snap.Redirects), t.snap.FinalURL, loopVisits)
}

// stopIncompleteLoad stops the load of a document that is too big or too
// slow, and marks the page partial: its facts are read from what arrived.
func (t *tab) stopIncompleteLoad() {
	switch {
	case t.arrival.tooBig:
		_, _ = chromedp.Call(t.ctx, page.StopLoading, cdp.Empty{})
		t.snap.Status = StatusPartial
		t.snap.Reason = fmt.Sprintf("la page pèse plus de %d Mo : son chargement a été arrêté, les faits sont lus sur ce qui était arrivé", t.s.opts.MaxDocumentMB)
	case t.arrival.loadTimedOut:
		// Show what arrived: stop the load and read the page as it is.
		_, _ = chromedp.Call(t.ctx, page.StopLoading, cdp.Empty{})
		t.snap.Status = StatusPartial
		t.snap.Reason = "la page n'a pas fini de charger en " + frDuration(t.s.opts.NavigationTimeout) + " : les faits sont lus sur ce qui était arrivé"
	}
}

// unfreeze stops a script of the page that holds the renderer (a loop that
// never yields), so that the page can be read as it is.
func (t *tab) unfreeze() bool {
	if !busy(t.ctx, t.ev) {
		return true
	}
	if err := stopScript(t.ctx); err != nil {
		return t.fail(stepError{"arrêt d'un script qui ne rend jamais la main", err})
	}
	t.snap.Status = StatusPartial
	t.snap.Reason = "un script de la page occupait le navigateur sans jamais rendre la main : il a été arrêté avant la lecture des faits"
	return true
}

// readDesktop reads the desktop document (readDocument) on a document that
// stays loaded for quietPeriod. A page that leaves while it is read (a
// client-side redirect) is followed, within a new navigation bound, and
// the new document read again.
func (t *tab) readDesktop() bool {
	loaded := time.Now()
	for tries := 0; ; tries++ {
		gen := t.ev.navigations()
		err := t.readDocument()
		// A read that failed while the page moved failed because of it:
		// the new document may lack axe-core, or its body.
		moved := err != nil && (isNavigatedAway(err) || t.ev.navigations() != gen)
		if err == nil {
			t0 := time.Now()
			moved = !stays(t.ctx, t.ev, gen, loaded.Add(quietPeriod))
			t.snap.Phases.Settle += ms(time.Since(t0))
		}
		if !moved {
			if err != nil {
				return t.fail(err)
			}
			return true
		}
		if tries == maxClientRedirects {
			return t.end(StatusNetwork, fmt.Sprintf("boucle de redirections côté client : la page est repartie pendant sa lecture (%d fois)", tries+1))
		}
		if !t.follow() {
			return false
		}
		loaded = time.Now()
	}
}

// follow waits, within a new navigation bound, for the document the page
// left for, and reports whether one settled without a redirect loop.
func (t *tab) follow() bool {
	t0 := time.Now()
	wctx, wcancel := context.WithTimeout(t.ctx, t.s.opts.NavigationTimeout)
	_, loop, _ := waitSettled(wctx, t.ev)
	wcancel()
	t.snap.Phases.Settle += ms(time.Since(t0))
	t.ev.fill(t.snap)
	if loop {
		return t.end(StatusNetwork, t.loopReason())
	}
	return true
}

// readDocument runs the reads of one desktop document in order: its facts
// and the judgement of the answer, then, unless the answer is an error or
// a refusal, axe-core. A read in the same document belongs here, after
// those it needs: all of them run again when the page leaves during one.
// A second run (after a client-side redirect) replaces what the first one
// found.
func (t *tab) readDocument() error {
	if t.snap.Status == StatusHTTPError || t.snap.Status == StatusBlocked {
		t.snap.Status, t.snap.Reason = StatusOK, ""
	}
	if err := t.desktopFacts(); err != nil {
		return err
	}
	if t.refusedAnswer() {
		return nil
	}
	if !t.s.opts.NoAxe {
		if err := t.axe(); err != nil {
			return err
		}
		t.ownRGAA()
	}
	return nil
}

// ownRGAA runs the observatory's own RGAA tests (rgaa.go) after axe-core,
// on the same document: inside the quiet-period loop, so that a page that
// leaves meanwhile is tested again on its new document.
func (t *tab) ownRGAA() {
	t.s.runRGAA(t.ctx, t.snap)
}

// refusedAnswer reports whether the server answered an error or refused
// the scanner: such a page is not checked further.
func (t *tab) refusedAnswer() bool {
	return t.snap.HTTPStatus >= 400 || t.snap.Status == StatusBlocked
}

// desktopFacts reads the desktop facts and judges the answer by them.
func (t *tab) desktopFacts() error {
	t0 := time.Now()
	r, err := t.collect("desktop")
	t.snap.Phases.Facts += ms(time.Since(t0))
	if err != nil {
		return stepError{"lecture de la page sur ordinateur", err}
	}
	t.snap.Desktop, t.snap.Timings, t.snap.Axe = r.Facts, r.Timings, nil
	judgeAnswer(t.snap, r.Facts.Title, r.Facts.Text)
	return nil
}

// axe runs axe-core's RGAA rules on the document.
func (t *tab) axe() error {
	t0 := time.Now()
	ax, err := runAxe(t.ctx, t.s.opts.AxeTimeout, &t.snap.Phases)
	t.snap.Phases.Axe += ms(time.Since(t0))
	if err != nil {
		return stepError{"exécution d'axe-core", err}
	}
	t.snap.Axe = ax
	return nil
}

// readMobile reads the mobile facts of a page that answered: the same
// document re-laid out in the phone's viewport. The viewport meta tag
// applies as soon as mobile emulation is on, so no second load is needed.
func (t *tab) readMobile() bool {
	if t.refusedAnswer() {
		return false
	}
	t0 := time.Now()
	if err := emulateMobile(t.ctx, t.b.userAgent); err != nil {
		return t.fail(stepError{"émulation d'un téléphone", err})
	}
	r, err := t.collect("mobile")
	if err != nil {
		return t.fail(stepError{"lecture de la page sur téléphone", err})
	}
	t.snap.Mobile = r.Facts
	t.snap.Phases.Mobile = ms(time.Since(t0))
	return true
}

// screenshotDesktop and screenshotMobile keep an image of the viewport as
// evidence. A failure is not fatal: the scan goes on.
func (t *tab) screenshotDesktop() bool { t.screenshot("desktop", 0.5); return true }

func (t *tab) screenshotMobile() bool { t.screenshot("mobile", 1); return true }

// collect runs facts.js in one emulation, bounded by the settle timeout.
func (t *tab) collect(mode string) (*evalResult, error) {
	return collect(t.ctx, t.s.opts.SettleTimeout, mode)
}

// screenshot captures the viewport into t.snap, unless screenshots are
// off.
func (t *tab) screenshot(name string, scale float64) {
	if t.s.opts.NoScreenshots {
		return
	}
	t0 := time.Now()
	defer func() { t.snap.Phases.Screenshot += ms(time.Since(t0)) }()
	if shot, ok := screenshot(t.ctx, name, scale); ok {
		if t.snap.Screenshots == nil {
			t.snap.Screenshots = map[string]Screenshot{}
		}
		t.snap.Screenshots[name] = shot
	}
}

// end sets the snapshot's status and reason, and returns false: the scan
// ends there.
func (t *tab) end(st Status, reason string) bool {
	t.snap.Status, t.snap.Reason = st, reason
	return false
}

// fail ends the scan after a step failed: crashed when the tab crashed,
// partial otherwise (the facts read so far are kept), with the reason.
func (t *tab) fail(err error) bool {
	return t.end(t.failure(err))
}

// stepError is the failure of one step of a page scan; step names the
// step in the reason.
type stepError struct {
	step string
	err  error
}

func (e stepError) Error() string { return e.step + " : " + e.err.Error() }

func (e stepError) Unwrap() error { return e.err }

// failure explains the failure of a step.
func (t *tab) failure(err error) (Status, string) {
	step, cause := "", err
	var se stepError
	if errors.As(err, &se) {
		step, cause = se.step, se.err
	}
	switch {
	case t.ev.isCrashed():
		return StatusCrashed, "l'onglet du navigateur s'est arrêté (" + step + ")"
	case errors.Is(cause, context.DeadlineExceeded) && t.ctx.Err() != nil:
		return StatusPartial, "limite par page (" + frDuration(t.s.opts.PageTimeout) + ") atteinte pendant : " + step
	case errors.Is(cause, context.DeadlineExceeded):
		return StatusPartial, "délai dépassé pendant : " + step + " (la page est peut-être occupée, par exemple par un script qui ne rend jamais la main)"
	}
	return StatusPartial, step + " : " + firstLine(cause.Error(), 200)
}
