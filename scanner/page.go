package scanner

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/inspector"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
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

// tabEvents gathers, from the tab's ordered event stream, what the DOM
// cannot tell: the main document's redirects, response and failure, the
// load event and a renderer crash.
type tabEvents struct {
	mainFrame cdp.FrameID

	mu        sync.Mutex
	mainReq   network.RequestID
	requested string // URL of the current main request
	redirects []Redirect
	resp      *network.Response
	failed    string
	blocked   string

	loaded     chan struct{}
	loadedOnce sync.Once
	crashed    chan struct{}
	crashOnce  sync.Once
	dialogs    chan *page.EventJavascriptDialogOpening
}

func newTabEvents(frame cdp.FrameID) *tabEvents {
	return &tabEvents{
		mainFrame: frame,
		loaded:    make(chan struct{}),
		crashed:   make(chan struct{}),
		dialogs:   make(chan *page.EventJavascriptDialogOpening, 16),
	}
}

// handle runs in the tab's read loop: it must be quick and send no command.
func (e *tabEvents) handle(ev any) {
	switch ev := ev.(type) {
	case *network.EventRequestWillBeSent:
		if ev.Type != network.ResourceTypeDocument || ev.FrameID != e.mainFrame || ev.Request == nil {
			return
		}
		e.mu.Lock()
		switch {
		case ev.RedirectResponse != nil:
			e.redirects = append(e.redirects, Redirect{URL: ev.RedirectResponse.URL, Status: int(ev.RedirectResponse.Status)})
		case e.resp != nil:
			// A new document after a response: a client-side redirect
			// (script or meta refresh). Status 0 marks it.
			e.redirects = append(e.redirects, Redirect{URL: e.resp.URL})
			e.resp, e.failed = nil, ""
		}
		e.mainReq, e.requested = ev.RequestID, ev.Request.URL
		e.mu.Unlock()
	case *network.EventResponseReceived:
		e.mu.Lock()
		if ev.RequestID == e.mainReq {
			e.resp = ev.Response
		}
		e.mu.Unlock()
	case *network.EventLoadingFailed:
		e.mu.Lock()
		if ev.RequestID == e.mainReq {
			e.failed = ev.ErrorText
			if ev.BlockedReason != "" {
				e.blocked = string(ev.BlockedReason)
			}
		}
		e.mu.Unlock()
	case *page.EventLoadEventFired:
		e.loadedOnce.Do(func() { close(e.loaded) })
	case *inspector.EventTargetCrashed:
		e.crashOnce.Do(func() { close(e.crashed) })
	case *page.EventJavascriptDialogOpening:
		select {
		case e.dialogs <- ev:
		default: // a page that floods dialogs: the handler is busy anyway
		}
	}
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
}

func (e *tabEvents) failure() (text, blocked string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.failed, e.blocked
}

// evalResult is what facts.js returns.
type evalResult struct {
	Facts   *Facts  `json:"facts"`
	Timings Timings `json:"timings"`
	Error   string  `json:"error"`
}

// scanPage does the work of Scan on one browser instance.
func (s *Scanner) scanPage(parent context.Context, b *instance, url string) *Snapshot {
	start := time.Now()
	snap := &Snapshot{URL: url, ScannedAt: start.UTC(), Status: StatusOK,
		Versions: Versions{Browser: b.product, Axe: AxeVersion, Scanner: Version}}
	defer func() { snap.Phases.Total = ms(time.Since(start)) }()

	tabCtx, closeTab := chromedp.NewContext(b.ctx)
	defer closeTab()
	// The total cap. The tab is bound to the first call's context, so the
	// cap also closes the tab when it fires.
	ctx, cancel := context.WithTimeout(tabCtx, s.opts.PageTimeout)
	defer cancel()
	stop := context.AfterFunc(parent, cancel)
	defer stop()

	if err := chromedp.Do(ctx); err != nil {
		snap.Status, snap.Reason = StatusCrashed, "could not open a tab: "+err.Error()
		return snap
	}
	t := chromedp.FromContext(ctx).Target
	ev := newTabEvents(cdp.FrameID(t.TargetID))
	if err := chromedp.Listen(ctx, ev.handle); err != nil {
		snap.Status, snap.Reason = StatusCrashed, "could not listen to the tab: "+err.Error()
		return snap
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
		return snap
	}

	// Navigate, bounded. page.navigate returns when the document commits
	// (or fails); the load event may come much later, or never.
	t0 := time.Now()
	navCtx, navCancel := context.WithTimeout(ctx, s.opts.NavigationTimeout)
	res, err := chromedp.Call(navCtx, page.Navigate, page.NavigateParams{URL: url})
	committed := err == nil && res.ErrorText == ""
	loadTimedOut := false
	if committed {
		select {
		case <-ev.loaded:
		case <-navCtx.Done():
			loadTimedOut = true
		}
	}
	navErr := navCtx.Err()
	navCancel()
	snap.Phases.Navigate = ms(time.Since(t0))
	ev.fill(snap)

	switch {
	case isCrashed(ev):
		snap.Status, snap.Reason = StatusCrashed, "the tab crashed while loading the page"
		return snap
	case parent.Err() != nil:
		snap.Status, snap.Reason = StatusPartial, "scan interrupted"
		return snap
	case err != nil && navErr != nil:
		snap.Status, snap.Reason = StatusTimeout, fmt.Sprintf("no answer within the navigation timeout (%s)", s.opts.NavigationTimeout)
		if ctx.Err() != nil {
			snap.Reason = fmt.Sprintf("no answer within the page cap (%s)", s.opts.PageTimeout)
		}
		return snap
	case err != nil:
		snap.Status, snap.Reason = s.failStatus(ctx, ev, "navigate", err)
		return snap
	case res.ErrorText != "":
		failed, blocked := ev.failure()
		text := res.ErrorText
		if failed != "" {
			text = failed
		}
		// A download or a file the browser will not show aborts the
		// navigation after the response arrived.
		if snap.ContentType != "" && !isHTML(snap.ContentType) {
			snap.Status, snap.Reason = StatusNotHTML, "the URL serves "+snap.ContentType+", not a web page"
			return snap
		}
		snap.Status, snap.Reason = classifyNetError(text), "the browser could not load the page: "+text
		if blocked != "" {
			snap.Reason += " (blocked: " + blocked + ")"
		}
		return snap
	}
	if loadTimedOut {
		// Show what arrived: stop the load and read the page as it is.
		_, _ = chromedp.Call(ctx, page.StopLoading, cdp.Empty{})
		snap.Status = StatusPartial
		snap.Reason = fmt.Sprintf("the page did not finish loading within %s; facts read from what had arrived", s.opts.NavigationTimeout)
	}
	if !isHTML(snap.ContentType) {
		snap.Status, snap.Reason = StatusNotHTML, "the URL serves "+snap.ContentType+", not a web page"
		return snap
	}
	httpError := snap.HTTPStatus >= 400

	// Desktop facts and timings: one script, after the page settled.
	t0 = time.Now()
	r, err := s.collect(ctx, "desktop")
	snap.Phases.Facts = ms(time.Since(t0))
	if err != nil {
		s.partial(ctx, snap, ev, "read the DOM facts", err)
		return snap
	}
	snap.Desktop, snap.Timings = r.Facts, r.Timings

	if httpError {
		snap.Status = StatusHTTPError
		snap.Reason = fmt.Sprintf("the server answered HTTP %d", snap.HTTPStatus)
	}
	if why := blockedReason(snap.HTTPStatus, r.Facts.Title, r.Facts.Text); why != "" && (httpError || isChallengeTitle(r.Facts.Title)) {
		snap.Status, snap.Reason = StatusBlocked, why
	}
	if httpError || snap.Status == StatusBlocked {
		s.screenshot(ctx, snap, "desktop", 0.5)
		return snap
	}

	if !s.opts.NoAxe {
		t0 = time.Now()
		ax, err := s.runAxe(ctx)
		snap.Phases.Axe = ms(time.Since(t0))
		if err != nil {
			s.partial(ctx, snap, ev, "run axe-core", err)
			return snap
		}
		snap.Axe = ax
	}
	s.screenshot(ctx, snap, "desktop", 0.5)

	// Mobile: the same document re-laid out in the phone's viewport. The
	// viewport meta tag applies as soon as mobile emulation is on, so no
	// second load is needed.
	t0 = time.Now()
	if err := s.emulateMobile(ctx, b.userAgent); err != nil {
		s.partial(ctx, snap, ev, "emulate a phone", err)
		return snap
	}
	r, err = s.collect(ctx, "mobile")
	if err != nil {
		s.partial(ctx, snap, ev, "read the mobile facts", err)
		return snap
	}
	snap.Mobile = r.Facts
	snap.Phases.Mobile = ms(time.Since(t0))
	s.screenshot(ctx, snap, "mobile", 1)
	return snap
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

// runAxe injects axe-core and runs the RGAAv4 rules.
func (s *Scanner) runAxe(ctx context.Context) (*AxeResult, error) {
	actx, cancel := context.WithTimeout(ctx, s.opts.AxeTimeout)
	defer cancel()
	if err := chromedp.Do(actx, chromedp.Evaluate[chromedp.Void](axeSource+"\n;0")); err != nil {
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
	return StatusPartial, step + ": " + err.Error()
}

func isCrashed(ev *tabEvents) bool {
	select {
	case <-ev.crashed:
		return true
	default:
		return false
	}
}

// isChallengeTitle is true for the titles of common bot challenges, which
// some services send with a 200 status.
func isChallengeTitle(title string) bool {
	t := strings.ToLower(title)
	return strings.Contains(t, "just a moment") || strings.Contains(t, "attention required") ||
		strings.Contains(t, "captcha") || strings.Contains(t, "are you a robot")
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
