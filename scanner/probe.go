package scanner

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptrace"
	"net/netip"
	"syscall"
	"time"
)

// Probe is one plain HTTP GET of a URL, outside the browser: what an
// uptime monitor would record.
type Probe struct {
	At time.Time `json:"at"`
	// Status is the HTTP status (after redirects); 0 when no answer came.
	Status int `json:"status,omitempty"`
	// TTFB is the time to the first byte of the final response, in ms.
	TTFB float64 `json:"ttfb_ms,omitempty"`
	// Error is the failure, if any; Kind classifies it like a snapshot's
	// status (dns, tls, timeout, network).
	Error string `json:"error,omitempty"`
	Kind  Status `json:"kind,omitempty"`
}

// ProbeOptions bound the probes.
type ProbeOptions struct {
	// Count is how many probes (default 3); Interval the pause between
	// them (default 1 s); Timeout bounds each one (default 15 s).
	Count    int
	Interval time.Duration
	Timeout  time.Duration
	// RefusePrivate refuses to connect to private, loopback and link-local
	// addresses, as Options.RefusePrivate does for the browser. The check
	// is made on each connection's address, so a redirect or a name that
	// resolves to such an address is refused too.
	RefusePrivate bool
}

// ProbeURL gets url Count times with a plain HTTP client and records the
// status and time to first byte of each. A DNS or TLS failure is final: it
// is not tried again. The body is read (up to 1 MiB) and dropped.
func ProbeURL(ctx context.Context, url string, o ProbeOptions) []Probe {
	if o.Count <= 0 {
		o.Count = 3
	}
	if o.Interval <= 0 {
		o.Interval = time.Second
	}
	if o.Timeout <= 0 {
		o.Timeout = 15 * time.Second
	}
	if reason := refuseURL(url); reason != "" {
		return []Probe{{At: time.Now().UTC(), Error: reason, Kind: StatusRefused}}
	}
	// A fresh transport per probe series: each probe measures a cold
	// connection, as a monitor does, and nothing outlives the call.
	tr := &http.Transport{
		Proxy:               nil,
		DialContext:         probeDialer(o).DialContext,
		TLSHandshakeTimeout: o.Timeout,
		DisableKeepAlives:   true,
	}
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: tr, Timeout: o.Timeout}
	var out []Probe
	for i := 0; i < o.Count; i++ {
		if i > 0 {
			select {
			case <-ctx.Done():
				return out
			case <-time.After(o.Interval):
			}
		}
		p := probeOnce(ctx, client, url)
		out = append(out, p)
		if p.Kind == StatusDNS || p.Kind == StatusTLS || p.Kind == StatusRefused || ctx.Err() != nil {
			break
		}
	}
	return out
}

func probeOnce(ctx context.Context, client *http.Client, url string) Probe {
	p := Probe{At: time.Now().UTC()}
	var start, first time.Time
	trace := &httptrace.ClientTrace{
		// Each redirect hop restarts the clock: TTFB is the final
		// response's.
		GetConn:              func(string) { start = time.Now() },
		GotFirstResponseByte: func() { first = time.Now() },
	}
	req, err := http.NewRequestWithContext(httptrace.WithClientTrace(ctx, trace), http.MethodGet, url, nil)
	if err != nil {
		p.Error, p.Kind = err.Error(), StatusRefused
		return p
	}
	req.Header.Set("User-Agent", "Mozilla/5.0 (compatible; "+userAgentToken()+")")
	req.Header.Set("Accept-Language", "fr-FR,fr;q=0.9")
	resp, err := client.Do(req)
	if err != nil {
		p.Error, p.Kind = err.Error(), classifyGoError(err)
		return p
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<20))
	p.Status = resp.StatusCode
	if !first.IsZero() && !start.IsZero() {
		p.TTFB = ms(first.Sub(start))
	}
	return p
}

// classifyGoError maps a net/http client error to a status.
func classifyGoError(err error) Status {
	var dnsErr *net.DNSError
	var certErr *tls.CertificateVerificationError
	var recErr tls.RecordHeaderError
	var netErr net.Error
	switch {
	case errors.Is(err, errPrivateAddress):
		return StatusRefused
	case errors.As(err, &dnsErr):
		return StatusDNS
	case errors.As(err, &certErr), errors.As(err, &recErr):
		return StatusTLS
	case errors.As(err, &netErr) && netErr.Timeout():
		return StatusTimeout
	}
	return StatusNetwork
}

// errPrivateAddress is the dial error of a refused private address.
var errPrivateAddress = errors.New("adresse privée refusée")

// probeDialer dials with the probe's timeout and, with RefusePrivate,
// refuses each connection to a non-public address before it is made.
func probeDialer(o ProbeOptions) *net.Dialer {
	d := &net.Dialer{Timeout: o.Timeout}
	if o.RefusePrivate {
		d.Control = func(_, address string, _ syscall.RawConn) error {
			ap, err := netip.ParseAddrPort(address)
			if err != nil {
				return err
			}
			if kind := privateKind(ap.Addr()); kind != "" {
				return fmt.Errorf("%w : %s est une adresse %s", errPrivateAddress, ap.Addr(), kind)
			}
			return nil
		}
	}
	return d
}
