package observatory

import (
	"context"
	"testing"
	"time"

	"github.com/observatoire-scanner/observatoire/fixtures/fixturetest"
	"github.com/observatoire-scanner/observatoire/scanner"
)

// TestAssessRefusePrivate checks that a scanner told to refuse private
// addresses refuses them in the plain HTTP probes too, not only in the
// browser. (Both refuse before any connection: no browser starts.)
func TestAssessRefusePrivate(t *testing.T) {
	web := fixturetest.Web(t)
	opts := fixturetest.Options
	opts.RefusePrivate = true
	sc, err := scanner.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	defer sc.Close()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	a, err := Assess(ctx, sc, Target{URL: web.Page("/good.html")}, AssessOptions{Probes: scanner.ProbeOptions{Count: 2}})
	if err != nil {
		t.Fatal(err)
	}
	if s := a.Pages[PageStart]; s.Status != scanner.StatusRefused {
		t.Errorf("start page %s (%s), want refused", s.Status, s.Reason)
	}
	if len(a.Probes) != 1 || a.Probes[0].Kind != scanner.StatusRefused {
		t.Errorf("probes %+v, want one refused probe", a.Probes)
	}
}
