package scanner_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/observatoire-scanner/observatoire/fixtures/fixturetest"
	"github.com/observatoire-scanner/observatoire/scanner"
)

func TestMain(m *testing.M) { fixturetest.Main(m) }

func scan(t *testing.T, path string) *scanner.Snapshot {
	t.Helper()
	web, sc := fixturetest.Env(t)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	snap, err := sc.Scan(ctx, web.Page(path))
	if err != nil {
		t.Fatalf("Scan(%s): %v", path, err)
	}
	return snap
}

func TestGoodPage(t *testing.T) {
	s := scan(t, "/good.html")
	if s.Status != scanner.StatusOK {
		t.Fatalf("status %s (%s), want ok", s.Status, s.Reason)
	}
	if s.HTTPStatus != 200 || !strings.HasPrefix(s.ContentType, "text/html") {
		t.Errorf("http %d %q", s.HTTPStatus, s.ContentType)
	}
	d := s.Desktop
	if d == nil || s.Mobile == nil {
		t.Fatal("missing desktop or mobile facts")
	}
	if d.Title != "Demander une aide au logement" || d.Lang != "fr" {
		t.Errorf("title %q lang %q", d.Title, d.Lang)
	}
	if !s.Mobile.HasViewport || s.Mobile.ViewportWidth != 412 || s.Mobile.ScrollWidth > 413 {
		t.Errorf("mobile layout: viewport %v width %d scroll %d", s.Mobile.HasViewport, s.Mobile.ViewportWidth, s.Mobile.ScrollWidth)
	}
	if d.ViewportWidth != 1366 {
		t.Errorf("desktop viewport width %d, want 1366", d.ViewportWidth)
	}
	var tel, mail bool
	for _, l := range d.Links {
		tel = tel || strings.HasPrefix(l.Href, "tel:")
		mail = mail || strings.HasPrefix(l.Href, "mailto:")
	}
	if !tel || !mail {
		t.Errorf("links: tel %v mailto %v in %d links", tel, mail, len(d.Links))
	}
	if len(d.Forms) != 1 || len(d.Forms[0].Fields) != 2 || d.Forms[0].Fields[0].Label != "Nom" {
		t.Errorf("forms: %+v", d.Forms)
	}
	if !strings.Contains(d.FooterText, "Accessibilité\u00a0: partiellement conforme") {
		t.Errorf("footer text keeps the no-break space: %q", d.FooterText)
	}
	if s.Timings.TTFB <= 0 || s.Timings.FCP <= 0 || s.Timings.Load <= 0 || s.Timings.DOMContentLoaded <= 0 {
		t.Errorf("timings not read: %+v", s.Timings)
	}
	if s.Axe == nil || s.Axe.Rules == 0 || s.Axe.Version != scanner.AxeVersion {
		t.Errorf("axe: %+v", s.Axe)
	}
	if len(s.Mobile.TapTargets) == 0 {
		t.Error("no tap targets")
	}
	for _, name := range []string{"desktop", "mobile"} {
		shot, ok := s.Screenshots[name]
		if !ok || len(shot.Data) < 1000 || shot.Width > 800 {
			t.Errorf("screenshot %s: %d bytes, width %d", name, len(shot.Data), shot.Width)
		}
	}
	if !strings.Contains(s.Versions.UserAgent, "ObservatoireScanner/") || strings.Contains(s.Versions.UserAgent, "HeadlessChrome") {
		t.Errorf("user agent %q", s.Versions.UserAgent)
	}
	if s.Versions.Browser == "" || s.Versions.Scanner == "" {
		t.Errorf("versions %+v", s.Versions)
	}
}

func TestOverflowAtPhoneWidth(t *testing.T) {
	s := scan(t, "/overflow.html")
	if s.Mobile == nil {
		t.Fatalf("no mobile facts: %s %s", s.Status, s.Reason)
	}
	if s.Mobile.ScrollWidth <= 412 {
		t.Errorf("scroll width %d, want > 412", s.Mobile.ScrollWidth)
	}
	if s.Desktop.ScrollWidth > 1366 {
		t.Errorf("desktop should not overflow: %d", s.Desktop.ScrollWidth)
	}
}

func TestTinyText(t *testing.T) {
	s := scan(t, "/tiny-text.html")
	if s.Mobile == nil {
		t.Fatalf("no mobile facts: %s %s", s.Status, s.Reason)
	}
	small, all := 0, 0
	for size, n := range s.Mobile.TextSizes {
		all += n
		if size < 12 {
			small += n
		}
	}
	if all == 0 || float64(small)/float64(all) < 0.5 {
		t.Errorf("small text %d of %d chars: %v", small, all, s.Mobile.TextSizes)
	}
}

func TestNoViewport(t *testing.T) {
	s := scan(t, "/no-viewport.html")
	if s.Mobile == nil || s.Mobile.HasViewport {
		t.Fatalf("want mobile facts with no viewport: %+v", s.Mobile)
	}
	// Without the tag a phone lays the page out at 980 px.
	if s.Mobile.ViewportWidth <= 412 {
		t.Errorf("viewport width %d, want the 980 px fallback", s.Mobile.ViewportWidth)
	}
}

func TestSlowPageTimesOutWithinBound(t *testing.T) {
	start := time.Now()
	s := scan(t, "/slow?delay=60s")
	took := time.Since(start)
	if s.Status != scanner.StatusTimeout {
		t.Errorf("status %s (%s), want timeout", s.Status, s.Reason)
	}
	// Bound: navigation timeout 4 s, tried twice (a timeout may pass),
	// with a wide margin.
	if took > 40*time.Second {
		t.Errorf("took %s, want well under the 60 s delay", took)
	}
}

func TestHangingSubresourceGivesPartialFacts(t *testing.T) {
	s := scan(t, "/hang-subresource.html")
	if s.Status != scanner.StatusPartial {
		t.Errorf("status %s (%s), want partial", s.Status, s.Reason)
	}
	if s.Desktop == nil || !strings.Contains(s.Desktop.Text, "événement load") {
		t.Errorf("facts should still be read: %+v", s.Desktop)
	}
}

func TestServerError(t *testing.T) {
	s := scan(t, "/status/500")
	if s.Status != scanner.StatusHTTPError || s.HTTPStatus != 500 {
		t.Errorf("status %s http %d, want http-error 500", s.Status, s.HTTPStatus)
	}
}

func TestRedirectChain(t *testing.T) {
	web, _ := fixturetest.Env(t)
	s := scan(t, "/redirect?n=3&page=good.html")
	if s.Status != scanner.StatusOK {
		t.Fatalf("status %s (%s)", s.Status, s.Reason)
	}
	if len(s.Redirects) != 4 {
		t.Fatalf("redirects %+v, want 4 hops", s.Redirects)
	}
	for _, r := range s.Redirects {
		if r.Status != 302 {
			t.Errorf("hop %+v, want 302", r)
		}
	}
	if s.FinalURL != web.Page("/good.html") {
		t.Errorf("final URL %s", s.FinalURL)
	}
}

func TestDialogsDoNotHang(t *testing.T) {
	start := time.Now()
	s := scan(t, "/alert.html")
	if s.Status != scanner.StatusOK {
		t.Fatalf("status %s (%s), want ok", s.Status, s.Reason)
	}
	if !strings.Contains(s.Desktop.Text, "Confirmé") {
		t.Errorf("confirm() should have been accepted: %q", s.Desktop.Text)
	}
	if took := time.Since(start); took > 30*time.Second {
		t.Errorf("took %s", took)
	}
}

func TestRefusesOtherSchemes(t *testing.T) {
	for _, u := range []string{"file:///etc/passwd", "javascript:alert(1)", "chrome://settings", "data:text/html,hi", "example.org"} {
		_, sc := fixturetest.Env(t)
		s, err := sc.Scan(context.Background(), u)
		if err != nil {
			t.Fatal(err)
		}
		if s.Status != scanner.StatusRefused {
			t.Errorf("%s: status %s, want refused", u, s.Status)
		}
	}
}

func TestUnreachable(t *testing.T) {
	_, sc := fixturetest.Env(t)
	cases := map[string]scanner.Status{
		fixturetest.ClosedPortURL(t):        scanner.StatusNetwork,
		"http://procedure.invalid/demarche": scanner.StatusDNS,
	}
	for u, want := range cases {
		start := time.Now()
		s, err := sc.Scan(context.Background(), u)
		if err != nil {
			t.Fatal(err)
		}
		if s.Status != want {
			t.Errorf("%s: status %s (%s), want %s", u, s.Status, s.Reason, want)
		}
		if took := time.Since(start); took > 15*time.Second {
			t.Errorf("%s: took %s", u, took)
		}
	}
}

func TestPlainTextNotFoundIsHTTPError(t *testing.T) {
	// The fixture server's 404 is text/plain: the status must win over the
	// body's type, or a missing page looks like a PDF or a download.
	s := scan(t, "/no-such-page.html")
	if s.Status != scanner.StatusHTTPError || s.HTTPStatus != 404 {
		t.Errorf("status %s http %d (%s), want http-error 404", s.Status, s.HTTPStatus, s.Reason)
	}
}

func TestManySiblingLinks(t *testing.T) {
	web, _ := fixturetest.Env(t)
	const n = 10000
	web.Handle("GET /many-siblings.html", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var b strings.Builder
		b.WriteString(`<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><title>Liens</title></head><body><main><p>`)
		for i := 1; i <= n; i++ {
			fmt.Fprintf(&b, `<a href="/l%d">lien %d</a> `, i, i)
		}
		b.WriteString(`</p></main></body></html>`)
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		io.WriteString(w, b.String())
	}))
	start := time.Now()
	s := scan(t, "/many-siblings.html")
	if s.Desktop == nil {
		t.Fatalf("no facts: %s %s", s.Status, s.Reason)
	}
	links := s.Desktop.Links
	if len(links) == 0 || !strings.HasSuffix(links[len(links)-1].Selector, fmt.Sprintf("a:nth-of-type(%d)", len(links))) {
		t.Errorf("last of %d links has selector %q", len(links), links[len(links)-1].Selector)
	}
	if took := time.Since(start); took > 60*time.Second {
		t.Errorf("took %s", took)
	}
}
