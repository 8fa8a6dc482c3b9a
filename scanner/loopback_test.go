package scanner_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/observatoire-scanner/observatoire/fixtures/fixturetest"
	"github.com/observatoire-scanner/observatoire/scanner"
)

// TestLoopbackOnly checks that with LoopbackOnly the browser resolves no
// host name but localhost, while IP literals still load. A name under
// .localhost, which Chromium itself resolves to the loopback address,
// tells the rule from a machine that has no DNS: without the option it
// loads.
func TestLoopbackOnly(t *testing.T) {
	web, shared := fixturetest.Env(t)
	port := web.URL[strings.LastIndexByte(web.URL, ':'):]
	named := "http://fixtures.localhost" + port + "/good.html"
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()

	if s, err := shared.Scan(ctx, named); err != nil || s.Status != scanner.StatusOK {
		t.Fatalf("without LoopbackOnly, %s should load: %v %+v", named, err, s)
	}
	o := fixturetest.Options
	o.LoopbackOnly, o.NoAxe, o.NoScreenshots = true, true, true
	sc, err := scanner.New(o)
	if err != nil {
		t.Fatal(err)
	}
	defer sc.Close()
	for _, c := range []struct {
		url  string
		want scanner.Status
	}{
		{web.URL + "/good.html", scanner.StatusOK},
		{"http://localhost" + port + "/good.html", scanner.StatusOK},
		{named, scanner.StatusDNS},
	} {
		s, err := sc.Scan(ctx, c.url)
		if err != nil {
			t.Fatal(err)
		}
		if s.Status != c.want {
			t.Errorf("%s: %s (%s), want %s", c.url, s.Status, s.Reason, c.want)
		}
	}
}
