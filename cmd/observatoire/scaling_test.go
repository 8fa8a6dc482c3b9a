package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/observatoire-scanner/observatoire/fixtures/fixturetest"
	"github.com/observatoire-scanner/observatoire/observatory"
	"github.com/observatoire-scanner/observatoire/observatory/edition"
)

// TestShardFlags: a bad --shard is a usage error (exit 2) and no folder
// is written.
func TestShardFlags(t *testing.T) {
	for _, tt := range []struct{ shard, want string }{
		{"0/3", "K must be from 1 to 3"},
		{"4/3", "K must be from 1 to 3"},
		{"1/0", "N must be from 1"},
		{"3", "want K/N"},
		{"a/b", "want K/N"},
	} {
		data := t.TempDir()
		code, _, stderr := runCmd("scan", "--edition", "E", "--data", data, "--shard", tt.shard)
		if code != exitError || !strings.Contains(stderr, tt.want) || !strings.Contains(stderr, "Usage:") {
			t.Errorf("--shard %s: exit %d, stderr %q; want 2 and %q", tt.shard, code, stderr, tt.want)
		}
		if _, err := os.Stat(filepath.Join(data, "editions")); err == nil {
			t.Errorf("--shard %s wrote a folder", tt.shard)
		}
	}
}

// TestMergeCommand scans a catalogue in three shards with the command (its
// procedures point to a closed port: they fail fast, which is a result
// too), and merges them: first with a shard missing, then whole.
func TestMergeCommand(t *testing.T) {
	needsChromium(t)
	closed := fixturetest.ClosedPortURL(t)
	// Shard 1/3 holds mobile, 2/3 good, 3/3 contact (FNV-1a).
	var procs []observatory.Procedure
	for _, id := range []string{"good", "mobile", "contact"} {
		procs = append(procs, observatory.Procedure{ID: id, URL: closed + id})
	}
	dir := t.TempDir()
	catPath := writeCatalogFile(t, dir, "merge test", procs)
	data := filepath.Join(dir, "data")
	scan := func(shard string) {
		code, stdout, stderr := runCmd("scan", "--edition", "E", "--data", data, "--catalog", catPath,
			"--shard", shard, "--probes", "0", "--no-axe", "--no-screenshots", "--timeout", "5s", "--concurrency", "1")
		if code != exitOK || !strings.Contains(stdout, "Edition E shard "+shard) {
			t.Fatalf("scan --shard %s: exit %d\n%s\n%s", shard, code, stdout, stderr)
		}
	}
	scan("1/3")
	scan("3/3")
	code, _, stderr := runCmd("merge", "--edition", "E", "--data", data, "--catalog", catPath)
	if code != exitError || !strings.Contains(stderr, "shard 2/3 missing") {
		t.Fatalf("merge without shard 2: exit %d, %q", code, stderr)
	}
	scan("2/3")
	code, stdout, stderr := runCmd("merge", "--edition", "E", "--data", data, "--catalog", catPath)
	if code != exitOK || !strings.Contains(stdout, "3 shards merged, 3 procedures") {
		t.Fatalf("merge: exit %d\n%s\n%s", code, stdout, stderr)
	}
	ed, err := edition.Load(data, "E")
	if err != nil || len(ed.Results) != 3 || ed.Meta.Failed != 3 || ed.Meta.CatalogSize != 3 {
		t.Fatalf("merged edition: %v %+v", err, ed)
	}
	// Merging a catalogue the shards did not scan is refused.
	code, _, stderr = runCmd("merge", "--edition", "E", "--data", data, "--replace")
	if code != exitError || !strings.Contains(stderr, "give merge the --catalog that scan had") {
		t.Errorf("merge with the built-in catalogue: exit %d, %q", code, stderr)
	}
}

// shellArgs expands a command line as sh would, with env set, and returns
// its words: the manifests' variables and arithmetic are evaluated for
// real.
func shellArgs(t *testing.T, line string, env ...string) []string {
	t.Helper()
	// "&&" is kept as a word, so that the commands it joins are not run.
	line = strings.ReplaceAll(line, "&&", "'&&'")
	cmd := exec.Command("sh", "-c", `eval "set -- $1"; printf '%s\n' "$@"`, "sh", line)
	cmd.Env = append([]string{"PATH=" + os.Getenv("PATH")}, env...)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("sh: %s: %v", line, err)
	}
	return strings.Split(strings.TrimSuffix(string(out), "\n"), "\n")
}

// observatoireArgs finds "observatoire NAME ..." in a shell line (which may
// hold several commands joined by &&) and returns the arguments after
// NAME, checking them with the command's own flags.
func observatoireArgs(t *testing.T, where, name string, words []string) map[string]string {
	t.Helper()
	i := slices.Index(words, "observatoire")
	for i >= 0 && (i+1 >= len(words) || words[i+1] != name) {
		j := slices.Index(words[i+1:], "observatoire")
		if j < 0 {
			i = -1
			break
		}
		i += 1 + j
	}
	if i < 0 {
		t.Fatalf("%s: no `observatoire %s` in %q", where, name, words)
	}
	args := words[i+2:]
	if end := slices.Index(args, "&&"); end >= 0 {
		args = args[:end]
	}
	var cmd *command
	for _, c := range commands() {
		if c.name == name {
			cmd = c
		}
	}
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(new(bytes.Buffer))
	cmd.flags(fs)
	if err := fs.Parse(args); err != nil || fs.NArg() > 0 {
		t.Fatalf("%s: observatoire %s %q: %v (arguments left: %q)", where, name, args, err, fs.Args())
	}
	got := map[string]string{}
	fs.Visit(func(f *flag.Flag) { got[f.Name] = f.Value.String() })
	return got
}

// checkShards checks that the --shard values of the N scan jobs are K/N
// for K = 1..N, each once.
func checkShards(t *testing.T, where string, shards []string) {
	t.Helper()
	n := len(shards)
	for k := 1; k <= n; k++ {
		if want := fmt.Sprintf("%d/%d", k, n); !slices.Contains(shards, want) {
			t.Errorf("%s: no job scans shard %s (got %v)", where, want, shards)
		}
	}
}

func readYAML(t *testing.T, name string) []map[string]any {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "..", "docs", "examples", name))
	if err != nil {
		t.Fatal(err)
	}
	var docs []map[string]any
	dec := yaml.NewDecoder(bytes.NewReader(data))
	for {
		var d map[string]any
		if err := dec.Decode(&d); err != nil {
			if errors.Is(err, io.EOF) {
				break
			}
			t.Fatalf("%s: %v", name, err)
		}
		docs = append(docs, d)
	}
	return docs
}

// dig walks nested maps and lists: dig(v, "spec", "template", 0).
func dig(t *testing.T, v any, path ...any) any {
	t.Helper()
	for _, p := range path {
		switch k := p.(type) {
		case string:
			m, ok := v.(map[string]any)
			if !ok {
				t.Fatalf("at %q: not a mapping in %v", k, path)
			}
			v = m[k]
		case int:
			l, ok := v.([]any)
			if !ok || k >= len(l) {
				t.Fatalf("at %d: not a list long enough in %v", k, path)
			}
			v = l[k]
		}
	}
	return v
}

func TestScalingManifestKubernetes(t *testing.T) {
	const name = "k8s-indexed-job.yaml"
	docs := readYAML(t, name)
	var scan, merge map[string]any
	for _, d := range docs {
		if d["kind"] != "Job" {
			continue
		}
		if dig(t, d, "spec", "completionMode") == "Indexed" {
			scan = d
		} else {
			merge = d
		}
	}
	if scan == nil || merge == nil {
		t.Fatalf("%s: want an Indexed Job and a merge Job", name)
	}
	completions, _ := dig(t, scan, "spec", "completions").(int)
	c := dig(t, scan, "spec", "template", "spec", "containers", 0)
	env := []string{}
	for _, e := range dig(t, c, "env").([]any) {
		env = append(env, fmt.Sprintf("%s=%s", dig(t, e, "name"), dig(t, e, "value")))
	}
	if !slices.Contains(env, fmt.Sprintf("SHARDS=%d", completions)) {
		t.Errorf("%s: SHARDS must equal completions (%d): %v", name, completions, env)
	}
	command := dig(t, c, "command").([]any)
	if len(command) != 3 || command[0] != "sh" || command[1] != "-c" {
		t.Fatalf("%s: scan command %v, want sh -c LINE", name, command)
	}
	var shards []string
	for i := range completions {
		words := shellArgs(t, command[2].(string), append(env, fmt.Sprintf("JOB_COMPLETION_INDEX=%d", i))...)
		f := observatoireArgs(t, name, "scan", words)
		if f["edition"] != "2026-Q4" || f["data"] != "/data" {
			t.Errorf("%s: scan flags %v", name, f)
		}
		shards = append(shards, f["shard"])
	}
	checkShards(t, name, shards)
	if completions < 2 {
		t.Errorf("%s: %d completions", name, completions)
	}
	mc := dig(t, merge, "spec", "template", "spec", "containers", 0)
	mline := dig(t, mc, "command").([]any)[2].(string)
	f := observatoireArgs(t, name, "merge", shellArgs(t, mline, "EDITION=2026-Q4"))
	if f["edition"] != "2026-Q4" || f["data"] != "/data" {
		t.Errorf("%s: merge flags %v", name, f)
	}
	observatoireArgs(t, name, "publish", shellArgs(t, mline, "EDITION=2026-Q4"))
	// Scan and merge share the volume, at the same place.
	for _, job := range []map[string]any{scan, merge} {
		if dig(t, job, "spec", "template", "spec", "volumes", 0, "persistentVolumeClaim", "claimName") != "observatoire-data" ||
			dig(t, job, "spec", "template", "spec", "containers", 0, "volumeMounts", 0, "mountPath") != "/data" {
			t.Errorf("%s: %s does not mount observatoire-data at /data", name, dig(t, job, "metadata", "name"))
		}
	}
}

func TestScalingManifestGitHubActions(t *testing.T) {
	const name = "github-actions-shards.yml"
	wf := readYAML(t, name)[0]
	matrix := dig(t, wf, "jobs", "scan", "strategy", "matrix", "shard").([]any)
	if dig(t, wf, "jobs", "scan", "strategy", "fail-fast") != false {
		t.Errorf("%s: want fail-fast: false", name)
	}
	var run, upload string
	for _, s := range dig(t, wf, "jobs", "scan", "steps").([]any) {
		step := s.(map[string]any)
		if r, ok := step["run"].(string); ok && strings.Contains(r, "observatoire scan") {
			run = r
		}
		if step["uses"] == "actions/upload-artifact@v4" {
			upload, _ = dig(t, step, "with", "path").(string)
		}
	}
	if !strings.Contains(run, "--shard ${{ matrix.shard }}/${{ strategy.job-total }}") {
		t.Fatalf("%s: scan step %q does not take its shard from the matrix", name, run)
	}
	var shards []string
	for _, k := range matrix {
		line := strings.NewReplacer("${{ matrix.shard }}", fmt.Sprint(k), "${{ strategy.job-total }}", fmt.Sprint(len(matrix))).Replace(run)
		f := observatoireArgs(t, name, "scan", shellArgs(t, line, "EDITION=E"))
		if f["edition"] != "E" || f["data"] != "data" {
			t.Errorf("%s: scan flags %v", name, f)
		}
		shards = append(shards, f["shard"])
	}
	checkShards(t, name, shards)
	if upload != "data/editions/" {
		t.Errorf("%s: the scan jobs upload %q, want data/editions/", name, upload)
	}
	if dig(t, wf, "jobs", "merge", "needs") != "scan" {
		t.Errorf("%s: merge must need scan", name)
	}
	var merged, published bool
	for _, s := range dig(t, wf, "jobs", "merge", "steps").([]any) {
		step := s.(map[string]any)
		if step["uses"] == "actions/download-artifact@v4" && dig(t, step, "with", "path") != "data/editions/" {
			t.Errorf("%s: the merge job downloads the shards to %v", name, dig(t, step, "with", "path"))
		}
		r, _ := step["run"].(string)
		if strings.Contains(r, "observatoire merge") {
			f := observatoireArgs(t, name, "merge", shellArgs(t, r, "EDITION=E"))
			merged = f["edition"] == "E" && f["data"] == "data"
		}
		if strings.Contains(r, "observatoire publish") {
			published = observatoireArgs(t, name, "publish", shellArgs(t, r))["data"] == "data"
		}
	}
	if !merged || !published {
		t.Errorf("%s: merge job: merged %v, published %v", name, merged, published)
	}
}

func TestScalingManifestGitLab(t *testing.T) {
	const name = "gitlab-ci-shards.yml"
	ci := readYAML(t, name)[0]
	parallel, _ := dig(t, ci, "scan", "parallel").(int)
	if parallel < 2 {
		t.Fatalf("%s: scan.parallel %v", name, dig(t, ci, "scan", "parallel"))
	}
	script := dig(t, ci, "scan", "script", 0).(string)
	if !strings.Contains(script, `--shard "$CI_NODE_INDEX/$CI_NODE_TOTAL"`) {
		t.Fatalf("%s: scan script %q", name, script)
	}
	var shards []string
	for k := 1; k <= parallel; k++ {
		f := observatoireArgs(t, name, "scan", shellArgs(t, script, "EDITION=E",
			fmt.Sprintf("CI_NODE_INDEX=%d", k), fmt.Sprintf("CI_NODE_TOTAL=%d", parallel)))
		if f["edition"] != "E" || f["data"] != "data" {
			t.Errorf("%s: scan flags %v", name, f)
		}
		shards = append(shards, f["shard"])
	}
	checkShards(t, name, shards)
	if dig(t, ci, "scan", "artifacts", "paths", 0) != "data/editions/" || dig(t, ci, "scan", "artifacts", "when") != "always" {
		t.Errorf("%s: scan artifacts %v", name, dig(t, ci, "scan", "artifacts"))
	}
	if needs := dig(t, ci, "merge", "needs").([]any); len(needs) != 1 || needs[0] != "scan" {
		t.Errorf("%s: merge needs %v", name, needs)
	}
	f := observatoireArgs(t, name, "merge", shellArgs(t, dig(t, ci, "merge", "script", 0).(string), "EDITION=E"))
	if f["edition"] != "E" || f["data"] != "data" {
		t.Errorf("%s: merge flags %v", name, f)
	}
	observatoireArgs(t, name, "publish", shellArgs(t, dig(t, ci, "pages", "script", 0).(string)))
}
