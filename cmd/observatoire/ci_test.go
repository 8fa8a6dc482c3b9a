package main

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/observatoire-scanner/observatoire/fixtures"
	"github.com/observatoire-scanner/observatoire/fixtures/fixturetest"
	"github.com/observatoire-scanner/observatoire/observatory/gate"
)

// ciRun runs `observatoire ci ARGS` in dir and returns the exit code and
// what it printed.
func ciRun(t *testing.T, dir string, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	wd, _ := os.Getwd()
	if err := os.Chdir(dir); err != nil {
		t.Fatal(err)
	}
	defer os.Chdir(wd)
	all := append([]string{"ci", "--timeout", "15s", "--page-timeout", "60s", "--concurrency", "2"}, args...)
	code := run(ctx, &env{stdout: &out, stderr: &errOut}, all)
	return code, out.String(), errOut.String()
}

// ciConfig writes .observatoire.yml into a new folder and returns it.
func ciConfig(t *testing.T, yaml string) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, ".observatoire.yml"), []byte(yaml), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

// ciBaseline makes a baseline of slot serving page.
func ciBaseline(t *testing.T, web *fixtures.Server, dir, slot, page string) {
	t.Helper()
	web.SetCIPage(slot, page)
	code, out, errOut := ciRun(t, dir, "--update-baseline", web.Page("/ci/"+slot))
	if code != exitOK {
		t.Fatalf("--update-baseline: exit %d\n%s\n%s", code, out, errOut)
	}
	if !strings.Contains(out, ".observatoire-baseline.json") {
		t.Errorf("--update-baseline printed %q", out)
	}
}

func TestCIGate(t *testing.T) {
	needsChromium(t)
	web := fixturetest.Web(t)
	tests := []struct {
		name      string
		config    string // extra config (the URL is given on the command line)
		baseline  string // page served when the baseline is made
		now       string // page served for the gate's run
		wantCode  int
		wantOut   []string
		wantNoOut []string
	}{
		{name: "unchanged", baseline: "ci-base.html", now: "ci-base.html", wantCode: exitOK,
			wantOut: []string{"Nouvelles violations (0)", "Violations toujours présentes (1)", "image-alt", "RÉUSSI"}},
		{name: "new violation", baseline: "ci-base.html", now: "ci-new-violation.html", wantCode: exitGate,
			wantOut: []string{"Nouvelles violations (1)", "button-name", "[new-violation]", "correction : ", "ÉCHEC"}},
		{name: "fixed", baseline: "ci-base.html", now: "ci-fixed.html", wantCode: exitOK,
			wantOut: []string{"Violations corrigées (1)", "✓ image-alt", "RÉUSSI"}},
		{name: "franceconnect lost", baseline: "ci-base.html", now: "ci-no-franceconnect.html", wantCode: exitGate,
			wantOut: []string{"Critères dégradés (1)", "franceconnect (Identification FranceConnect) : good → bad", "[worse-criterion]"}},
		{name: "statement mention lost", baseline: "ci-base.html", now: "ci-no-statement.html", wantCode: exitGate,
			wantOut: []string{"[statement]", "la référence montrait « partiellement conforme »"}},
		{name: "accepted until a future date", baseline: "ci-base.html", now: "ci-new-violation.html", wantCode: exitOK,
			config:  "accepted:\n  - rule: button-name\n    reason: bouton de fermeture refait au prochain sprint\n    expires: 2999-12-31\n",
			wantOut: []string{"accepté jusqu'au 2999-12-31", "RÉUSSI"}},
		{name: "expired acceptance", baseline: "ci-base.html", now: "ci-new-violation.html", wantCode: exitGate,
			config:  "accepted:\n  - rule: button-name\n    reason: bouton de fermeture refait au prochain sprint\n    expires: 2020-01-31\n",
			wantOut: []string{"ACCEPTATION EXPIRÉE le 2020-01-31", "[expired-acceptance]"}},
		{name: "rules off", baseline: "ci-base.html", now: "ci-no-statement.html", wantCode: exitOK,
			config:  "rules:\n  statement: false\n  worse_criteria: false\n",
			wantOut: []string{"RÉUSSI"}},
		{name: "cap per impact", baseline: "ci-base.html", now: "ci-base.html", wantCode: exitGate,
			config:  "rules:\n  max_violations: {critical: 0}\n",
			wantOut: []string{"[max-violations]", "impact critical, maximum 0"}},
		// A finding is its element, not axe's selector for it (docs/ci.md).
		{name: "second image beside the first", baseline: "ci-base.html", now: "ci-twin.html", wantCode: exitGate,
			wantOut: []string{"Nouvelles violations (1)", "Violations corrigées (0)", "Violations toujours présentes (1)", "famille.svg", "[new-violation]"}},
		{name: "the same image twice", baseline: "ci-base.html", now: "ci-twin-same.html", wantCode: exitGate,
			wantOut: []string{"Nouvelles violations (1)", "Violations corrigées (0)", "Violations toujours présentes (1)", "[new-violation]"}},
		{name: "paragraphs inserted and blocks wrapped above", baseline: "ci-base.html", now: "ci-moved.html", wantCode: exitOK,
			wantOut: []string{"Nouvelles violations (0)", "Violations corrigées (0)", "Violations toujours présentes (1)", "RÉUSSI"}},
		{name: "image src changed", baseline: "ci-base.html", now: "ci-new-src.html", wantCode: exitGate,
			wantOut: []string{"Nouvelles violations (1)", "Violations corrigées (1)", "Violations toujours présentes (0)", "famille.svg", "[new-violation]"}},
		{name: "twin made before the baseline", baseline: "ci-twin.html", now: "ci-base.html", wantCode: exitOK,
			wantOut: []string{"Nouvelles violations (0)", "Violations corrigées (1)", "Violations toujours présentes (1)", "RÉUSSI"}},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			slot := fmt.Sprintf("gate%d", i)
			dir := ciConfig(t, tt.config)
			ciBaseline(t, web, dir, slot, tt.baseline)
			web.SetCIPage(slot, tt.now)
			code, out, errOut := ciRun(t, dir, web.Page("/ci/"+slot))
			if code != tt.wantCode {
				t.Errorf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, tt.wantCode, out, errOut)
			}
			for _, w := range tt.wantOut {
				if !strings.Contains(out, w) {
					t.Errorf("stdout lacks %q:\n%s", w, out)
				}
			}
		})
	}
}

// TestCILegacyBaseline: a baseline of version 1, whose findings were
// known by axe's selector, still gates; --update-baseline rewrites it as
// version 2 and keeps its fingerprints, which acceptances name.
func TestCILegacyBaseline(t *testing.T) {
	web := fixturetest.Web(t)
	dir := ciConfig(t, "")
	web.SetCIPage("legacy", "ci-base.html")
	// The selector the version-1 gate stored: the run's own, normalised.
	code, out, errOut := ciRun(t, dir, "--json", "first.json", web.Page("/ci/legacy"))
	if code != exitGate {
		t.Fatalf("no baseline: exit %d\n%s\n%s", code, out, errOut)
	}
	first := readReport(t, filepath.Join(dir, "first.json"))
	if len(first.New) != 1 || first.New[0].Rule != "image-alt" {
		t.Fatalf("first run: %+v", first)
	}
	sel := first.New[0].Selector
	oldFP := gate.Fingerprint("image-alt", "/ci/legacy", sel)
	v1 := fmt.Sprintf(`{"version": 1, "updated": "2026-10-01T00:00:00Z", "method": "x",
  "pages": [{"page": "/ci/legacy", "criteria": {"franceconnect": "good"}, "accessibility_mention": "partiellement conforme"}],
  "findings": [{"fingerprint": %q, "rule": "image-alt", "impact": "critical", "page": "/ci/legacy", "selector": %q}]}`, oldFP, sel)
	if err := os.WriteFile(filepath.Join(dir, ".observatoire-baseline.json"), []byte(v1), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, ".observatoire.yml"), []byte("accepted:\n  - fingerprint: "+oldFP+"\n    reason: illustration refaite\n    expires: 2999-12-31\n"), 0o644); err != nil {
		t.Fatal(err)
	}

	web.SetCIPage("legacy", "ci-twin.html")
	code, out, errOut = ciRun(t, dir, "--json", "legacy.json", web.Page("/ci/legacy"))
	if code != exitGate || !strings.Contains(out, "Nouvelles violations (1)") || !strings.Contains(out, "Violations corrigées (0)") {
		t.Errorf("version-1 baseline, twin added: exit %d, want %d\n%s\n%s", code, exitGate, out, errOut)
	}
	rep := readReport(t, filepath.Join(dir, "legacy.json"))
	if len(rep.Present) != 1 || rep.Present[0].Fingerprint != oldFP || rep.Present[0].Accepted == "" {
		t.Errorf("the known image keeps its version-1 fingerprint %s and its acceptance: %+v", oldFP, rep.Present)
	}

	code, out, errOut = ciRun(t, dir, "--update-baseline", web.Page("/ci/legacy"))
	if code != exitOK || !strings.Contains(out, "empreintes reprises de l'ancienne référence : 1 sur 2") {
		t.Fatalf("--update-baseline over version 1: exit %d\n%s\n%s", code, out, errOut)
	}
	b, err := gate.LoadBaseline(filepath.Join(dir, ".observatoire-baseline.json"))
	if err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(filepath.Join(dir, ".observatoire-baseline.json"))
	kept := 0
	for _, f := range b.Findings {
		if f.Element == nil {
			t.Errorf("migrated finding without element: %+v", f)
		}
		if f.Fingerprint == oldFP {
			kept++
			// The scanner gives axe's ancestry; the gate drops its indexes.
			if f.Element == nil || f.Element.File != "logement.svg" || f.Element.Tag != "img" || f.Element.Path != "html > body > main > p > img" {
				t.Errorf("the old fingerprint went to another element: %+v", f.Element)
			}
		}
	}
	if kept != 1 || !strings.Contains(string(data), `"version": 2`) {
		t.Errorf("migrated baseline keeps the old fingerprint %d time(s), want 1:\n%s", kept, data)
	}
	code, out, errOut = ciRun(t, dir, web.Page("/ci/legacy"))
	if code != exitOK || !strings.Contains(out, "Nouvelles violations (0)") {
		t.Errorf("after migration: exit %d\n%s\n%s", code, out, errOut)
	}
}

// readReport reads a --json report of `observatoire ci`.
func readReport(t *testing.T, path string) *gate.Report {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var r gate.Report
	if err := json.Unmarshal(data, &r); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return &r
}

// TestCIOtherPort checks that a baseline made against one port matches a
// run against another (CI starts the app on a port of its own).
func TestCIOtherPort(t *testing.T) {
	needsChromium(t)
	web := fixturetest.Web(t)
	dir := ciConfig(t, "")
	ciBaseline(t, web, dir, "port", "ci-base.html")
	other, err := fixtures.Start()
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	code, out, errOut := ciRun(t, dir, other.Page("/ci/port"))
	if code != exitOK || !strings.Contains(out, "Nouvelles violations (0)") {
		t.Errorf("exit %d on another port:\n%s\n%s", code, out, errOut)
	}

	// The same page on another port gives the same baseline file, but
	// for its "updated" line.
	dir2 := ciConfig(t, "")
	if code, out, errOut := ciRun(t, dir2, "--update-baseline", other.Page("/ci/port")); code != exitOK {
		t.Fatalf("--update-baseline: exit %d\n%s\n%s", code, out, errOut)
	}
	strip := func(d string) string {
		data, err := os.ReadFile(filepath.Join(d, ".observatoire-baseline.json"))
		if err != nil {
			t.Fatal(err)
		}
		var keep []string
		for _, l := range strings.Split(string(data), "\n") {
			if !strings.Contains(l, `"updated"`) {
				keep = append(keep, l)
			}
		}
		return strings.Join(keep, "\n")
	}
	if a, b := strip(dir), strip(dir2); a != b {
		t.Errorf("baselines differ across ports:\n%s\n---\n%s", a, b)
	} else if strings.Contains(a, "127.0.0.1") {
		t.Errorf("baseline names the host:\n%s", a)
	}
}

// TestCIOutputs checks the files a pipeline reads on a failing run.
func TestCIOutputs(t *testing.T) {
	needsChromium(t)
	web := fixturetest.Web(t)
	dir := ciConfig(t, "")
	ciBaseline(t, web, dir, "outputs", "ci-base.html")
	web.SetCIPage("outputs", "ci-new-violation.html")
	code, out, errOut := ciRun(t, dir, "--junit", "junit.xml", "--sarif", "gate.sarif", "--json", "gate.json", "--markdown", "gate.md", web.Page("/ci/outputs"))
	if code != exitGate {
		t.Fatalf("exit %d, want %d\n%s\n%s", code, exitGate, out, errOut)
	}
	read := func(name string) []byte {
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		return data
	}

	var log struct {
		Version string `json:"version"`
		Runs    []struct {
			Results []struct {
				RuleID    string `json:"ruleId"`
				Level     string `json:"level"`
				Locations []struct {
					PhysicalLocation struct {
						ArtifactLocation struct {
							URI string `json:"uri"`
						} `json:"artifactLocation"`
					} `json:"physicalLocation"`
					LogicalLocations []struct {
						FullyQualifiedName string `json:"fullyQualifiedName"`
					} `json:"logicalLocations"`
				} `json:"locations"`
			} `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal(read("gate.sarif"), &log); err != nil {
		t.Fatal(err)
	}
	if log.Version != "2.1.0" || len(log.Runs) != 1 || len(log.Runs[0].Results) != 1 {
		t.Fatalf("SARIF: %+v", log)
	}
	res := log.Runs[0].Results[0]
	if res.RuleID != "button-name" || res.Level != "error" || len(res.Locations) != 1 ||
		res.Locations[0].PhysicalLocation.ArtifactLocation.URI != web.Page("/ci/outputs") ||
		len(res.Locations[0].LogicalLocations) != 1 || res.Locations[0].LogicalLocations[0].FullyQualifiedName == "" {
		t.Errorf("SARIF result: %+v", res)
	}

	var suites struct {
		XMLName  xml.Name `xml:"testsuites"`
		Failures int      `xml:"failures,attr"`
		Suites   []struct {
			Name  string `xml:"name,attr"`
			Cases []struct {
				Name    string `xml:"name,attr"`
				Failure *struct {
					Type string `xml:"type,attr"`
					Text string `xml:",chardata"`
				} `xml:"failure"`
			} `xml:"testcase"`
		} `xml:"testsuite"`
	}
	if err := xml.Unmarshal(read("junit.xml"), &suites); err != nil {
		t.Fatal(err)
	}
	if suites.Failures != 1 {
		t.Errorf("JUnit: %d failures, want 1", suites.Failures)
	}
	found := false
	for _, s := range suites.Suites {
		for _, c := range s.Cases {
			if c.Failure != nil {
				found = s.Name == "/ci/outputs" && c.Failure.Type == "new-violation" && strings.Contains(c.Failure.Text, "button-name")
			}
		}
	}
	if !found {
		t.Errorf("JUnit has no new-violation failure for /ci/outputs:\n%s", read("junit.xml"))
	}

	var rep struct {
		Pass bool `json:"pass"`
		New  []struct {
			Rule string `json:"rule"`
		} `json:"new"`
	}
	if err := json.Unmarshal(read("gate.json"), &rep); err != nil {
		t.Fatal(err)
	}
	if rep.Pass || len(rep.New) != 1 || rep.New[0].Rule != "button-name" {
		t.Errorf("JSON report: %+v", rep)
	}
	if md := string(read("gate.md")); !strings.Contains(md, "❌") || !strings.Contains(md, "button-name") {
		t.Errorf("Markdown:\n%s", md)
	}
}

// TestCIFlaky: an element present on one load of three is not a finding
// with --runs 3, and is reported as flipping; with one run it fails.
func TestCIFlaky(t *testing.T) {
	needsChromium(t)
	web := fixturetest.Web(t)
	dir := ciConfig(t, "")
	web.SetCIFlaky("flaky", ".")
	ciBaseline(t, web, dir, "flaky", "ci-flaky.html")

	web.SetCIFlaky("flaky", "x..")
	code, out, errOut := ciRun(t, dir, "--runs", "3", web.Page("/ci/flaky"))
	if code != exitOK {
		t.Errorf("--runs 3: exit %d, want 0\n%s\n%s", code, out, errOut)
	}
	if !strings.Contains(out, "Instables") || !strings.Contains(out, "present, absent, absent → retenu absent") {
		t.Errorf("--runs 3 does not report the flip:\n%s", out)
	}

	web.SetCIFlaky("flaky", "x")
	code, out, _ = ciRun(t, dir, web.Page("/ci/flaky"))
	if code != exitGate || !strings.Contains(out, "image-alt") {
		t.Errorf("one run with the element: exit %d, want %d\n%s", code, exitGate, out)
	}
}

// TestCIScanErrors: a gate that cannot scan or read its config exits 2,
// never 0.
func TestCIScanErrors(t *testing.T) {
	needsChromium(t)
	closed := fixturetest.ClosedPortURL(t) + "demarche"

	code, out, errOut := ciRun(t, t.TempDir(), closed)
	if code != exitError || !strings.Contains(errOut, "could not run") {
		t.Errorf("closed port: exit %d, want %d\n%s\n%s", code, exitError, out, errOut)
	}

	dir := ciConfig(t, "urls:\n  - url: "+closed+"\nrules:\n  new_violation: true\n")
	code, _, errOut = ciRun(t, dir)
	if code != exitError || !strings.Contains(errOut, ".observatoire.yml:4: unknown key \"new_violation\"") {
		t.Errorf("misspelt rule: exit %d, want %d\n%s", code, exitError, errOut)
	}

	code, _, errOut = ciRun(t, t.TempDir(), "--config", "missing.yml", closed)
	if code != exitError || !strings.Contains(errOut, "missing.yml") {
		t.Errorf("missing --config file: exit %d\n%s", code, errOut)
	}
}

// TestCIExamples parses the pipeline examples of docs/examples and checks
// that they install Debian's chromium and run `observatoire ci` with flags
// that exist.
func TestCIExamples(t *testing.T) {
	var ci *command
	for _, c := range commands() {
		if c.name == "ci" {
			ci = c
		}
	}
	if ci == nil {
		t.Fatal("no ci command")
	}
	fs := flag.NewFlagSet("ci", flag.ContinueOnError)
	ci.flags(fs)
	for _, tt := range []struct {
		file string
		want []string
	}{
		{"github-actions.yml", []string{"apt-get install -y --no-install-recommends chromium", "github/codeql-action/upload-sarif@v3", "--sarif observatoire.sarif", "sarif_file: observatoire.sarif"}},
		{"gitlab-ci.yml", []string{"apt-get install -y --no-install-recommends chromium", "junit: observatoire-junit.xml", "--junit observatoire-junit.xml"}},
	} {
		t.Run(tt.file, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join("..", "..", "docs", "examples", tt.file))
			if err != nil {
				t.Fatal(err)
			}
			var doc any
			if err := yaml.Unmarshal(data, &doc); err != nil {
				t.Fatalf("%s: %v", tt.file, err)
			}
			var all []string
			var walk func(v any)
			walk = func(v any) {
				switch v := v.(type) {
				case map[string]any:
					for k, x := range v {
						all = append(all, k)
						walk(x)
					}
				case []any:
					for _, x := range v {
						walk(x)
					}
				case string:
					all = append(all, v)
				}
			}
			walk(doc)
			runs := 0
			for _, s := range all {
				for _, line := range strings.Split(s, "\n") {
					_, rest, ok := strings.Cut(line, "observatoire ci")
					if !ok {
						continue
					}
					runs++
					for _, w := range strings.Fields(rest) {
						name, ok := strings.CutPrefix(w, "--")
						if !ok {
							continue
						}
						name, _, _ = strings.Cut(name, "=")
						if fs.Lookup(name) == nil {
							t.Errorf("%s: observatoire ci has no flag --%s", tt.file, name)
						}
					}
				}
			}
			if runs == 0 {
				t.Errorf("%s never runs observatoire ci", tt.file)
			}
			for _, w := range append(tt.want, "go install github.com/observatoire-scanner/observatoire/cmd/observatoire") {
				// Lines of a folded block are compared as one: spaces only.
				if !strings.Contains(strings.Join(strings.Fields(string(data)), " "), w) {
					t.Errorf("%s lacks %q", tt.file, w)
				}
			}
		})
	}
}
