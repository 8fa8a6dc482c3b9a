package scanner_test

import (
	"context"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/observatoire-scanner/observatoire/fixtures"
	"github.com/observatoire-scanner/observatoire/fixtures/fixturetest"
	"github.com/observatoire-scanner/observatoire/scanner"
)

// devtoolsBrowser is a Chromium started by a test with a DevTools port on
// 127.0.0.1, as a pool of browsers would run it.
type devtoolsBrowser struct {
	cmd  *exec.Cmd
	ws   string // ws://127.0.0.1:PORT/devtools/browser/ID
	http string // http://127.0.0.1:PORT
}

// startDevtoolsBrowser starts Chromium in its own process group, reads its
// address from DevToolsActivePort and kills the group when the test ends.
func startDevtoolsBrowser(t *testing.T) *devtoolsBrowser {
	t.Helper()
	dir := t.TempDir()
	cmd := exec.Command(scanner.DefaultChromePath, "--headless", "--no-sandbox", "--disable-gpu",
		"--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0", "--user-data-dir="+dir,
		"--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--disable-dev-shm-usage", "about:blank")
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	b := &devtoolsBrowser{cmd: cmd}
	t.Cleanup(b.kill)
	deadline := time.Now().Add(60 * time.Second)
	for {
		data, err := os.ReadFile(filepath.Join(dir, "DevToolsActivePort"))
		if lines := strings.Fields(string(data)); err == nil && len(lines) == 2 {
			b.http = "http://127.0.0.1:" + lines[0]
			b.ws = "ws://127.0.0.1:" + lines[0] + lines[1]
			return b
		}
		if time.Now().After(deadline) {
			t.Fatal("chromium wrote no DevToolsActivePort within 60 s")
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// kill ends the browser's process group (the browser and its children).
func (b *devtoolsBrowser) kill() {
	if b.cmd.ProcessState != nil {
		return
	}
	syscall.Kill(-b.cmd.Process.Pid, syscall.SIGKILL)
	b.cmd.Wait()
}

// alive reports whether the browser still answers on its DevTools port.
func (b *devtoolsBrowser) alive() bool {
	c := http.Client{Timeout: 5 * time.Second}
	resp, err := c.Get(b.http + "/json/version")
	if err != nil {
		return false
	}
	resp.Body.Close()
	return resp.StatusCode == http.StatusOK
}

func remoteOptions(url string) scanner.Options {
	return scanner.Options{
		// No binary here: the scanner must not start a browser of its own.
		ChromePath:        "/nonexistent/chromium",
		BrowserURL:        url,
		Concurrency:       1,
		NavigationTimeout: 10 * time.Second,
		SettleTimeout:     5 * time.Second,
		AxeTimeout:        20 * time.Second,
		PageTimeout:       45 * time.Second,
	}
}

// TestRemoteBrowser scans a fixture page through a Chromium that runs
// already, found by its websocket address or by its HTTP endpoint; closing
// the scanner leaves that browser running for the others that share it.
func TestRemoteBrowser(t *testing.T) {
	web, err := fixtures.Start()
	if err != nil {
		t.Fatal(err)
	}
	defer web.Close()
	rb := startDevtoolsBrowser(t)
	for _, tt := range []struct{ name, url string }{
		{"websocket", rb.ws},
		{"http endpoint", rb.http},
	} {
		t.Run(tt.name, func(t *testing.T) {
			sc, err := scanner.New(remoteOptions(tt.url))
			if err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
			defer cancel()
			snap, err := sc.Scan(ctx, web.Page("/good.html"))
			if err != nil {
				t.Fatal(err)
			}
			if snap.Status != scanner.StatusOK || snap.Desktop == nil || snap.Desktop.Title != "Demander une aide au logement" || snap.Mobile == nil {
				t.Fatalf("status %s (%s), desktop %v", snap.Status, snap.Reason, snap.Desktop != nil)
			}
			if snap.Axe == nil || snap.Axe.Rules == 0 {
				t.Errorf("axe did not run through the remote browser: %+v", snap.Axe)
			}
			if !strings.HasPrefix(sc.BrowserVersion(), "Chrome/") || sc.BrowserPID() != 0 {
				t.Errorf("browser %q, local pid %d (want the remote one, no local process)", sc.BrowserVersion(), sc.BrowserPID())
			}
			if n, err := sc.OpenTabs(ctx); err != nil || n > 2 {
				t.Errorf("open tabs after the scan: %d %v", n, err)
			}
			sc.Close()
			if !rb.alive() {
				t.Fatal("closing the scanner closed the shared browser")
			}
		})
	}

	// The browser goes away: the scan under way and the next one report an
	// error promptly; none hangs.
	sc, err := scanner.New(remoteOptions(rb.ws))
	if err != nil {
		t.Fatal(err)
	}
	defer sc.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	if err := sc.Start(ctx); err != nil {
		t.Fatal(err)
	}
	type result struct {
		snap *scanner.Snapshot
		err  error
	}
	done := make(chan result, 1)
	go func() {
		s, err := sc.Scan(ctx, web.Page("/slow?delay=5s&page=good.html"))
		done <- result{s, err}
	}()
	time.Sleep(1500 * time.Millisecond)
	rb.kill()
	begin := time.Now()
	select {
	case r := <-done:
		if r.err == nil {
			t.Errorf("scan under way when the browser died: no error, snapshot %s (%s)", r.snap.Status, r.snap.Reason)
		} else {
			t.Logf("scan under way: %v", r.err)
		}
	case <-time.After(90 * time.Second):
		t.Fatal("the scan under way hung after the remote browser died")
	}
	t.Logf("reported in %s", time.Since(begin).Round(time.Millisecond))
	next := make(chan error, 1)
	go func() {
		_, err := sc.Scan(ctx, web.Page("/good.html"))
		next <- err
	}()
	select {
	case err := <-next:
		if err == nil || !strings.Contains(err.Error(), rb.ws) {
			t.Errorf("scan after the browser died: %v, want an error naming %s", err, rb.ws)
		}
	case <-time.After(90 * time.Second):
		t.Fatal("a scan after the remote browser died hung")
	}
}

func TestRemoteBrowserURL(t *testing.T) {
	for _, tt := range []struct {
		url string
		ok  bool
	}{
		{"ws://127.0.0.1:9222/devtools/browser/abc", true},
		{"http://127.0.0.1:9222", true},
		{"wss://browsers.example.invalid/devtools/browser/x", true},
		{"ftp://127.0.0.1:9222", false},
		{"127.0.0.1:9222", false},
		{"ws:///devtools/browser/x", false},
	} {
		_, err := scanner.New(remoteOptions(tt.url))
		if (err == nil) != tt.ok {
			t.Errorf("New with BrowserURL %q: %v, want ok=%v", tt.url, err, tt.ok)
		}
	}
	// Nothing listens: Start fails at once with the address in the error.
	sc, err := scanner.New(remoteOptions(fixturetest.ClosedPortURL(t)))
	if err != nil {
		t.Fatal(err)
	}
	defer sc.Close()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := sc.Start(ctx); err == nil || !strings.Contains(err.Error(), "find the browser") {
		t.Errorf("Start on a closed port: %v", err)
	}
}
