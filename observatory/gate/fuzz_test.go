package gate

import (
	"bytes"
	"errors"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/observatoire-scanner/observatoire/criteria"
)

// Seeds shared by f.Add and by the unit tests; the same inputs are kept as
// files under testdata/fuzz/FuzzParseConfig and FuzzParseBaseline.
var (
	configSeeds = []string{
		// The example of docs/ci.md.
		"urls:\n  - url: http://127.0.0.1:8080/demarche\n    login: http://127.0.0.1:8080/connexion\n    contact: http://127.0.0.1:8080/aide\n    statement: http://127.0.0.1:8080/accessibilite\n    declared: {franceconnect: franceconnect}\nbaseline: .observatoire-baseline.json\nrules:\n  new_violations: true\n  worse_criteria: true\n  statement: true\n  min_accessibility: partial\n  mobile: true\n  max_violations:\n    critical: 0\n    serious: 5\naccepted:\n  - fingerprint: image-alt:3f2a9c1b0d4e\n    reason: illustration remplacée au sprint 14\n    expires: 2026-12-31\n  - rule: color-contrast\n    page: /demarche\n    reason: nouvelle charte graphique en cours\n    expires: 2027-01-31\n",
		"catalogue: default\nprocedures: [\"44\", \"1254\"]\n",
		"", "---\n", "null\n", "[]\n", "urls: 3\n",
		"urls:\n  - url: http://x.invalid/\nrule:\n  mobile: true\n",
		"rules:\n  min_accessibility: oui\n",
		"rules:\n  max_violations:\n    blocker: 1\n    serious: -1\n",
		"urls:\n  - url: ftp://x.invalid/\n  - url: javascript:alert(1)\n  - login: file:///etc/passwd\n",
		"accepted:\n  - rule: image-alt\n    reason: plus tard\n    expires: 2027-02-30\n",
		"accepted:\n  - fingerprint: a:1\n    rule: image-alt\n    reason: \" \"\n",
		"procedures: [\"44\"]\n",
		"rules:\n  mobile: peut-être\n  statement: \"a\nb\"\n",
		"urls: [\n",
		"rules: &r\n  mobile: true\nbaseline: *r\n",
		"rules:\n  mobile: true\n  mobile: false\n",
		"baseline: b.json\n---\nbaseline: c.json\n",
		"urls:\n  - url: https://d\xe9marche.invalid/\n",
		"\ufeffbaseline: b.json\n",
	}
	baselineSeeds = []string{
		`{
  "version": 1,
  "updated": "2026-08-22T10:00:00Z",
  "axe": "4.10.3",
  "method": "2026-08",
  "pages": [
    {
      "page": "/demarche",
      "criteria": {"accessibility": "partial", "mobile": "good", "online": "good"},
      "accessibility_mention": "partiellement conforme"
    }
  ],
  "findings": [
    {
      "fingerprint": "image-alt:3f2a9c1b0d4e",
      "rule": "image-alt",
      "impact": "critical",
      "page": "/demarche",
      "selector": "main img:nth-of-type(1)",
      "rgaa": ["1.1"]
    }
  ]
}
`,
		`{"version":1,"updated":"","method":"","pages":[],"findings":[]}`,
		`{"version":1,"pages":null,"findings":null,"axe":""}`,
		`{"version":1,"pages":[{"page":"/d","criteria":{},"accessibility_mention":"","verdicts":{"mobile":{"level":"good","label":"Oui","value":1.5,"evidence":null}}}],"findings":[{"rgaa":[],"seen":3,"html":"<img>"}]}`,
		`{"version":2,"pages":[],"findings":[]}`,
		`{"version":2,"pages":[],"findings":[{"fingerprint":"image-alt:0123456789ab","rule":"image-alt","page":"/d","selector":"img","element":{"tag":"img","file":"a.png","classes":["x"],"path":"html > body > main > p > img"},"twin":1}]}`,
		`{"version":3,"pages":[],"findings":[]}`,
		`{"version":1,"extra":true}`,
		`{"version":"1"}`,
		`{"version":1,"pages":[`,
		`{"version":1} trailing`,
		"{\"version\":1,\"method\":\"\xff\xfe\"}",
		"", "null", "[]", `{"version":1e400}`, `{"VERSION":1,"Pages":[]}`,
		`{"version":1,"findings":[{"fingerprint":"a"},{"fingerprint":"a"}]}`,
	}
)

// FuzzParseConfig feeds CI gate configs of any shape to ParseConfig: it
// must not panic; an error must name the file on each of its lines; a
// config it accepts must hold only what check allows.
func FuzzParseConfig(f *testing.F) {
	for _, s := range configSeeds {
		f.Add([]byte(s))
	}
	const name = "ci.yml"
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := ParseConfig(name, data)
		if err != nil {
			if c != nil {
				t.Errorf("error %v with a config", err)
			}
			for l := range strings.SplitSeq(err.Error(), "\n") {
				if !strings.HasPrefix(l, name+":") {
					t.Errorf("error line %q does not start with %s:", l, name)
				}
			}
			return
		}
		if c == nil || c.File != name {
			t.Fatalf("config %+v: want one read from %s", c, name)
		}
		for _, u := range c.URLs {
			if u.URL == "" {
				t.Errorf("url entry without url accepted: %+v", u)
			}
			for _, v := range []string{u.URL, u.Login, u.Contact, u.Statement} {
				if v == "" {
					continue
				}
				pu, err := url.Parse(v)
				if err != nil || (strings.ToLower(pu.Scheme) != "http" && strings.ToLower(pu.Scheme) != "https") || pu.Hostname() == "" {
					t.Errorf("url %q accepted", v)
				}
			}
		}
		switch c.Rules.MinAccessibility {
		case "", criteria.Bad, criteria.Partial, criteria.Good:
		default:
			t.Errorf("min_accessibility %q accepted", c.Rules.MinAccessibility)
		}
		for k, n := range c.Rules.MaxViolations {
			if !isImpact(k) || n < 0 {
				t.Errorf("max_violations %q: %d accepted", k, n)
			}
		}
		if len(c.Procedures) > 0 && c.Catalogue == "" {
			t.Error("procedures accepted without a catalogue")
		}
		for _, a := range c.Accepted {
			if (a.Fingerprint == "") == (a.Rule == "") || strings.TrimSpace(a.Reason) == "" {
				t.Errorf("acceptance %+v accepted", a)
			}
			if _, err := time.Parse(time.DateOnly, a.Expires); err != nil {
				t.Errorf("acceptance expiring %q accepted", a.Expires)
			}
		}
	})
}

// FuzzParseBaseline feeds baseline files of any shape to ParseBaseline: it
// must not panic; an error must name the file; a baseline it accepts must
// be of BaselineVersion and, saved as Save writes it, read back to the same
// file and value.
func FuzzParseBaseline(f *testing.F) {
	for _, s := range baselineSeeds {
		f.Add([]byte(s))
	}
	const name = "b.json"
	f.Fuzz(func(t *testing.T, data []byte) {
		b, err := ParseBaseline(name, data)
		if err != nil {
			if b != nil {
				t.Errorf("error %v with a baseline", err)
			}
			if !strings.HasPrefix(err.Error(), "baseline "+name+": ") {
				t.Errorf("error %q does not name %s", err, name)
			}
			return
		}
		if b == nil || b.Version != BaselineVersion {
			t.Fatalf("baseline %+v: want version %d", b, BaselineVersion)
		}
		saved, err := b.marshal()
		if err != nil {
			t.Fatalf("marshal: %v", err)
		}
		b2, err := ParseBaseline(name, saved)
		if err != nil {
			t.Fatalf("saved baseline does not parse: %v\n%s", err, saved)
		}
		saved2, err := b2.marshal()
		if err != nil {
			t.Fatalf("marshal again: %v", err)
		}
		if !bytes.Equal(saved, saved2) {
			t.Errorf("saved twice differs:\n%s\n%s", saved, saved2)
		}
		b3, err := ParseBaseline(name, saved2)
		if err != nil || !reflect.DeepEqual(b2, b3) {
			t.Errorf("read back: %+v, %v; want %+v", b3, err, b2)
		}
	})
}

// TestParseBaseline checks the messages LoadBaseline gave before it was
// split from ParseBaseline, and that a missing file is still ErrNoBaseline.
func TestParseBaseline(t *testing.T) {
	b, err := ParseBaseline("b.json", []byte(baselineSeeds[0]))
	if err != nil {
		t.Fatal(err)
	}
	if len(b.Pages) != 1 || b.Pages[0].Criteria[criteria.IDAccessibility] != criteria.Partial || len(b.Findings) != 1 || b.Findings[0].Rule != "image-alt" {
		t.Errorf("got %+v", b)
	}
	for _, c := range []struct{ in, want string }{
		{`{"version":3}`, "baseline b.json: version 3, want 2 (run observatoire ci --update-baseline)"},
		{`{"version":2}`, ""},
		{`{"version":1}`, ""}, // read, as version 2
		{`{"version":1,"extra":true}`, `baseline b.json: json: unknown field "extra"`},
		{`{"version":1,"pages":[`, "baseline b.json: unexpected EOF"},
		{"", "baseline b.json: EOF"},
		{`{"version":1} trailing`, "baseline b.json: data after the baseline's JSON object (after byte 13)"},
		{`{"version":1}{"version":1}`, "baseline b.json: data after the baseline's JSON object (after byte 13)"},
		{"{\"version\":1}\n\n", ""}, // white space after it is fine
	} {
		_, err := ParseBaseline("b.json", []byte(c.in))
		got := ""
		if err != nil {
			got = err.Error()
		}
		if got != c.want {
			t.Errorf("ParseBaseline(%q) = %v, want %q", c.in, err, c.want)
		}
	}

	dir := t.TempDir()
	path := filepath.Join(dir, "b.json")
	if _, err := LoadBaseline(path); !errors.Is(err, ErrNoBaseline) {
		t.Errorf("missing file: %v, want ErrNoBaseline", err)
	}
	if err := os.WriteFile(path, []byte(`{"version":0}`), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadBaseline(path); err == nil || !strings.HasPrefix(err.Error(), "baseline "+path+": version 0") {
		t.Errorf("LoadBaseline: %v, want the path in the message", err)
	}
	if err := b.Save(path); err != nil {
		t.Fatal(err)
	}
	if back, err := LoadBaseline(path); err != nil || !reflect.DeepEqual(back, b) {
		t.Errorf("saved and loaded: %+v, %v; want %+v", back, err, b)
	}
}
