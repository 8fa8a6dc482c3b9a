package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/observatoire-scanner/observatoire/fixtures/fixturetest"
	"github.com/observatoire-scanner/observatoire/observatory"
	"github.com/observatoire-scanner/observatoire/observatory/edition"
)

// The interruption tests run the real binary on a catalogue of slow
// fixture pages, send it SIGINT at a random point, and check what it
// leaves: exit code 130, whole result lines only, no temporary file, no
// Chromium process. SCAN_SIGNAL_SEED=N replays a run (the seed is logged).

// signalTarget is who receives the signal: the process alone (kill PID),
// or its whole process group, Chromium included (a user's Ctrl-C).
type signalTarget string

const (
	toProcess signalTarget = "process"
	toGroup   signalTarget = "group"
)

// signalEnv is one edition scanned again and again by the binary.
type signalEnv struct {
	bin     string
	args    []string
	ids     []string // the catalogue's procedure ids
	tmp     string   // the scan's TMPDIR: Chromium's profile folders go there
	edition string   // the edition's folder
	rng     *rand.Rand
	// dirty says the last run was killed (SIGKILL): the edition may hold
	// a cut last line, temporary files and stale counts until the next run
	// opens it.
	dirty bool
	// The tally of this test.
	tally struct{ process, group, double, kill, late, lost, leaked, profiles int }
}

func newSignalEnv(t *testing.T, n int) *signalEnv {
	t.Helper()
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	seed := uint64(time.Now().UnixNano())
	if s := os.Getenv("SCAN_SIGNAL_SEED"); s != "" {
		v, err := strconv.ParseUint(s, 10, 64)
		if err != nil {
			t.Fatalf("SCAN_SIGNAL_SEED: %v", err)
		}
		seed = v
	}
	t.Logf("seed %d (replay with SCAN_SIGNAL_SEED=%d)", seed, seed)
	env := &signalEnv{bin: buildBinary(t), tmp: t.TempDir(), rng: rand.New(rand.NewPCG(seed, seed))}
	web := fixturetest.Web(t)
	var procs []observatory.Procedure
	for i := range n {
		id := fmt.Sprintf("p%02d", i)
		env.ids = append(env.ids, id)
		// Each page answers after a delay, so that the signal lands mid-scan.
		procs = append(procs, observatory.Procedure{ID: id, URL: web.Page(fmt.Sprintf("/slow?delay=200ms&page=good.html&n=%d", i))})
	}
	dir := t.TempDir()
	catPath := writeCatalogFile(t, dir, "signal test", procs)
	data := filepath.Join(dir, "data")
	env.args = []string{"scan", "--catalog", catPath, "--edition", "sig", "--data", data,
		"--concurrency", "2", "--parallel", "2", "--probes", "0", "--no-axe", "--timeout", "20s"}
	env.edition = filepath.Join(data, "editions", "sig")
	t.Cleanup(func() {
		t.Logf("tally: %d SIGINT (%d to the process, %d to the group, %d of them doubled; %d landed after the end), %d SIGKILL, %d results lost, %d leaked Chromium processes, %d profile folders left by SIGINT",
			env.tally.process+env.tally.group, env.tally.process, env.tally.group, env.tally.double, env.tally.late, env.tally.kill, env.tally.lost, env.tally.leaked, env.tally.profiles)
	})
	return env
}

// command returns the scan command, in its own process group, with its
// own TMPDIR (so that its Chromium is recognised by its profile folder).
func (env *signalEnv) command(ctx context.Context) (*exec.Cmd, *bytes.Buffer, *bytes.Buffer) {
	cmd := exec.CommandContext(ctx, env.bin, env.args...)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Env = append(os.Environ(), "TMPDIR="+env.tmp)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	return cmd, &stdout, &stderr
}

// interrupt runs the scan, sends SIGINT to target once k more results are
// on disk (k = 0: once its Chromium runs), a second SIGINT when double,
// and checks the interrupted edition. It returns the results on disk.
func (env *signalEnv) interrupt(t *testing.T, k int, target signalTarget, double bool) []string {
	t.Helper()
	return env.stop(t, k, target, syscall.SIGINT, double)
}

// kill is interrupt with SIGKILL to the process alone: its Chromium must
// die with it (the parent-death signal), and the next run must clean up.
func (env *signalEnv) kill(t *testing.T, k int) []string {
	t.Helper()
	return env.stop(t, k, toProcess, syscall.SIGKILL, false)
}

func (env *signalEnv) stop(t *testing.T, k int, target signalTarget, signal syscall.Signal, double bool) []string {
	t.Helper()
	base := len(env.check(t, false))
	cmd, stdout, stderr := env.command(context.Background())
	begin := time.Now()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	pgid := cmd.Process.Pid
	exited := make(chan struct{})
	go func() { cmd.Wait(); close(exited) }()
	defer func() {
		// Whatever failed, leave nothing running.
		syscall.Kill(-pgid, syscall.SIGKILL)
		<-exited
	}()
	results := filepath.Join(env.edition, "results.jsonl")
	ready := func() bool {
		if k == 0 {
			return len(env.chromium(-1)) > 0
		}
		return len(resultIDs(t, results)) >= base+k
	}
	deadline := time.Now().Add(3 * time.Minute)
	for !ready() {
		select {
		case <-exited:
			t.Fatalf("the scan ended before %d more results (exit %d):\n%s%s", k, cmd.ProcessState.ExitCode(), stdout, stderr)
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("no %d more results after 3 minutes:\n%s%s", k, stdout, stderr)
		}
		time.Sleep(10 * time.Millisecond)
	}
	sig := func() {
		if target == toGroup {
			syscall.Kill(-pgid, signal)
		} else {
			syscall.Kill(pgid, signal)
		}
	}
	before := resultIDs(t, results)
	sig()
	sent := time.Now()
	switch {
	case signal == syscall.SIGKILL:
		env.tally.kill++
	case target == toGroup:
		env.tally.group++
	default:
		env.tally.process++
	}
	secondLanded := false
	if double {
		env.tally.double++
		time.Sleep(time.Duration(env.rng.IntN(100)) * time.Millisecond)
		select {
		case <-exited:
		default:
			sig()
			secondLanded = true
		}
	}
	select {
	case <-exited:
	case <-time.After(30 * time.Second):
		t.Fatalf("still running 30 s after SIGINT:\n%s%s", stdout, stderr)
	}
	took := time.Since(sent)
	// A run that rewrote meta.json had opened the edition, and cleaned
	// what a kill left; one stopped before (Chromium starts first) did not.
	if fi, err := os.Stat(filepath.Join(env.edition, "meta.json")); err == nil && !fi.ModTime().Before(begin) {
		env.dirty = false
	}
	if signal == syscall.SIGKILL {
		env.dirty = true
	}
	after := env.check(t, false)
	code := cmd.ProcessState.ExitCode()
	t.Logf("%s to the %s after %d+%d results, %s after the start (second SIGINT sent before the end: %v): exit %d in %s, %d results kept",
		signal, target, base, len(before)-base, sent.Sub(begin).Round(time.Millisecond), secondLanded, code, took.Round(time.Millisecond), len(after))

	// Every result on disk before the signal, and every one reported done,
	// is still there.
	for _, id := range append(before, progressIDs(stdout.String())...) {
		if !slices.Contains(after, id) {
			env.tally.lost++
			t.Errorf("%s: finished before the interruption, gone after it", id)
		}
	}
	switch {
	case signal == syscall.SIGKILL:
		if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); !ok || !ws.Signaled() || ws.Signal() != syscall.SIGKILL {
			t.Errorf("%s after SIGKILL:\n%s%s", cmd.ProcessState, stdout, stderr)
		}
	case code == exitInterrupted:
		if !strings.Contains(stderr.String(), "interrupted; finished work was kept") {
			t.Errorf("exit 130 without the message:\n%s", stderr)
		}
		// The second signal is acknowledged, not obeyed; a single one is
		// not acknowledged twice.
		if strings.Contains(stderr.String(), "stopping: closing the browser") {
			if !secondLanded {
				t.Errorf("a second signal acknowledged, but only one was sent:\n%s", stderr)
			}
			t.Logf("second SIGINT acknowledged")
		}
	case code == exitOK && len(after) == len(env.ids):
		// The signal came after the last result: nothing to interrupt.
		env.tally.late++
	default:
		t.Errorf("exit %d after SIGINT, want %d:\n%s%s", code, exitInterrupted, stdout, stderr)
	}
	env.noChromium(t, pgid, signal == syscall.SIGKILL)
	return after
}

// finish runs the scan to its end and checks that the edition holds one
// result per procedure, the kept ones counted as such.
func (env *signalEnv) finish(t *testing.T) {
	t.Helper()
	kept := len(env.check(t, false))
	env.dirty = false
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	cmd, stdout, stderr := env.command(ctx)
	begin := time.Now()
	if err := cmd.Run(); err != nil {
		t.Fatalf("complete run: %v\n%s%s", err, stdout, stderr)
	}
	t.Logf("complete run: %d scanned, %d kept, in %s", len(env.ids)-kept, kept, time.Since(begin).Round(time.Millisecond))
	want := fmt.Sprintf("%d scanned now, %d kept from an earlier run", len(env.ids)-kept, kept)
	if !strings.Contains(stdout.String(), want) {
		t.Errorf("summary does not say %q:\n%s", want, stdout)
	}
	ids := env.check(t, true)
	if !slices.Equal(ids, env.ids) {
		t.Errorf("results %v, want one per procedure %v", ids, env.ids)
	}
	env.noChromium(t, cmd.Process.Pid, false)
}

// check reads the edition folder as a reader would after any stop: whole
// lines only, each a complete result of the catalogue, no id twice, no
// temporary file, a meta.json that parses and counts those results. It
// returns the ids in file order.
func (env *signalEnv) check(t *testing.T, finished bool) []string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(env.edition, "results.jsonl"))
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		t.Fatal(err)
	}
	if env.dirty {
		// A kill may cut the last line: the next run cuts it off.
		data = data[:bytes.LastIndexByte(data, '\n')+1]
	}
	if len(data) > 0 && data[len(data)-1] != '\n' {
		t.Errorf("results.jsonl ends with a partial line: %.200q", data[bytes.LastIndexByte(data, '\n')+1:])
	}
	var ids []string
	for i, line := range bytes.Split(data, []byte("\n")) {
		if len(line) == 0 {
			continue
		}
		var r observatory.Result
		dec := json.NewDecoder(bytes.NewReader(line))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&r); err != nil {
			t.Errorf("results.jsonl:%d: %v", i+1, err)
			continue
		}
		id := r.Procedure.ID
		switch {
		case !slices.Contains(env.ids, id):
			t.Errorf("results.jsonl:%d: procedure %q is not in the catalogue", i+1, id)
		case slices.Contains(ids, id):
			t.Errorf("results.jsonl:%d: %s a second time", i+1, id)
		case r.Outcome != observatory.Measured && r.Outcome != observatory.Failed:
			t.Errorf("results.jsonl:%d: %s: outcome %q", i+1, id, r.Outcome)
		case r.Assessment == nil || r.Assessment.Pages[observatory.PageStart] == nil ||
			r.Assessment.Pages[observatory.PageStart].Status == "" || r.ScannedAt.IsZero():
			t.Errorf("results.jsonl:%d: %s: incomplete result", i+1, id)
		case r.Outcome != observatory.Measured:
			// The fixture pages all load: a failure here is a page cut
			// short by the interruption and stored as if it were done.
			t.Errorf("results.jsonl:%d: %s: %s (%s)", i+1, id, r.Outcome, r.Reason)
		}
		ids = append(ids, id)
	}
	filepath.WalkDir(env.edition, func(path string, d fs.DirEntry, err error) error {
		if err == nil && strings.Contains(d.Name(), ".tmp") && !env.dirty {
			t.Errorf("temporary file left: %s", path)
		}
		return nil
	})
	if data, err := os.ReadFile(filepath.Join(env.edition, "meta.json")); err == nil {
		var m edition.Meta
		if err := json.Unmarshal(data, &m); err != nil {
			t.Errorf("meta.json: %v", err)
		} else if !env.dirty && (m.Measured+m.Failed != len(ids) || m.Skipped != len(env.ids)-len(ids) || m.Finished.IsZero() == finished) {
			t.Errorf("meta.json: %d measured, %d failed, %d skipped, finished %v; %d results on disk, finished %v expected",
				m.Measured, m.Failed, m.Skipped, m.Finished, len(ids), finished)
		}
	} else if !errors.Is(err, fs.ErrNotExist) || len(ids) > 0 {
		t.Errorf("meta.json: %v", err)
	}
	return ids
}

// noChromium waits up to 10 s for the scan's process group to empty and
// for no process to use its profile folders, then checks that the
// profile folders are gone. A killed scan leaves its profile folder (no
// one is left to remove it): killed says so, and the folder is removed.
func (env *signalEnv) noChromium(t *testing.T, pgid int, killed bool) {
	t.Helper()
	var left []string
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		left = env.chromium(pgid)
		if len(left) == 0 && errors.Is(syscall.Kill(-pgid, 0), syscall.ESRCH) || time.Now().After(deadline) {
			break
		}
	}
	if len(left) > 0 {
		env.tally.leaked += len(left)
		t.Errorf("%d processes of the scan left after it ended:\n%s", len(left), strings.Join(left, "\n"))
		syscall.Kill(-pgid, syscall.SIGKILL)
	}
	profiles, _ := filepath.Glob(filepath.Join(env.tmp, "observatoire-chromium-*"))
	// A Ctrl-C to the group kills Chromium itself; the scanner retires
	// that browser in the background, and Close waits for it: the profile
	// folder goes either way.
	if len(profiles) > 0 && !killed {
		env.tally.profiles++
		t.Errorf("Chromium profile folders left: %v", profiles)
	}
	for _, p := range profiles {
		os.RemoveAll(p)
	}
}

// chromium lists the live processes in process group pgid (-1: none) or
// whose command line names a profile folder under the scan's TMPDIR.
func (env *signalEnv) chromium(pgid int) []string {
	entries, _ := os.ReadDir("/proc")
	marker := []byte("--user-data-dir=" + env.tmp + string(filepath.Separator))
	var out []string
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		stat, err := os.ReadFile(filepath.Join("/proc", e.Name(), "stat"))
		if err != nil {
			continue
		}
		// pid (comm) state ppid pgrp ...: comm may hold spaces.
		fields := strings.Fields(string(stat[bytes.LastIndexByte(stat, ')')+1:]))
		if len(fields) < 3 {
			continue
		}
		state, pgrp := fields[0], fields[2]
		cmdline, _ := os.ReadFile(filepath.Join("/proc", e.Name(), "cmdline"))
		if pgrp == strconv.Itoa(pgid) || bytes.Contains(cmdline, marker) {
			cmd := strings.ReplaceAll(string(cmdline), "\x00", " ")
			out = append(out, fmt.Sprintf("  %d %s %.160s", pid, state, cmd))
		}
	}
	return out
}

var progressLine = regexp.MustCompile(`(?m)^\[\d+/\d+\] (\S+) `)

// progressIDs returns the procedures that the scan's progress lines
// reported done.
func progressIDs(stdout string) []string {
	var ids []string
	for _, m := range progressLine.FindAllStringSubmatch(stdout, -1) {
		ids = append(ids, m[1])
	}
	return ids
}

// TestScanInterrupt interrupts a scan once at a random point, with the
// signal sent to the process alone and to its whole group, then runs it
// to the end.
func TestScanInterrupt(t *testing.T) {
	t.Parallel()
	for _, target := range []signalTarget{toProcess, toGroup} {
		t.Run(string(target), func(t *testing.T) {
			t.Parallel()
			env := newSignalEnv(t, 8)
			env.interrupt(t, env.rng.IntN(len(env.ids)), target, false)
			env.finish(t)
		})
	}
}

// TestScanInterruptRepeated stops the same edition four times at random
// points, in a random order: SIGINT to the process, SIGINT to the group,
// SIGINT to either, and SIGKILL, after which the temporary files that a
// kill can leave are planted. Then it runs the scan to the end.
func TestScanInterruptRepeated(t *testing.T) {
	t.Parallel()
	env := newSignalEnv(t, 10)
	stops := []string{"process", "group", "either", "kill"}
	env.rng.Shuffle(len(stops), func(i, j int) { stops[i], stops[j] = stops[j], stops[i] })
	for round, stop := range stops {
		// Leave room for the rounds to come: at least one procedure each.
		room := len(env.ids) - len(env.check(t, false)) - (len(stops) - 1 - round)
		if room <= 0 {
			break
		}
		k := env.rng.IntN(room)
		switch stop {
		case "kill":
			env.kill(t, k)
			for _, f := range []string{".meta.json.tmp123", ".results.jsonl.tmp456", "screenshots/.p00-start-desktop.jpg.tmp789"} {
				if err := os.WriteFile(filepath.Join(env.edition, f), []byte("half"), 0o644); err != nil {
					t.Fatal(err)
				}
			}
		case "either":
			env.interrupt(t, k, []signalTarget{toProcess, toGroup}[env.rng.IntN(2)], false)
		default:
			env.interrupt(t, k, signalTarget(stop), false)
		}
	}
	env.finish(t)
}

// TestScanInterruptTwice sends a second SIGINT, to the process or to the
// group, while the first one's shutdown runs: the shutdown goes on and
// ends as cleanly as after one.
func TestScanInterruptTwice(t *testing.T) {
	t.Parallel()
	for _, target := range []signalTarget{toProcess, toGroup} {
		t.Run(string(target), func(t *testing.T) {
			t.Parallel()
			env := newSignalEnv(t, 6)
			env.interrupt(t, env.rng.IntN(len(env.ids)), target, true)
			env.finish(t)
		})
	}
}
