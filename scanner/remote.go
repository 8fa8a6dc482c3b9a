package scanner

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/remote"
)

// checkBrowserURL checks the address of a running browser given as
// Options.BrowserURL: a DevTools websocket
// (ws://HOST:PORT/devtools/browser/ID) or an http://HOST:PORT endpoint
// whose /json/version names it.
func checkBrowserURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil {
		return fmt.Errorf("browser URL %q: %w", raw, err)
	}
	switch u.Scheme {
	case "ws", "wss", "http", "https":
	default:
		return fmt.Errorf("browser URL %q: want ws://HOST:PORT/devtools/browser/… or http://HOST:PORT", raw)
	}
	if u.Host == "" {
		return fmt.Errorf("browser URL %q: no host", raw)
	}
	return nil
}

// browserWebSocket returns the DevTools websocket of the browser at raw:
// raw itself when it names one, else the webSocketDebuggerUrl that
// HOST:PORT/json/version gives. chromedp's remote allocator can find it
// too, but panics on an answer without that field.
func browserWebSocket(ctx context.Context, raw string) (string, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return "", err
	}
	if (u.Scheme == "ws" || u.Scheme == "wss") && strings.Contains(u.Path, "/devtools/browser/") {
		return raw, nil
	}
	// Chromium answers /json/version only to a Host that is an IP or
	// localhost (its guard against DNS rebinding): resolve a name first.
	host, port := u.Hostname(), u.Port()
	if port == "" {
		return "", fmt.Errorf("no port in %q", raw)
	}
	if net.ParseIP(host) == nil && host != "localhost" {
		addrs, err := net.DefaultResolver.LookupHost(ctx, host)
		if err != nil {
			return "", err
		}
		host = addrs[0]
	}
	v := url.URL{Scheme: "http", Host: net.JoinHostPort(host, port), Path: "/json/version"}
	if u.Scheme == "https" || u.Scheme == "wss" {
		v.Scheme = "https"
	}
	ctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, v.String(), nil)
	if err != nil {
		return "", err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return "", fmt.Errorf("%s: HTTP %d", v.String(), resp.StatusCode)
	}
	var info struct {
		WebSocket string `json:"webSocketDebuggerUrl"`
	}
	if err := json.NewDecoder(io.LimitReader(resp.Body, 1<<20)).Decode(&info); err != nil {
		return "", fmt.Errorf("%s: %w", v.String(), err)
	}
	if info.WebSocket == "" {
		return "", fmt.Errorf("%s: no webSocketDebuggerUrl (is it a Chromium DevTools endpoint?)", v.String())
	}
	return info.WebSocket, nil
}

// attach connects to the running browser at Options.BrowserURL instead of
// starting one. Closing the instance closes its tabs and the connection,
// never the browser, which others may share. When the browser goes away
// its context ends, so that pages under way fail and the next acquire
// tries to attach again, and reports an error when it cannot.
func (s *Scanner) attach(ctx context.Context) (*instance, error) {
	ws, err := browserWebSocket(ctx, s.opts.BrowserURL)
	if err != nil {
		return nil, fmt.Errorf("scanner: find the browser at %s: %w", s.opts.BrowserURL, err)
	}
	allocCtx, allocCancel := remote.NewAllocator(context.Background(), ws, remote.NoModifyURL, remote.WithDialTimeout(20*time.Second))
	bctx, bcancel := chromedp.NewContext(allocCtx)
	b := &instance{ctx: bctx, cancel: bcancel, allocCancel: allocCancel}
	if err := b.connect(ctx); err != nil {
		return nil, fmt.Errorf("scanner: attach to the browser at %s: %w", s.opts.BrowserURL, err)
	}
	return b, nil
}
