package site

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	cdppage "github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/observatoire-scanner/observatoire/criteria"
	"github.com/observatoire-scanner/observatoire/fixtures/fixturetest"
	"github.com/observatoire-scanner/observatoire/observatory"
	"github.com/observatoire-scanner/observatoire/observatory/edition"
	"github.com/observatoire-scanner/observatoire/scanner"
)

// serveDir serves dir on 127.0.0.1; strip removes the CSP meta tag from
// HTML pages, so that a test can check that escaping alone keeps injected
// scripts from running.
func serveDir(t *testing.T, dir string, strip bool) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var h http.Handler = http.FileServer(http.Dir(dir))
	if strip {
		files := h
		h = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if !strings.HasSuffix(r.URL.Path, ".html") {
				files.ServeHTTP(w, r)
				return
			}
			b, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(strings.TrimPrefix(r.URL.Path, "/"))))
			if err != nil {
				http.NotFound(w, r)
				return
			}
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.Write(bytes.Replace(b, []byte(csp), nil, 1))
		})
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return "http://" + ln.Addr().String()
}

// assessedEditions adds to the test editions a procedure assessed for
// real: the fixture web's good page, scanned by Assess, its screenshots
// stored as files beside the edition as the store does.
func assessedEditions(t *testing.T, sc *scanner.Scanner) []*edition.Edition {
	t.Helper()
	eds := testEditions(t)
	web := fixturetest.Web(t)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	a, err := observatory.Assess(ctx, sc, observatory.Target{URL: web.Page("/good.html")}, observatory.AssessOptions{Probes: scanner.ProbeOptions{Count: -1}})
	if err != nil {
		t.Fatalf("Assess: %v", err)
	}
	latest := eds[len(eds)-1]
	for role, snap := range a.Pages {
		for view, sh := range snap.Screenshots {
			rel := fmt.Sprintf("screenshots/fixture-%s-%s.jpg", role, view)
			if err := os.MkdirAll(filepath.Join(latest.Dir, "screenshots"), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(latest.Dir, rel), sh.Data, 0o644); err != nil {
				t.Fatal(err)
			}
			sh.Data, sh.File = nil, rel
			snap.Screenshots[view] = sh
		}
	}
	latest.Results = append(latest.Results, observatory.Result{
		Procedure: observatory.Procedure{ID: "fixture", Title: "Demander une aide au logement (page d'exemple)", Ministry: "Ministère des Solidarités", Administration: "Caisse nationale des allocations familiales (CNAF)", URL: a.URL},
		Title:     "Demander une aide au logement (page d'exemple)", Outcome: observatory.Measured, Assessment: a, ScannedAt: time.Now(),
	})
	return eds
}

// TestPublishedSiteIsAccessible publishes a site, serves it on 127.0.0.1
// and scans its pages with the observatory's own scanner: no axe
// violation, a viewport, no horizontal overflow at 412 px, legible text,
// and a good mobile verdict by the project's own rule.
func TestPublishedSiteIsAccessible(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test")
	}
	_, sc := fixturetest.Env(t)
	out := filepath.Join(t.TempDir(), "public")
	if err := PublishOptions(assessedEditions(t, sc), out, Options{About: "Les démarches les plus utilisées.", ProposeURL: "https://proposer.example.invalid/"}); err != nil {
		t.Fatal(err)
	}
	base := serveDir(t, out, false)
	pages := []string{
		"index.html", "tri-mobile.html", "procedures/1234.html", "procedures/fixture.html", "procedures/666.html",
		"ministeres/ministere-des-solidarites.html", "editions.html", "editions/2026-q4.html",
		"methode.html", "accessibilite.html",
		"tendances.html", "tendances/ministeres/ministere-des-solidarites.html", "recherche.html",
		"recherche.html?q=logement&critere=mobile&niveau=good", "niveaux/mobile-bad.html",
		"donnees.html", "non-persistants.html", "selection.html",
	}
	var urls []string
	for _, p := range pages {
		urls = append(urls, base+"/"+p)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	snaps, err := sc.ScanAll(ctx, urls)
	if err != nil {
		t.Fatal(err)
	}
	for i, s := range snaps {
		name := pages[i]
		if s.Status != scanner.StatusOK {
			t.Errorf("%s: status %s (%s)", name, s.Status, s.Reason)
			continue
		}
		if s.Axe == nil || s.Axe.Rules == 0 {
			t.Errorf("%s: axe did not run", name)
		} else {
			for _, v := range s.Axe.Violations {
				var nodes []string
				for _, n := range v.Nodes {
					nodes = append(nodes, n.Selector+" "+n.HTML)
				}
				t.Errorf("%s: axe %s (%s): %s", name, v.Rule, v.Help, strings.Join(nodes, " | "))
			}
		}
		m := s.Mobile
		if m == nil || !m.HasViewport {
			t.Errorf("%s: no viewport meta", name)
			continue
		}
		if m.ScrollWidth > m.ViewportWidth+1 {
			t.Errorf("%s: overflows at %d px: scroll width %d", name, m.ViewportWidth, m.ScrollWidth)
		}
		small, all := 0, 0
		for size, n := range m.TextSizes {
			all += n
			if size < 12 {
				small += n
			}
		}
		if all == 0 || float64(all-small)/float64(all) < 0.6 {
			t.Errorf("%s: %d of %d characters below 12 px", name, small, all)
		}
		if v := criteria.Mobile(criteria.Input{Start: s}); v.Level != criteria.Good {
			t.Errorf("%s: mobile verdict %s %q: %+v", name, v.Level, v.Label, v.Evidence)
		}
		if !strings.Contains(s.Desktop.FooterText, "Accessibilité : non conforme") {
			t.Errorf("%s: footer %q", name, s.Desktop.FooterText)
		}
	}
	// The payload title is shown as text.
	if got := snaps[4].Desktop.Title; !strings.HasPrefix(got, payloadScript+pwnedScript) {
		t.Errorf("payload page title %q", got)
	}
}

// TestInjectedScriptsDoNotRun loads the pages that show script-injection
// payloads in Chromium, without the CSP meta tag so that escaping alone is
// tested, and checks that none ran.
func TestInjectedScriptsDoNotRun(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test")
	}
	out := publishTest(t)
	base := serveDir(t, out, true)
	ctx := browser(t)
	// An alert() that ran would block the page: answer it and remember it.
	var mu sync.Mutex
	var dialogs []string
	events := chromedp.Events(ctx, cdppage.JavascriptDialogOpening)
	go func() {
		for ev, err := range events {
			if err != nil {
				return
			}
			mu.Lock()
			dialogs = append(dialogs, ev.Message)
			mu.Unlock()
			_, _ = chromedp.Call(ctx, cdppage.HandleJavaScriptDialog, cdppage.HandleJavaScriptDialogParams{Accept: true})
		}
	}()
	pages := []string{"procedures/666.html", "index.html", "ministeres/ministere-img-src-x-onerror-alert-1-img-src-x-onerror-window-pwned-2.html", "editions/2026-q4.html",
		"tendances/ministeres/ministere-img-src-x-onerror-alert-1-img-src-x-onerror-window-pwned-2.html", "recherche.html?q=script", "non-persistants.html", "niveaux/mobile-bad.html"}
	for _, p := range pages {
		if _, err := os.Stat(filepath.Join(out, filepath.FromSlash(strings.SplitN(p, "?", 2)[0]))); err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		if err := chromedp.Do(ctx, chromedp.Navigate(base+"/"+p)); err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		// The page really runs scripts without the CSP: site.js marks it.
		ran, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(document.documentElement.classList.contains('js') ? 'js' : 'none') + ':' + typeof window.__pwned + ':' + document.querySelectorAll('img[src="x"], script:not([src])').length`))
		if err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		if ran != "js:undefined:0" {
			t.Errorf("%s: %s (want js:undefined:0: the page's script ran, no injected one did)", p, ran)
		}
	}
	mu.Lock()
	defer mu.Unlock()
	if len(dialogs) > 0 {
		t.Errorf("injected scripts opened dialogs: %q", dialogs)
	}
}

// TestSearchInPlace runs the search's script in Chromium: the state in the
// address filters the table, the live region gives the count, a new
// search changes the address, and the back button restores the previous
// one.
func TestSearchInPlace(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test")
	}
	out := publishThree(t, Options{})
	base := serveDir(t, out, false)
	ctx := browser(t)
	visible := `Array.from(document.querySelectorAll('table.results tbody tr')).filter(r => !r.hidden).map(r => r.dataset.id).join(',') + '|' + document.getElementById('resultats').textContent`
	wait := func(want string) {
		t.Helper()
		var got string
		for range 50 {
			got, _ = chromedp.Run(ctx, chromedp.Evaluate[string](visible))
			if got == want {
				return
			}
			time.Sleep(100 * time.Millisecond)
		}
		t.Errorf("shown %q, want %q", got, want)
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"/index.html?q=LOGEMENT&critere=mobile&niveau=good")); err != nil {
		t.Fatal(err)
	}
	wait("1234|1 démarche correspond.")
	if v, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.getElementById('q').value + '|' + document.getElementById('niveau').value`)); v != "LOGEMENT|good" {
		t.Errorf("form state %q", v)
	}
	// A new search: by ministry and any criterion at "Non".
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.getElementById('q').value = ''; document.getElementById('critere').value = ''; document.getElementById('niveau').value = 'bad'; document.querySelector('form.search button').click(); true`)); err != nil {
		t.Fatal(err)
	}
	wait("666|1 démarche correspond.")
	if u, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`location.search`)); u != "?niveau=bad" {
		t.Errorf("address %q", u)
	}
	if err := chromedp.Do(ctx, chromedp.NavigateBack()); err != nil {
		t.Fatal(err)
	}
	wait("1234|1 démarche correspond.")
	// Free text with accents folded, no match.
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"/recherche.html?q=d%C3%A9clarer%20revenus")); err != nil {
		t.Fatal(err)
	}
	wait("5678|1 démarche correspond.")
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"/recherche.html?q=introuvable")); err != nil {
		t.Fatal(err)
	}
	wait("|Aucune démarche ne correspond.")
}

// browser starts a Chromium for a test.
func browser(t *testing.T) context.Context {
	t.Helper()
	return browserWith(t, 2*time.Minute)
}

// browserWith starts a Chromium of its own with the extra options, ended
// with the test or after limit, and returns its first tab's context.
func browserWith(t *testing.T, limit time.Duration, extra ...chromedp.ExecAllocatorOption) context.Context {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(chromePath()), chromedp.Flag("disable-dev-shm-usage", true))
	opts = append(opts, extra...)
	if os.Geteuid() == 0 {
		opts = append(opts, chromedp.NoSandbox)
	}
	actx, acancel := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(acancel)
	ctx, cancel := chromedp.NewContext(actx)
	t.Cleanup(cancel)
	ctx, tcancel := context.WithTimeout(ctx, limit)
	t.Cleanup(tcancel)
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	return ctx
}

// chromePath is the browser the tests use.
func chromePath() string {
	if p := os.Getenv("OBSERVATOIRE_CHROME"); p != "" {
		return p
	}
	return scanner.DefaultChromePath
}

func TestMain(m *testing.M) { fixturetest.Main(m) }
