package scanner

import (
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/inspector"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
)

// The event stream of a tab is plain values: these tests feed tabEvents
// what Chromium sends, in order, and check what the tab is told.

const testFrame = "F1"

func docRequest(id, url string, redirect *network.Response) *network.EventRequestWillBeSent {
	return &network.EventRequestWillBeSent{RequestID: network.RequestID(id), FrameID: testFrame,
		Type: network.ResourceTypeDocument, Request: &network.Request{URL: url}, RedirectResponse: redirect}
}

func response(id, url string, status int64) *network.EventResponseReceived {
	return &network.EventResponseReceived{RequestID: network.RequestID(id),
		Response: &network.Response{URL: url, Status: status, MimeType: "text/html"}}
}

func committed() *page.EventFrameNavigated {
	return &page.EventFrameNavigated{Frame: &cdp.Frame{ID: testFrame}}
}

func TestTabEventsSettle(t *testing.T) {
	e := newTabEvents(testFrame, 1<<20)
	steps := []struct {
		name           string
		ev             any
		settled, loops bool
		navs           int
	}{
		{"request", docRequest("1", "http://a.invalid/", nil), false, false, 1},
		{"server redirect", docRequest("1", "http://a.invalid/b", &network.Response{URL: "http://a.invalid/", Status: 302}), false, false, 2},
		{"response", response("1", "http://a.invalid/b", 200), false, false, 2},
		{"commit", committed(), false, false, 3},
		{"an image's request", &network.EventRequestWillBeSent{RequestID: "2", FrameID: testFrame, Type: network.ResourceTypeImage, Request: &network.Request{URL: "http://a.invalid/i.png"}}, false, false, 3},
		{"load", &page.EventLoadEventFired{}, true, false, 3},
		{"a fragment change", &page.EventFrameRequestedNavigation{FrameID: testFrame, URL: "http://a.invalid/b#x", Disposition: page.ClientNavigationDispositionCurrentTab}, true, false, 3},
		{"a script leaves", &page.EventFrameRequestedNavigation{FrameID: testFrame, URL: "http://a.invalid/c", Disposition: page.ClientNavigationDispositionCurrentTab}, false, false, 4},
	}
	for _, s := range steps {
		e.handle(s.ev)
		ok, loop := e.settled()
		if ok != s.settled || loop != s.loops || e.navigations() != s.navs {
			t.Fatalf("after %s: settled %v, loop %v, %d navigations; want %v, %v, %d", s.name, ok, loop, e.navigations(), s.settled, s.loops, s.navs)
		}
	}
	var snap Snapshot
	e.fill(&snap)
	if snap.FinalURL != "http://a.invalid/b" || snap.HTTPStatus != 200 || len(snap.Redirects) != 1 || snap.Redirects[0].Status != 302 {
		t.Errorf("final URL %s, status %d, redirects %+v; want /b, 200 and the 302", snap.FinalURL, snap.HTTPStatus, snap.Redirects)
	}
}

func TestTabEventsClientRedirectLoop(t *testing.T) {
	e := newTabEvents(testFrame, 1<<20)
	for i := range loopVisits {
		e.handle(docRequest("r", "http://a.invalid/", nil))
		e.handle(response("r", "http://a.invalid/", 200))
		if _, loop := e.settled(); loop {
			t.Fatalf("a loop after %d visits, want one after %d", i+1, loopVisits)
		}
	}
	e.handle(docRequest("r", "http://a.invalid/", nil))
	if _, loop := e.settled(); !loop {
		t.Fatalf("no loop after the page left itself %d times", loopVisits)
	}
	var snap Snapshot
	e.fill(&snap)
	if len(snap.Redirects) != loopVisits || snap.Redirects[0].Status != 0 {
		t.Errorf("redirects %+v, want %d client-side hops (status 0)", snap.Redirects, loopVisits)
	}
}

func TestTabEventsSignals(t *testing.T) {
	e := newTabEvents(testFrame, 10)
	e.handle(docRequest("1", "http://a.invalid/", nil))
	e.handle(&network.EventDataReceived{RequestID: "2", DataLength: 100}) // another request's bytes
	select {
	case <-e.tooBig:
		t.Fatal("tooBig on the bytes of another request")
	default:
	}
	e.handle(&network.EventDataReceived{RequestID: "1", DataLength: 11})
	select {
	case <-e.tooBig:
	default:
		t.Error("no tooBig past the bound")
	}
	e.handle(&network.EventLoadingFailed{RequestID: "1", ErrorText: "net::ERR_CONNECTION_RESET"})
	if text, _ := e.failure(); text != "net::ERR_CONNECTION_RESET" {
		t.Errorf("failure %q", text)
	}
	e.handle(&page.EventWindowOpen{})
	e.handle(&page.EventJavascriptDialogOpening{Message: "?"})
	if e.popups != 1 || len(e.dialogs) != 1 {
		t.Errorf("%d popups, %d dialogs waiting; want 1 and 1", e.popups, len(e.dialogs))
	}
	if e.isCrashed() {
		t.Error("crashed before the renderer did")
	}
	e.handle(&inspector.EventTargetCrashed{})
	if !e.isCrashed() {
		t.Error("not crashed after the renderer did")
	}
}
