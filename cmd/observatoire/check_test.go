package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/observatoire-scanner/observatoire/criteria"
	"github.com/observatoire-scanner/observatoire/fixtures/fixturetest"
)

func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestCheckUsageErrors(t *testing.T) {
	empty := writeFile(t, "jdma.json", "")
	for _, c := range []struct {
		name string
		args []string
		want string
	}{
		{"no URL", []string{"check"}, "no URL"},
		{"bad format", []string{"check", "--format", "xml", "http://127.0.0.1:1/"}, "--format"},
		{"unknown declared key", []string{"check", "--declared", "colour=red", "http://127.0.0.1:1/"}, "unknown key"},
		{"declared without value", []string{"check", "--declared", "online", "http://127.0.0.1:1/"}, "KEY=VALUE"},
		{"bad online value", []string{"check", "--declared", "online=peut-etre", "http://127.0.0.1:1/"}, "online"},
		{"bad franceconnect value", []string{"check", "--declared", "franceconnect=oui", "http://127.0.0.1:1/"}, "franceconnect"},
		{"bad dlnuf value", []string{"check", "--declared", "dlnuf=-1", "http://127.0.0.1:1/"}, "dlnuf"},
		{"bad rgaa rate", []string{"check", "--declared", "rgaa_rate=140", "http://127.0.0.1:1/"}, "rgaa_rate"},
		{"bad support", []string{"check", "--declared", "support=deux", "http://127.0.0.1:1/"}, "support"},
		{"login url with two URLs", []string{"check", "--login-url", "http://127.0.0.1:1/l", "http://127.0.0.1:1/a", "http://127.0.0.1:1/b"}, "single URL"},
		{"empty jdma file", []string{"check", "--jdma", empty, "http://127.0.0.1:1/"}, "empty file"},
		{"missing updown file", []string{"check", "--updown", filepath.Join(t.TempDir(), "none.json"), "http://127.0.0.1:1/"}, "no such file"},
	} {
		code, _, stderr := runCmd(c.args...)
		if code != exitError || !strings.Contains(stderr, c.want) {
			t.Errorf("%s: exit %d, stderr %q; want exit 2 naming %q", c.name, code, stderr, c.want)
		}
	}
}

func TestParseDeclared(t *testing.T) {
	d, err := parseDeclared([]string{"online=partiel", "franceconnect=franceconnect-plus", "dlnuf=3", "rgaa_rate=81", "support=2"})
	if err != nil {
		t.Fatal(err)
	}
	if d.Online != "partiel" || d.FranceConnect != "franceconnect-plus" || *d.DLNUF != 3 || *d.RGAARate != 81 || *d.Support != 2 {
		t.Errorf("got %+v", d)
	}
	d, err = parseDeclared([]string{"dlnuf=not-applicable"})
	if err != nil || !d.DLNUFNotApplicable {
		t.Errorf("dlnuf=not-applicable: %+v, %v", d, err)
	}
}

// TestCheckJSON scans fixture pages with Chromium and checks the JSON
// document's shape.
func TestCheckJSON(t *testing.T) {
	if testing.Short() {
		t.Skip("scans with Chromium")
	}
	web := fixturetest.Web(t)
	jdma := writeFile(t, "jdma.json", `{"data":{"satisfaction":7.14},"metadata":{"satisfaction_count":1642}}`)
	updown := writeFile(t, "updown.json", `{"uptime":99.95,"timings":{"response":152},"requests":{"samples":1923}}`)
	code, out, stderr := runCmd("check", "--format", "json", "--timeout", "15s", "--concurrency", "2",
		"--jdma", jdma, "--updown", updown, "--declared", "dlnuf=3", "--declared", "support=1",
		"--login-url", web.Page("login-fc.html"), web.Page("support-start.html"))
	if code != exitOK {
		t.Fatalf("exit %d, stderr %s", code, stderr)
	}
	var doc struct {
		Method       string            `json:"method"`
		ToolVersions map[string]string `json:"tool_versions"`
		Results      []struct {
			URL      string                     `json:"url"`
			Status   string                     `json:"status"`
			Criteria map[string]json.RawMessage `json:"criteria"`
			// Accessibility comes from criteria.AccessibilityReport.
			Accessibility map[string]json.RawMessage `json:"accessibility"`
			Pages         map[string]struct {
				URL         string                     `json:"url"`
				Screenshots map[string]json.RawMessage `json:"screenshots"`
			} `json:"pages"`
		} `json:"results"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	if doc.Method != criteria.MethodVersion || doc.ToolVersions["browser"] == "" || doc.ToolVersions["axe"] == "" || doc.ToolVersions["scanner"] == "" {
		t.Errorf("method %q, tool versions %v", doc.Method, doc.ToolVersions)
	}
	if len(doc.Results) != 1 {
		t.Fatalf("%d results", len(doc.Results))
	}
	r := doc.Results[0]
	if r.URL != web.Page("support-start.html") || r.Status != "ok" {
		t.Errorf("url %q status %q", r.URL, r.Status)
	}
	for _, id := range criteria.IDs {
		var v map[string]json.RawMessage
		if err := json.Unmarshal(r.Criteria[string(id)], &v); err != nil {
			t.Errorf("criterion %s: %v", id, err)
			continue
		}
		for _, k := range []string{"level", "label", "value", "evidence"} {
			if _, ok := v[k]; !ok {
				t.Errorf("criterion %s has no %q", id, k)
			}
		}
	}
	want := map[string]string{"satisfaction": `"7,1/10"`, "franceconnect": `"FranceConnect"`, "dlnuf": `"Partiel"`, "support": `"Partiel"`}
	for id, label := range want {
		var v struct {
			Label json.RawMessage `json:"label"`
		}
		_ = json.Unmarshal(r.Criteria[id], &v)
		if string(v.Label) != label {
			t.Errorf("%s: label %s, want %s", id, v.Label, label)
		}
	}
	if _, ok := r.Accessibility["declaration"]; !ok {
		t.Errorf("accessibility has no declaration: %v", r.Accessibility)
	}
	if _, ok := r.Accessibility["violations"]; !ok {
		t.Errorf("accessibility has no violations: %v", r.Accessibility)
	}
	if r.Pages["start"].URL == "" || r.Pages["login"].URL != web.Page("login-fc.html") || r.Pages["contact"].URL == "" {
		t.Errorf("pages: %+v", r.Pages)
	}
	for role, p := range r.Pages {
		if len(p.Screenshots) != 0 {
			t.Errorf("page %s carries screenshots", role)
		}
	}
}

// TestCheckTable checks the table, the details and the exit code of a
// start page that cannot be reached.
func TestCheckTable(t *testing.T) {
	if testing.Short() {
		t.Skip("scans with Chromium")
	}
	web := fixturetest.Web(t)
	closed := fixturetest.ClosedPortURL(t)
	code, out, stderr := runCmd("check", "--timeout", "10s", "--no-axe", web.Page("fc-proconnect.html"), closed)
	if code != exitError || !strings.Contains(stderr, "1 of 2 pages could not be scanned") {
		t.Errorf("exit %d, stderr %q; want 2 for the closed port", code, stderr)
	}
	for _, s := range []string{"En ligne", "FranceConnect", "Aide joignable", "Identification FranceConnect : Non\n", "Erreur réseau (Non mesuré)", "ProConnect", "Correctif :", "Erreur réseau"} {
		if !strings.Contains(out, s) {
			t.Errorf("output lacks %q:\n%s", s, out)
		}
	}
	if strings.Contains(out, "\x1b[") {
		t.Error("ANSI colours when stdout is not a terminal")
	}
}
