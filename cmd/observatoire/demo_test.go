package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestDemoReplacesSite runs a small demo over a previous site: it prints
// the share of each level per criterion, and the site it publishes
// replaces the old one whole (no stale page of a bigger demo survives).
func TestDemoReplacesSite(t *testing.T) {
	if testing.Short() {
		t.Skip("runs Chromium")
	}
	dir := t.TempDir()
	out := filepath.Join(dir, "public")
	if err := os.MkdirAll(out, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"index.html", "site.js", "stale.html"} {
		if err := os.WriteFile(filepath.Join(out, f), []byte("old"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	var stdout, stderr bytes.Buffer
	code := run(ctx, &env{stdout: &stdout, stderr: &stderr}, []string{"demo", "--procedures", "2",
		"--data", filepath.Join(dir, "data"), "--out", out, "--no-axe", "--no-screenshots", "--concurrency", "2"})
	if code != exitOK {
		t.Fatalf("exit %d\n%s%s", code, stdout.String(), stderr.String())
	}
	if _, err := os.Stat(filepath.Join(out, "stale.html")); err == nil {
		t.Error("stale.html of the previous site survived the demo's publish")
	}
	if b, err := os.ReadFile(filepath.Join(out, "index.html")); err != nil || string(b) == "old" {
		t.Errorf("index.html not published: %v", err)
	}
	// Three editions: the earlier two give the trends and the durations.
	for _, f := range []string{"data/2026-q2.csv", "data/2026-q3.csv", "data/2026-q4.csv", "data/latest.csv", "tendances.html", "changements.xml"} {
		if _, err := os.Stat(filepath.Join(out, f)); err != nil {
			t.Errorf("the demo site lacks %s", f)
		}
	}
	for _, s := range []string{"Critère", "Non mesuré", "2 procedures:", "3 editions scanned and published"} {
		if !strings.Contains(stdout.String(), s) {
			t.Errorf("output lacks %q:\n%s", s, stdout.String())
		}
	}
}
