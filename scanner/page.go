package scanner

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/inspector"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/cdproto/target"
	"github.com/chromedp/chromedp"
)

// The two emulations. Mobile is the device Lighthouse uses (Moto G Power).
const (
	desktopWidth, desktopHeight = 1366, 768
	mobileWidth, mobileHeight   = 412, 823
	mobileScale                 = 1.75
	// screenshotMaxWidth caps the width of a screenshot in image pixels.
	screenshotMaxWidth = 800
)

// maxClientRedirects is how many client-side redirects (script, meta
// refresh) are followed before the page is called a redirect loop.
const maxClientRedirects = 10

// loopVisits is how many times a page may be left by a client-side
// redirect before it is a loop: once is a page reloading itself after
// setting a cookie, three times is not.
const loopVisits = 3

// quietPeriod is how long a loaded page must stay on its document before
// what was read of it counts: a script or meta refresh that leaves at once
// is a client-side redirect, and the facts are the target's. No DevTools
// event announces such a redirect before it is asked for (a load handler's
// timer is known to nobody; Page.frameRequestedNavigation comes when the
// page asks, and the protocol cdproto speaks has no
// frameScheduledNavigation), so only time can tell. The period runs while
// the desktop facts and axe-core are read, not before them: a redirect
// asked for during the reads destroys their script's context or moves the
// tab's navigation count, and the reads start again on the new document.
// Only what remains of the period after the reads is waited for (part of
// Phases.Settle); axe-core alone usually outlasts it.
const quietPeriod = 250 * time.Millisecond

// tabEvents gathers, from the tab's ordered event stream, what the DOM
// cannot tell: the main document's redirects, response and failure, the
// load event, a renderer crash and the windows the page tried to open.
type tabEvents struct {
	mainFrame cdp.FrameID
	maxBytes  int64

	mu        sync.Mutex
	mainReq   network.RequestID
	requested string // URL of the current main request
	redirects []Redirect
	resp      *network.Response
	failed    string
	blocked   string
	// pending: a main-frame navigation was asked for and has not committed
	// or failed; unloaded: the current document has not fired load.
	pending, unloaded bool
	loads             int
	navs              int // main-frame navigations asked for, started or committed
	clientRedirects   int
	visits            map[string]int // client-side redirects per URL left
	loop              bool
	bytes             int64
	popups            int

	changed   chan struct{} // a nudge after each event above
	tooBig    chan struct{}
	bigOnce   sync.Once
	crashed   chan struct{}
	crashOnce sync.Once
	dialogs   chan *page.EventJavascriptDialogOpening
}

func newTabEvents(frame cdp.FrameID, maxBytes int64) *tabEvents {
	return &tabEvents{
		mainFrame: frame,
		maxBytes:  maxBytes,
		visits:    map[string]int{},
		changed:   make(chan struct{}, 1),
		tooBig:    make(chan struct{}),
		crashed:   make(chan struct{}),
		dialogs:   make(chan *page.EventJavascriptDialogOpening, 16),
	}
}

// handle runs in the tab's read loop: it must be quick and send no command.
func (e *tabEvents) handle(ev any) {
	e.mu.Lock()
	defer e.mu.Unlock()
	switch ev := ev.(type) {
	case *network.EventRequestWillBeSent:
		if ev.Type != network.ResourceTypeDocument || ev.FrameID != e.mainFrame || ev.Request == nil {
			return
		}
		switch {
		case ev.RedirectResponse != nil:
			e.redirects = append(e.redirects, Redirect{URL: ev.RedirectResponse.URL, Status: int(ev.RedirectResponse.Status)})
		case e.resp != nil:
			// A new document after a response: a client-side redirect
			// (script or meta refresh). Status 0 marks it.
			e.redirects = append(e.redirects, Redirect{URL: e.resp.URL})
			e.clientRedirects++
			e.visits[e.resp.URL]++
			if e.visits[e.resp.URL] >= loopVisits {
				e.loop = true
			}
			e.resp, e.failed, e.blocked, e.bytes = nil, "", "", 0
		}
		e.mainReq, e.requested = ev.RequestID, ev.Request.URL
		e.pending = true
		e.navs++
	case *page.EventFrameRequestedNavigation:
		if ev.FrameID != e.mainFrame || ev.Disposition != page.ClientNavigationDispositionCurrentTab || sameDocument(ev.URL, e.current()) {
			return
		}
		e.pending = true
		e.navs++
	case *page.EventFrameNavigated:
		if ev.Frame == nil || ev.Frame.ParentID != "" {
			return
		}
		e.pending, e.unloaded = false, true
		e.navs++
	case *network.EventResponseReceived:
		if ev.RequestID == e.mainReq {
			e.resp = ev.Response
		}
		return
	case *network.EventDataReceived:
		if ev.RequestID == e.mainReq {
			e.bytes += ev.DataLength
			if e.bytes > e.maxBytes {
				e.bigOnce.Do(func() { close(e.tooBig) })
			}
		}
		return
	case *network.EventLoadingFailed:
		if ev.RequestID != e.mainReq {
			return
		}
		e.failed = ev.ErrorText
		if ev.BlockedReason != "" {
			e.blocked = string(ev.BlockedReason)
		}
		e.pending = false
	case *page.EventLoadEventFired:
		e.unloaded = false
		e.loads++
	case *inspector.EventTargetCrashed:
		e.crashOnce.Do(func() { close(e.crashed) })
	case *page.EventJavascriptDialogOpening:
		select {
		case e.dialogs <- ev:
		default: // a page that floods dialogs: the handler is busy anyway
		}
		return
	case *page.EventWindowOpen:
		e.popups++
		return
	default:
		return
	}
	select {
	case e.changed <- struct{}{}:
	default:
	}
}

// current is the URL of the main document; e.mu is held.
func (e *tabEvents) current() string {
	if e.resp != nil {
		return e.resp.URL
	}
	return e.requested
}

// sameDocument reports whether navigating from cur to next only changes
// the fragment, which loads nothing.
func sameDocument(next, cur string) bool {
	n, _, _ := strings.Cut(next, "#")
	c, _, _ := strings.Cut(cur, "#")
	return n == c && strings.Contains(next, "#")
}

// settled reports whether the tab shows a loaded document with no
// navigation under way, and whether its client-side redirects loop.
func (e *tabEvents) settled() (ok, loop bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	// A document whose connection failed after it committed fires load
	// only when the nav timeout stops it: what arrived is all there is.
	cut := e.failed != "" && !e.pending && e.resp != nil
	return cut || e.loads > 0 && !e.pending && !e.unloaded, e.loop || e.clientRedirects > maxClientRedirects
}

// navigations counts the main frame's navigations so far: a reader that
// saw the same count before and after its read read one document.
func (e *tabEvents) navigations() int {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.navs
}

// fill copies the HTTP outcome into snap.
func (e *tabEvents) fill(snap *Snapshot) {
	e.mu.Lock()
	defer e.mu.Unlock()
	snap.Redirects = append([]Redirect(nil), e.redirects...)
	snap.FinalURL = e.requested
	if e.resp != nil {
		snap.FinalURL = e.resp.URL
		snap.HTTPStatus = int(e.resp.Status)
		snap.ContentType = e.resp.MimeType
	}
	snap.Popups = e.popups
}

func (e *tabEvents) failure() (text, blocked string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.failed, e.blocked
}

// header returns a header of the main document's response, or "".
func (e *tabEvents) header(name string) string {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.resp == nil {
		return ""
	}
	for k, v := range e.resp.Headers {
		if strings.EqualFold(k, name) {
			s, _ := v.(string)
			return s
		}
	}
	return ""
}

func (e *tabEvents) remoteIP() string {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.resp == nil {
		return ""
	}
	return e.resp.RemoteIPAddress
}

// isAttachment reports whether a Content-Disposition makes the response a
// download.
func isAttachment(disposition string) bool {
	return strings.HasPrefix(strings.ToLower(strings.TrimSpace(disposition)), "attachment")
}

// evalResult is what facts.js returns.
type evalResult struct {
	Facts   *Facts  `json:"facts"`
	Timings Timings `json:"timings"`
	Error   string  `json:"error"`
}

// scanPage does the work of Scan on one browser instance. The hint tells
// Scan whether the failure, if any, is worth a second try.
func (s *Scanner) scanPage(parent context.Context, b *instance, url string) (snap *Snapshot, hint retryHint) {
	start := time.Now()
	snap = &Snapshot{URL: url, ScannedAt: start.UTC(), Status: StatusOK,
		Versions: Versions{Browser: b.product, Axe: AxeVersion, Scanner: Version}}
	defer func() { snap.Phases.Total = ms(time.Since(start)) }()

	// Popups are closed on a context that outlives the tab: a page can open
	// windows until its tab is gone.
	popCtx, popCancel := context.WithCancel(b.ctx)
	defer popCancel()
	tabCtx, closeTab := chromedp.NewContext(b.ctx)
	defer closeTab()
	var tabID target.ID
	// Closing the tab's context may not close a tab that is navigating
	// (a meta refresh loop): close it by its id as well, until the browser
	// no longer lists it.
	defer func() {
		if tabID != "" {
			closeTarget(b.ctx, tabID)
		}
	}()
	// The total cap. The tab is bound to the first call's context, so the
	// cap also closes the tab when it fires.
	ctx, cancel := context.WithTimeout(tabCtx, s.opts.PageTimeout)
	defer cancel()
	stop := context.AfterFunc(parent, cancel)
	defer stop()

	if err := chromedp.Do(ctx); err != nil {
		snap.Status, snap.Reason = StatusCrashed, "could not open a tab: "+err.Error()
		return snap, hint
	}
	t := chromedp.FromContext(ctx).Target
	tabID = t.TargetID
	ev := newTabEvents(cdp.FrameID(t.TargetID), int64(s.opts.MaxDocumentMB)<<20)
	if err := chromedp.Listen(ctx, ev.handle); err != nil {
		snap.Status, snap.Reason = StatusCrashed, "could not listen to the tab: "+err.Error()
		return snap, hint
	}
	if err := s.closePopups(popCtx, b, t.TargetID); err != nil {
		snap.Status, snap.Reason = StatusCrashed, "could not watch for popups: "+err.Error()
		return snap, hint
	}
	// A dialog blocks the page's script and every evaluation after it:
	// answer each one at once (accept: leave on beforeunload, OK on alert).
	go func() {
		for {
			select {
			case <-ctx.Done():
				return
			case d := <-ev.dialogs:
				_, _ = chromedp.Call(ctx, page.HandleJavaScriptDialog, page.HandleJavaScriptDialogParams{Accept: true, PromptText: d.DefaultPrompt})
			}
		}
	}()
	// A crashed renderer answers nothing: end the page at once.
	go func() {
		select {
		case <-ev.crashed:
			cancel()
		case <-ctx.Done():
		}
	}()

	ua := b.userAgent + " " + userAgentToken()
	snap.Versions.UserAgent = ua
	if err := s.prepareTab(ctx, ua); err != nil {
		snap.Status, snap.Reason = s.failStatus(ctx, ev, "prepare the tab", err)
		return snap, hint
	}

	// Navigate, bounded. page.navigate returns when the document commits
	// (or fails); the load event may come much later, or never, and the
	// page may then leave for another (a client-side redirect).
	t0 := time.Now()
	navCtx, navCancel := context.WithTimeout(ctx, s.opts.NavigationTimeout)
	res, err := chromedp.Call(navCtx, page.Navigate, page.NavigateParams{URL: url})
	snap.Phases.Navigate = ms(time.Since(t0))
	committed := err == nil && res.ErrorText == ""
	loadTimedOut, loop, tooBig := false, false, false
	if committed {
		t0 = time.Now()
		loadTimedOut, loop, tooBig = waitSettled(navCtx, ev)
		snap.Phases.Settle = ms(time.Since(t0))
	}
	navErr := navCtx.Err()
	navCancel()
	ev.fill(snap)
	hint.remoteIP = ev.remoteIP()
	failed, blocked := ev.failure()
	download := isAttachment(ev.header("Content-Disposition"))

	switch {
	case isCrashed(ev):
		snap.Status, snap.Reason = StatusCrashed, "the tab crashed while loading the page"
		return snap, hint
	case err != nil && navErr != nil:
		snap.Status, snap.Reason = StatusTimeout, fmt.Sprintf("no answer within the navigation timeout (%s)", s.opts.NavigationTimeout)
		if ctx.Err() != nil {
			snap.Reason = fmt.Sprintf("no answer within the page cap (%s)", s.opts.PageTimeout)
		}
		hint.transient = true
		return snap, hint
	case err != nil:
		snap.Status, snap.Reason = s.failStatus(ctx, ev, "navigate", err)
		return snap, hint
	case download:
		snap.Status, snap.Reason = StatusNotHTML, "the URL is a download (Content-Disposition: "+ev.header("Content-Disposition")+"), not a web page"
		return snap, hint
	case res.ErrorText != "":
		text := res.ErrorText
		if failed != "" {
			text = failed
		}
		// A file the browser will not show aborts the navigation after the
		// response arrived.
		if snap.ContentType != "" && !isHTML(snap.ContentType) {
			snap.Status, snap.Reason = StatusNotHTML, "the URL serves "+snap.ContentType+", not a web page"
			return snap, hint
		}
		snap.Status, snap.Reason = classifyNetError(text), "the browser could not load the page: "+text
		if blocked != "" {
			snap.Reason += " (blocked: " + blocked + ")"
		}
		hint.transient = snap.Status == StatusTimeout || isTransientNetError(text)
		return snap, hint
	case loop:
		snap.Status, snap.Reason = StatusNetwork, fmt.Sprintf("client-side redirect loop: %d redirects by script or meta refresh, %s left %d times", len(snap.Redirects), snap.FinalURL, loopVisits)
		return snap, hint
	case failed != "" && !strings.Contains(failed, "ERR_ABORTED"):
		// The document committed, then its connection failed: what
		// arrived is a fragment of the page.
		snap.Status, snap.Reason = classifyNetError(failed), "the page's connection failed while it loaded: "+failed
		hint.transient = isTransientNetError(failed)
		return snap, hint
	}
	switch {
	case tooBig:
		_, _ = chromedp.Call(ctx, page.StopLoading, cdp.Empty{})
		snap.Status = StatusPartial
		snap.Reason = fmt.Sprintf("the page weighs more than %d MB; loading was stopped and facts read from what had arrived", s.opts.MaxDocumentMB)
	case loadTimedOut:
		// Show what arrived: stop the load and read the page as it is.
		_, _ = chromedp.Call(ctx, page.StopLoading, cdp.Empty{})
		snap.Status = StatusPartial
		snap.Reason = fmt.Sprintf("the page did not finish loading within %s; facts read from what had arrived", s.opts.NavigationTimeout)
	}
	if snap.HTTPStatus == 503 || snap.HTTPStatus == 429 {
		hint.transient, hint.retryAfter = true, ev.header("Retry-After")
	}
	httpError := snap.HTTPStatus >= 400
	if !isHTML(snap.ContentType) {
		// An error status says more than its body's type: a 404 served as
		// text/plain is a missing page, not a document of another kind.
		if httpError {
			judgeAnswer(snap, "", "")
			return snap, hint
		}
		snap.Status, snap.Reason = StatusNotHTML, "the URL serves "+snap.ContentType+", not a web page"
		return snap, hint
	}

	// Desktop facts and axe-core, on a document that stays loaded for
	// quietPeriod. A page whose own script holds the renderer (a loop that
	// never yields) is stopped first, so that it can be read as it is.
	if busy(ctx, ev) {
		if err := stopScript(ctx); err != nil {
			s.partial(ctx, snap, ev, "stop a script that never yields", err)
			return snap, hint
		}
		snap.Status = StatusPartial
		snap.Reason = "a script of the page held the browser and never yielded; it was stopped before the facts were read"
	}
	loaded := time.Now()
	for tries := 0; ; tries++ {
		gen := ev.navigations()
		step, err := s.readDesktop(ctx, snap)
		// A read that failed while the page moved failed because of it:
		// the new document may lack axe-core, or its body.
		moved := err != nil && (isNavigatedAway(err) || ev.navigations() != gen)
		if err == nil {
			t0 := time.Now()
			moved = !stays(ctx, ev, gen, loaded.Add(quietPeriod))
			snap.Phases.Settle += ms(time.Since(t0))
		}
		if !moved {
			if err != nil {
				s.partial(ctx, snap, ev, step, err)
				return snap, hint
			}
			break
		}
		// The page left while it was read (a client-side redirect): follow
		// it, within a new navigation bound, and read the new document.
		if tries == maxClientRedirects {
			snap.Status, snap.Reason = StatusNetwork, fmt.Sprintf("client-side redirect loop: the page kept leaving while it was read (%d times)", tries+1)
			return snap, hint
		}
		t0 := time.Now()
		wctx, wcancel := context.WithTimeout(ctx, s.opts.NavigationTimeout)
		_, loop, _ := waitSettled(wctx, ev)
		wcancel()
		snap.Phases.Settle += ms(time.Since(t0))
		ev.fill(snap)
		if loop {
			snap.Status, snap.Reason = StatusNetwork, fmt.Sprintf("client-side redirect loop: %d redirects by script or meta refresh, %s left %d times", len(snap.Redirects), snap.FinalURL, loopVisits)
			return snap, hint
		}
		loaded = time.Now()
	}
	s.screenshot(ctx, snap, "desktop", 0.5)
	if snap.HTTPStatus >= 400 || snap.Status == StatusBlocked {
		return snap, hint
	}

	// Mobile: the same document re-laid out in the phone's viewport. The
	// viewport meta tag applies as soon as mobile emulation is on, so no
	// second load is needed.
	t0 = time.Now()
	if err := s.emulateMobile(ctx, b.userAgent); err != nil {
		s.partial(ctx, snap, ev, "emulate a phone", err)
		return snap, hint
	}
	r, err := s.collect(ctx, "mobile")
	if err != nil {
		s.partial(ctx, snap, ev, "read the mobile facts", err)
		return snap, hint
	}
	snap.Mobile = r.Facts
	snap.Phases.Mobile = ms(time.Since(t0))
	s.screenshot(ctx, snap, "mobile", 1)
	return snap, hint
}

// readDesktop reads the desktop facts of the tab's document into snap,
// judges the answer, and runs axe-core unless the answer is an error or a
// refusal. It returns the step that failed, if one did. A second read (after
// a client-side redirect) replaces what the first one found.
func (s *Scanner) readDesktop(ctx context.Context, snap *Snapshot) (step string, err error) {
	if snap.Status == StatusHTTPError || snap.Status == StatusBlocked {
		snap.Status, snap.Reason = StatusOK, ""
	}
	t0 := time.Now()
	r, err := s.collect(ctx, "desktop")
	snap.Phases.Facts += ms(time.Since(t0))
	if err != nil {
		return "read the DOM facts", err
	}
	snap.Desktop, snap.Timings, snap.Axe = r.Facts, r.Timings, nil
	judgeAnswer(snap, r.Facts.Title, r.Facts.Text)
	if snap.HTTPStatus >= 400 || snap.Status == StatusBlocked || s.opts.NoAxe {
		return "", nil
	}
	t0 = time.Now()
	ax, err := s.runAxe(ctx, &snap.Phases)
	snap.Phases.Axe += ms(time.Since(t0))
	if err != nil {
		return "run axe-core", err
	}
	snap.Axe = ax
	// Issue 18: the observatory's own RGAA tests, after axe-core, on the
	// same document (scanner/rgaa.go). Lead: one phase of the tab at merge.
	s.runRGAA(ctx, snap)
	return "", nil
}

// stays waits until the deadline and reports whether the tab made no
// main-frame navigation since the count gen. It returns at once when the
// page moves, and true when ctx ends (the next step reports the cap).
func stays(ctx context.Context, ev *tabEvents, gen int, until time.Time) bool {
	t := time.NewTimer(time.Until(until))
	defer t.Stop()
	for {
		if ev.navigations() != gen {
			return false
		}
		select {
		case <-t.C:
			return ev.navigations() == gen
		case <-ev.changed:
		case <-ctx.Done():
			return true
		}
	}
}

// closeTarget closes the tab id and checks, for up to 5 s, that the
// browser no longer lists it: a tab caught between two navigations of a
// refresh loop can survive one close.
func closeTarget(bctx context.Context, id target.ID) {
	ctx, cancel := context.WithTimeout(bctx, 5*time.Second)
	defer cancel()
	for {
		_, _ = chromedp.CallBrowser(ctx, target.CloseTarget, target.CloseTargetParams{TargetID: id})
		infos, err := chromedp.Targets(ctx)
		if err != nil {
			return
		}
		if !slices.ContainsFunc(infos, func(t *target.Info) bool { return t.TargetID == id }) {
			return
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// judgeAnswer marks snap http-error when the server answered an error
// status, and blocked when the answer (title and text of the page, if it
// has one) refuses the scanner.
func judgeAnswer(snap *Snapshot, title, text string) {
	if snap.HTTPStatus >= 400 {
		snap.Status, snap.Reason = StatusHTTPError, fmt.Sprintf("the server answered HTTP %d (%s)", snap.HTTPStatus, snap.ContentType)
	}
	if why := blockedReason(snap.HTTPStatus, title, text); why != "" {
		snap.Status, snap.Reason = StatusBlocked, why
	}
}

// waitSettled waits, within ctx, for the tab to show a loaded document
// with no navigation under way (whether it stays is for stays to tell): it
// follows client-side redirects up to maxClientRedirects (loop), and gives
// up when ctx ends (timedOut) or the document passes its size bound
// (tooBig).
func waitSettled(ctx context.Context, ev *tabEvents) (timedOut, loop, tooBig bool) {
	for {
		ok, loop := ev.settled()
		if loop {
			return false, true, false
		}
		if ok {
			return false, false, false
		}
		select {
		case <-ev.changed:
		case <-ev.tooBig:
			return false, false, true
		case <-ev.crashed:
			return false, false, false
		case <-ctx.Done():
			return true, false, false
		}
	}
}

// isNavigatedAway reports whether an evaluation failed because the page
// navigated under it.
func isNavigatedAway(err error) bool {
	m := err.Error()
	return strings.Contains(m, "navigated or closed") || strings.Contains(m, "Execution context was destroyed") ||
		strings.Contains(m, "Cannot find context")
}

// busyProbe bounds the wait for a trivial evaluation: a page that cannot
// answer it within this time is running a script that does not yield.
const busyProbe = 2 * time.Second

// busy reports whether the page's main thread is held by a script.
func busy(ctx context.Context, ev *tabEvents) bool {
	pctx, cancel := context.WithTimeout(ctx, busyProbe)
	defer cancel()
	_, err := chromedp.Run(pctx, chromedp.Evaluate[int]("1"))
	return errors.Is(err, context.DeadlineExceeded) && ctx.Err() == nil && !isCrashed(ev)
}

// stopScript ends the script that holds the page's main thread. The
// command interrupts it from outside the thread; the probe then checks
// that the page answers again.
func stopScript(ctx context.Context) error {
	sctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	if _, err := chromedp.Call(sctx, runtime.TerminateExecution, cdp.Empty{}); err != nil {
		return fmt.Errorf("terminate the page's script: %w", err)
	}
	_, err := chromedp.Run(sctx, chromedp.Evaluate[int]("1"))
	return err
}

// closePopups closes, as soon as it exists, every window that the tab
// opener opens (those that the popup blocker let through), until ctx ends.
func (s *Scanner) closePopups(ctx context.Context, b *instance, opener target.ID) error {
	popups := make(chan target.ID, 64)
	err := chromedp.ListenBrowser(ctx, func(ev any) {
		if ev, ok := ev.(*target.EventTargetCreated); ok && ev.TargetInfo != nil && ev.TargetInfo.OpenerID == opener {
			select {
			case popups <- ev.TargetInfo.TargetID:
			default: // more than 64 waiting: the next scan's leak check says so
			}
		}
	})
	if err != nil {
		return err
	}
	closeOne := func(id target.ID) {
		cctx, cancel := context.WithTimeout(b.ctx, 5*time.Second)
		defer cancel()
		_, _ = chromedp.CallBrowser(cctx, target.CloseTarget, target.CloseTargetParams{TargetID: id})
	}
	go func() {
		for {
			select {
			case id := <-popups:
				closeOne(id)
			case <-ctx.Done():
				for {
					select {
					case id := <-popups:
						closeOne(id)
					default:
						return
					}
				}
			}
		}
	}()
	return nil
}

// prepareTab sets the desktop emulation, the user agent and the timing
// observer before the page loads.
func (s *Scanner) prepareTab(ctx context.Context, ua string) error {
	if _, err := chromedp.Call(ctx, emulation.SetDeviceMetricsOverride, emulation.SetDeviceMetricsOverrideParams{
		Width: desktopWidth, Height: desktopHeight, DeviceScaleFactor: 1,
	}); err != nil {
		return err
	}
	if _, err := chromedp.Call(ctx, emulation.SetUserAgentOverride, emulation.SetUserAgentOverrideParams{
		UserAgent: ua, AcceptLanguage: "fr-FR,fr;q=0.9,en;q=0.5",
	}); err != nil {
		return err
	}
	_, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: observeJS})
	return err
}

// emulateMobile switches the tab to the phone: viewport, scale, touch and a
// mobile user agent built on the browser's own version.
func (s *Scanner) emulateMobile(ctx context.Context, desktopUA string) error {
	if _, err := chromedp.Call(ctx, emulation.SetDeviceMetricsOverride, emulation.SetDeviceMetricsOverrideParams{
		Width: mobileWidth, Height: mobileHeight, DeviceScaleFactor: mobileScale, Mobile: true,
		ScreenWidth: mobileWidth, ScreenHeight: mobileHeight,
	}); err != nil {
		return err
	}
	if _, err := chromedp.Call(ctx, emulation.SetTouchEmulationEnabled, emulation.SetTouchEmulationEnabledParams{
		Enabled: true, MaxTouchPoints: 5,
	}); err != nil {
		return err
	}
	_, err := chromedp.Call(ctx, emulation.SetUserAgentOverride, emulation.SetUserAgentOverrideParams{
		UserAgent: mobileUserAgent(desktopUA) + " " + userAgentToken(), AcceptLanguage: "fr-FR,fr;q=0.9,en;q=0.5",
	})
	return err
}

// mobileUserAgent is Lighthouse's phone with the browser's Chrome version.
func mobileUserAgent(desktopUA string) string {
	version := "156.0.0.0"
	if i := strings.Index(desktopUA, "Chrome/"); i >= 0 {
		v := desktopUA[i+len("Chrome/"):]
		if j := strings.IndexByte(v, ' '); j >= 0 {
			v = v[:j]
		}
		version = v
	}
	return "Mozilla/5.0 (Linux; Android 11; moto g power (2022)) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/" + version + " Mobile Safari/537.36"
}

// collect runs facts.js in one emulation, bounded by the settle timeout.
func (s *Scanner) collect(ctx context.Context, mode string) (*evalResult, error) {
	cctx, cancel := context.WithTimeout(ctx, s.opts.SettleTimeout)
	defer cancel()
	r, err := chromedp.Run(cctx, chromedp.Evaluate[evalResult]("("+factsJS+")("+`"`+mode+`"`+")", chromedp.EvalAwaitPromise))
	if err != nil {
		return nil, err
	}
	if r.Error != "" || r.Facts == nil {
		return nil, fmt.Errorf("facts script: %s", r.Error)
	}
	return &r, nil
}

// runAxe injects axe-core and runs the RGAAv4 rules; the injection's
// time is added to ph.AxeInject. Each page is a new document, so the
// source is evaluated on every page (docs/benchmarks.md, "Tried", says
// what was measured against it).
func (s *Scanner) runAxe(ctx context.Context, ph *Phases) (*AxeResult, error) {
	actx, cancel := context.WithTimeout(ctx, s.opts.AxeTimeout)
	defer cancel()
	t0 := time.Now()
	err := chromedp.Do(actx, chromedp.Evaluate[chromedp.Void](axeSource+"\n;0"))
	ph.AxeInject += ms(time.Since(t0))
	if err != nil {
		return nil, fmt.Errorf("inject axe-core: %w", err)
	}
	r, err := chromedp.Run(actx, chromedp.Evaluate[AxeResult](axeRunJS, chromedp.EvalAwaitPromise))
	if err != nil {
		return nil, err
	}
	if r.Violations == nil {
		r.Violations = []Violation{}
	}
	return &r, nil
}

// screenshot captures the viewport as a JPEG scaled by scale (CSS pixels
// times device scale times scale), within screenshotMaxWidth. A failure is
// not fatal: the screenshot is evidence, not a fact.
func (s *Scanner) screenshot(ctx context.Context, snap *Snapshot, name string, scale float64) {
	if s.opts.NoScreenshots {
		return
	}
	t0 := time.Now()
	defer func() { snap.Phases.Screenshot += ms(time.Since(t0)) }()
	w, h, dpr := float64(desktopWidth), float64(desktopHeight), 1.0
	if name == "mobile" {
		w, h, dpr = mobileWidth, mobileHeight, mobileScale
	}
	if w*dpr*scale > screenshotMaxWidth {
		scale = screenshotMaxWidth / (w * dpr)
	}
	sctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	res, err := chromedp.Call(sctx, page.CaptureScreenshot, page.CaptureScreenshotParams{
		Format:  page.CaptureScreenshotFormatJpeg,
		Quality: new(int64(70)),
		Clip:    &page.Viewport{X: 0, Y: 0, Width: w, Height: h, Scale: scale},
	})
	if err != nil {
		return
	}
	if snap.Screenshots == nil {
		snap.Screenshots = map[string]Screenshot{}
	}
	snap.Screenshots[name] = Screenshot{Format: "jpeg", Width: int(w * dpr * scale), Height: int(h * dpr * scale), Data: res.Data}
}

// partial marks snap as partial after a failed step, or crashed/timeout
// when that is what happened.
func (s *Scanner) partial(ctx context.Context, snap *Snapshot, ev *tabEvents, step string, err error) {
	st, why := s.failStatus(ctx, ev, step, err)
	if st == StatusCrashed {
		snap.Status, snap.Reason = st, why
		return
	}
	snap.Status, snap.Reason = StatusPartial, why
}

// failStatus explains an error of a step.
func (s *Scanner) failStatus(ctx context.Context, ev *tabEvents, step string, err error) (Status, string) {
	switch {
	case isCrashed(ev):
		return StatusCrashed, "the tab crashed (" + step + ")"
	case errors.Is(err, context.DeadlineExceeded) && ctx.Err() != nil:
		return StatusPartial, fmt.Sprintf("the page cap (%s) was hit during: %s", s.opts.PageTimeout, step)
	case errors.Is(err, context.DeadlineExceeded):
		return StatusPartial, "timed out during: " + step + " (the page may be busy, e.g. a script that never yields)"
	}
	return StatusPartial, step + ": " + firstLine(err.Error(), 200)
}

// firstLine keeps the first line of a message, within n bytes: a script's
// error carries its whole stack.
func firstLine(msg string, n int) string {
	msg, _, _ = strings.Cut(msg, "\n")
	if len(msg) > n {
		msg = msg[:n] + "…"
	}
	return msg
}

func isCrashed(ev *tabEvents) bool {
	select {
	case <-ev.crashed:
		return true
	default:
		return false
	}
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
