package main

import (
	"fmt"
	"slices"
	"strings"
)

// Results is bench/results.json.
type Results struct {
	Date       string    `json:"date"`
	Note       string    `json:"note,omitempty"`
	Machine    Machine   `json:"machine"`
	Ours       OurRun    `json:"observatoire"`
	Pa11y      []ToolRun `json:"pa11y_ci"`
	Lighthouse ToolRun   `json:"lighthouse"`
	// Ratios of our pages per minute to the best pa11y-ci run and to
	// Lighthouse; Costs the three biggest costs of a scan.
	VsPa11y      float64 `json:"ratio_vs_pa11y_ci"`
	VsLighthouse float64 `json:"ratio_vs_lighthouse"`
	Costs        []Cost  `json:"biggest_costs"`
	Targets      []Check `json:"targets"`
}

// Machine is where the run happened.
type Machine struct {
	Cores         int     `json:"cores"`
	CPU           string  `json:"cpu,omitempty"`
	MemoryMiB     float64 `json:"memory_mib"`
	GOOS          string  `json:"goos"`
	GOARCH        string  `json:"goarch"`
	Go            string  `json:"go"`
	Chromium      string  `json:"chromium"`
	Browser       string  `json:"browser_product,omitempty"`
	Axe           string  `json:"axe_core_observatoire"`
	Pa11yAxe      string  `json:"axe_core_pa11y,omitempty"`
	LighthouseAxe string  `json:"axe_core_lighthouse,omitempty"`
}

// OurRun is the scanner's run on the demo catalogue.
type OurRun struct {
	Procedures      int     `json:"procedures"`
	Pages           int     `json:"pages"`
	Concurrency     int     `json:"concurrency"`
	WallS           float64 `json:"wall_s"`
	PagesPerMin     float64 `json:"pages_per_min"`
	PeakScannerMiB  float64 `json:"peak_scanner_mib"`
	PeakChromiumMiB float64 `json:"peak_chromium_mib"`
	// ScannerCPUS is the Go process's own CPU time; ScannerCPUShare that
	// time over wall time × cores.
	ScannerCPUS     float64 `json:"scanner_cpu_s"`
	ScannerCPUShare float64 `json:"scanner_cpu_share"`
	// OutsideLoadAndAxeShare is the share of page time spent outside
	// navigation and axe-core (settle, DOM facts, screenshots, mobile).
	OutsideLoadAndAxeShare float64            `json:"outside_load_and_axe_share"`
	Phases                 map[string]Stat    `json:"phases"`
	PhaseShare             map[string]float64 `json:"phase_share"`
	Browser                string             `json:"browser"`
	Profile                []string           `json:"cpu_profile_top"`
}

// Stat sums up one phase over the pages, in milliseconds.
type Stat struct {
	N        int     `json:"n"`
	MedianMS float64 `json:"median_ms"`
	P95MS    float64 `json:"p95_ms"`
	SumS     float64 `json:"sum_s"`
}

// ToolRun is one run of pa11y-ci or Lighthouse.
type ToolRun struct {
	Tool        string  `json:"tool"`
	Concurrency int     `json:"concurrency"`
	Pages       int     `json:"pages"`
	WallS       float64 `json:"wall_s"`
	PagesPerMin float64 `json:"pages_per_min"`
	PeakMiB     float64 `json:"peak_tree_mib"`
	Error       string  `json:"error,omitempty"`
}

// Cost is one of the biggest costs of a scan.
type Cost struct {
	Phase string  `json:"phase"`
	Share float64 `json:"share_of_page_time"`
	Tried string  `json:"what_was_done"`
}

// Check is a target and whether it was reached.
type Check struct {
	Target  string `json:"target"`
	Reached bool   `json:"reached"`
	Figure  string `json:"figure"`
}

// costNotes say, per phase, what the scanner already does to keep the
// phase short and what was tried.
var costNotes = map[string]string{
	"axe":         "axe-core runs once per page, desktop only, restricted to the 67 rules tagged RGAAv4 (not the ~100 of a full run); its cost grows with the element count (300 to 1,500 here). Tried: nothing cheaper keeps the RGAA results; --no-axe removes it.",
	"navigation":  "one load per page: the mobile facts come from re-laying out the same document in the phone viewport, not from a second load; subresources are local here, so this is mostly Chromium's parse, style and layout under load.",
	"mobile":      "no reload: mobile emulation is switched on the loaded document and one script reads viewport, overflow, text sizes and tap targets.",
	"screenshots": "JPEG, viewport only (not full page), one per emulation; --no-screenshots removes it.",
	"dom_facts":   "one injected script per emulation reads every fact in one pass, with capped lists.",
	"settle":      "two animation frames and the paint entry, bounded by --settle-timeout.",
}

// compare fills the ratios, the costs and the target checks.
func (r *Results) compare() {
	best := ToolRun{}
	for _, p := range r.Pa11y {
		if p.Error == "" && p.PagesPerMin > best.PagesPerMin {
			best = p
		}
	}
	if best.PagesPerMin > 0 {
		r.VsPa11y = r.Ours.PagesPerMin / best.PagesPerMin
	}
	if r.Lighthouse.Error == "" && r.Lighthouse.PagesPerMin > 0 {
		r.VsLighthouse = r.Ours.PagesPerMin / r.Lighthouse.PagesPerMin
	}
	var phases []string
	for k := range r.Ours.PhaseShare {
		phases = append(phases, k)
	}
	slices.SortFunc(phases, func(a, b string) int {
		if r.Ours.PhaseShare[a] > r.Ours.PhaseShare[b] {
			return -1
		}
		if r.Ours.PhaseShare[a] < r.Ours.PhaseShare[b] {
			return 1
		}
		return strings.Compare(a, b)
	})
	for _, k := range phases[:min(3, len(phases))] {
		r.Costs = append(r.Costs, Cost{Phase: k, Share: r.Ours.PhaseShare[k], Tried: costNotes[k]})
	}
	peak := r.Ours.PeakScannerMiB + r.Ours.PeakChromiumMiB
	r.Targets = []Check{
		{"pages/min ≥ 3 × pa11y-ci's", r.VsPa11y >= 3, fmt.Sprintf("%.2f ×", r.VsPa11y)},
		{"pages/min ≥ 10 × Lighthouse's", r.VsLighthouse >= 10, fmt.Sprintf("%.2f ×", r.VsLighthouse)},
		{"scanner's own CPU < 10 % of the machine over the run", r.Ours.ScannerCPUShare < 0.10, pct(r.Ours.ScannerCPUShare)},
		{"page time outside load and axe < 10 %", r.Ours.OutsideLoadAndAxeShare < 0.10, pct(r.Ours.OutsideLoadAndAxeShare)},
		{"peak memory (scanner + Chromium) < 1.5 GiB", peak < 1536, fmt.Sprintf("%.0f MiB", peak)},
	}
}

func pct(v float64) string { return fmt.Sprintf("%.1f %%", 100*v) }

// markdown is docs/benchmarks.md.
func (r *Results) markdown() string {
	var b strings.Builder
	p := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }
	m := r.Machine
	p("# Benchmarks\n\n")
	p("Generated by `make bench` (bench/main.go) on %s; raw figures in `bench/results.json`.\n\n", r.Date)
	if r.Note != "" {
		p("> %s\n\n", r.Note)
	}
	p("## What is measured\n\n")
	p("The scanner rates the %d simulated procedures of the demo catalogue (`fixtures.StartDemo`, seed 2026, served on 127.0.0.1): ", r.Ours.Procedures)
	p("for each, the start page and its contact, statement and sign-in pages, each loaded once in Chromium with DOM facts in two emulations, axe-core's RGAA rules, two screenshots, plus three plain HTTP probes, then the eight criteria and the edition store. ")
	p("On the same pages and the same Chromium, pa11y-ci runs axe-core only (best of the concurrencies tried) and the Lighthouse CLI its accessibility category only, one page per run.\n\n")
	p("## Machine\n\n")
	p("| | |\n|---|---|\n| cores | %d (%s) |\n| memory | %.0f MiB |\n| Chromium | %s |\n| axe-core | %s (observatoire), %s (pa11y), %s (Lighthouse) |\n| Go | %s %s/%s |\n\n",
		m.Cores, m.CPU, m.MemoryMiB, m.Chromium, m.Axe, m.Pa11yAxe, m.LighthouseAxe, m.Go, m.GOOS, m.GOARCH)
	p("## Throughput\n\n| tool | concurrency | pages | wall | pages/min | peak memory |\n|---|---|---|---|---|---|\n")
	o := r.Ours
	p("| observatoire (8 criteria + axe) | %d | %d | %.0f s | **%.1f** | %.0f MiB scanner + %.0f MiB Chromium |\n", o.Concurrency, o.Pages, o.WallS, o.PagesPerMin, o.PeakScannerMiB, o.PeakChromiumMiB)
	for _, t := range r.Pa11y {
		if t.Error != "" {
			p("| %s | %d | %d | – | failed: %s | – |\n", t.Tool, t.Concurrency, t.Pages, t.Error)
			continue
		}
		p("| %s | %d | %d | %.0f s | %.1f | %.0f MiB |\n", t.Tool, t.Concurrency, t.Pages, t.WallS, t.PagesPerMin, t.PeakMiB)
	}
	if l := r.Lighthouse; l.Error != "" {
		p("| %s | 1 | %d | – | failed: %s | – |\n", l.Tool, l.Pages, l.Error)
	} else {
		p("| %s | 1 | %d | %.0f s | %.1f | %.0f MiB |\n", l.Tool, l.Pages, l.WallS, l.PagesPerMin, l.PeakMiB)
	}
	p("\nRatio of our pages per minute (all eight criteria plus axe) to theirs (axe only): **%.2f ×** pa11y-ci's best, **%.2f ×** Lighthouse's.\n\n", r.VsPa11y, r.VsLighthouse)
	pa := 0
	if len(r.Pa11y) > 0 {
		pa = r.Pa11y[0].Pages
	}
	p("pa11y-ci gets the first %d pages the scanner loaded and Lighthouse the first %d (the same URLs, a subset); our rate counts every page of every procedure, failed ones included. ", pa, r.Lighthouse.Pages)
	p("Memory is the sum of the RSS of the processes of each tool's tree, sampled every 500 ms: pages shared between Chromium's processes are counted once per process, so the Chromium figures overstate its real use, the same way for all three tools.\n\n")
	p("## Targets\n\n| target | reached | figure |\n|---|---|---|\n")
	for _, c := range r.Targets {
		yes := "no"
		if c.Reached {
			yes = "yes"
		}
		p("| %s | %s | %s |\n", c.Target, yes, c.Figure)
	}
	p("\n## Where the time goes\n\nPer page, from `Snapshot.Phases` (CDP timings of each step):\n\n| phase | pages | median | 95th percentile | share of page time |\n|---|---|---|---|---|\n")
	for _, k := range []string{"navigation", "settle", "dom_facts", "axe", "screenshots", "mobile", "second_pages", "page_total"} {
		s := o.Phases[k]
		share := "–"
		if v, ok := o.PhaseShare[k]; ok {
			share = pct(v)
		}
		p("| %s | %d | %.0f ms | %.0f ms | %s |\n", k, s.N, s.MedianMS, s.P95MS, share)
	}
	p("\nThe scanner process itself used %.0f s of CPU over the run (%s of the machine's %d cores × wall time); ", o.ScannerCPUS, pct(o.ScannerCPUShare), m.Cores)
	p("%s of page time is spent outside Chromium's load and axe-core's run (settle, DOM facts, screenshots, mobile re-layout — most of it is Chromium work the scanner waits for).\n\n", pct(o.OutsideLoadAndAxeShare))
	p("The three biggest costs:\n\n")
	for i, c := range r.Costs {
		p("%d. **%s** (%s of page time): %s\n", i+1, c.Phase, pct(c.Share), c.Tried)
	}
	p("\nCPU profile of the scanner process (`go tool pprof -top -cum`, file `bench/out/cpu.prof`):\n\n```\n")
	for _, l := range o.Profile {
		p("%s\n", l)
	}
	p("```\n\n## Reproduce\n\n    make bench\n\n")
	p("installs the pinned pa11y-ci 4.1.1 and Lighthouse 13.5.0 with `npm ci` in `bench/` (PUPPETEER_SKIP_DOWNLOAD=1: no browser is downloaded; all three tools use `/usr/bin/chromium`), runs the full demo-catalogue test (`go test ./fixtures -long`), then `go run ./bench`. ")
	p("Flags of `go run ./bench`: `-procedures`, `-pa11y-pages`, `-pa11y-concurrency`, `-lighthouse-pages`, `-note`.\n")
	return b.String()
}
