package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/observatoire-scanner/observatoire/fixtures/fixturetest"
	"github.com/observatoire-scanner/observatoire/observatory"
	"github.com/observatoire-scanner/observatoire/observatory/edition"
)

// buildBinary builds the command into a temporary folder.
func buildBinary(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "observatoire")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// resultIDs reads results.jsonl and returns the id of each whole line.
func resultIDs(t *testing.T, path string) []string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		return nil
	}
	var ids []string
	for _, line := range strings.SplitAfter(string(data), "\n") {
		if !strings.HasSuffix(line, "\n") {
			continue // being written
		}
		var r struct {
			Procedure struct{ ID string } `json:"procedure"`
		}
		if err := json.Unmarshal([]byte(line), &r); err != nil {
			t.Fatalf("bad line in %s: %v", path, err)
		}
		ids = append(ids, r.Procedure.ID)
	}
	return ids
}

// TestScanKillResume kills the real binary in the middle of a scan, runs
// the same command again, and checks that every procedure ends with
// exactly one result.
func TestScanKillResume(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	bin := buildBinary(t)
	web := fixturetest.Web(t)

	const n = 10
	var procs []observatory.Procedure
	for i := range n {
		// Each page answers after a delay, so that the kill lands mid-scan.
		procs = append(procs, observatory.Procedure{ID: fmt.Sprintf("p%02d", i), URL: web.Page(fmt.Sprintf("/slow?delay=700ms&page=good.html&n=%d", i))})
	}
	dir := t.TempDir()
	catPath := writeCatalogFile(t, dir, "kill test", procs)
	data := filepath.Join(dir, "data")
	args := []string{"scan", "--catalog", catPath, "--edition", "kill", "--data", data,
		"--concurrency", "2", "--parallel", "2", "--probes", "0", "--no-axe", "--timeout", "20s"}
	results := filepath.Join(data, "editions", "kill", "results.jsonl")

	cmd := exec.Command(bin, args...)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true} // its Chromium dies with it
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(3 * time.Minute)
	for len(resultIDs(t, results)) < 3 {
		if time.Now().After(deadline) {
			syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
			cmd.Wait()
			t.Fatalf("no 3 results after 3 minutes:\n%s", out.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
	cmd.Wait()
	before := resultIDs(t, results)
	t.Logf("killed after %d results", len(before))
	if len(before) >= n {
		t.Fatalf("the scan finished before the kill (%d results): slow the pages down", len(before))
	}

	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	out.Reset()
	cmd = exec.CommandContext(ctx, bin, args...)
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		t.Fatalf("resume: %v\n%s", err, out.String())
	}
	if !strings.Contains(out.String(), fmt.Sprintf("%d scanned now, %d kept from an earlier run", n-len(before), len(before))) {
		t.Errorf("resume summary:\n%s", out.String())
	}
	after := resultIDs(t, results)
	seen := map[string]int{}
	for _, id := range after {
		seen[id]++
	}
	for _, p := range procs {
		if seen[p.ID] != 1 {
			t.Errorf("%s: %d results, want 1", p.ID, seen[p.ID])
		}
	}
	if len(after) != n {
		t.Errorf("%d lines, want %d", len(after), n)
	}
	ed, err := edition.Load(data, "kill")
	if err != nil {
		t.Fatal(err)
	}
	if ed.Meta.Finished.IsZero() || ed.Meta.Measured != n || ed.Meta.Skipped != 0 {
		t.Errorf("meta %+v", ed.Meta)
	}
	// Plain progress lines when stdout is not a terminal.
	if !strings.Contains(out.String(), fmt.Sprintf("[%d/%d] ", n, n)) {
		t.Errorf("no progress lines:\n%s", out.String())
	}
}
