// Command bench measures the scanner on the demo catalogue of simulated
// procedures (fixtures.StartDemo) and, on the same pages with the same
// Chromium, pa11y-ci (axe runner) and the Lighthouse CLI (accessibility
// category only). It writes bench/results.json and docs/benchmarks.md.
//
// Run it with `make bench`, which installs the pinned pa11y-ci and
// Lighthouse with `npm ci` in bench/ first (no browser is downloaded).
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/observatoire-scanner/observatoire/fixtures"
	"github.com/observatoire-scanner/observatoire/observatory"
	"github.com/observatoire-scanner/observatoire/scanner"
)

// chromeArgs are the flags the other tools launch Chromium with.
var chromeArgs = []string{"--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking",
	"--disable-component-update", "--disable-sync", "--no-first-run"}

func main() {
	n := flag.Int("procedures", 250, "demo procedures to scan")
	seed := flag.Int64("seed", 2026, "seed of the demo procedures")
	pa11yPages := flag.Int("pa11y-pages", 100, "pages given to pa11y-ci at each concurrency")
	lhPages := flag.Int("lighthouse-pages", 20, "pages given to Lighthouse")
	concs := flag.String("pa11y-concurrency", "1,2,4", "pa11y-ci concurrencies to try")
	chrome := flag.String("chrome", scanner.DefaultChromePath, "Chromium binary, for all three tools")
	out := flag.String("out", "bench", "folder of results.json (and out/ for the raw files)")
	docs := flag.String("docs", filepath.Join("docs", "benchmarks.md"), "Markdown report")
	note := flag.String("note", "", "a note on the run, quoted in the report")
	npm := flag.String("npm", "bench", "folder whose node_modules holds pa11y-ci and lighthouse")
	render := flag.Bool("render", false, "only write the report again from the existing results.json")
	flag.Parse()
	log.SetFlags(log.Ltime)
	if *render {
		var res Results
		b, err := os.ReadFile(filepath.Join(*out, "results.json"))
		if err == nil {
			err = json.Unmarshal(b, &res)
		}
		if err == nil {
			err = os.WriteFile(*docs, []byte(res.markdown()), 0o644)
		}
		if err != nil {
			log.Fatal(err)
		}
		return
	}

	raw := filepath.Join(*out, "out")
	if err := os.MkdirAll(raw, 0o755); err != nil {
		log.Fatal(err)
	}
	res := &Results{Date: time.Now().UTC().Format(time.RFC3339), Note: *note, Machine: machine(*chrome, *npm)}

	demo, err := fixtures.StartDemo(*seed, *n)
	if err != nil {
		log.Fatal(err)
	}
	defer demo.Close()

	ours, pages, err := scanOurs(demo, *chrome, raw)
	if err != nil {
		log.Fatal(err)
	}
	res.Ours = ours
	res.Machine.Browser = ours.Browser
	log.Printf("scanner: %d pages in %.0f s, %.1f pages/min", ours.Pages, ours.WallS, ours.PagesPerMin)

	if len(pages) > *pa11yPages {
		pages = pages[:*pa11yPages]
	}
	bin := filepath.Join(*npm, "node_modules", ".bin")
	for _, c := range strings.Split(*concs, ",") {
		k, err := strconv.Atoi(strings.TrimSpace(c))
		if err != nil || k <= 0 {
			log.Fatalf("-pa11y-concurrency: %q", c)
		}
		run, err := runPa11y(bin, *chrome, raw, pages, k)
		if err != nil {
			log.Printf("pa11y-ci at concurrency %d: %v", k, err)
			run.Error = err.Error()
		} else {
			log.Printf("pa11y-ci concurrency %d: %d pages in %.0f s, %.1f pages/min", k, run.Pages, run.WallS, run.PagesPerMin)
		}
		res.Pa11y = append(res.Pa11y, run)
	}
	lh := pages
	if len(lh) > *lhPages {
		lh = lh[:*lhPages]
	}
	res.Lighthouse, err = runLighthouse(bin, *chrome, raw, lh)
	if err != nil {
		log.Printf("lighthouse: %v", err)
		res.Lighthouse.Error = err.Error()
	} else {
		log.Printf("lighthouse: %d pages in %.0f s, %.1f pages/min", res.Lighthouse.Pages, res.Lighthouse.WallS, res.Lighthouse.PagesPerMin)
	}
	res.compare()
	if err := writeJSONFile(filepath.Join(*out, "results.json"), res); err != nil {
		log.Fatal(err)
	}
	if err := os.WriteFile(*docs, []byte(res.markdown()), 0o644); err != nil {
		log.Fatal(err)
	}
	log.Printf("wrote %s and %s", filepath.Join(*out, "results.json"), *docs)
}

// scanOurs scans the demo catalogue as `observatoire demo` does, with a
// CPU profile and memory sampling, and returns the figures and the URLs
// of the pages that loaded (for the other tools).
func scanOurs(demo *fixtures.Demo, chrome, raw string) (OurRun, []string, error) {
	run := OurRun{Concurrency: runtime.NumCPU()}
	dir, err := os.MkdirTemp("", "observatoire-bench-")
	if err != nil {
		return run, nil, err
	}
	defer os.RemoveAll(dir)
	data, err := demo.CatalogYAML()
	if err != nil {
		return run, nil, err
	}
	cat, err := observatory.ParseCatalog("demo.yaml", data)
	if err != nil {
		return run, nil, err
	}
	if err := demo.WriteImports(filepath.Join(dir, "results")); err != nil {
		return run, nil, err
	}
	im, _, err := observatory.LoadImports(filepath.Join(dir, "results"), cat.Procedures)
	if err != nil {
		return run, nil, err
	}
	sc, err := scanner.New(scanner.Options{ChromePath: chrome, PerHost: run.Concurrency})
	if err != nil {
		return run, nil, err
	}
	defer sc.Close()
	so := observatory.ScanOptions{DataDir: dir, Edition: "bench", Imports: im}
	so.Assess.Probes = scanner.ProbeOptions{Count: 3, Interval: 200 * time.Millisecond, Timeout: 10 * time.Second}

	prof, err := os.Create(filepath.Join(raw, "cpu.prof"))
	if err != nil {
		return run, nil, err
	}
	defer prof.Close()
	mem := startSampler(os.Getpid())
	var ru0 syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru0)
	if err := pprof.StartCPUProfile(prof); err != nil {
		return run, nil, err
	}
	begin := time.Now()
	sum, err := observatory.ScanCatalog(context.Background(), sc, cat, so)
	wall := time.Since(begin)
	pprof.StopCPUProfile()
	var ru1 syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru1)
	peakChrome := mem.stop()
	if err != nil {
		return run, nil, err
	}
	run.Browser = sc.BrowserVersion()
	ed, err := observatory.LoadEdition(dir, "bench")
	if err != nil {
		return run, nil, err
	}
	run.Procedures = sum.Total
	run.WallS = wall.Seconds()
	run.PeakScannerMiB = vmHWM()
	run.PeakChromiumMiB = peakChrome
	run.ScannerCPUS = cpuSeconds(ru1) - cpuSeconds(ru0)
	run.ScannerCPUShare = run.ScannerCPUS / (run.WallS * float64(runtime.NumCPU()))

	phases := map[string][]float64{}
	var pages []string
	seen := map[string]bool{}
	var total, own float64
	for _, r := range ed.Results {
		for role, s := range r.Assessment.Pages {
			run.Pages++
			ph := s.Phases
			add := func(k string, v float64) { phases[k] = append(phases[k], v) }
			add("navigation", ph.Navigate)
			add("settle", ph.Settle)
			add("dom_facts", ph.Facts)
			add("axe", ph.Axe)
			add("screenshots", ph.Screenshot)
			add("mobile", ph.Mobile)
			add("page_total", ph.Total)
			if role != observatory.PageStart {
				add("second_pages", ph.Total)
			}
			total += ph.Total
			own += max(0, ph.Total-ph.Navigate-ph.Axe)
			if s.Status.Loaded() && !seen[s.URL] {
				seen[s.URL] = true
				pages = append(pages, s.URL)
			}
		}
	}
	run.PagesPerMin = float64(run.Pages) / wall.Minutes()
	run.Phases = map[string]Stat{}
	for k, v := range phases {
		run.Phases[k] = stat(v)
	}
	run.PhaseShare = map[string]float64{}
	for _, k := range []string{"navigation", "settle", "dom_facts", "axe", "screenshots", "mobile"} {
		run.PhaseShare[k] = sumOf(phases[k]) / total
	}
	run.OutsideLoadAndAxeShare = own / total
	run.Profile = topProfile(filepath.Join(raw, "cpu.prof"))
	return run, pages, nil
}

// runPa11y runs pa11y-ci with the axe runner on pages at concurrency k.
func runPa11y(bin, chrome, raw string, pages []string, k int) (ToolRun, error) {
	run := ToolRun{Tool: "pa11y-ci 4.1.1 (axe runner)", Concurrency: k, Pages: len(pages)}
	cfg := map[string]any{
		"defaults": map[string]any{
			"runners":     []string{"axe"},
			"timeout":     60000,
			"concurrency": k,
			"chromeLaunchConfig": map[string]any{
				"executablePath": chrome,
				"args":           chromeArgs,
			},
		},
		"urls": pages,
	}
	path := filepath.Join(raw, fmt.Sprintf("pa11y-ci-%d.json", k))
	if err := writeJSONFile(path, cfg); err != nil {
		return run, err
	}
	cmd := exec.Command(filepath.Join(bin, "pa11y-ci"), "--config", path, "--json")
	out, err := os.Create(filepath.Join(raw, fmt.Sprintf("pa11y-ci-%d.out.json", k)))
	if err != nil {
		return run, err
	}
	defer out.Close()
	cmd.Stdout = out
	cmd.Env = append(os.Environ(), "PUPPETEER_SKIP_DOWNLOAD=1", "PUPPETEER_EXECUTABLE_PATH="+chrome)
	wall, peak, err := timed(cmd)
	run.WallS, run.PeakMiB = wall.Seconds(), peak
	run.PagesPerMin = float64(run.Pages) / wall.Minutes()
	// pa11y-ci exits 2 when pages have issues: that is a finished run.
	if ee, ok := err.(*exec.ExitError); ok && ee.ExitCode() == 2 {
		err = nil
	}
	return run, err
}

// runLighthouse runs the Lighthouse CLI, accessibility category only, on
// each page in turn (Lighthouse audits one page per run).
func runLighthouse(bin, chrome, raw string, pages []string) (ToolRun, error) {
	run := ToolRun{Tool: "Lighthouse 13.5.0 (accessibility category)", Concurrency: 1, Pages: len(pages)}
	var wall time.Duration
	for i, u := range pages {
		cmd := exec.Command(filepath.Join(bin, "lighthouse"), u,
			"--only-categories=accessibility", "--output=json",
			"--output-path="+filepath.Join(raw, fmt.Sprintf("lighthouse-%02d.json", i)),
			"--quiet", "--chrome-flags="+strings.Join(chromeArgs, " "))
		cmd.Env = append(os.Environ(), "CHROME_PATH="+chrome)
		d, peak, err := timed(cmd)
		if err != nil {
			return run, fmt.Errorf("%s: %w", u, err)
		}
		wall += d
		run.PeakMiB = max(run.PeakMiB, peak)
	}
	run.WallS = wall.Seconds()
	run.PagesPerMin = float64(run.Pages) / wall.Minutes()
	return run, nil
}

// timed runs cmd and returns its wall time and the peak RSS of its
// process tree.
func timed(cmd *exec.Cmd) (time.Duration, float64, error) {
	begin := time.Now()
	if err := cmd.Start(); err != nil {
		return 0, 0, err
	}
	s := startSampler(cmd.Process.Pid)
	err := cmd.Wait()
	d := time.Since(begin)
	return d, s.stopAll(), err
}

// sampler records, every 500 ms, the summed RSS of a process tree.
type sampler struct {
	root                int
	stopc               chan struct{}
	wg                  sync.WaitGroup
	peakChrome, peakAll float64
}

func startSampler(root int) *sampler {
	s := &sampler{root: root, stopc: make(chan struct{})}
	s.wg.Go(func() {
		t := time.NewTicker(500 * time.Millisecond)
		defer t.Stop()
		for {
			c, a := treeRSS(root)
			s.peakChrome, s.peakAll = max(s.peakChrome, c), max(s.peakAll, a)
			select {
			case <-s.stopc:
				return
			case <-t.C:
			}
		}
	})
	return s
}

// stop returns the peak RSS of the Chromium processes under root, MiB.
func (s *sampler) stop() float64 { close(s.stopc); s.wg.Wait(); return s.peakChrome }

// stopAll returns the peak RSS of the whole tree under root (root
// included), MiB.
func (s *sampler) stopAll() float64 { close(s.stopc); s.wg.Wait(); return s.peakAll }

// treeRSS sums the RSS (MiB) of root's descendants that are Chromium, and
// of root and all its descendants. It walks the tree through
// /proc/PID/task/TID/children, so that its cost (counted in the scanner's
// CPU time) does not grow with the other processes of a shared machine.
func treeRSS(root int) (chrome, all float64) {
	todo := []int{root}
	for len(todo) > 0 {
		pid := todo[len(todo)-1]
		todo = todo[:len(todo)-1]
		rss := statusKiB(pid, "VmRSS:") / 1024
		all += rss
		if pid != root {
			if b, err := os.ReadFile(fmt.Sprintf("/proc/%d/comm", pid)); err == nil && strings.Contains(strings.ToLower(string(b)), "chrom") {
				chrome += rss
			}
		}
		tasks, _ := os.ReadDir(fmt.Sprintf("/proc/%d/task", pid))
		for _, t := range tasks {
			b, err := os.ReadFile(fmt.Sprintf("/proc/%d/task/%s/children", pid, t.Name()))
			if err != nil {
				continue
			}
			for _, f := range strings.Fields(string(b)) {
				if c, err := strconv.Atoi(f); err == nil {
					todo = append(todo, c)
				}
			}
		}
	}
	return chrome, all
}

// statusKiB reads a "Key: N kB" line of /proc/PID/status.
func statusKiB(pid int, key string) float64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	for line := range strings.SplitSeq(string(b), "\n") {
		if strings.HasPrefix(line, key) {
			f := strings.Fields(line)
			if len(f) >= 2 {
				v, _ := strconv.ParseFloat(f[1], 64)
				return v
			}
		}
	}
	return 0
}

// vmHWM is this process's peak RSS, MiB.
func vmHWM() float64 { return statusKiB(os.Getpid(), "VmHWM:") / 1024 }

func cpuSeconds(r syscall.Rusage) float64 {
	return float64(r.Utime.Sec+r.Stime.Sec) + float64(r.Utime.Usec+r.Stime.Usec)/1e6
}

// topProfile lists the profile's heaviest functions (cumulative), with
// `go tool pprof`.
func topProfile(path string) []string {
	exe, err := os.Executable()
	if err != nil {
		return nil
	}
	out, err := exec.Command("go", "tool", "pprof", "-top", "-cum", "-nodecount=15", exe, path).Output()
	if err != nil {
		return []string{"go tool pprof: " + err.Error()}
	}
	var lines []string
	for l := range strings.SplitSeq(strings.TrimSpace(string(out)), "\n") {
		lines = append(lines, strings.TrimRight(l, " "))
	}
	return lines
}

// machine describes where the benchmark ran.
func machine(chrome, npm string) Machine {
	m := Machine{Cores: runtime.NumCPU(), GOOS: runtime.GOOS, GOARCH: runtime.GOARCH, Go: runtime.Version(), Axe: scanner.AxeVersion}
	if b, err := exec.Command(chrome, "--version").Output(); err == nil {
		m.Chromium = strings.TrimSpace(string(b))
	}
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for line := range strings.SplitSeq(string(b), "\n") {
			if strings.HasPrefix(line, "model name") {
				_, m.CPU, _ = strings.Cut(line, ": ")
				break
			}
		}
	}
	m.MemoryMiB = statusMem()
	for _, p := range []string{filepath.Join(npm, "node_modules/pa11y/node_modules/axe-core/package.json"), filepath.Join(npm, "node_modules/axe-core/package.json")} {
		var v struct{ Version string }
		if b, err := os.ReadFile(p); err == nil && json.Unmarshal(b, &v) == nil {
			if strings.Contains(p, "pa11y") {
				m.Pa11yAxe = v.Version
			} else {
				m.LighthouseAxe = v.Version
			}
		}
	}
	return m
}

func statusMem() float64 {
	b, err := os.ReadFile("/proc/meminfo")
	if err != nil {
		return 0
	}
	f := strings.Fields(strings.SplitN(string(b), "\n", 2)[0])
	if len(f) < 2 {
		return 0
	}
	v, _ := strconv.ParseFloat(f[1], 64)
	return v / 1024
}

func stat(v []float64) Stat {
	if len(v) == 0 {
		return Stat{}
	}
	s := slices.Clone(v)
	slices.Sort(s)
	q := func(p float64) float64 { return s[min(len(s)-1, int(p*float64(len(s))))] }
	return Stat{N: len(s), MedianMS: q(0.5), P95MS: q(0.95), SumS: sumOf(s) / 1000}
}

func sumOf(v []float64) float64 {
	t := 0.0
	for _, x := range v {
		t += x
	}
	return t
}

func writeJSONFile(path string, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(b, '\n'), 0o644)
}
