package catalog

import (
	"bytes"
	"os"
	"strings"
	"testing"
)

const realData = "/work/shared/data/observatoire-2026-08"

func TestImportTSVReal(t *testing.T) {
	f, err := os.Open(realData + "/procedures.tsv")
	if err != nil {
		t.Skipf("real data absent: %v", err)
	}
	defer f.Close()
	procs, warns, err := ImportTSV("procedures.tsv", f)
	if err != nil {
		t.Fatal(err)
	}
	if len(warns) > 0 {
		t.Errorf("warnings: %v", warns)
	}
	urls := map[string]bool{}
	for _, p := range procs {
		urls[p.URL] = true
	}
	if len(procs) != 258 || len(urls) != 182 {
		t.Errorf("%d procedures, %d URLs; want 258 and 182", len(procs), len(urls))
	}
	if p := procs[0]; p.ID != "44" || p.JDMAID != "44" || !strings.HasPrefix(p.URL, "https://assure.ameli.fr/") {
		t.Errorf("first procedure %+v", p)
	}
	// The written catalogue loads back the same, and is the embedded one.
	var buf bytes.Buffer
	if err := Write(&buf, "Catalogue of 258 procedures, imported from procedures.tsv by\n`observatoire catalog import`. Format: docs/catalog.md.", procs); err != nil {
		t.Fatal(err)
	}
	cat, err := Parse("out.yaml", buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if len(cat.Procedures) != 258 {
		t.Errorf("reloaded %d procedures", len(cat.Procedures))
	}
	if !bytes.Equal(buf.Bytes(), DefaultYAML()) {
		t.Error("observatory/catalog/default.yaml differs from a fresh import of procedures.tsv: regenerate it")
	}
}

func TestImportTSVBadRows(t *testing.T) {
	in := "jdma_product_id\tlast_seen\turl\n1\t2026-08-01\thttps://a.invalid/\n2\t2026-08-01\tchrome://x\n1\t2026-08-01\thttps://b.invalid/\n"
	procs, warns, err := ImportTSV("p.tsv", strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	if len(procs) != 1 || procs[0].ID != "1" {
		t.Errorf("procedures %+v", procs)
	}
	want := []string{
		`p.tsv:3: row skipped: url: scheme "chrome" refused in "chrome://x" (want http or https)`,
		`p.tsv:4: row skipped: duplicate id "1" (first at line 2)`,
	}
	if strings.Join(warns, "\n") != strings.Join(want, "\n") {
		t.Errorf("warnings:\n%s", strings.Join(warns, "\n"))
	}
	if _, _, err := ImportTSV("p.tsv", strings.NewReader("id\tlast_seen\n")); err == nil || !strings.Contains(err.Error(), "no jdma_product_id column") {
		t.Errorf("missing column: %v", err)
	}
}

func TestImportCSV(t *testing.T) {
	data, err := os.ReadFile("testdata/observatoire.csv")
	if err != nil {
		t.Fatal(err)
	}
	check := func(t *testing.T, data []byte, extraWarn string) {
		procs, warns, err := ImportCSV("o.csv", bytes.NewReader(data))
		if err != nil {
			t.Fatal(err)
		}
		if len(procs) != 3 {
			t.Fatalf("%d procedures, want 3: %+v", len(procs), procs)
		}
		p := procs[0]
		if p.ID != "101" || p.Title != "Demander une carte d’identité" || p.Ministry != "Intérieur" ||
			p.Administration != "ANTS" || p.URL != "https://demarche.example.invalid/cni" || p.JDMAID != "2301" || p.Volume != 1250000 {
			t.Errorf("row 1: %+v", p)
		}
		if p := procs[1]; p.ID != "102" || p.Title != "Inscription; liste électorale" || p.JDMAID != "" || p.Volume != 12000 {
			t.Errorf("row 2 (quoted separator): %+v", p)
		}
		// No Ref_Demarche: the JDMA id stands in.
		if p := procs[2]; p.ID != "2306" || p.JDMAID != "2306" {
			t.Errorf("row 7: %+v", p)
		}
		want := []string{
			`o.csv:4: row skipped: url: scheme "javascript" refused in "javascript:alert(1)" (want http or https)`,
			`o.csv:5: row skipped: duplicate id "101" (first at line 2)`,
			`o.csv:6: row skipped: missing url`,
			`o.csv:7: volume "beaucoup" ignored: not a whole number`,
		}
		if extraWarn != "" {
			want = append([]string{extraWarn}, want...)
		}
		if strings.Join(warns, "\n") != strings.Join(want, "\n") {
			t.Errorf("warnings:\n%s\nwant:\n%s", strings.Join(warns, "\n"), strings.Join(want, "\n"))
		}
		var buf bytes.Buffer
		if err := Write(&buf, "test", procs); err != nil {
			t.Fatal(err)
		}
		if _, err := Parse("out.yaml", buf.Bytes()); err != nil {
			t.Errorf("written catalogue does not load: %v", err)
		}
	}
	t.Run("utf-8 with BOM and semicolons", func(t *testing.T) { check(t, data, "") })
	t.Run("windows-1252", func(t *testing.T) {
		latin := bytes.TrimPrefix(data, []byte("\ufeff"))
		latin = bytes.ReplaceAll(latin, []byte("’"), []byte{0x92})
		for _, r := range "éÉ" {
			latin = bytes.ReplaceAll(latin, []byte(string(r)), []byte{byte(r)})
		}
		check(t, latin, "o.csv: not UTF-8: read as Windows-1252")
	})
	t.Run("commas", func(t *testing.T) {
		in := "URL_Demarche,Dashlord_ID_JDMA,Nom_Demarche\nhttps://a.invalid/,7,\"Un, deux\"\n"
		procs, warns, err := ImportCSV("c.csv", strings.NewReader(in))
		if err != nil || len(warns) > 0 || len(procs) != 1 || procs[0].ID != "7" || procs[0].Title != "Un, deux" {
			t.Errorf("got %+v %v %v", procs, warns, err)
		}
	})
}
