package scanner

import (
	"context"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"
)

// hostLimiter lets at most n pages of one host load at once.
type hostLimiter struct {
	n     int
	mu    sync.Mutex
	slots map[string]*hostSlots
}

type hostSlots struct {
	ch    chan struct{}
	users int // callers holding or waiting for a slot; 0: the entry goes
}

func newHostLimiter(n int) *hostLimiter {
	return &hostLimiter{n: n, slots: map[string]*hostSlots{}}
}

func (l *hostLimiter) acquire(ctx context.Context, host string) error {
	l.mu.Lock()
	h := l.slots[host]
	if h == nil {
		h = &hostSlots{ch: make(chan struct{}, l.n)}
		l.slots[host] = h
	}
	h.users++
	l.mu.Unlock()
	select {
	case h.ch <- struct{}{}:
		return nil
	case <-ctx.Done():
		l.done(host, h)
		return ctx.Err()
	}
}

func (l *hostLimiter) release(host string) {
	l.mu.Lock()
	h := l.slots[host]
	l.mu.Unlock()
	<-h.ch
	l.done(host, h)
}

func (l *hostLimiter) done(host string, h *hostSlots) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if h.users--; h.users == 0 {
		delete(l.slots, host)
	}
}

// hostOf returns the host name of an absolute URL, lower case and without
// the port: the pages of one site on several ports share its limit.
func hostOf(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return raw
	}
	return strings.ToLower(u.Hostname())
}

// retryHint is what one attempt tells about trying again.
type retryHint struct {
	// transient: the failure may pass (reset, timeout, 503, 429).
	transient bool
	// retryAfter is the Retry-After header of a 429 or 503, as sent.
	retryAfter string
	// remoteIP is the address the main document came from.
	remoteIP string
}

// retryWait returns how long to wait before the retry, and false when the
// server asked for longer than the scanner waits.
func (s *Scanner) retryWait(h retryHint) (time.Duration, bool) {
	// Without Retry-After, a short pause: enough for a restart or a
	// spike to pass, not a burden.
	wait := min(2*time.Second, s.opts.MaxRetryWait)
	if h.retryAfter != "" {
		d, ok := parseRetryAfter(h.retryAfter, time.Now())
		if !ok {
			return wait, true
		}
		if d > s.opts.MaxRetryWait {
			return 0, false
		}
		wait = d
	}
	return wait, true
}

// parseRetryAfter reads a Retry-After header: seconds, or an HTTP date
// (RFC 9110, 10.2.3).
func parseRetryAfter(v string, now time.Time) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if n, err := strconv.Atoi(v); err == nil {
		if n < 0 {
			return 0, false
		}
		return time.Duration(n) * time.Second, true
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(0, t.Sub(now)), true
	}
	return 0, false
}

// transientNetErrors are Chromium's net errors that may pass on a second
// try. DNS, TLS and redirect loops are not among them.
var transientNetErrors = []string{
	"ERR_CONNECTION_RESET", "ERR_CONNECTION_CLOSED", "ERR_CONNECTION_REFUSED",
	"ERR_CONNECTION_ABORTED", "ERR_EMPTY_RESPONSE", "ERR_NETWORK_CHANGED",
	"ERR_TIMED_OUT", "ERR_CONNECTION_TIMED_OUT", "ERR_INCOMPLETE_CHUNKED_ENCODING",
	"ERR_CONTENT_LENGTH_MISMATCH", "ERR_HTTP2_PROTOCOL_ERROR",
}

func isTransientNetError(text string) bool {
	for _, e := range transientNetErrors {
		if strings.Contains(text, e) {
			return true
		}
	}
	return false
}

// refusePrivateHost returns why host must not be loaded when private
// addresses are refused: it is, or resolves to, one. A name that does not
// resolve is left to the browser, which reports it as a DNS failure.
func refusePrivateHost(ctx context.Context, host string) string {
	if ip, err := netip.ParseAddr(strings.Trim(host, "[]")); err == nil {
		return refusePrivateIP(host, ip.String())
	}
	rctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	ips, err := net.DefaultResolver.LookupNetIP(rctx, "ip", host)
	if err != nil {
		return ""
	}
	for _, ip := range ips {
		if why := refusePrivateIP(host, ip.String()); why != "" {
			return why
		}
	}
	return ""
}

// refusePrivateIP returns why the address ip (of host) is refused, or "".
func refusePrivateIP(host, ip string) string {
	a, err := netip.ParseAddr(strings.Trim(ip, "[]"))
	if err != nil {
		return ""
	}
	if kind := privateKind(a); kind != "" {
		return "l'hôte " + host + " a une adresse " + kind + " (" + a.String() + "), et les adresses privées sont refusées"
	}
	return ""
}

// privateKind names the kind of a non-public address, or "" for a public
// one.
func privateKind(a netip.Addr) string {
	a = a.Unmap()
	switch {
	case a.IsLoopback():
		return "de bouclage"
	case a.IsPrivate():
		return "privée"
	case a.IsLinkLocalUnicast(), a.IsLinkLocalMulticast():
		return "locale au lien"
	case a.IsUnspecified():
		return "non spécifiée"
	case a.Is4() && netip.MustParsePrefix("100.64.0.0/10").Contains(a):
		return "partagée (NAT d'opérateur)"
	}
	return ""
}
