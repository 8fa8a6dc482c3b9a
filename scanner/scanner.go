// Package scanner drives a headless Chromium and returns what a page shows:
// its HTTP outcome, load figures, DOM facts in a desktop and a mobile
// emulation, axe-core's RGAA results and screenshots, as one plain
// Snapshot value. It judges nothing: the criteria package does.
//
// One Scanner owns one Chromium process at a time and runs up to
// Options.Concurrency pages at once, each in its own tab. The browser is
// restarted when it dies and recycled every Options.RecycleAfter pages.
package scanner

import (
	"context"
	"errors"
	"fmt"
	"os"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/chromedp"
)

// Version is the scanner's version, recorded in every snapshot.
const Version = "0.1.0"

// ProjectURL is where site owners learn what the scanner is; it is part of
// the user agent.
const ProjectURL = "https://github.com/observatoire-scanner/observatoire"

// DefaultChromePath is Debian's chromium package.
const DefaultChromePath = "/usr/bin/chromium"

// ErrClosed is returned by Scan after Close.
var ErrClosed = errors.New("scanner: closed")

// Options set the scanner's bounds. The zero value of a field takes the
// default named in its comment.
type Options struct {
	// ChromePath is the browser binary (default $OBSERVATOIRE_CHROME, else
	// /usr/bin/chromium).
	ChromePath string
	// Concurrency is how many pages load at once (default
	// DefaultConcurrency: twice the number of cores).
	Concurrency int
	// NavigationTimeout bounds the page load (default 30 s).
	NavigationTimeout time.Duration
	// SettleTimeout bounds the wait for the page to settle and the DOM
	// facts to be read (default 10 s).
	SettleTimeout time.Duration
	// AxeTimeout bounds axe-core's run (default 30 s).
	AxeTimeout time.Duration
	// PageTimeout caps everything done for one URL (default 90 s).
	PageTimeout time.Duration
	// RecycleAfter restarts the browser after this many pages, to bound its
	// memory (default 200).
	RecycleAfter int
	// NoAxe skips axe-core; NoScreenshots skips the screenshots.
	NoAxe         bool
	NoScreenshots bool
	// PerHost is how many pages of one host load at once (default 2), so
	// that a scan is never a burden on a site.
	PerHost int
	// MaxRetryWait bounds the wait before the one retry of a page that
	// answered 429 or 503 (default 30 s). A Retry-After longer than this is
	// not waited for: the page is reported as it answered.
	MaxRetryWait time.Duration
	// RefusePrivate refuses URLs whose host is or resolves to a private,
	// loopback or link-local address (StatusRefused), for catalogues from
	// untrusted sources. Off by default: the fixtures live on 127.0.0.1.
	RefusePrivate bool
	// LoopbackOnly launches Chromium with every host name unresolvable but
	// localhost (--host-resolver-rules), so that a page served on 127.0.0.1
	// cannot make the browser reach the internet (analytics, CDNs). IP
	// literals such as 127.0.0.1 are not resolved and still load. For
	// tests on local copies of real pages; ignored with BrowserURL.
	LoopbackOnly bool
	// MaxDocumentMB is the size of a main document past which its loading
	// is stopped and the page marked partial (default 20).
	MaxDocumentMB int
	// JSHeapMB bounds the JavaScript heap of each page (V8's old space):
	// a page that allocates without end crashes its own tab early instead
	// of taking the machine's memory (default 1024; -1: Chromium's own).
	JSHeapMB int
	// BrowserURL, when set, attaches to a running Chromium (a DevTools
	// websocket ws://HOST:PORT/devtools/browser/ID, or http://HOST:PORT)
	// instead of starting one; see remote.go.
	BrowserURL string
	// Logf receives diagnostics (browser restarts...). Nil: silent.
	Logf func(format string, args ...any)
}

func (o Options) withDefaults() Options {
	if o.ChromePath == "" {
		o.ChromePath = os.Getenv("OBSERVATOIRE_CHROME")
	}
	if o.ChromePath == "" {
		o.ChromePath = DefaultChromePath
	}
	if o.Concurrency <= 0 {
		o.Concurrency = DefaultConcurrency()
	}
	if o.NavigationTimeout <= 0 {
		o.NavigationTimeout = 30 * time.Second
	}
	if o.SettleTimeout <= 0 {
		o.SettleTimeout = 10 * time.Second
	}
	if o.AxeTimeout <= 0 {
		o.AxeTimeout = 30 * time.Second
	}
	if o.PageTimeout <= 0 {
		o.PageTimeout = 90 * time.Second
	}
	if o.RecycleAfter <= 0 {
		o.RecycleAfter = 200
	}
	if o.PerHost <= 0 {
		o.PerHost = 2
	}
	if o.MaxRetryWait <= 0 {
		o.MaxRetryWait = 30 * time.Second
	}
	if o.MaxDocumentMB <= 0 {
		o.MaxDocumentMB = 20
	}
	if o.JSHeapMB == 0 {
		o.JSHeapMB = 1024
	}
	if o.Logf == nil {
		o.Logf = func(string, ...any) {}
	}
	return o
}

// Scanner loads pages in a headless Chromium. It is safe for concurrent
// use: Scan may be called from many goroutines, and at most
// Options.Concurrency pages load at once.
type Scanner struct {
	opts  Options
	slots chan struct{}
	hosts *hostLimiter

	mu     sync.Mutex
	cur    *instance
	closed bool
	// launched says a browser was started before: the next start is a
	// restart, worth a line in the log.
	launched bool
	// closing tracks browsers retired in the background (dead or
	// recycled), so that Close returns only once their processes and
	// profile folders are gone.
	closing sync.WaitGroup
}

// instance is one running Chromium process.
type instance struct {
	allocCancel context.CancelFunc
	ctx         context.Context // the browser's context; tabs derive from it
	cancel      context.CancelFunc
	product     string // "Chrome/156.0.8078.79"
	userAgent   string // Chromium's own, "HeadlessChrome" made "Chrome"
	pages       int    // pages started on this instance
	inflight    int
	retired     bool
}

// New checks the options and returns a Scanner. The browser starts on the
// first Scan (or on Start).
func New(opts Options) (*Scanner, error) {
	opts = opts.withDefaults()
	if opts.BrowserURL != "" {
		if err := checkBrowserURL(opts.BrowserURL); err != nil {
			return nil, fmt.Errorf("scanner: %w", err)
		}
	} else if _, err := os.Stat(opts.ChromePath); err != nil {
		return nil, fmt.Errorf("scanner: no browser at %s (install Debian's chromium package, or set OBSERVATOIRE_CHROME): %w", opts.ChromePath, err)
	}
	return &Scanner{opts: opts, slots: make(chan struct{}, opts.Concurrency), hosts: newHostLimiter(opts.PerHost)}, nil
}

// Options returns the options in force, defaults filled in.
func (s *Scanner) Options() Options { return s.opts }

// Start launches the browser now, so that a broken installation is reported
// before any page is scanned.
func (s *Scanner) Start(ctx context.Context) error {
	b, err := s.acquire(ctx)
	if err != nil {
		return err
	}
	s.release(b)
	// Start counts as no page.
	s.mu.Lock()
	b.pages--
	s.mu.Unlock()
	return nil
}

// BrowserVersion returns the product of the running browser
// ("Chrome/156.0.8078.79"), or "" before it started.
func (s *Scanner) BrowserVersion() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cur == nil {
		return ""
	}
	return s.cur.product
}

// Close ends the browser. Scans under way are cancelled.
func (s *Scanner) Close() error {
	s.mu.Lock()
	s.closed = true
	b := s.cur
	s.cur = nil
	s.mu.Unlock()
	if b != nil {
		b.close()
	}
	s.closing.Wait()
	return nil
}

// Scan loads url and returns what it shows. Faults of the page (timeouts,
// HTTP errors, crashes) are reported in the snapshot's Status; the error is
// non-nil only when ctx ends or the scanner cannot run a browser at all.
//
// At most Options.PerHost pages of one host load at once. A page that
// failed in a way that may pass (a reset connection, a timeout, 503, 429)
// is loaded once more, after its Retry-After when it gave one; DNS and TLS
// failures are final. A page whose browser died is loaded once more, at
// once, on a new browser. Either way a page is loaded twice at most.
func (s *Scanner) Scan(ctx context.Context, url string) (*Snapshot, error) {
	refused := func(reason string) *Snapshot {
		return &Snapshot{URL: url, Status: StatusRefused, Reason: reason, ScannedAt: time.Now().UTC(),
			Versions: Versions{Scanner: Version, Axe: AxeVersion}}
	}
	if reason := refuseURL(url); reason != "" {
		return refused(reason), nil
	}
	host := hostOf(url)
	if err := s.hosts.acquire(ctx, host); err != nil {
		return nil, err
	}
	defer s.hosts.release(host)
	if s.opts.RefusePrivate {
		if reason := refusePrivateHost(ctx, host); reason != "" {
			return refused(reason), nil
		}
	}

	var first *Snapshot // the failed attempt that was retried
	for attempts := 1; ; attempts++ {
		snap, hint, browserDied, err := s.attempt(ctx, url)
		if err != nil {
			return nil, err
		}
		snap.Attempts = attempts
		if first != nil {
			snap.FirstAttempt = string(first.Status) + ": " + first.Reason
		}
		// A page that crashed the whole browser may pass on a fresh one:
		// the crash may have been another tab's.
		if browserDied {
			snap.Status, snap.Reason = StatusCrashed, "le navigateur s'est arrêté pendant le chargement de la page"
		} else if s.opts.RefusePrivate && hint.remoteIP != "" {
			if reason := refusePrivateIP(host, hint.remoteIP); reason != "" {
				return refused(reason), nil
			}
		}
		if first != nil || !(hint.transient || browserDied) {
			return snap, nil
		}
		var wait time.Duration // a new browser needs no pause
		if !browserDied {
			var ok bool
			if wait, ok = s.retryWait(hint); !ok {
				snap.Reason += " (Retry-After " + hint.retryAfter + " dépasse l'attente maximale du scanner, " + frDuration(s.opts.MaxRetryWait) + " : pas de nouvel essai)"
				return snap, nil
			}
		}
		first = snap
		s.opts.Logf("%s: %s (%s); retrying in %s", url, snap.Status, snap.Reason, wait)
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(wait):
		}
	}
}

// attempt loads url once, within the scanner's concurrency.
func (s *Scanner) attempt(ctx context.Context, url string) (*Snapshot, retryHint, bool, error) {
	select {
	case s.slots <- struct{}{}:
	case <-ctx.Done():
		return nil, retryHint{}, false, ctx.Err()
	}
	defer func() { <-s.slots }()
	b, err := s.acquire(ctx)
	if err != nil {
		return nil, retryHint{}, false, err
	}
	snap, hint := s.scanPage(ctx, b, url)
	// A tab that crashed or would not open may be the first sign of a
	// dying browser (killed, or stopped by a Ctrl-C sent to the whole
	// process group): ask the browser, so that the page is not blamed.
	if snap.Status == StatusCrashed && b.ctx.Err() == nil && ctx.Err() == nil && !b.alive() {
		b.cancel() // dead: release retires it, and the page is retried
	}
	s.release(b)
	if ctx.Err() != nil {
		return nil, retryHint{}, false, ctx.Err()
	}
	return snap, hint, b.ctx.Err() != nil, nil
}

// ScanAll scans the urls of one procedure (start page, contact page...)
// at once, within the scanner's concurrency, and returns one snapshot per
// URL in the same order.
func (s *Scanner) ScanAll(ctx context.Context, urls []string) ([]*Snapshot, error) {
	out := make([]*Snapshot, len(urls))
	errs := make([]error, len(urls))
	var wg sync.WaitGroup
	for i, u := range urls {
		wg.Go(func() { out[i], errs[i] = s.Scan(ctx, u) })
	}
	wg.Wait()
	return out, errors.Join(errs...)
}

// acquire returns a live browser instance with one more page in flight,
// starting or recycling the browser as needed.
func (s *Scanner) acquire(ctx context.Context) (*instance, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil, ErrClosed
	}
	if b := s.cur; b != nil && (b.ctx.Err() != nil || b.pages >= s.opts.RecycleAfter) {
		b.retired = true
		s.cur = nil
		if b.inflight == 0 {
			s.closing.Go(b.close)
		}
	}
	if s.cur == nil {
		b, err := s.launch(ctx)
		if err != nil {
			return nil, err
		}
		if s.launched {
			s.opts.Logf("browser restarted")
		}
		s.cur, s.launched = b, true
	}
	s.cur.pages++
	s.cur.inflight++
	return s.cur, nil
}

// release ends one page on b. A browser found dead is retired at once, so
// that the next page starts a new one.
func (s *Scanner) release(b *instance) {
	s.mu.Lock()
	defer s.mu.Unlock()
	b.inflight--
	if b.ctx.Err() != nil && s.cur == b {
		s.cur = nil
		b.retired = true
	}
	if b.retired && b.inflight == 0 {
		s.closing.Go(b.close)
	}
}

// alive reports whether the browser answers a trivial command in time.
func (b *instance) alive() bool {
	ctx, cancel := context.WithTimeout(b.ctx, 3*time.Second)
	defer cancel()
	_, err := chromedp.CallBrowser(ctx, browser.GetVersion, cdp.Empty{})
	return err == nil
}

func (b *instance) close() {
	b.cancel()
	b.allocCancel()
}

// DefaultConcurrency is how many pages load at once unless told: twice the
// number of cores. A page spends much of its time waiting (on the network,
// on frames, on the quiet period after load), so one page per core leaves
// the cores idle: on the 2-core benchmark machine, 4 pages at once scan
// more pages a minute than 2, within the same memory bound, and 8 little
// more than 4 (docs/benchmarks.md gives the figures).
func DefaultConcurrency() int { return 2 * runtime.NumCPU() }

// launch starts Chromium with the flags this closed network needs.
func (s *Scanner) launch(ctx context.Context) (*instance, error) {
	if s.opts.BrowserURL != "" {
		return s.attach(ctx)
	}
	dir, err := os.MkdirTemp("", "observatoire-chromium-")
	if err != nil {
		return nil, fmt.Errorf("scanner: profile directory: %w", err)
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(s.opts.ChromePath),
		chromedp.UserDataDir(dir),
		chromedp.Headless,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-default-apps", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.Flag("disable-breakpad", true),
		chromedp.Flag("disable-domain-reliability", true),
		chromedp.Flag("metrics-recording-only", true),
		chromedp.Flag("no-pings", true),
		chromedp.Flag("mute-audio", true),
		chromedp.Flag("hide-scrollbars", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		// Pages in other tabs keep their timers and frames: every tab is
		// measured as if it were in front.
		chromedp.Flag("disable-background-timer-throttling", true),
		chromedp.Flag("disable-renderer-backgrounding", true),
		chromedp.Flag("disable-backgrounding-occluded-windows", true),
		chromedp.Flag("disable-features", "Translate,OptimizationHints,MediaRouter,InterestFeedContentSuggestions,CalculateNativeWinOcclusion,HttpsUpgrades,PaintHolding"),
		chromedp.WindowSize(1366, 768),
	}
	if s.opts.LoopbackOnly {
		opts = append(opts, chromedp.Flag("host-resolver-rules", "MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1"))
	}
	if s.opts.JSHeapMB > 0 {
		opts = append(opts, chromedp.Flag("js-flags", fmt.Sprintf("--max-old-space-size=%d", s.opts.JSHeapMB)))
	}
	if os.Geteuid() == 0 {
		opts = append(opts, chromedp.NoSandbox)
	}
	allocCtx, allocCancel := chromedp.NewExecAllocator(context.Background(), opts...)
	bctx, bcancel := chromedp.NewContext(allocCtx)
	b := &instance{ctx: bctx, cancel: bcancel, allocCancel: func() {
		allocCancel()
		os.RemoveAll(dir)
	}}
	if err := b.connect(ctx); err != nil {
		return nil, fmt.Errorf("scanner: start %s: %w", s.opts.ChromePath, err)
	}
	return b, nil
}

// connect opens the connection to b's browser, started or attached to,
// bound to the browser's own context (not ctx: the browser outlives one
// call) but given up when ctx ends or after 60 s; then it reads the
// browser's version and denies downloads. On failure b is closed.
func (b *instance) connect(ctx context.Context) error {
	started := make(chan error, 1)
	go func() { started <- chromedp.Do(b.ctx) }()
	var err error
	select {
	case err = <-started:
	case <-ctx.Done():
		err = ctx.Err()
	case <-time.After(60 * time.Second):
		err = errors.New("no answer within 60 s")
	}
	if err == nil {
		err = b.setUp()
	}
	if err != nil {
		b.close()
	}
	return err
}

// setUp reads the browser's version and user agent, and denies downloads.
func (b *instance) setUp() error {
	ctx, cancel := context.WithTimeout(b.ctx, 20*time.Second)
	defer cancel()
	v, err := chromedp.CallBrowser(ctx, browser.GetVersion, cdp.Empty{})
	if err != nil {
		return fmt.Errorf("browser version: %w", err)
	}
	b.product = strings.Replace(v.Product, "HeadlessChrome", "Chrome", 1)
	b.userAgent = strings.Replace(v.UserAgent, "HeadlessChrome", "Chrome", 1)
	// No page may write files on this machine, nor on a shared browser's.
	if _, err := chromedp.CallBrowser(ctx, browser.SetDownloadBehavior, browser.SetDownloadBehaviorParams{
		Behavior: browser.SetDownloadBehaviorBehaviorDeny,
	}); err != nil {
		return fmt.Errorf("deny downloads: %w", err)
	}
	return nil
}

// userAgentToken names the scanner in every request it makes.
func userAgentToken() string {
	return "ObservatoireScanner/" + Version + " (+" + ProjectURL + ")"
}

// BrowserPID returns the process id of the running browser, or 0 when none
// runs. It is for diagnostics: counting the browser's processes, or
// checking that a dead browser is replaced.
func (s *Scanner) BrowserPID() int {
	s.mu.Lock()
	b := s.cur
	s.mu.Unlock()
	if b == nil {
		return 0
	}
	c := chromedp.FromContext(b.ctx)
	if c == nil || c.Browser == nil || c.Browser.Process() == nil {
		return 0
	}
	return c.Browser.Process().Pid
}

// OpenTabs counts the page targets (tabs and popups) of the running
// browser: 0 between scans, unless a tab leaked.
func (s *Scanner) OpenTabs(ctx context.Context) (int, error) {
	s.mu.Lock()
	b := s.cur
	s.mu.Unlock()
	if b == nil {
		return 0, nil
	}
	// The call is bound to ctx, the target list to the browser.
	tctx, cancel := context.WithCancel(b.ctx)
	defer cancel()
	stop := context.AfterFunc(ctx, cancel)
	defer stop()
	infos, err := chromedp.Targets(tctx)
	if err != nil {
		return 0, fmt.Errorf("scanner: list targets: %w", err)
	}
	n := 0
	for _, t := range infos {
		if t.Type == "page" {
			n++
		}
	}
	return n, nil
}
