package gate

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/observatoire-scanner/observatoire/criteria"
	"github.com/observatoire-scanner/observatoire/observatory"
	"github.com/observatoire-scanner/observatoire/observatory/catalog"
	"github.com/observatoire-scanner/observatoire/scanner"
)

func TestPagePath(t *testing.T) {
	for in, want := range map[string]string{
		"http://127.0.0.1:40765/demarche":        "/demarche",
		"http://localhost:9090/demarche":         "/demarche",
		"https://www.example.invalid":            "/",
		"http://127.0.0.1:1234/d?etape=2#ancre":  "/d?etape=2",
		"http://127.0.0.1:1234/a%20b/c.html":     "/a%20b/c.html",
		"https://service.example.invalid/x/y/z/": "/x/y/z/",
	} {
		if got := PagePath(in); got != want {
			t.Errorf("PagePath(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestOrdinalSelectors(t *testing.T) {
	tests := []struct {
		raw, want []string
	}{
		{[]string{"#nom"}, []string{"#nom"}},
		{[]string{"main > p:nth-child(4) > img", "main > p:nth-child(7) > img"}, []string{"main > p > img", "main > p > img [2]"}},
		{[]string{"li:nth-of-type(2) > a", "li:nth-last-child(1)  >  a", ".fr-btn"}, []string{"li > a", "li > a [2]", ".fr-btn"}},
		{[]string{"img.illustration", "img.logo"}, []string{"img.illustration", "img.logo"}},
	}
	for _, tt := range tests {
		if got := ordinalSelectors(tt.raw); !slices.Equal(got, tt.want) {
			t.Errorf("ordinalSelectors(%q) = %q, want %q", tt.raw, got, tt.want)
		}
	}
}

// A paragraph inserted above a failing image shifts its nth-child index
// and a twin lengthens its selector; the fingerprint, made from the
// element and not from axe's selector, must not change. Two different
// failing elements must keep different fingerprints.
func TestFingerprintStable(t *testing.T) {
	logo := scanner.Node{Selector: "#logo", HTML: `<img id="logo" src="/logo.png">`, Ancestry: "html > body > header > img"}
	before := axeSnapshot("d", "image-alt", node{"main > p:nth-child(3) > img", imgLogement, "html > body > main > p:nth-child(3) > img"})
	before.Axe.Violations[0].Nodes = append(before.Axe.Violations[0].Nodes, logo)
	after := axeSnapshot("d", "image-alt", node{`img[src$="logement.svg"]`, imgLogement, "html > body > main > p:nth-child(4) > img"})
	after.URL = "http://127.0.0.1:2222/d"
	after.Axe.Violations[0].Nodes = append(after.Axe.Violations[0].Nodes, logo)
	a, b := SnapshotFindings(before), SnapshotFindings(after)
	if len(a) != 2 || len(b) != 2 {
		t.Fatalf("findings: %d, %d", len(a), len(b))
	}
	for i := range a {
		if a[i].Fingerprint != b[i].Fingerprint {
			t.Errorf("fingerprint changed: %s → %s (%s)", a[i].Fingerprint, b[i].Fingerprint, a[i].Selector)
		}
	}
	if a[0].Fingerprint == a[1].Fingerprint {
		t.Errorf("two elements share fingerprint %s", a[0].Fingerprint)
	}
	if !strings.HasPrefix(a[0].Fingerprint, "image-alt:") {
		t.Errorf("fingerprint %q does not name its rule", a[0].Fingerprint)
	}
	other := axeSnapshot("autre", "image-alt")
	other.Axe.Violations[0].Nodes = []scanner.Node{logo}
	if SnapshotFindings(other)[0].Fingerprint == a[1].Fingerprint {
		t.Error("the same element on another page gives the same fingerprint")
	}
	twins := SnapshotFindings(axeSnapshot("d", "image-alt",
		node{"p:nth-child(3) > img", imgLogement, "html > body > main > p:nth-child(3) > img"},
		node{"p:nth-child(4) > img", imgLogement, "html > body > main > p:nth-child(4) > img"}))
	if twins[0].Fingerprint != a[0].Fingerprint || twins[1].Fingerprint == a[0].Fingerprint || twins[1].Twin != 1 {
		t.Errorf("twins: %s (rank %d), %s (rank %d); the first alone: %s", twins[0].Fingerprint, twins[0].Twin, twins[1].Fingerprint, twins[1].Twin, a[0].Fingerprint)
	}
}

func TestParseConfig(t *testing.T) {
	good := `urls:
  - url: http://127.0.0.1:8080/demarche
    login: http://127.0.0.1:8080/connexion
    declared: {franceconnect: franceconnect}
rules:
  new_violations: false
  min_accessibility: partial
  mobile: true
  max_violations: {critical: 0, serious: 3}
accepted:
  - fingerprint: image-alt:0123456789ab
    reason: illustration refaite en mars
    expires: 2027-03-31
  - rule: color-contrast
    page: /demarche
    reason: charte en cours de refonte
    expires: 2027-01-15
`
	c, err := ParseConfig("ci.yml", []byte(good))
	if err != nil {
		t.Fatal(err)
	}
	if len(c.URLs) != 1 || c.URLs[0].Login == "" || c.URLs[0].Declared.FranceConnect != "franceconnect" {
		t.Errorf("urls: %+v", c.URLs)
	}
	r := c.Rules
	if r.NewViolations || !r.WorseCriteria || !r.Statement || !r.Mobile || r.MinAccessibility != criteria.Partial || r.MaxViolations["serious"] != 3 {
		t.Errorf("rules (defaults kept for keys not given): %+v", r)
	}
	if len(c.Accepted) != 2 || c.Accepted[1].Line != 14 || c.Baseline != DefaultBaselineFile {
		t.Errorf("accepted: %+v, baseline %q", c.Accepted, c.Baseline)
	}
	day := time.Date(2027, 3, 31, 23, 0, 0, 0, time.UTC)
	if c.Accepted[0].ExpiredAt(day) || !c.Accepted[0].ExpiredAt(day.Add(2*time.Hour)) {
		t.Error("an acceptance holds through its expiry day, not after")
	}

	bad := []struct{ yaml, want string }{
		{"urls:\n  - url: http://x.invalid/\nrule:\n  mobile: true\n", `ci.yml:3: unknown key "rule"`},
		{"rules:\n  mobile: true\n  statment: true\n", `ci.yml:3: unknown key "statment"`},
		{"urls:\n  - url: http://x.invalid/\n    logn: http://x.invalid/l\n", `ci.yml:3: unknown key "logn"`},
		{"rules:\n  min_accessibility: oui\n", `ci.yml:2: min_accessibility "oui"`},
		{"rules:\n  max_violations:\n    blocker: 1\n", `ci.yml:3: max_violations: unknown impact "blocker"`},
		{"urls:\n  - url: ftp://x.invalid/\n", `ci.yml:2: scheme "ftp" refused in "ftp://x.invalid/" (want http or https)`},
		{"urls:\n  - url: http://\n", `ci.yml:2: no host in "http://"`},
		{"urls:\n  - url: http://x.invalid/\n    login: javascript:alert(1)\n", `ci.yml:2: scheme "javascript" refused`},
		{"accepted:\n  - rule: image-alt\n    expires: 2027-01-01\n", "ci.yml:2: accepted: reason is required"},
		{"accepted:\n  - rule: image-alt\n    reason: plus tard\n", `ci.yml:2: accepted: expires ""`},
		{"accepted:\n  - reason: plus tard\n    expires: 2027-01-01\n", "ci.yml:2: accepted: give a fingerprint"},
		{"procedures: [\"44\"]\n", "ci.yml:1: procedures need a catalogue"},
		{"rules:\n  mobile: peut-être\n", "ci.yml:2: want true or false, got text"},
	}
	for _, tt := range bad {
		_, err := ParseConfig("ci.yml", []byte(tt.yaml))
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("ParseConfig(%q) = %v, want an error with %q", tt.yaml, err, tt.want)
		}
	}
}

func TestCatalogueTargets(t *testing.T) {
	cat, err := catalog.Default()
	if err != nil || len(cat.Procedures) == 0 {
		t.Skipf("default catalogue: %v", err)
	}
	id := cat.Procedures[0].ID
	c, err := ParseConfig("ci.yml", []byte("catalogue: default\nprocedures: [\""+id+"\"]\n"))
	if err != nil {
		t.Fatal(err)
	}
	ts, err := c.Targets()
	if err != nil || len(ts) != 1 || ts[0].URL != cat.Procedures[0].URL {
		t.Errorf("Targets() = %+v, %v", ts, err)
	}
	c.Procedures = []string{"no-such-id"}
	if _, err := c.Targets(); err == nil || !strings.Contains(err.Error(), "no-such-id") {
		t.Errorf("unknown id: %v", err)
	}
}

func violation(rule, impact string, selectors ...string) scanner.Violation {
	v := scanner.Violation{Rule: rule, Impact: impact, Help: "aide " + rule}
	for _, s := range selectors {
		v.Nodes = append(v.Nodes, scanner.Node{Selector: s, HTML: "<x>"})
	}
	return v
}

func snapshotWith(url string, vs ...scanner.Violation) *scanner.Snapshot {
	return &scanner.Snapshot{URL: url, Status: scanner.StatusOK, Desktop: &scanner.Facts{FooterText: "Accessibilité : partiellement conforme"},
		Axe: &scanner.AxeResult{Version: "4.14.1", Violations: vs}}
}

func assessment(snap *scanner.Snapshot, levels map[criteria.ID]criteria.Level) *observatory.Assessment {
	a := &observatory.Assessment{URL: snap.URL, Pages: map[string]*scanner.Snapshot{observatory.PageStart: snap}, Criteria: criteria.Results{}}
	for _, id := range criteria.IDs {
		a.Criteria[id] = criteria.Verdict{Level: criteria.NotMeasured}
	}
	for id, l := range levels {
		a.Criteria[id] = criteria.Verdict{Level: l, Label: string(l)}
	}
	return a
}

// TestReduce: with three runs a finding or level seen once is dropped and
// reported as a flip; one seen twice is kept.
func TestReduce(t *testing.T) {
	const u = "http://127.0.0.1:1/d"
	steady := violation("image-alt", "serious", "#logo")
	flaky := violation("button-name", "critical", "#fermer")
	runs := [][]*observatory.Assessment{
		{assessment(snapshotWith(u, steady, flaky), map[criteria.ID]criteria.Level{criteria.IDMobile: criteria.Good})},
		{assessment(snapshotWith(u, steady), map[criteria.ID]criteria.Level{criteria.IDMobile: criteria.Bad})},
		{assessment(snapshotWith(u, steady), map[criteria.ID]criteria.Level{criteria.IDMobile: criteria.Good})},
	}
	obs := reduce([]observatory.Target{{URL: u}}, runs)
	if len(obs.Findings) != 1 || obs.Findings[0].Rule != "image-alt" || obs.Findings[0].Seen != 3 {
		t.Errorf("findings: %+v", obs.Findings)
	}
	if obs.Pages[0].Criteria[criteria.IDMobile] != criteria.Good || obs.Pages[0].Mention != criteria.StatusPartial {
		t.Errorf("page: %+v", obs.Pages[0])
	}
	var kinds []string
	for _, f := range obs.Flips {
		kinds = append(kinds, f.Kind+" "+f.Key+" "+strings.Join(f.Values, ",")+" "+f.Kept)
	}
	want := []string{"criterion mobile good,bad,good good", "finding " + SnapshotFindings(snapshotWith(u, flaky))[0].Fingerprint + " present,absent,absent absent"}
	if !slices.Equal(kinds, want) {
		t.Errorf("flips %q, want %q", kinds, want)
	}
	if obs.Broken != nil {
		t.Errorf("broken: %v", obs.Broken)
	}
	failed := &scanner.Snapshot{URL: u, Status: scanner.StatusNetwork, Reason: "refused"}
	obs = reduce([]observatory.Target{{URL: u}}, [][]*observatory.Assessment{{assessment(failed, nil)}})
	if len(obs.Broken) != 1 || !strings.Contains(obs.Broken[0], "network") {
		t.Errorf("a page that did not load is not broken: %v", obs.Broken)
	}
}
