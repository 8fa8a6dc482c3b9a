package edition

import (
	"context"
	"errors"
	"sync"
	"testing"

	"github.com/observatoire-scanner/observatoire/criteria"
	"github.com/observatoire-scanner/observatoire/observatory"
	"github.com/observatoire-scanner/observatoire/observatory/catalog"
)

// uptimeRecorder is a memoryAssessor that also records the availability
// figures each target was given, by URL.
type uptimeRecorder struct {
	memoryAssessor
	mu  sync.Mutex
	got map[string]*criteria.Uptime
}

func (u *uptimeRecorder) Assess(ctx context.Context, t observatory.Target) (*observatory.Assessment, error) {
	u.mu.Lock()
	u.got[t.URL] = t.Uptime
	u.mu.Unlock()
	return u.memoryAssessor.Assess(ctx, t)
}

// The monitor's figures (ScanOptions.Uptime) reach the assessment before
// an imported updown.json; a procedure the monitor has no sample of keeps
// the imported figures; an error of the source stops the scan with the
// procedure named.
func TestScanUptimeSource(t *testing.T) {
	cat := testCatalog("c", "watched", "unwatched")
	for i := range cat.Procedures {
		cat.Procedures[i].JDMAID = "j-" + cat.Procedures[i].ID
	}
	imported := &criteria.Uptime{Percent: 97, ResponseMS: 900, Source: "updown.json"}
	monitored := &criteria.Uptime{Percent: 99.95, ResponseMS: 120, Source: "observatoire monitor"}
	im := catalog.Imports{
		"j-watched":   {Uptime: imported},
		"j-unwatched": {Uptime: imported},
	}
	rec := &uptimeRecorder{got: map[string]*criteria.Uptime{}}
	_, err := Scan(context.Background(), rec, cat, ScanOptions{
		DataDir: t.TempDir(), Edition: "2026-Q4", Imports: im,
		Uptime: func(p observatory.Procedure) (*criteria.Uptime, error) {
			if p.ID == "watched" {
				return monitored, nil
			}
			return nil, nil
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := rec.got[urlOf("watched")]; got != monitored {
		t.Errorf("watched procedure: uptime %+v, want the monitor's %+v", got, monitored)
	}
	if got := rec.got[urlOf("unwatched")]; got != imported {
		t.Errorf("procedure without samples: uptime %+v, want the imported %+v", got, imported)
	}

	broken := errors.New("disk error")
	_, err = Scan(context.Background(), &memoryAssessor{}, cat, ScanOptions{
		DataDir: t.TempDir(), Edition: "2026-Q4",
		Uptime: func(observatory.Procedure) (*criteria.Uptime, error) { return nil, broken },
	})
	if !errors.Is(err, broken) {
		t.Errorf("a failing source: err %v, want %v", err, broken)
	}
}
