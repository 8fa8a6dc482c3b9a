package scanner

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
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
		snap.Status, snap.Reason = StatusHTTPError, fmt.Sprintf("le serveur a répondu HTTP %d (%s)", snap.HTTPStatus, snap.ContentType)
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
	return errors.Is(err, context.DeadlineExceeded) && ctx.Err() == nil && !ev.isCrashed()
}

// stopScript ends the script that holds the page's main thread. The
// command interrupts it from outside the thread; the probe then checks
// that the page answers again.
func stopScript(ctx context.Context) error {
	sctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	if _, err := chromedp.Call(sctx, runtime.TerminateExecution, cdp.Empty{}); err != nil {
		return fmt.Errorf("arrêt du script de la page : %w", err)
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
func prepareTab(ctx context.Context, ua string) error {
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
func emulateMobile(ctx context.Context, desktopUA string) error {
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

// collect runs facts.js in one emulation, bounded by timeout.
func collect(ctx context.Context, timeout time.Duration, mode string) (*evalResult, error) {
	cctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	r, err := chromedp.Run(cctx, chromedp.Evaluate[evalResult]("("+factsJS+")("+`"`+mode+`"`+")", chromedp.EvalAwaitPromise))
	if err != nil {
		return nil, err
	}
	if r.Error != "" || r.Facts == nil {
		return nil, fmt.Errorf("script de lecture des faits : %s", r.Error)
	}
	return &r, nil
}

// runAxe injects axe-core and runs the RGAAv4 rules, bounded by timeout;
// the injection's time is added to ph.AxeInject. Each page is a new document, so the
// source is evaluated on every page (docs/benchmarks.md, "Tried", says
// what was measured against it).
func runAxe(ctx context.Context, timeout time.Duration, ph *Phases) (*AxeResult, error) {
	actx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	t0 := time.Now()
	err := chromedp.Do(actx, chromedp.Evaluate[chromedp.Void](axeSource+"\n;0"))
	ph.AxeInject += ms(time.Since(t0))
	if err != nil {
		return nil, fmt.Errorf("injection d'axe-core : %w", err)
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
// times device scale times scale), within screenshotMaxWidth, and reports
// whether it could. The emulation named ("desktop" or "mobile") gives the
// viewport.
func screenshot(ctx context.Context, name string, scale float64) (Screenshot, bool) {
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
		return Screenshot{}, false
	}
	return Screenshot{Format: "jpeg", Width: int(w * dpr * scale), Height: int(h * dpr * scale), Data: res.Data}, true
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

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
