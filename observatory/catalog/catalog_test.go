package catalog

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestParseCatalogGood(t *testing.T) {
	data := []byte(`# a comment
procedures:
  - id: "44"
    title: Déclarer ses revenus
    ministry: Économie
    url: https://www.example.invalid/revenus
    login_url: https://www.example.invalid/connexion
    jdma_id: 44
    volume: 12000
    online_share: 87.5
    declared:
      online: oui
      franceconnect: franceconnect-plus
      dlnuf: 2.5
      rgaa_rate: 75
      support: 2
  - id: abc-1.2_x
    url: HTTP://example.invalid
    declared: {dlnuf_not_applicable: true}
`)
	cat, err := Parse("c.yaml", data)
	if err != nil {
		t.Fatal(err)
	}
	if len(cat.Procedures) != 2 || len(cat.Hash) != 64 {
		t.Fatalf("got %d procedures, hash %q", len(cat.Procedures), cat.Hash)
	}
	p := cat.Procedures[0]
	if p.OnlineShare == nil || *p.OnlineShare != 87.5 || cat.Procedures[1].OnlineShare != nil {
		t.Errorf("online share %v, %v", p.OnlineShare, cat.Procedures[1].OnlineShare)
	}
	if p.ID != "44" || p.JDMAID != "44" || p.Volume != 12000 || p.Ministry != "Économie" || p.LoginURL == "" {
		t.Errorf("procedure 0: %+v", p)
	}
	d := p.Declared
	if d.Online != "oui" || d.FranceConnect != "franceconnect-plus" || *d.DLNUF != 2.5 || *d.RGAARate != 75 || *d.Support != 2 {
		t.Errorf("declared: %+v", d)
	}
	if !cat.Procedures[1].Declared.DLNUFNotApplicable {
		t.Error("dlnuf_not_applicable not read")
	}
	if got, ok := cat.Procedure("abc-1.2_x"); !ok || got.URL != "HTTP://example.invalid" {
		t.Errorf("Procedure lookup: %+v %v", got, ok)
	}
}

// TestParseCatalogProblems feeds one bad input per rule and checks the
// exact FILE:LINE message.
func TestParseCatalogProblems(t *testing.T) {
	cases := []struct {
		name string
		data string
		want []string
	}{
		{"unknown key", "procedures:\n  - id: a\n    url: https://a.invalid/\n    titel: x\n",
			[]string{`c.yaml:4: unknown key "titel" (see docs/catalog.md for the keys)`}},
		{"unknown declared key", "procedures:\n  - id: a\n    url: https://a.invalid/\n    declared:\n      onlin: oui\n",
			[]string{`c.yaml:5: unknown key "onlin" (see docs/catalog.md for the keys)`}},
		{"unknown top-level key", "procedure: []\nprocedures:\n  - id: a\n    url: https://a.invalid/\n",
			[]string{`c.yaml:1: unknown key "procedure" (see docs/catalog.md for the keys)`}},
		{"wrong type int", "procedures:\n  - id: a\n    url: https://a.invalid/\n    volume: many\n",
			[]string{`c.yaml:4: want an integer, got text "many"`}},
		{"wrong type float", "procedures:\n  - id: a\n    url: https://a.invalid/\n    declared:\n      rgaa_rate: high\n",
			[]string{`c.yaml:5: want a number, got text "high"`}},
		{"wrong type string", "procedures:\n  - id: a\n    url: [https://a.invalid/]\n",
			[]string{`c.yaml:3: want a text value, got a list`, `c.yaml:3: missing url`}},
		{"procedure not a mapping", "procedures:\n  - a.invalid\n",
			[]string{`c.yaml:2: want a mapping of keys, got text "a.invalid"`}},
		{"duplicate id", "procedures:\n  - id: a\n    url: https://a.invalid/\n  - id: a\n    url: https://b.invalid/\n",
			[]string{`c.yaml:4: duplicate id "a" (first at line 2)`}},
		{"missing id", "procedures:\n  - url: https://a.invalid/\n",
			[]string{`c.yaml:2: missing id`}},
		{"id with a slash", "procedures:\n  - id: ../x\n    url: https://a.invalid/\n",
			[]string{`c.yaml:2: id "../x": want 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit`}},
		{"missing url", "procedures:\n  - id: a\n    title: t\n",
			[]string{`c.yaml:2: missing url`}},
		{"file scheme", "procedures:\n  - id: a\n    url: file:///etc/passwd\n",
			[]string{`c.yaml:3: url: scheme "file" refused in "file:///etc/passwd" (want http or https)`}},
		{"javascript scheme", "procedures:\n  - id: a\n    url: javascript:alert(1)\n",
			[]string{`c.yaml:3: url: scheme "javascript" refused in "javascript:alert(1)" (want http or https)`}},
		{"chrome scheme", "procedures:\n  - id: a\n    url: chrome://settings\n",
			[]string{`c.yaml:3: url: scheme "chrome" refused in "chrome://settings" (want http or https)`}},
		{"data scheme", "procedures:\n  - id: a\n    url: data:text/html,hi\n",
			[]string{`c.yaml:3: url: scheme "data" refused in "data:text/html,hi" (want http or https)`}},
		{"relative url", "procedures:\n  - id: a\n    url: www.a.invalid/x\n",
			[]string{`c.yaml:3: url: "www.a.invalid/x" is not an absolute URL (want http:// or https://)`}},
		{"malformed url", "procedures:\n  - id: a\n    url: https://a b.invalid/\n",
			[]string{`c.yaml:3: url: malformed URL "https://a b.invalid/": invalid character " " in host name`}},
		{"no host", "procedures:\n  - id: a\n    url: https:///x\n",
			[]string{`c.yaml:3: url: no host in "https:///x"`}},
		{"bad contact url", "procedures:\n  - id: a\n    url: https://a.invalid/\n    contact_url: ftp://a.invalid/\n",
			[]string{`c.yaml:4: contact_url: scheme "ftp" refused in "ftp://a.invalid/" (want http or https)`}},
		{"unknown online", "procedures:\n  - id: a\n    url: https://a.invalid/\n    declared:\n      online: yes-ish\n",
			[]string{`c.yaml:5: declared.online "yes-ish": want one of oui, partiel, deploiement-local, beta, non, proactive, a-venir`}},
		{"unknown franceconnect", "procedures:\n  - id: a\n    url: https://a.invalid/\n    declared:\n      franceconnect: fc\n",
			[]string{`c.yaml:5: declared.franceconnect "fc": want one of not-applicable, franceconnect, franceconnect-plus, non`}},
		{"rate over 100", "procedures:\n  - id: a\n    url: https://a.invalid/\n    declared:\n      rgaa_rate: 101\n",
			[]string{`c.yaml:5: declared.rgaa_rate 101: want a rate from 0 to 100`}},
		{"negative rate", "procedures:\n  - id: a\n    url: https://a.invalid/\n    declared:\n      rgaa_rate: -1\n",
			[]string{`c.yaml:5: declared.rgaa_rate -1: want a rate from 0 to 100`}},
		{"negative dlnuf", "procedures:\n  - id: a\n    url: https://a.invalid/\n    declared:\n      dlnuf: -2\n",
			[]string{`c.yaml:5: declared.dlnuf -2: want 0 or more`}},
		{"negative volume", "procedures:\n  - id: a\n    url: https://a.invalid/\n    volume: -5\n",
			[]string{`c.yaml:4: volume -5: want 0 or more`}},
		{"online share over 100", "procedures:\n  - id: a\n    url: https://a.invalid/\n    online_share: 120\n",
			[]string{`c.yaml:4: online_share 120: want a share from 0 to 100`}},
		{"yaml syntax", "procedures:\n  - id: a\n    url: [\n",
			[]string{`c.yaml:3: did not find expected node content`}},
		{"no procedures key", "items: []\n",
			[]string{`c.yaml:1: want a mapping with a "procedures" list (see docs/catalog.md)`}},
		{"empty list", "procedures: []\n",
			[]string{`c.yaml:1: no procedures`}},
		{"not utf-8", "procedures:\n  - id: a\n    title: D\xe9clarer\n    url: https://a.invalid/\n",
			[]string{`c.yaml:3: not UTF-8 text (save the file as UTF-8)`}},
		{"several at once", "procedures:\n  - id: a\n    url: file:///x\n  - id: b\n    declared: {online: peut-etre}\n  - id: a\n    url: https://a.invalid/\n",
			[]string{
				`c.yaml:3: url: scheme "file" refused in "file:///x" (want http or https)`,
				`c.yaml:4: missing url`,
				`c.yaml:5: declared.online "peut-etre": want one of oui, partiel, deploiement-local, beta, non, proactive, a-venir`,
				`c.yaml:6: duplicate id "a" (first at line 2)`,
			}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cat, err := Parse("c.yaml", []byte(c.data))
			var ce *Error
			if !errors.As(err, &ce) {
				t.Fatalf("got %v, %v; want a *Error", cat, err)
			}
			var got []string
			for _, p := range ce.Problems {
				got = append(got, p.String())
			}
			if strings.Join(got, "\n") != strings.Join(c.want, "\n") {
				t.Errorf("got:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(c.want, "\n"))
			}
		})
	}
}

func TestLoadCatalogSizeCap(t *testing.T) {
	path := filepath.Join(t.TempDir(), "big.yaml")
	data := append([]byte("procedures:\n"), bytes.Repeat([]byte("# padding\n"), MaxSize/10+1)...)
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := Load(path)
	if err == nil || err.Error() != path+": over the 32 MiB limit of a catalogue" {
		t.Errorf("got %v", err)
	}
}

func TestDefaultCatalog(t *testing.T) {
	cat, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	if len(cat.Procedures) != 258 {
		t.Errorf("%d procedures, want 258", len(cat.Procedures))
	}
	urls := map[string]bool{}
	for _, p := range cat.Procedures {
		urls[p.URL] = true
		if p.ID != p.JDMAID || p.Title != "" {
			t.Errorf("procedure %+v: want id = jdma_id and no title", p)
		}
	}
	if len(urls) != 182 {
		t.Errorf("%d distinct URLs, want 182", len(urls))
	}
}
