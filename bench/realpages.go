package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/observatoire-scanner/observatoire/observatory"
	"github.com/observatoire-scanner/observatoire/scanner"
)

// RealRun is the benchmark on the real public-sector pages of the corpus
// (../shared/data/real-pages): each site served at the root of its own
// 127.0.0.1 server, the pages repeated (a query string makes each
// repetition a distinct URL) to URLs, scanned as `observatoire check`
// does (start page, its second pages, probes; each distinct URL loaded
// once), then by pa11y-ci and Lighthouse on the same URLs.
type RealRun struct {
	Corpus string `json:"corpus"`
	// Sites and Files count the corpus; URLs the URLs given to each tool.
	Sites      int       `json:"sites"`
	Files      int       `json:"files"`
	URLs       int       `json:"urls"`
	Ours       RealOurs  `json:"observatoire"`
	Pa11y      []ToolRun `json:"pa11y_ci"`
	Lighthouse ToolRun   `json:"lighthouse"`
	// Ratios of pages per minute and URLs per minute against the best
	// pa11y-ci run and Lighthouse (both load one page per URL).
	PagesVsPa11y      float64 `json:"pages_ratio_vs_pa11y_ci"`
	URLsVsPa11y       float64 `json:"urls_ratio_vs_pa11y_ci"`
	PagesVsLighthouse float64 `json:"pages_ratio_vs_lighthouse"`
	Targets           []Check `json:"targets"`
}

// RealOurs is our scanner's run on the real pages.
type RealOurs struct {
	Concurrency int     `json:"concurrency"`
	URLs        int     `json:"urls"`
	Pages       int     `json:"pages_loaded"`
	Reused      int     `json:"pages_reused"`
	WallS       float64 `json:"wall_s"`
	PagesPerMin float64 `json:"pages_per_min"`
	URLsPerMin  float64 `json:"urls_per_min"`
	MachineCPUS float64 `json:"machine_cpu_s"`
	CPUPerPageS float64 `json:"cpu_per_page_s"`
	PeakPSSMiB  float64 `json:"peak_pss_mib"`
	Browser     string  `json:"browser"`
}

type corpusPage struct {
	Site string `json:"site"`
	File string `json:"file"`
}

// serveCorpus serves each site of the corpus at the root of its own
// 127.0.0.1 server and returns the pages' URLs.
func serveCorpus(dir string) (urls []string, sites int, stop func(), err error) {
	raw, err := os.ReadFile(filepath.Join(dir, "pages.json"))
	if err != nil {
		return nil, 0, nil, err
	}
	var pages []corpusPage
	if err := json.Unmarshal(raw, &pages); err != nil {
		return nil, 0, nil, fmt.Errorf("pages.json: %w", err)
	}
	bases := map[string]string{}
	var servers []*http.Server
	stop = func() {
		for _, s := range servers {
			s.Close()
		}
	}
	for _, p := range pages {
		if _, ok := bases[p.Site]; !ok {
			ln, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				stop()
				return nil, 0, nil, err
			}
			srv := &http.Server{Handler: http.FileServer(http.Dir(filepath.Join(dir, p.Site))), ReadHeaderTimeout: 10 * time.Second}
			go func() { _ = srv.Serve(ln) }()
			servers = append(servers, srv)
			bases[p.Site] = "http://" + ln.Addr().String()
		}
		urls = append(urls, bases[p.Site]+strings.TrimPrefix(p.File, p.Site))
	}
	return urls, len(bases), stop, nil
}

// repeatURLs repeats urls to n URLs (cut to n when there are more), each
// repetition after the first made a distinct URL by a query string (so
// that every tool loads it).
func repeatURLs(urls []string, n int) []string {
	var out []string
	for r := 0; len(out) < n && len(urls) > 0; r++ {
		for _, u := range urls {
			if r > 0 {
				u += fmt.Sprintf("?bench=%d", r)
			}
			out = append(out, u)
		}
	}
	return out[:min(len(out), n)]
}

// benchRealPages runs the real-page benchmark and stores it in res.
func benchRealPages(res *Results, corpus, chrome, raw, npm string, n, k int, pa11yConcs []int, lhPages int) error {
	pages, sites, stop, err := serveCorpus(corpus)
	if err != nil {
		return fmt.Errorf("real pages: %w", err)
	}
	defer stop()
	urls := repeatURLs(pages, n)
	rr := &RealRun{Corpus: corpus, Sites: sites, Files: len(pages), URLs: len(urls)}
	log.Printf("real pages: %d files of %d sites, %d URLs", len(pages), sites, len(urls))

	// Chromium of every tool resolves no host name but localhost: the
	// pages' external resources fail at once instead of reaching out.
	saved := chromeArgs
	chromeArgs = append(append([]string(nil), chromeArgs...), "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1")
	defer func() { chromeArgs = saved }()

	if rr.Ours, err = realOurs(chrome, urls, k); err != nil {
		return err
	}
	log.Printf("scanner: %d URLs, %d pages loaded (%d reused) in %.0f s: %.1f pages/min, %.1f URLs/min, %.2f CPU-s/page, %.0f MiB PSS",
		rr.Ours.URLs, rr.Ours.Pages, rr.Ours.Reused, rr.Ours.WallS, rr.Ours.PagesPerMin, rr.Ours.URLsPerMin, rr.Ours.CPUPerPageS, rr.Ours.PeakPSSMiB)
	bin := filepath.Join(npm, "node_modules", ".bin")
	for _, c := range pa11yConcs {
		run, err := runPa11y(bin, chrome, raw, urls, c)
		if err != nil {
			log.Printf("pa11y-ci at concurrency %d: %v", c, err)
			// No figures from a run that did not finish (a wall of 0
			// would make them infinite).
			run = ToolRun{Tool: run.Tool, Concurrency: c, Pages: len(urls), Error: err.Error()}
		} else {
			log.Printf("pa11y-ci concurrency %d: %d pages in %.0f s, %.1f pages/min", c, run.Pages, run.WallS, run.PagesPerMin)
		}
		rr.Pa11y = append(rr.Pa11y, run)
	}
	lh := urls[:min(len(urls), lhPages)]
	if rr.Lighthouse, err = runLighthouse(bin, chrome, raw, lh); err != nil {
		log.Printf("lighthouse: %v", err)
		rr.Lighthouse = ToolRun{Tool: rr.Lighthouse.Tool, Concurrency: 1, Pages: len(lh), Error: err.Error()}
	}
	rr.compare()
	res.RealPages = rr
	return nil
}

// realOurs assesses every URL as `observatoire check` does, k pages at
// once, with one page memory for the run.
func realOurs(chrome string, urls []string, k int) (RealOurs, error) {
	run := RealOurs{Concurrency: k, URLs: len(urls)}
	sc, err := scanner.New(scanner.Options{ChromePath: chrome, Concurrency: k, PerHost: k, LoopbackOnly: true})
	if err != nil {
		return run, err
	}
	defer sc.Close()
	ctx := context.Background()
	if err := sc.Start(ctx); err != nil {
		return run, err
	}
	pages := observatory.NewPages()
	opts := observatory.AssessOptions{Pages: pages, Probes: scanner.ProbeOptions{Count: 1, Timeout: 10 * time.Second}}
	mem := startSampler(os.Getpid())
	busy0, _ := machineCPU()
	begin := time.Now()
	errs := make([]error, len(urls))
	jobs := make(chan int)
	var wg sync.WaitGroup
	for range k {
		wg.Go(func() {
			for i := range jobs {
				_, errs[i] = observatory.Assess(ctx, sc, observatory.Target{URL: urls[i]}, opts)
			}
		})
	}
	for i := range urls {
		jobs <- i
	}
	close(jobs)
	wg.Wait()
	wall := time.Since(begin)
	peak := mem.stop()
	busy1, _ := machineCPU()
	if err := errors.Join(errs...); err != nil {
		return run, err
	}
	st := pages.Stats()
	run.Pages, run.Reused = st.Loads, st.Reused
	run.WallS = wall.Seconds()
	run.PagesPerMin = float64(run.Pages) / wall.Minutes()
	run.URLsPerMin = float64(run.URLs) / wall.Minutes()
	run.MachineCPUS = busy1 - busy0
	run.CPUPerPageS = run.MachineCPUS / float64(max(run.Pages, 1))
	run.PeakPSSMiB = peak.allPSS
	run.Browser = sc.BrowserVersion()
	return run, nil
}

// compare fills the ratios and the targets of the issue.
func (rr *RealRun) compare() {
	var best ToolRun
	for _, p := range rr.Pa11y {
		if p.Error == "" && p.PagesPerMin > best.PagesPerMin {
			best = p
		}
	}
	if best.PagesPerMin > 0 {
		rr.PagesVsPa11y = rr.Ours.PagesPerMin / best.PagesPerMin
		rr.URLsVsPa11y = rr.Ours.URLsPerMin / best.PagesPerMin // one page per URL
	}
	if rr.Lighthouse.Error == "" && rr.Lighthouse.PagesPerMin > 0 {
		rr.PagesVsLighthouse = rr.Ours.PagesPerMin / rr.Lighthouse.PagesPerMin
	}
	rr.Targets = []Check{
		{"pages/min ≥ 3 × pa11y-ci's", rr.PagesVsPa11y >= 3, fmt.Sprintf("%.2f ×", rr.PagesVsPa11y)},
		{"URLs/min ≥ 1.5 × pa11y-ci's", rr.URLsVsPa11y >= 1.5, fmt.Sprintf("%.2f ×", rr.URLsVsPa11y)},
		{"pages/min ≥ 10 × Lighthouse's", rr.PagesVsLighthouse >= 10, fmt.Sprintf("%.2f ×", rr.PagesVsLighthouse)},
		{"peak memory ≤ 1.5 GiB PSS", rr.Ours.PeakPSSMiB > 0 && rr.Ours.PeakPSSMiB <= 1536, fmt.Sprintf("%.0f MiB PSS", rr.Ours.PeakPSSMiB)},
	}
}

// markdown is the real-page section of docs/benchmarks.md.
func (rr *RealRun) markdown() string {
	var b strings.Builder
	fmt.Fprintf(&b, "\n## Real public-sector pages\n\n")
	fmt.Fprintf(&b, "%d files of %d sites of the corpus (%s), each site served at the root of its own 127.0.0.1 server, repeated to %d URLs "+
		"(a query string makes each repetition a distinct URL). Every tool's Chromium resolves no host name but localhost, so the pages' external resources fail at once. "+
		"Our scanner assesses each URL as `observatoire check` does (start page, second pages, one probe; each distinct URL loaded once per run); pa11y-ci and Lighthouse load one page per URL. "+
		"Run on %d cores (`go run ./bench -real-pages %s`).\n\n", rr.Files, rr.Sites, rr.Corpus, rr.URLs, runtime.NumCPU(), rr.Corpus)
	b.WriteString("| Tool | Concurrency | URLs | Pages loaded | Wall (s) | Pages/min | URLs/min | CPU-s/page | Peak PSS (MiB) |\n|---|---|---|---|---|---|---|---|---|\n")
	o := rr.Ours
	fmt.Fprintf(&b, "| observatoire | %d | %d | %d (+%d reused) | %.1f | %.1f | %.1f | %.2f | %.0f |\n",
		o.Concurrency, o.URLs, o.Pages, o.Reused, o.WallS, o.PagesPerMin, o.URLsPerMin, o.CPUPerPageS, o.PeakPSSMiB)
	for _, t := range append(append([]ToolRun(nil), rr.Pa11y...), rr.Lighthouse) {
		if t.Error != "" {
			fmt.Fprintf(&b, "| %s | %d | %d | — | — | — | — | — | — (failed: %s) |\n", t.Tool, t.Concurrency, t.Pages, t.Error)
			continue
		}
		fmt.Fprintf(&b, "| %s | %d | %d | %d | %.1f | %.1f | %.1f | %.2f | %.0f |\n",
			t.Tool, t.Concurrency, t.Pages, t.Pages, t.WallS, t.PagesPerMin, t.PagesPerMin, t.CPUPerPageS, t.PeakPSSMiB)
	}
	b.WriteString("\n| Target | Reached | Figure |\n|---|---|---|\n")
	for _, c := range rr.Targets {
		r := "no"
		if c.Reached {
			r = "yes"
		}
		fmt.Fprintf(&b, "| %s | %s | %s |\n", c.Target, r, c.Figure)
	}
	return b.String()
}
