package catalog

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"net/url"
	"reflect"
	"strings"
	"testing"

	"github.com/observatoire-scanner/observatoire/observatory"
)

// catalogSeeds are the seeds of FuzzParseCatalog, also kept as files under
// testdata/fuzz/FuzzParseCatalog (by name).
var catalogSeeds = []struct{ name, data string }{
	{"docs-example", "# Any comment.\nprocedures:\n  - id: \"2301\"\n    title: Demander une carte d’identité\n    ministry: Intérieur\n    administration: ANTS\n    url: https://demarche.example.gouv.fr/cni\n    login_url: https://demarche.example.gouv.fr/connexion\n    contact_url: https://demarche.example.gouv.fr/aide\n    statement_url: https://demarche.example.gouv.fr/accessibilite\n    jdma_id: \"2301\"\n    volume: 1250000\n    declared:\n      online: oui\n      franceconnect: franceconnect-plus\n      dlnuf: 2\n      rgaa_rate: 75\n      support: 2\n  - id: \"2306\"\n    url: https://sante.example.gouv.fr/\n"},
	{"default-excerpt", "# Catalogue of 258 procedures, imported from procedures.tsv by\n# `observatoire catalog import`. Format: docs/catalog.md.\nprocedures:\n  - id: \"44\"\n    url: https://assure.ameli.fr/PortailAS/appmanager/PortailAS/assure?_nfpb=true&_pageLabel=as_accueil_page&_somtc=true\n    jdma_id: \"44\"\n  - id: \"116\"\n    url: https://votefae.diplomatie.gouv.fr\n    jdma_id: \"116\"\n"},
	{"flow-style", "procedures: [{id: a, url: \"HTTP://A.invalid:8080/x?y=1#z\", declared: {dlnuf_not_applicable: true, rgaa_rate: 0}}]\n"},
	{"empty", ""},
	{"null", "null\n"},
	{"no-procedures-key", "items: []\n"},
	{"empty-list", "procedures: []\n"},
	{"yaml-syntax", "procedures:\n  - id: a\n    url: [\n"},
	{"tab-indent", "procedures:\n\t- id: a\n"},
	{"not-utf8", "procedures:\n  - id: a\n    title: D\xe9clarer\n    url: https://a.invalid/\n"},
	{"refused-schemes", "procedures:\n  - id: a\n    url: file:///etc/passwd\n  - id: b\n    url: javascript:alert(1)\n  - id: c\n    url: https://c.invalid/\n    contact_url: ftp://a.invalid/\n  - id: d\n    url: //no-scheme.invalid/\n  - id: e\n    url: \"http://\"\n"},
	{"duplicate-ids", "procedures:\n  - id: a\n    url: https://a.invalid/\n  - id: a\n    url: https://b.invalid/\n"},
	{"bad-ids", "procedures:\n  - id: ../etc\n    url: https://a.invalid/\n  - id: \"\"\n    url: https://b.invalid/\n  - url: https://c.invalid/\n"},
	{"wrong-types", "procedures:\n  - id: [a]\n    url: {x: 1}\n    volume: beaucoup\n    declared: oui\n  - 42\n  - null\n"},
	{"out-of-range", "procedures:\n  - id: a\n    url: https://a.invalid/\n    volume: -5\n    declared:\n      online: yes-ish\n      franceconnect: fc\n      rgaa_rate: .nan\n      dlnuf: -.inf\n      support: -1\n"},
	{"unknown-key", "procedures:\n  - id: a\n    url: https://a.invalid/\n    urll: https://a.invalid/\nextra: 1\n"},
	{"anchors-and-merge", "base: &b {url: \"https://a.invalid/\"}\nprocedures:\n  - <<: *b\n    id: a\n"},
	{"procedures-scalar", "procedures: oui\n"},
	{"two-documents", "procedures:\n  - id: a\n    url: https://a.invalid/\n---\nprocedures: 3\n"},
	{"empty-items", "procedures:\n  -\n  - ~\n"},
	{"alias-item", "procedures:\n  - &p {id: a, url: \"https://a.invalid/\"}\n  - *p\n"},
	{"malformed-url", "procedures:\n  - id: a\n    url: \"https://a.invalid/%zz\"\n  - id: b\n    url: \"http://[::1\"\n"},
}

// TestParseCatalogEmptyItems: an empty list item or an alias in place of
// a procedure was dropped without a word, so that "procedures: [~]" gave a
// catalogue of no procedures; "procedures:" with no value gave an error
// with an empty message (found by FuzzParseCatalog's invariants).
func TestParseCatalogEmptyItems(t *testing.T) {
	for _, c := range []struct{ data, want string }{
		{"procedures: [~]\n", `c.yaml:1: empty procedure (want a mapping with an id and a url)`},
		{"procedures:\n  - id: a\n    url: https://a.invalid/\n  -\n", `c.yaml:4: empty procedure (want a mapping with an id and a url)`},
		// Not an empty item but an empty list: the error had no problem
		// and an empty message (testdata/fuzz/FuzzParseCatalog/9b923979ba8b4ebd).
		{"  procedures:", `c.yaml:1: no procedures`},
		{"procedures: ~\n", `c.yaml:1: no procedures`},
		{"procedures:\n  - &p {id: a, url: \"https://a.invalid/\"}\n  - *p\n", `c.yaml:3: an alias (*p) in place of a procedure: write the procedure out`},
	} {
		cat, err := Parse("c.yaml", []byte(c.data))
		if err == nil || err.Error() != c.want {
			t.Errorf("Parse(%q) = %v, %v; want %q", c.data, cat, err, c.want)
		}
	}
}

// FuzzParseCatalog feeds catalogue files of any shape to ParseCatalog: it
// must not panic; an error must be a *Error whose every problem
// names the file; a catalogue it accepts must hold procedures with unique,
// valid ids and http(s) URLs, and read back the same once written by
// WriteCatalog.
func FuzzParseCatalog(f *testing.F) {
	for _, s := range catalogSeeds {
		f.Add([]byte(s.data))
	}
	const name = "c.yaml"
	f.Fuzz(func(t *testing.T, data []byte) {
		cat, err := Parse(name, data)
		if err != nil {
			var ce *Error
			if !errors.As(err, &ce) || len(ce.Problems) == 0 {
				t.Fatalf("error %v: want a *Error with problems", err)
			}
			if cat != nil {
				t.Errorf("error %v with a catalogue", err)
			}
			if !strings.HasPrefix(err.Error(), name+":") {
				t.Errorf("error %q does not start with %s", err, name)
			}
			for _, p := range ce.Problems {
				if p.File != name || p.Line < 0 || p.Msg == "" {
					t.Errorf("problem %+v", p)
				}
			}
			return
		}
		checkProcedures(t, cat.Procedures)
		if len(cat.Procedures) == 0 {
			t.Error("catalogue accepted without procedures")
		}
		sum := sha256.Sum256(data)
		if cat.Name != name || cat.Hash != hex.EncodeToString(sum[:]) {
			t.Errorf("name %q, hash %q", cat.Name, cat.Hash)
		}
		roundTrip(t, cat.Procedures)
	})
}

// checkProcedures fails t unless every procedure has a valid unique id, an
// absolute http(s) URL with a host, and passes CheckProcedure.
func checkProcedures(t *testing.T, procs []observatory.Procedure) {
	t.Helper()
	seen := map[string]bool{}
	for _, p := range procs {
		if p.ID == "" || seen[p.ID] || !validID.MatchString(p.ID) {
			t.Errorf("id %q: empty, duplicate or invalid", p.ID)
		}
		seen[p.ID] = true
		u, err := url.Parse(p.URL)
		if err != nil || (!strings.EqualFold(u.Scheme, "http") && !strings.EqualFold(u.Scheme, "https")) || u.Hostname() == "" {
			t.Errorf("procedure %q: url %q accepted", p.ID, p.URL)
		}
		if probs := CheckProcedure(p); len(probs) > 0 {
			t.Errorf("procedure %q accepted with problems %v", p.ID, probs)
		}
	}
}

// roundTrip fails t unless procs, written by WriteCatalog, parse back to
// the same procedures.
func roundTrip(t *testing.T, procs []observatory.Procedure) {
	t.Helper()
	var buf bytes.Buffer
	if err := Write(&buf, "fuzz\nround trip", procs); err != nil {
		t.Fatalf("WriteCatalog: %v", err)
	}
	back, err := Parse("out.yaml", buf.Bytes())
	if err != nil {
		t.Fatalf("written catalogue does not parse: %v\n%s", err, buf.Bytes())
	}
	if !reflect.DeepEqual(back.Procedures, procs) {
		t.Errorf("written and read back:\n%+v\nwant\n%+v\n%s", back.Procedures, procs, buf.Bytes())
	}
}

// csvSeeds and tsvSeeds are the seeds of FuzzImportCSV and FuzzImportTSV,
// also kept as files under testdata/fuzz (by name).
var (
	csvSeeds = []struct{ name, data string }{
		{"observatoire-csv", "\ufeffRef_Demarche;Nom_Demarche;Nom_Ministere;Nom_Administration;URL_Demarche;Dashlord_ID_JDMA;Volumetrie;Statut\n101;\"Demander une carte d’identité\";Intérieur;ANTS;https://demarche.example.invalid/cni;2301;\"1 250 000\";en ligne\n102;\"Inscription; liste électorale\";Intérieur;DGCL;https://elections.example.invalid/inscription;;12000;en ligne\n103;Payer une amende;Intérieur;ANTAI;javascript:alert(1);2303;;en ligne\n101;Doublon;Intérieur;ANTS;https://demarche.example.invalid/autre;2304;;en ligne\n104;Sans lien;Justice;DACS;;;;hors ligne\n;Sans référence;Santé;CNAM;https://sante.example.invalid/;2306;beaucoup;en ligne\n"},
		{"comma-crlf", "id,title,url,volume,login_url\r\na,\"Titre, avec virgule\",https://a.invalid/,12.345,file:///x\r\nb,\"guillemet \"\"double\"\"\",https://b.invalid/,-3,\r\n"},
		{"windows-1252", "Ref_Demarche;Nom_Demarche;URL_Demarche\n1;D\xe9clarer ses revenus \x80 \x92;https://impots.invalid/\n"},
		{"no-url-column", "Ref_Demarche;Nom_Demarche\n1;x\n"},
		{"no-id-column", "Nom_Demarche;URL_Demarche\nx;https://a.invalid/\n"},
		{"empty", ""},
		{"header-only", "id;url\n"},
		{"bare-quote", "id,url\n\"a,https://a.invalid/\nb\",\"c\n"},
		{"ragged-rows", "id;url;titre\na\nb;https://b.invalid/;t;extra;extra\n;;\n"},
		{"bad-ids", "id;url\n../x;https://a.invalid/\n a b ;https://b.invalid/\n"},
	}
	tsvSeeds = []struct{ name, data string }{
		{"procedures-tsv", "jdma_product_id\tlast_seen\turl\n44\t2026-08-22\thttps://assure.ameli.fr/PortailAS/appmanager/PortailAS/assure?_nfpb=true&_pageLabel=as_accueil_page&_somtc=true\n116\t2026-08-22\thttps://votefae.diplomatie.gouv.fr\n"},
		{"bad-rows", "jdma_product_id\tlast_seen\turl\n\t2026-08-22\thttps://a.invalid/\n45\t2026-08-22\tjavascript:alert(1)\n46\t2026-08-22\n44\t2026-08-22\thttps://a.invalid/\n44\t2026-08-22\thttps://b.invalid/\n"},
		{"crlf-bom", "\ufeffJDMA_Product_ID\tURL\r\n7\thttps://a.invalid/\r\n"},
		{"no-id-column", "id\tlast_seen\n"},
		{"no-url-column", "jdma_product_id\tlast_seen\n1\tx\n"},
		{"empty", " \n\n"},
		{"not-utf8", "jdma_product_id\turl\n1\thttps://d\xe9marche.invalid/\n"},
		{"file-url", "jdma_product_id\turl\n1\tfile:///etc/passwd\n2\thttp://\n"},
	}
)

// FuzzImportCSV feeds CSV exports of any shape to ImportCSV: it must not
// panic; errors and warnings must name the file; the procedures it keeps
// must pass validation, with unique ids, and make a catalogue that parses.
func FuzzImportCSV(f *testing.F) {
	for _, s := range csvSeeds {
		f.Add([]byte(s.data))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		procs, warns, err := ImportCSV("o.csv", bytes.NewReader(data))
		checkImport(t, "o.csv", procs, warns, err)
	})
}

// FuzzImportTSV is FuzzImportCSV for ImportTSV (procedures.tsv).
func FuzzImportTSV(f *testing.F) {
	for _, s := range tsvSeeds {
		f.Add([]byte(s.data))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		procs, warns, err := ImportTSV("p.tsv", bytes.NewReader(data))
		checkImport(t, "p.tsv", procs, warns, err)
	})
}

func checkImport(t *testing.T, name string, procs []observatory.Procedure, warns []string, err error) {
	t.Helper()
	if err != nil {
		if procs != nil || warns != nil {
			t.Errorf("error %v with procedures or warnings", err)
		}
		if !strings.HasPrefix(err.Error(), "catalog import: "+name) {
			t.Errorf("error %q does not name %s", err, name)
		}
		return
	}
	for _, w := range warns {
		if !strings.HasPrefix(w, name+":") {
			t.Errorf("warning %q does not name %s", w, name)
		}
	}
	checkProcedures(t, procs)
	if len(procs) > 0 {
		roundTrip(t, procs)
	}
}
