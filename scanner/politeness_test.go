package scanner

import (
	"net/netip"
	"testing"
	"time"
)

func TestPrivateKind(t *testing.T) {
	cases := map[string]string{
		"127.0.0.1": "de bouclage", "::1": "de bouclage", "10.1.2.3": "privée", "192.168.0.1": "privée",
		"172.16.5.4": "privée", "fd00::1": "privée", "169.254.169.254": "locale au lien", "fe80::1": "locale au lien",
		"0.0.0.0": "non spécifiée", "100.64.0.1": "partagée (NAT d'opérateur)", "::ffff:10.0.0.1": "privée",
		"192.0.2.10": "", "2001:db8::1": "",
	}
	for ip, want := range cases {
		if got := privateKind(netip.MustParseAddr(ip)); got != want {
			t.Errorf("%s: %q, want %q", ip, got, want)
		}
	}
}

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
	cases := []struct {
		in   string
		want time.Duration
		ok   bool
	}{
		{"1", time.Second, true},
		{" 120 ", 2 * time.Minute, true},
		{"Mon, 23 Nov 2026 12:00:30 GMT", 30 * time.Second, true},
		{"Mon, 23 Nov 2026 11:00:00 GMT", 0, true},
		{"-5", 0, false},
		{"bientôt", 0, false},
	}
	for _, c := range cases {
		got, ok := parseRetryAfter(c.in, now)
		if got != c.want || ok != c.ok {
			t.Errorf("%q: %s %v, want %s %v", c.in, got, ok, c.want, c.ok)
		}
	}
}

func TestRetryWaitBound(t *testing.T) {
	s := &Scanner{opts: Options{MaxRetryWait: 30 * time.Second}}
	if d, ok := s.retryWait(retryHint{retryAfter: "10"}); !ok || d != 10*time.Second {
		t.Errorf("Retry-After 10: %s %v", d, ok)
	}
	if _, ok := s.retryWait(retryHint{retryAfter: "31"}); ok {
		t.Error("Retry-After beyond the bound should not be waited for")
	}
	if d, ok := s.retryWait(retryHint{}); !ok || d <= 0 || d > 30*time.Second {
		t.Errorf("no Retry-After: %s %v", d, ok)
	}
}
