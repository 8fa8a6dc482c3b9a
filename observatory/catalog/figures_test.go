package catalog

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/observatoire-scanner/observatoire/observatory"
)

func TestLoadImportsReal(t *testing.T) {
	dir := realData + "/results"
	if _, err := os.Stat(dir); err != nil {
		t.Skipf("real data absent: %v", err)
	}
	cat, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	im, warns, err := LoadImports(dir, cat.Procedures)
	if err != nil {
		t.Fatal(err)
	}
	jdma, uptime := 0, 0
	for _, f := range im {
		if f.JDMA != nil {
			jdma++
		}
		if f.Uptime != nil {
			uptime++
		}
	}
	t.Logf("%d jdma, %d uptime, %d warnings", jdma, uptime, len(warns))
	// Measured on the August 2026 data: of the 258 procedures, 222 have
	// usable JDMA figures and 221 uptime figures; the 61 other files are
	// "{}", empty, or a Node.js object dump the nightly job wrote instead
	// of JSON.
	if jdma != 222 || uptime != 221 {
		t.Errorf("%d jdma and %d uptime figures, want 222 and 221", jdma, uptime)
	}
	if len(warns) != 61 {
		t.Errorf("%d warnings, want 61: %v", len(warns), warns)
	}
	for _, w := range warns {
		if !strings.Contains(w, "/jdma.json: skipped: jdma: ") && !strings.Contains(w, "/updown.json: skipped: updown: ") {
			t.Errorf("warning does not name the file: %s", w)
		}
	}
	// Product 1617: satisfaction 8.40 over 4689 answers, uptime 99.55 %.
	f := im.Figures(observatory.Procedure{JDMAID: "1617"})
	if f.JDMA == nil || f.JDMA.Count != 4689 || f.JDMA.Satisfaction < 8.39 || f.JDMA.Satisfaction > 8.41 ||
		f.JDMA.Source != filepath.Join(dir, "1617", "jdma.json") {
		t.Errorf("1617: %+v", f.JDMA)
	}
	if f.Uptime == nil || f.Uptime.Percent != 99.55 || f.Uptime.ResponseMS != 150 {
		t.Errorf("1617 uptime: %+v", f.Uptime)
	}
}

func TestLoadImportsFaults(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("1/jdma.json", `{"data":{"satisfaction":7.5},"metadata":{"satisfaction_count":300}}`)
	write("1/updown.json", `{"uptime":`) // truncated
	write("2/jdma.json", "")             // the nightly job's empty file
	write("2/updown.json", `{"uptime":99.5,"timings":{"response":300}}`)
	write("3/jdma.json", `not json`)
	if err := os.MkdirAll(filepath.Join(dir, "4", "jdma.json"), 0o755); err != nil { // a folder, not a file
		t.Fatal(err)
	}
	procs := []observatory.Procedure{{ID: "a", JDMAID: "1"}, {ID: "b", JDMAID: "2"}, {ID: "c", JDMAID: "3"},
		{ID: "d", JDMAID: "4"}, {ID: "e", JDMAID: "5"}, {ID: "f"}, {ID: "g", JDMAID: "../1"}}
	im, warns, err := LoadImports(dir, procs)
	if err != nil {
		t.Fatal(err)
	}
	if f := im["1"]; f.JDMA == nil || f.JDMA.Count != 300 || f.Uptime != nil {
		t.Errorf("1: %+v", f)
	}
	if f := im["2"]; f.JDMA != nil || f.Uptime == nil || f.Uptime.Percent != 99.5 {
		t.Errorf("2: %+v", f)
	}
	if len(im) != 2 {
		t.Errorf("%d procedures with figures, want 2", len(im))
	}
	wantFiles := []string{"1/updown.json", "2/jdma.json", "3/jdma.json", "4/jdma.json"}
	if len(warns) != len(wantFiles) {
		t.Fatalf("warnings %q", warns)
	}
	for i, w := range warns {
		if !strings.HasPrefix(w, filepath.Join(dir, wantFiles[i])+": skipped: ") {
			t.Errorf("warning %d: %s, want it to name %s", i, w, wantFiles[i])
		}
	}
	if _, _, err := LoadImports(filepath.Join(dir, "none"), procs); err == nil {
		t.Error("missing folder: no error")
	}
}
