package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/observatoire-scanner/observatoire/criteria"
	"github.com/observatoire-scanner/observatoire/observatory"
	"github.com/observatoire-scanner/observatoire/observatory/edition"
)

// writeEdition stores a hand-made edition under DATA/editions/NAME.
func writeEdition(t *testing.T, data, name string, mobile map[string]criteria.Verdict) {
	t.Helper()
	dir := filepath.Join(data, "editions", name)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	meta, _ := json.Marshal(edition.Meta{Name: name, CatalogSize: len(mobile)})
	if err := os.WriteFile(filepath.Join(dir, "meta.json"), meta, 0o644); err != nil {
		t.Fatal(err)
	}
	var lines bytes.Buffer
	for _, id := range []string{"1", "2"} {
		r := observatory.Result{Procedure: observatory.Procedure{ID: id}, Title: "Démarche " + id, Outcome: observatory.Measured,
			Assessment: &observatory.Assessment{Criteria: criteria.Results{criteria.IDMobile: mobile[id]}}}
		b, _ := json.Marshal(r)
		lines.Write(append(b, '\n'))
	}
	if err := os.WriteFile(filepath.Join(dir, "results.jsonl"), lines.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestDiffCommand(t *testing.T) {
	data := t.TempDir()
	no := criteria.Verdict{Level: criteria.Bad, Label: "Non"}
	yes := criteria.Verdict{Level: criteria.Good, Label: "Oui"}
	writeEdition(t, data, "2026-Q3", map[string]criteria.Verdict{"1": no, "2": no})
	writeEdition(t, data, "2026-Q4", map[string]criteria.Verdict{"1": yes, "2": no})

	code, out, errs := runCmd("diff", "--data", data, "2026-Q3", filepath.Join(data, "editions", "2026-Q4"))
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for _, want := range []string{"Compatible mobile", "100,0 % → 50,0 % (-50,0 pt)", "0,0 % → 50,0 % (+50,0 pt)",
		"1 procedures changed", "1 Démarche 1\n  mobile: Non -> Oui\n"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	code, out, _ = runCmd("diff", "--data", data, "--format", "json", "2026-Q3", "2026-Q4")
	var d edition.Diff
	if code != 0 || json.Unmarshal([]byte(out), &d) != nil || len(d.Procedures) != 1 || d.Procedures[0].Changes[0].To != "Oui" {
		t.Errorf("json: exit %d %s", code, out)
	}
	if code, _, errs := runCmd("diff", "--data", data, "2026-Q3", "2027-Q1"); code != exitError || !strings.Contains(errs, "2027-Q1") {
		t.Errorf("missing edition: exit %d %s", code, errs)
	}
}

func TestCatalogCommand(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.yaml")
	os.WriteFile(bad, []byte("procedures:\n  - id: a\n    url: file:///etc/passwd\n    colour: blue\n"), 0o644)
	code, _, errs := runCmd("catalog", "validate", bad)
	if code != exitError || !strings.Contains(errs, bad+":3: url: scheme \"file\" refused") || !strings.Contains(errs, bad+":4: unknown key \"colour\"") {
		t.Errorf("validate: exit %d\n%s", code, errs)
	}
	csvOut := filepath.Join(dir, "out.yaml")
	code, _, errs = runCmd("catalog", "import", "--csv", "../../observatory/catalog/testdata/observatoire.csv", "-o", csvOut)
	if code != 0 || !strings.Contains(errs, "warning: ") {
		t.Fatalf("import: exit %d %s", code, errs)
	}
	code, out, errs := runCmd("catalog", "validate", csvOut)
	if code != 0 || !strings.Contains(out, "3 procedures") {
		t.Errorf("validate import: exit %d %s %s", code, out, errs)
	}
	code, out, _ = runCmd("catalog", "show")
	if code != 0 || strings.Count(out, "- id: ") != 258 {
		t.Errorf("show: exit %d, %d procedures", code, strings.Count(out, "- id: "))
	}
}
