package observatory_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/observatoire-scanner/observatoire/criteria"
	"github.com/observatoire-scanner/observatoire/observatory"
	"github.com/observatoire-scanner/observatoire/scanner"
)

// realPage is one record of the corpus's pages.json.
type realPage struct {
	ID    string                     `json:"id"`
	Site  string                     `json:"site"`
	File  string                     `json:"file"`
	Kind  string                     `json:"kind"`
	Facts map[string]json.RawMessage `json:"facts"`
}

// realPagesDir finds ../shared/data/real-pages beside the module root.
func realPagesDir(t *testing.T) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("module root (go.mod) not found")
		}
		dir = parent
	}
	corpus := filepath.Join(dir, "..", "shared", "data", "real-pages")
	if _, err := os.Stat(filepath.Join(corpus, "pages.json")); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("real-page corpus missing in CI: %v (clone it as ../shared beside the repository)", err)
		}
		t.Skipf("real-page corpus not found at %s: the test needs ../shared/data/real-pages beside the module root", corpus)
	}
	return corpus
}

// TestRealPages scans every page of the hand-labelled corpus of real
// public-sector pages, each site served at the root of its own 127.0.0.1
// server, through observatory.Assess (what `check` runs), and compares
// every labelled fact (null: unlabelled) with what the criteria found.
func TestRealPages(t *testing.T) {
	if testing.Short() {
		t.Skip("scans with Chromium")
	}
	corpus := realPagesDir(t)
	raw, err := os.ReadFile(filepath.Join(corpus, "pages.json"))
	if err != nil {
		t.Fatal(err)
	}
	var pages []realPage
	if err := json.Unmarshal(raw, &pages); err != nil {
		t.Fatalf("pages.json: %v", err)
	}

	servers := map[string]*httptest.Server{}
	for _, p := range pages {
		if servers[p.Site] == nil {
			srv := httptest.NewServer(http.FileServer(http.Dir(filepath.Join(corpus, p.Site))))
			t.Cleanup(srv.Close)
			servers[p.Site] = srv
		}
	}
	// Statements are dated against a fixed day, so that the facts do not
	// age with the calendar.
	now := time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC)
	sc, err := scanner.New(scanner.Options{
		Concurrency:       4,
		NavigationTimeout: 15 * time.Second,
		SettleTimeout:     10 * time.Second,
		PageTimeout:       60 * time.Second,
		NoAxe:             true,
		NoScreenshots:     true,
		LoopbackOnly:      true,
	})
	if err != nil {
		t.Fatalf("scanner: %v", err)
	}
	defer sc.Close()

	type outcome struct {
		page realPage
		url  string
		a    *observatory.Assessment
		err  error
	}
	out := make([]outcome, len(pages))
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	var wg sync.WaitGroup
	sem := make(chan struct{}, 4)
	for i, p := range pages {
		rel := strings.TrimPrefix(p.File, p.Site+"/")
		rel = strings.TrimSuffix("/"+rel, "index.html")
		u := servers[p.Site].URL + (&url.URL{Path: rel}).EscapedPath()
		out[i] = outcome{page: p, url: u}
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			out[i].a, out[i].err = observatory.Assess(ctx, sc, observatory.Target{URL: u}, observatory.AssessOptions{Probes: scanner.ProbeOptions{Count: -1}, Now: now})
		})
	}
	wg.Wait()

	right, total := 0, 0
	perFact := map[string][2]int{}
	var lines []string
	for _, o := range out {
		if o.err != nil {
			t.Errorf("%s: %v", o.page.ID, o.err)
			continue
		}
		if st := o.a.Pages[observatory.PageStart]; st.Status != scanner.StatusOK {
			t.Logf("%s: start page %s: %s", o.page.ID, st.Status, st.Reason)
		}
		got := observedFacts(o.a, now)
		if o.page.Kind == "statement" && testing.Verbose() {
			var facts []string
			for _, e := range o.a.Criteria[criteria.IDAccessibility].Evidence {
				facts = append(facts, "  - "+e.Fact)
			}
			t.Logf("%s: accessibility %q\n%s", o.page.ID, o.a.Criteria[criteria.IDAccessibility].Label, strings.Join(facts, "\n"))
		}
		names := make([]string, 0, len(o.page.Facts))
		for k := range o.page.Facts {
			names = append(names, k)
		}
		sort.Strings(names)
		for _, k := range names {
			want, ok := labelled(o.page.Facts[k])
			if !ok {
				continue
			}
			g, measured := got[k]
			if !measured {
				t.Errorf("%s: fact %s has no detector", o.page.ID, k)
				continue
			}
			if k == "statement_link" && want != "none" {
				want = resolve(o.a.Pages[observatory.PageStart], want)
			}
			total++
			c := perFact[k]
			c[1]++
			if g == want {
				right++
				c[0]++
			} else {
				lines = append(lines, fmt.Sprintf("%s %s: want %q, got %q", o.page.ID, k, want, g))
				t.Errorf("%s (%s) %s: want %q, got %q", o.page.ID, o.url, k, want, g)
			}
			perFact[k] = c
		}
	}
	keys := make([]string, 0, len(perFact))
	for k := range perFact {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		t.Logf("%-22s %d/%d", k, perFact[k][0], perFact[k][1])
	}
	t.Logf("agreement: %d of %d labelled facts", right, total)
	if len(lines) > 0 {
		t.Logf("disagreements:\n%s", strings.Join(lines, "\n"))
	}
}

// labelled returns a fact's expected value as a string ("true", "79.66",
// "none"), false when it is null (unlabelled).
func labelled(raw json.RawMessage) (string, bool) {
	var v any
	if err := json.Unmarshal(raw, &v); err != nil || v == nil {
		return "", false
	}
	switch x := v.(type) {
	case string:
		return x, true
	case bool:
		return fmt.Sprint(x), true
	case float64:
		return fmt.Sprint(x), true
	}
	return string(raw), true
}

// resolve turns a raw href of the page into the absolute URL it leads to.
func resolve(s *scanner.Snapshot, href string) string {
	base := s.FinalURL
	if base == "" {
		base = s.URL
	}
	b, err := url.Parse(base)
	if err != nil {
		return href
	}
	h, err := url.Parse(href)
	if err != nil {
		return href
	}
	return b.ResolveReference(h).String()
}

// observedFacts reads the corpus's facts from an assessment, through the
// verdicts and the accessibility report `check` prints.
func observedFacts(a *observatory.Assessment, now time.Time) map[string]string {
	start := a.Pages[observatory.PageStart]
	page := start.FinalURL
	if page == "" {
		page = start.URL
	}
	f := map[string]string{}

	fc := "none"
	for _, e := range a.Criteria[criteria.IDFranceConnect].Evidence {
		if e.Page != page {
			continue
		}
		switch {
		case strings.HasPrefix(e.Fact, "bouton FranceConnect+"):
			fc = "franceconnect-plus"
		case strings.HasPrefix(e.Fact, "bouton FranceConnect") && fc == "none":
			fc = "franceconnect"
		}
	}
	f["franceconnect_button"] = fc

	jdma := false
	for _, e := range a.Criteria[criteria.IDSatisfaction].Evidence {
		if e.Page == page && (strings.HasPrefix(e.Fact, "bouton « Je donne mon avis »") || strings.HasPrefix(e.Fact, "image du bouton « Je donne mon avis »")) {
			jdma = true
		}
	}
	f["jdma_button"] = fmt.Sprint(jdma)

	in := criteria.Input{
		Start:     start,
		Contact:   a.Pages[observatory.PageContact],
		Statement: a.Pages[observatory.PageStatement],
		Login:     a.Pages[observatory.PageLogin],
		Now:       now,
	}
	rep := criteria.AccessibilityReport(in)
	f["statement_mention"] = "absent"
	if m, ok := criteria.FindMention(rep.Declaration.Mention); ok {
		f["statement_mention"] = strings.TrimSuffix(m.Status, " conforme")
	}
	f["statement_link"] = a.FollowUps.Statement
	if f["statement_link"] == "" {
		f["statement_link"] = "none"
	}

	// A link to a contact or help page (on this site or another), or a
	// direct channel: a mailto: or tel: link, a contact form.
	contact := a.FollowUps.Contact != ""
	if start.Desktop != nil {
		for _, l := range start.Desktop.Links {
			contact = contact || criteria.IsContactLink(l)
		}
	}
	for _, e := range a.Criteria[criteria.IDSupport].Evidence {
		if e.Page == page && (strings.HasPrefix(e.Fact, "courriel : lien") || strings.HasPrefix(e.Fact, "téléphone : lien") || strings.HasPrefix(e.Fact, "formulaire de contact")) {
			contact = true
		}
	}
	f["contact_link_present"] = fmt.Sprint(contact)

	vp := false
	for _, e := range a.Criteria[criteria.IDMobile].Evidence {
		if strings.HasPrefix(e.Fact, "balise viewport") && strings.HasSuffix(e.Fact, ": adaptée au téléphone") {
			vp = true
		}
	}
	f["viewport_ok"] = fmt.Sprint(vp)

	d := rep.Declaration
	f["statement_status"] = strings.TrimSuffix(d.Status, " conforme")
	if d.Status == "" {
		f["statement_status"] = "none"
	}
	f["statement_rate"] = "none"
	if d.Rate != nil {
		f["statement_rate"] = fmt.Sprint(*d.Rate)
	}
	f["statement_date"] = d.Date
	if d.Date == "" {
		f["statement_date"] = "none"
	}
	return f
}
