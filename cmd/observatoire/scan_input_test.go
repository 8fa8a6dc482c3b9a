package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/observatoire-scanner/observatoire/observatory"
	"github.com/observatoire-scanner/observatoire/observatory/catalog"
)

// TestScanRefusesBadCatalog runs scan on bad catalogues: each is refused
// with exit 2 and a message naming the file (and line, where there is
// one), before any browser starts or any folder is made.
func TestScanRefusesBadCatalog(t *testing.T) {
	dir := t.TempDir()
	const good = "    url: http://127.0.0.1:1/\n"
	for _, c := range []struct {
		name, data, want string
	}{
		{"malformed yaml", "procedures:\n  - id: a\n    url: [\n", ":3: did not find expected node content"},
		{"wrong type", "procedures:\n  - id: a\n" + good + "    volume: many\n", `:4: want an integer, got text "many"`},
		{"unknown key", "procedures:\n  - id: a\n" + good + "    titel: x\n", `:4: unknown key "titel"`},
		{"duplicate id", "procedures:\n  - id: a\n" + good + "  - id: a\n" + good, `:4: duplicate id "a"`},
		{"not utf-8", "procedures:\n  - id: a\n    title: D\xe9clarer\n" + good, ":3: "},
		{"file url", "procedures:\n  - id: a\n    url: file:///etc/passwd\n", `:3: url: scheme "file" refused`},
		{"javascript url", "procedures:\n  - id: a\n    url: javascript:alert(1)\n", `:3: url: scheme "javascript" refused`},
		{"chrome url", "procedures:\n  - id: a\n    url: chrome://settings\n", `:3: url: scheme "chrome" refused`},
		{"data url", "procedures:\n  - id: a\n    url: data:text/html,hi\n", `:3: url: scheme "data" refused`},
		{"huge file", "procedures:\n" + strings.Repeat("# padding\n", catalog.MaxSize/10+1), ": over the 32 MiB limit of a catalogue"},
	} {
		t.Run(c.name, func(t *testing.T) {
			path := filepath.Join(dir, strings.ReplaceAll(c.name, " ", "-")+".yaml")
			if err := os.WriteFile(path, []byte(c.data), 0o644); err != nil {
				t.Fatal(err)
			}
			data := filepath.Join(dir, "data-"+strings.ReplaceAll(c.name, " ", "-"))
			code, out, errs := runCmd("scan", "--catalog", path, "--data", data, "--edition", "bad", "--chrome", filepath.Join(dir, "no-browser"))
			if code != exitError || !strings.Contains(errs, path+c.want) {
				t.Errorf("exit %d, stderr %q; want exit 2 and %q", code, errs, path+c.want)
			}
			if out != "" {
				t.Errorf("stdout %q, want nothing", out)
			}
			if _, err := os.Stat(data); !os.IsNotExist(err) {
				t.Errorf("the data folder was made (%v): something was scanned or written", err)
			}
		})
	}
}

// TestScanRefusesBadImports: a missing imports folder stops scan, naming
// it, before anything is scanned. (A malformed figure file is skipped with
// a warning: observatory's TestLoadImportsFaults.)
func TestScanRefusesBadImports(t *testing.T) {
	dir := t.TempDir()
	cat := writeCatalogFile(t, dir, "imports test", []observatory.Procedure{{ID: "a", URL: "http://127.0.0.1:1/", JDMAID: "7"}})
	data := filepath.Join(dir, "data")
	code, _, errs := runCmd("scan", "--catalog", cat, "--data", data, "--edition", "bad", "--data-import", filepath.Join(dir, "missing"), "--chrome", filepath.Join(dir, "no-browser"))
	if code != exitError || !strings.Contains(errs, filepath.Join(dir, "missing")) {
		t.Errorf("missing imports: exit %d, stderr %q", code, errs)
	}
	if _, err := os.Stat(data); !os.IsNotExist(err) {
		t.Errorf("the data folder was made (%v)", err)
	}
}
