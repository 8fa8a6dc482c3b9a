package scanner

import (
	"strings"
	"sync"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/inspector"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
)

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
// Each handler runs with e.mu held and reports whether the event changed
// what settled and navigations tell, so that their waiters look again.
func (e *tabEvents) handle(ev any) {
	e.mu.Lock()
	defer e.mu.Unlock()
	var changed bool
	switch ev := ev.(type) {
	case *network.EventRequestWillBeSent:
		changed = e.onRequest(ev)
	case *page.EventFrameRequestedNavigation:
		changed = e.onNavigationRequested(ev)
	case *page.EventFrameNavigated:
		changed = e.onNavigated(ev)
	case *network.EventResponseReceived:
		e.onResponse(ev)
	case *network.EventDataReceived:
		e.onData(ev)
	case *network.EventLoadingFailed:
		changed = e.onLoadingFailed(ev)
	case *page.EventLoadEventFired:
		changed = e.onLoad()
	case *inspector.EventTargetCrashed:
		changed = e.onCrash()
	case *page.EventJavascriptDialogOpening:
		e.onDialog(ev)
	case *page.EventWindowOpen:
		e.popups++
	}
	if changed {
		select {
		case e.changed <- struct{}{}:
		default:
		}
	}
}

// onRequest records a main-frame document request: a server redirect, a
// client-side redirect (a new document after a response) or the first
// request.
func (e *tabEvents) onRequest(ev *network.EventRequestWillBeSent) bool {
	if ev.Type != network.ResourceTypeDocument || ev.FrameID != e.mainFrame || ev.Request == nil {
		return false
	}
	switch {
	case ev.RedirectResponse != nil:
		e.redirects = append(e.redirects, Redirect{URL: ev.RedirectResponse.URL, Status: int(ev.RedirectResponse.Status)})
	case e.resp != nil:
		e.onClientRedirect()
	}
	e.mainReq, e.requested = ev.RequestID, ev.Request.URL
	e.pending = true
	e.navs++
	return true
}

// onClientRedirect records that the document after a response left for
// another (a script or a meta refresh): status 0 marks the hop, and a URL
// left loopVisits times makes a loop.
func (e *tabEvents) onClientRedirect() {
	e.redirects = append(e.redirects, Redirect{URL: e.resp.URL})
	e.clientRedirects++
	e.visits[e.resp.URL]++
	if e.visits[e.resp.URL] >= loopVisits {
		e.loop = true
	}
	e.resp, e.failed, e.blocked, e.bytes = nil, "", "", 0
}

// onNavigationRequested records that the page asked to leave its document
// (a fragment change loads nothing and does not count).
func (e *tabEvents) onNavigationRequested(ev *page.EventFrameRequestedNavigation) bool {
	if ev.FrameID != e.mainFrame || ev.Disposition != page.ClientNavigationDispositionCurrentTab || sameDocument(ev.URL, e.current()) {
		return false
	}
	e.pending = true
	e.navs++
	return true
}

// onNavigated records that a new main document committed.
func (e *tabEvents) onNavigated(ev *page.EventFrameNavigated) bool {
	if ev.Frame == nil || ev.Frame.ParentID != "" {
		return false
	}
	e.pending, e.unloaded = false, true
	e.navs++
	return true
}

// onResponse keeps the main document's response.
func (e *tabEvents) onResponse(ev *network.EventResponseReceived) {
	if ev.RequestID == e.mainReq {
		e.resp = ev.Response
	}
}

// onData counts the main document's bytes and signals tooBig once they
// pass the bound.
func (e *tabEvents) onData(ev *network.EventDataReceived) {
	if ev.RequestID != e.mainReq {
		return
	}
	e.bytes += ev.DataLength
	if e.bytes > e.maxBytes {
		e.bigOnce.Do(func() { close(e.tooBig) })
	}
}

// onLoadingFailed records the failure of the main document's request.
func (e *tabEvents) onLoadingFailed(ev *network.EventLoadingFailed) bool {
	if ev.RequestID != e.mainReq {
		return false
	}
	e.failed = ev.ErrorText
	if ev.BlockedReason != "" {
		e.blocked = string(ev.BlockedReason)
	}
	e.pending = false
	return true
}

// onLoad records the main document's load event.
func (e *tabEvents) onLoad() bool {
	e.unloaded = false
	e.loads++
	return true
}

// onCrash signals that the renderer died.
func (e *tabEvents) onCrash() bool {
	e.crashOnce.Do(func() { close(e.crashed) })
	return true
}

// onDialog passes a dialog on to the tab, which answers it.
func (e *tabEvents) onDialog(ev *page.EventJavascriptDialogOpening) {
	select {
	case e.dialogs <- ev:
	default: // a page that floods dialogs: the handler is busy anyway
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

// failure returns the main request's net error and, when the browser
// blocked it, why.
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

// remoteIP is the address the main document came from, or "".
func (e *tabEvents) remoteIP() string {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.resp == nil {
		return ""
	}
	return e.resp.RemoteIPAddress
}

// isCrashed reports whether the tab's renderer died.
func (e *tabEvents) isCrashed() bool {
	select {
	case <-e.crashed:
		return true
	default:
		return false
	}
}
