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
	"github.com/observatoire-scanner/observatoire/observatory/catalog"
	"github.com/observatoire-scanner/observatoire/observatory/edition"
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
	ourConcs := flag.String("concurrency", fmt.Sprintf("%d,%d,%d", scanner.DefaultConcurrency(), runtime.NumCPU(), 4*runtime.NumCPU()),
		"scanner concurrencies to try (pages at once); the default is the scanner's default, then the cores, then four times the cores")
	expPages := flag.Int("experiment-pages", 30, "pages of the axe-injection experiment (0: skip it)")
	chrome := flag.String("chrome", scanner.DefaultChromePath, "Chromium binary, for all three tools")
	out := flag.String("out", "bench", "folder of results.json (and out/ for the raw files)")
	docs := flag.String("docs", filepath.Join("docs", "benchmarks.md"), "Markdown report")
	note := flag.String("note", "", "a note on the run, quoted in the report")
	npm := flag.String("npm", "bench", "folder whose node_modules holds pa11y-ci and lighthouse")
	render := flag.Bool("render", false, "only write the report again from the existing results.json")
	realPages := flag.String("real-pages", "", "run only the real-page benchmark on this corpus (../shared/data/real-pages), keeping the demo figures of results.json")
	realURLs := flag.Int("real-urls", 100, "URLs of the real-page benchmark (the corpus's pages repeated)")
	realConc := flag.Int("real-concurrency", scanner.DefaultConcurrency(), "scanner concurrency of the real-page benchmark")
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
	if *realPages != "" {
		var res Results
		if b, err := os.ReadFile(filepath.Join(*out, "results.json")); err == nil {
			if err := json.Unmarshal(b, &res); err != nil {
				log.Fatal(err)
			}
		}
		if err := benchRealPages(&res, *realPages, *chrome, raw, *npm, *realURLs, *realConc, parseConcurrencies(*concs), *lhPages); err != nil {
			log.Fatal(err)
		}
		if err := writeJSONFile(filepath.Join(*out, "results.json"), res); err != nil {
			log.Fatal(err)
		}
		if err := os.WriteFile(*docs, []byte(res.markdown()), 0o644); err != nil {
			log.Fatal(err)
		}
		log.Printf("wrote %s and %s", filepath.Join(*out, "results.json"), *docs)
		return
	}
	res := &Results{Date: time.Now().UTC().Format(time.RFC3339), Note: *note, Machine: machine(*chrome, *npm)}

	demo, err := fixtures.StartDemo(*seed, *n)
	if err != nil {
		log.Fatal(err)
	}
	defer demo.Close()

	var pages []string
	for _, k := range parseConcurrencies(*ourConcs) {
		run, loaded, err := scanOurs(demo, *chrome, raw, k)
		if err != nil {
			log.Fatal(err)
		}
		if pages == nil {
			pages = loaded
		}
		res.OursRuns = append(res.OursRuns, run)
		res.Machine.Browser = run.Browser
		log.Printf("scanner at concurrency %d: %d pages in %.0f s, %.1f pages/min, %.2f CPU-s/page", k, run.Pages, run.WallS, run.PagesPerMin, run.CPUPerPageS)
	}
	if *expPages > 0 {
		exp := pages[:min(len(pages), *expPages)]
		res.Injection, err = axeInjection(*chrome, exp)
		if err != nil {
			log.Printf("axe-injection experiment: %v", err)
		}
	}

	if len(pages) > *pa11yPages {
		pages = pages[:*pa11yPages]
	}
	bin := filepath.Join(*npm, "node_modules", ".bin")
	for _, k := range parseConcurrencies(*concs) {
		run, err := runPa11y(bin, *chrome, raw, pages, k)
		if err != nil {
			log.Printf("pa11y-ci at concurrency %d: %v", k, err)
			run.Error = err.Error()
		} else {
			log.Printf("pa11y-ci concurrency %d: %d pages in %.0f s, %.1f pages/min, %.2f CPU-s/page", k, run.Pages, run.WallS, run.PagesPerMin, run.CPUPerPageS)
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

// scanOurs scans the demo catalogue as `observatoire demo` does, k pages
// at once, with a CPU profile and memory sampling, and returns the figures
// and the URLs of the pages that loaded (for the other tools).
func scanOurs(demo *fixtures.Demo, chrome, raw string, k int) (OurRun, []string, error) {
	run := OurRun{Concurrency: k}
	dir, err := os.MkdirTemp("", "observatoire-bench-")
	if err != nil {
		return run, nil, err
	}
	defer os.RemoveAll(dir)
	data, err := demo.CatalogYAML()
	if err != nil {
		return run, nil, err
	}
	cat, err := catalog.Parse("demo.yaml", data)
	if err != nil {
		return run, nil, err
	}
	if err := demo.WriteImports(filepath.Join(dir, "results")); err != nil {
		return run, nil, err
	}
	im, _, err := catalog.LoadImports(filepath.Join(dir, "results"), cat.Procedures)
	if err != nil {
		return run, nil, err
	}
	// The demo's sites share one host: the per-host bound would otherwise
	// cap the run at 2 pages at once (observatoire demo does the same).
	sc, err := scanner.New(scanner.Options{ChromePath: chrome, Concurrency: k, PerHost: k})
	if err != nil {
		return run, nil, err
	}
	defer sc.Close()
	so := edition.ScanOptions{DataDir: dir, Edition: "bench", Imports: im, Parallel: k}
	browser := observatory.Browser{Scanner: sc}
	browser.Options.Probes = scanner.ProbeOptions{Count: 3, Interval: 200 * time.Millisecond, Timeout: 10 * time.Second}

	prof, err := os.Create(filepath.Join(raw, fmt.Sprintf("cpu-%d.prof", k)))
	if err != nil {
		return run, nil, err
	}
	defer prof.Close()
	mem := startSampler(os.Getpid())
	busy0, all0 := machineCPU()
	var self0 syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &self0)
	if err := pprof.StartCPUProfile(prof); err != nil {
		return run, nil, err
	}
	begin := time.Now()
	sum, err := edition.Scan(context.Background(), browser, cat, so)
	wall := time.Since(begin)
	pprof.StopCPUProfile()
	peak := mem.stop()
	busy1, all1 := machineCPU()
	run.Browser = sc.BrowserVersion()
	var self1 syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &self1)
	if err != nil {
		return run, nil, err
	}
	ed, err := edition.Load(dir, "bench")
	if err != nil {
		return run, nil, err
	}
	run.Procedures = sum.Total
	run.WallS = wall.Seconds()
	run.PeakScannerMiB = peak.rootRSS
	run.PeakChromiumMiB = peak.chromeRSS
	run.PeakPSSMiB = peak.allPSS
	run.ScannerCPUS = cpuSeconds(self1) - cpuSeconds(self0) - mem.cpuS
	run.SamplerCPUS = mem.cpuS
	run.MachineCPUS = busy1 - busy0
	if all1 > all0 {
		run.MachineBusy = (busy1 - busy0) / (all1 - all0)
	}
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
			if ph.Axe > 0 {
				add("axe_inject", ph.AxeInject)
			}
			add("screenshots", ph.Screenshot)
			add("mobile", ph.Mobile)
			add("page_total", ph.Total)
			if role != observatory.PageStart {
				add("second_pages", ph.Total)
			}
			total += ph.Total
			// Chromium's load of the page is navigation and settle.
			own += max(0, ph.Total-ph.Navigate-ph.Settle-ph.Axe)
			if s.Status.Loaded() && !seen[s.URL] {
				seen[s.URL] = true
				pages = append(pages, s.URL)
			}
		}
	}
	run.PagesPerMin = float64(run.Pages) / wall.Minutes()
	run.CPUPerPageS = run.MachineCPUS / float64(run.Pages)
	run.Phases = map[string]Stat{}
	for k, v := range phases {
		run.Phases[k] = stat(v)
	}
	run.PhaseShare = map[string]float64{}
	for _, k := range []string{"navigation", "settle", "dom_facts", "axe", "axe_inject", "screenshots", "mobile"} {
		run.PhaseShare[k] = sumOf(phases[k]) / total
	}
	run.OutsideLoadAndAxeShare = own / total
	run.Profile = topProfile(filepath.Join(raw, fmt.Sprintf("cpu-%d.prof", k)))
	return run, pages, nil
}

// parseConcurrencies reads a list like "1,2,4".
func parseConcurrencies(list string) []int {
	var ks []int
	for c := range strings.SplitSeq(list, ",") {
		if strings.TrimSpace(c) == "" {
			continue
		}
		k, err := strconv.Atoi(strings.TrimSpace(c))
		if err != nil || k <= 0 {
			log.Fatalf("concurrency list %q: %q is not a positive number", list, c)
		}
		ks = append(ks, k)
	}
	return ks
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
	wall, cpu, peak, err := timed(cmd)
	run.WallS, run.PeakMiB, run.PeakPSSMiB, run.CPUS = wall.Seconds(), peak.allRSS, peak.allPSS, cpu
	run.PagesPerMin = float64(run.Pages) / wall.Minutes()
	run.CPUPerPageS = cpu / float64(run.Pages)
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
		d, cpu, peak, err := timed(cmd)
		if err != nil {
			return run, fmt.Errorf("%s: %w", u, err)
		}
		wall += d
		run.CPUS += cpu
		run.PeakMiB, run.PeakPSSMiB = max(run.PeakMiB, peak.allRSS), max(run.PeakPSSMiB, peak.allPSS)
	}
	run.WallS = wall.Seconds()
	run.PagesPerMin = float64(run.Pages) / wall.Minutes()
	run.CPUPerPageS = run.CPUS / float64(run.Pages)
	return run, nil
}

// timed runs cmd and returns its wall time, the machine's busy CPU time
// meanwhile, and the peak memory of cmd's process tree.
func timed(cmd *exec.Cmd) (time.Duration, float64, memPeak, error) {
	begin := time.Now()
	busy0, _ := machineCPU()
	if err := cmd.Start(); err != nil {
		return 0, 0, memPeak{}, err
	}
	s := startSampler(cmd.Process.Pid)
	err := cmd.Wait()
	d := time.Since(begin)
	busy1, _ := machineCPU()
	peak := s.stop()
	return d, busy1 - busy0, peak, err
}

// memPeak holds the peaks, in MiB, of a process tree's memory: the sum of
// RSS (shared pages counted once per process) and of PSS (shared pages
// divided among the processes that map them, so the sum is what the tree
// really holds), for the root alone, its Chromium descendants, and all.
type memPeak struct {
	rootRSS, chromeRSS, allRSS float64
	chromePSS, allPSS          float64
}

// sampler records the memory of a process tree: RSS every 500 ms, PSS
// (whose reading walks every mapping of every process, and costs tens of
// times more) every 2 s. It runs on its own OS thread, whose CPU time it
// measures, so that its cost can be taken out of the scanner's.
type sampler struct {
	root  int
	stopc chan struct{}
	wg    sync.WaitGroup
	peak  memPeak
	cpuS  float64 // the sampler's own CPU time
}

func startSampler(root int) *sampler {
	s := &sampler{root: root, stopc: make(chan struct{})}
	s.wg.Go(func() {
		runtime.LockOSThread()
		defer runtime.UnlockOSThread()
		var ru0 syscall.Rusage
		_ = syscall.Getrusage(rusageThread, &ru0)
		t := time.NewTicker(500 * time.Millisecond)
		defer t.Stop()
		for i := 0; ; i++ {
			m := treeMem(root, i%4 == 0)
			p := &s.peak
			p.rootRSS, p.chromeRSS, p.allRSS = max(p.rootRSS, m.rootRSS), max(p.chromeRSS, m.chromeRSS), max(p.allRSS, m.allRSS)
			p.chromePSS, p.allPSS = max(p.chromePSS, m.chromePSS), max(p.allPSS, m.allPSS)
			select {
			case <-s.stopc:
				var ru1 syscall.Rusage
				_ = syscall.Getrusage(rusageThread, &ru1)
				s.cpuS = cpuSeconds(ru1) - cpuSeconds(ru0)
				return
			case <-t.C:
			}
		}
	})
	return s
}

// rusageThread is Linux's RUSAGE_THREAD: the calling thread's usage.
const rusageThread = 1

// stop ends the sampling and returns the peaks.
func (s *sampler) stop() memPeak { close(s.stopc); s.wg.Wait(); return s.peak }

// treeMem sums the memory (MiB) of root and its descendants, their PSS
// too when withPSS. It walks the tree through /proc/PID/task/TID/children,
// so that its cost does not grow with the other processes of a shared
// machine.
func treeMem(root int, withPSS bool) memPeak {
	var m memPeak
	todo := []int{root}
	for len(todo) > 0 {
		pid := todo[len(todo)-1]
		todo = todo[:len(todo)-1]
		rss := statusKiB(pid, "VmRSS:") / 1024
		pss := 0.0
		if withPSS {
			pss = rollupKiB(pid, "Pss:") / 1024
		}
		m.allRSS += rss
		m.allPSS += pss
		if pid == root {
			m.rootRSS = rss
		} else if b, err := os.ReadFile(fmt.Sprintf("/proc/%d/comm", pid)); err == nil && strings.Contains(strings.ToLower(string(b)), "chrom") {
			m.chromeRSS += rss
			m.chromePSS += pss
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
	return m
}

// machineCPU reads the machine's busy and total CPU time, in seconds,
// from /proc/stat: every process counts, the other users' of a shared
// machine too. It is the only count that sees all of Chromium: a
// renderer's time reaches its parent's rusage only if the zygote reaps it,
// and most of it did not (on a trial run the reaped children's time was a
// third of the machine's, the machine being otherwise idle).
func machineCPU() (busy, total float64) {
	b, err := os.ReadFile("/proc/stat")
	if err != nil {
		return 0, 0
	}
	f := strings.Fields(strings.SplitN(string(b), "\n", 2)[0]) // cpu user nice system idle iowait irq softirq steal
	for i, v := range f[1:] {
		x, _ := strconv.ParseFloat(v, 64)
		if i >= 8 { // guest times are already in user and nice
			break
		}
		total += x
		if i != 3 && i != 4 {
			busy += x
		}
	}
	// /proc/stat counts in USER_HZ ticks, 100 a second on Linux.
	return busy / 100, total / 100
}

// rollupKiB reads a "Key: N kB" line of /proc/PID/smaps_rollup.
func rollupKiB(pid int, key string) float64 {
	return kiBLine(fmt.Sprintf("/proc/%d/smaps_rollup", pid), key)
}

// statusKiB reads a "Key: N kB" line of /proc/PID/status.
func statusKiB(pid int, key string) float64 {
	return kiBLine(fmt.Sprintf("/proc/%d/status", pid), key)
}

// kiBLine reads the number of the line starting with key in a /proc file.
func kiBLine(path, key string) float64 {
	b, err := os.ReadFile(path)
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
