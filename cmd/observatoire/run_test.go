package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/observatoire-scanner/observatoire/observatory"
	"github.com/observatoire-scanner/observatoire/observatory/catalog"
)

// runCmd runs the command line in this process, bounded by 4 minutes, and
// returns its exit code and outputs.
func runCmd(args ...string) (code int, stdout, stderr string) {
	var o, e bytes.Buffer
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	code = run(ctx, &env{stdout: &o, stderr: &e}, args)
	return code, o.String(), e.String()
}

// writeCatalogFile writes procs as a catalogue file in dir and returns
// its path.
func writeCatalogFile(t *testing.T, dir, header string, procs []observatory.Procedure) string {
	t.Helper()
	var buf bytes.Buffer
	if err := catalog.Write(&buf, header, procs); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "catalog.yaml")
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestInterruptedFailure: a command that fails once the signal came exits
// 130, whatever its error (here a browser that cannot start, as when a
// Ctrl-C reaches a Chromium being started).
func TestInterruptedFailure(t *testing.T) {
	dir := t.TempDir()
	cat := writeCatalogFile(t, dir, "interrupted", []observatory.Procedure{{ID: "a", URL: "http://127.0.0.1:1/"}})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var o, e bytes.Buffer
	code := run(ctx, &env{stdout: &o, stderr: &e}, []string{"scan", "--catalog", cat, "--edition", "x",
		"--data", filepath.Join(dir, "data"), "--chrome", filepath.Join(dir, "no-browser")})
	if code != exitInterrupted || !bytes.Contains(e.Bytes(), []byte("interrupted")) {
		t.Errorf("exit %d, stderr %q; want %d, interrupted", code, e.String(), exitInterrupted)
	}
}

// needsChromium skips a test that starts Chromium under go test -short;
// make test runs it.
func needsChromium(t *testing.T) {
	t.Helper()
	if testing.Short() {
		t.Skip("starts Chromium: skipped by -short (make test runs it)")
	}
}
