package site

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"encoding/xml"
	"errors"
	"html"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/observatoire-scanner/observatoire/criteria"
	"github.com/observatoire-scanner/observatoire/observatory"
	"github.com/observatoire-scanner/observatoire/observatory/edition"
	"github.com/observatoire-scanner/observatoire/scanner"
)

const csp = `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src 'self' data:; style-src 'self'; script-src 'self'; base-uri 'none'; form-action 'self'; connect-src 'self'">`

// htmlPages reads every HTML file of the site, keyed by slash path.
func htmlPages(t *testing.T, out string) map[string]string {
	t.Helper()
	pages := map[string]string{}
	err := filepath.WalkDir(out, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".html") {
			return err
		}
		b, err := os.ReadFile(p)
		rel, _ := filepath.Rel(out, p)
		pages[filepath.ToSlash(rel)] = string(b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return pages
}

func TestPublishWritesEveryPage(t *testing.T) {
	out := publishTest(t)
	want := []string{
		"index.html", "tri-titre.html", "editions.html", "methode.html", "accessibilite.html",
		"style.css", "site.js",
		"editions/2026-q3.html", "editions/2026-q4.html",
		"procedures/1234.html", "procedures/5678.html", "procedures/666.html",
		"ministeres/ministere-des-solidarites.html", "ministeres/ministere-de-l-economie-et-des-finances.html",
		"administrations/direction-generale-des-finances-publiques-dgfip.html",
		"data/2026-q3.json", "data/2026-q3.csv", "data/2026-q4.json", "data/2026-q4.csv",
		"captures/2026-q4/screenshots/1234-start-desktop.png", "captures/2026-q4/screenshots/1234-start-mobile.png",
	}
	for _, id := range criteria.IDs {
		want = append(want, "tri-"+string(id)+".html", "badges/1234/"+string(id)+".svg", "badges/666/"+string(id)+".svg")
	}
	for _, f := range want {
		if _, err := os.Stat(filepath.Join(out, f)); err != nil {
			t.Errorf("missing %s", f)
		}
	}
}

var (
	attrRE = regexp.MustCompile(`\b(href|src)="([^"]*)"`)
	idRE   = regexp.MustCompile(`\bid="([^"]*)"`)
)

// TestPublishLinksAreRelative checks every page: CSP and viewport meta,
// French, no resource from elsewhere, and every internal link relative
// and pointing to a file (and an anchor) of the site.
func TestPublishLinksAreRelative(t *testing.T) {
	out := publishTest(t)
	pages := htmlPages(t, out)
	if len(pages) < 20 {
		t.Fatalf("only %d pages", len(pages))
	}
	ids := map[string][]string{}
	for name, body := range pages {
		for _, m := range idRE.FindAllStringSubmatch(body, -1) {
			ids[name] = append(ids[name], html.UnescapeString(m[1]))
		}
	}
	links := 0
	for name, body := range pages {
		for _, must := range []string{csp, `<meta name="viewport" content="width=device-width, initial-scale=1">`, `<html lang="fr">`, "Accessibilité : non conforme"} {
			if !strings.Contains(body, must) {
				t.Errorf("%s: missing %s", name, must)
			}
		}
		if strings.Contains(body, "totalement conforme") {
			t.Errorf("%s claims a compliance nobody audited", name)
		}
		for _, m := range attrRE.FindAllStringSubmatch(body, -1) {
			attr, u := m[1], html.UnescapeString(m[2])
			lower := strings.ToLower(u)
			if strings.HasPrefix(lower, "http://") || strings.HasPrefix(lower, "https://") {
				if attr == "src" {
					t.Errorf("%s: external resource %s", name, u)
				}
				continue // a link to a scanned page
			}
			if strings.HasPrefix(u, "/") || strings.Contains(lower, ":") {
				t.Errorf("%s: %s=%q is not a relative link", name, attr, u)
				continue
			}
			links++
			file, frag, _ := strings.Cut(u, "#")
			target := name
			if file != "" {
				target = path.Join(path.Dir(name), file)
			}
			if _, err := os.Stat(filepath.Join(out, filepath.FromSlash(target))); err != nil {
				t.Errorf("%s: link %q: %s does not exist", name, u, target)
				continue
			}
			if frag != "" && !slices.Contains(ids[target], frag) {
				t.Errorf("%s: link %q: no id %q in %s", name, u, frag, target)
			}
		}
		if strings.Contains(body, `<link rel="stylesheet" href="http`) || strings.Contains(body, "@import") {
			t.Errorf("%s: external style", name)
		}
	}
	if links < 200 {
		t.Errorf("only %d internal links checked", links)
	}
}

var injectedAttrRE = regexp.MustCompile(`(?i)<[^>]*\son[a-z]+=|(href|src)="\s*javascript`)

func TestPublishEscapesScannedContent(t *testing.T) {
	out := publishTest(t)
	pages := htmlPages(t, out)
	body := pages["procedures/666.html"]
	if body == "" {
		t.Fatal("no page for the payload procedure")
	}
	for name, body := range pages {
		for _, p := range []string{payloadScript, pwnedScript, "<img src=x"} {
			if strings.Contains(strings.ToLower(body), strings.ToLower(p)) {
				t.Errorf("%s holds the raw payload %q", name, p)
			}
		}
		// Text that reads "onerror=" is harmless; an attribute is not.
		if m := injectedAttrRE.FindString(body); m != "" {
			t.Errorf("%s: injected attribute in %q", name, m)
		}
	}
	// The payloads are shown as text, escaped.
	for _, want := range []string{"&lt;script&gt;alert(1)&lt;/script&gt;", "&lt;img src=x onerror=alert(1)&gt;", "javascript&#58;window.__pwned=3"} {
		if !strings.Contains(body, want) && !strings.Contains(body, strings.ReplaceAll(want, "&#58;", ":")) {
			t.Errorf("procedure page lacks the escaped text %q", want)
		}
	}
	// A javascript: URL never becomes a link.
	if regexp.MustCompile(`(?i)href="[^"]*javascript`).MatchString(body) {
		t.Error("a javascript: URL became a link")
	}
	// The payloads stay escaped in the badges and the open data.
	for _, id := range criteria.IDs {
		b, err := os.ReadFile(filepath.Join(out, "badges/666", string(id)+".svg"))
		if err != nil {
			t.Fatal(err)
		}
		if bytes.Contains(b, []byte("<script")) {
			t.Errorf("badge %s holds a raw <script>", id)
		}
	}
}

func TestPublishOpenData(t *testing.T) {
	out := publishTest(t)
	f, err := os.Open(filepath.Join(out, "data/2026-q4.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatalf("CSV: %v", err)
	}
	if len(recs) != 4 {
		t.Fatalf("%d CSV rows, want a header and 3 procedures", len(recs))
	}
	head := recs[0]
	if len(head) != 12+5*len(criteria.IDs) || head[0] != "id" {
		t.Fatalf("header %v", head)
	}
	col := func(name string) int {
		i := slices.Index(head, name)
		if i < 0 {
			t.Fatalf("no column %s in %v", name, head)
		}
		return i
	}
	row := recs[1]
	for name, want := range map[string]string{
		"id": "1234", "title": "Demander une aide au logement", "outcome": "measured",
		"online_level": "good", "online_label": "Oui",
		"satisfaction_level": "partial", "satisfaction_label": "7,1/10", "satisfaction_value": "7.1",
		"franceconnect_label": "FranceConnect+", "accessibility_value": "81",
		"dlnuf_level": "not-measured", "dlnuf_value": "",
	} {
		if got := row[col(name)]; got != want {
			t.Errorf("%s = %q, want %q", name, got, want)
		}
	}
	if recs[2][col("outcome")] != "failed" || recs[2][col("reason")] == "" {
		t.Errorf("failed row: %v", recs[2])
	}
	// Payloads survive the round trip as data.
	if recs[3][col("title")] != payloadScript+pwnedScript {
		t.Errorf("title %q", recs[3][col("title")])
	}
	raw, _ := os.ReadFile(filepath.Join(out, "data/2026-q4.csv"))
	if !bytes.Contains(raw, []byte("\r\n")) {
		t.Error("CSV lines do not end with CRLF (RFC 4180)")
	}

	b, err := os.ReadFile(filepath.Join(out, "data/2026-q3.json"))
	if err != nil {
		t.Fatal(err)
	}
	var got openEdition
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatalf("JSON: %v", err)
	}
	if got.Meta.Name != "2026-Q3" || len(got.Results) != 2 {
		t.Fatalf("JSON meta %+v, %d results", got.Meta, len(got.Results))
	}
	if v := got.Results[0].Verdict(criteria.IDMobile); v.Level != criteria.Bad || len(v.Evidence) == 0 {
		t.Errorf("mobile verdict %+v", v)
	}
}

func TestBadge(t *testing.T) {
	tests := []struct {
		id    criteria.ID
		v     criteria.Verdict
		text  string
		fill  string
		title string
	}{
		{criteria.IDMobile, criteria.Verdict{Level: criteria.Good, Label: "Oui"}, "Oui", "#18753c", "Compatible mobile : Oui"},
		{criteria.IDSatisfaction, criteria.Verdict{Level: criteria.Partial, Label: "7,1/10"}, "7,1/10", "#a94000", "Satisfaction usagers : 7,1/10 (Partiel)"},
		{criteria.IDFranceConnect, criteria.Verdict{Level: criteria.Bad}, "Non", "#c9191e", "Identification FranceConnect : Non"},
		{criteria.IDDLNUF, criteria.Verdict{}, "Non mesuré", "#595959", "Dites-le-nous une fois : Non mesuré"},
		{criteria.IDOnline, criteria.Verdict{Level: criteria.NotApplicable, Label: "–"}, "–", "#595959", "Réalisable en ligne : – (Non applicable)"},
		{criteria.IDOnline, criteria.Verdict{Level: criteria.Bad, Label: `<b a="1">&`}, `<b a="1">&`, "#c9191e", `Réalisable en ligne : <b a="1">& (Non)`},
	}
	for _, tt := range tests {
		b := Badge(tt.id, tt.v)
		var texts []string
		var title, fills string
		dec := xml.NewDecoder(bytes.NewReader(b))
		var stack []string
		for {
			tok, err := dec.Token()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				t.Fatalf("%s: invalid XML: %v\n%s", tt.text, err, b)
			}
			switch tok := tok.(type) {
			case xml.StartElement:
				stack = append(stack, tok.Name.Local)
				for _, a := range tok.Attr {
					if a.Name.Local == "fill" {
						fills += a.Value + " "
					}
				}
			case xml.EndElement:
				stack = stack[:len(stack)-1]
			case xml.CharData:
				if len(stack) == 0 {
					continue
				}
				switch stack[len(stack)-1] {
				case "text":
					texts = append(texts, string(tok))
				case "title":
					title += string(tok)
				}
			}
		}
		if len(texts) != 2 || texts[0] != tt.id.Title() || texts[1] != tt.text {
			t.Errorf("texts %q, want %q and %q", texts, tt.id.Title(), tt.text)
		}
		if title != tt.title {
			t.Errorf("title %q, want %q", title, tt.title)
		}
		if !strings.Contains(fills, tt.fill) {
			t.Errorf("%s: fills %q lack %s", tt.text, fills, tt.fill)
		}
	}
}

func TestTotals(t *testing.T) {
	res := func(levels ...criteria.Level) []observatory.Result {
		var out []observatory.Result
		for _, l := range levels {
			out = append(out, observatory.Result{Assessment: &observatory.Assessment{Criteria: criteria.Results{criteria.IDMobile: {Level: l}}}})
		}
		return out
	}
	rep := func(l criteria.Level, n int) []criteria.Level {
		out := make([]criteria.Level, n)
		for i := range out {
			out[i] = l
		}
		return out
	}
	tests := []struct {
		name              string
		now, prev         []observatory.Result
		percent, change   string
		good, evaluated   int
		prevName, wantCls string
	}{
		{"up", res(criteria.Good, criteria.Bad, criteria.NotApplicable, criteria.NotMeasured), res(criteria.Bad, criteria.Bad, criteria.Good, criteria.Partial), "50\u00a0%", "+25\u00a0points", 1, 2, "Q3", "up"},
		{"down", res(append(rep(criteria.Good, 2), rep(criteria.Bad, 48)...)...), res(append(rep(criteria.Good, 3), rep(criteria.Bad, 47)...)...), "4\u00a0%", "−2\u00a0points", 2, 50, "Q3", "down"},
		{"stable", res(criteria.Good), res(criteria.Good), "100\u00a0%", "stable", 1, 1, "Q3", "same"},
		{"no previous", res(criteria.Good, criteria.Partial), nil, "50\u00a0%", "", 1, 2, "", ""},
		{"nothing evaluated", res(criteria.NotMeasured), res(criteria.Good), "–", "", 0, 0, "Q3", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := totals(tt.now, tt.prev, tt.prevName)
			var m total
			for _, x := range got {
				if x.ID == criteria.IDMobile {
					m = x
				}
			}
			if m.Percent != tt.percent || m.Change != tt.change || m.Good != tt.good || m.Evaluated != tt.evaluated || m.ChangeClass != tt.wantCls {
				t.Errorf("got %+v", m)
			}
		})
	}
}

func TestTotalsOnThePage(t *testing.T) {
	out := publishTest(t)
	b, _ := os.ReadFile(filepath.Join(out, "index.html"))
	body := html.UnescapeString(string(b))
	// Q4: mobile good for 1234 only (5678 not measured, 666 bad): 50 %;
	// Q3: 1234 bad, 5678 good: 50 %. FranceConnect: 50 % in both.
	for _, want := range []string{
		"des démarches compatibles mobile", "avec FranceConnect", "stable depuis l'édition 2026-Q3",
		"Objectif : FranceConnect ou FranceConnect+ sur toutes les démarches",
		"Objectif : une satisfaction supérieure à 8/10", "Objectif : 100 % de conformité au RGAA",
		"Objectif : 100 % des démarches entièrement en ligne",
		`<span class="badge b-partial">7,1/10</span>`, `<span class="badge b-good">FranceConnect+</span>`,
		`href="ministeres/ministere-des-solidarites.html"`, `href="tri-mobile.html"`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("index.html lacks %q", want)
		}
	}
	// Satisfaction: 8,4 for 5678 (good) and 7,1 for 1234: 33 % (1 of 3);
	// Q3 had 1234 partial, 5678 partial: 0 %, so +33 points.
	if !strings.Contains(body, "+33\u00a0points") {
		t.Errorf("index.html lacks the +33 points change of satisfaction")
	}
}

func TestSortedVariants(t *testing.T) {
	out := publishTest(t)
	order := func(file string) []string {
		b, err := os.ReadFile(filepath.Join(out, file))
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, m := range regexp.MustCompile(`<th scope="row"><a href="procedures/([^"]+)\.html"`).FindAllStringSubmatch(string(b), -1) {
			got = append(got, m[1])
		}
		return got
	}
	for file, want := range map[string][]string{
		"index.html":            {"1234", "5678", "666"},
		"tri-titre.html":        {"666", "5678", "1234"}, // "<script>..." sorts before letters
		"tri-satisfaction.html": {"5678", "1234", "666"}, // good, partial, bad
		"tri-mobile.html":       {"1234", "666", "5678"}, // good, bad, not measured
	} {
		if got := order(file); !slices.Equal(got, want) {
			t.Errorf("%s: order %v, want %v", file, got, want)
		}
	}
}

func TestProcedurePage(t *testing.T) {
	out := publishTest(t)
	b, _ := os.ReadFile(filepath.Join(out, "procedures/1234.html"))
	body := html.UnescapeString(string(b))
	for _, want := range []string{
		// Evidence, fix, screenshots with alt text, history, axe by RGAA criterion.
		"bouton « Faire ma demande » trouvé", longSelector, "Pour progresser :",
		`src="../captures/2026-q4/screenshots/1234-start-desktop.png" alt="Capture d'écran de la page de départ de « Demander une aide au logement », vue ordinateur"`,
		"Critère RGAA 1.1 (test 1.1.1)", "Critère RGAA 3.2", "Critère RGAA 11.1 (test 11.1.1)", "Critère RGAA 11.2",
		"Et 3 autres éléments", `href="../editions/2026-q3.html">2026-Q3</a>`, `href="../editions/2026-q4.html">2026-Q4</a>`,
		`href="../badges/1234/mobile.svg"`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("procedures/1234.html lacks %q", want)
		}
	}
	// RGAA criteria in the RGAA's order: 1.1, 3.2, 11.1, 11.2.
	i1, i3, i11 := strings.Index(body, "Critère RGAA 1.1"), strings.Index(body, "Critère RGAA 3.2"), strings.Index(body, "Critère RGAA 11.1")
	if !(i1 < i3 && i3 < i11) {
		t.Errorf("RGAA groups out of order: %d %d %d", i1, i3, i11)
	}
	// History: newest first, Q3 shows the bad mobile level.
	hist := body[strings.Index(body, `id="historique"`):]
	if strings.Index(hist, "2026-Q4") > strings.Index(hist, "2026-Q3") || !strings.Contains(hist, `b-bad">Non`) {
		t.Errorf("history: %s", hist)
	}
	f, _ := os.ReadFile(filepath.Join(out, "procedures/5678.html"))
	if !strings.Contains(html.UnescapeString(string(f)), "La page de départ n'a pas pu être chargée : timeout") {
		t.Error("failed procedure: reason not shown")
	}
}

func TestRGAACriterion(t *testing.T) {
	tests := []struct {
		tag, crit, test string
		ok              bool
	}{
		{"RGAA-1.1.1", "1.1", "1.1.1", true},
		{"rgaa-11.10.2", "11.10", "11.10.2", true},
		{"RGAA-3.2", "3.2", "3.2", true},
		{"RGAAv4", "", "", false},
		{"RGAA-x.1.1", "", "", false},
		{"wcag2a", "", "", false},
		{"RGAA-1", "", "", false},
	}
	for _, tt := range tests {
		c, te, ok := rgaaCriterion(tt.tag)
		if c != tt.crit || te != tt.test || ok != tt.ok {
			t.Errorf("rgaaCriterion(%q) = %q %q %v", tt.tag, c, te, ok)
		}
	}
	v := newAxeView(&scanner.AxeResult{Violations: []scanner.Violation{
		{Rule: "b", RGAA: []string{"RGAA-11.10.1"}}, {Rule: "a", RGAA: []string{"RGAA-11.2.1"}}, {Rule: "c"},
		{Rule: "d", RGAA: []string{"RGAA-11.2.3", "RGAA-11.2.1"}},
	}})
	var got []string
	for _, g := range v.Groups {
		got = append(got, g.Criterion+":"+strings.Join(g.Tests, ","))
	}
	if want := []string{"11.2:11.2.1,11.2.3", "11.10:11.10.1", ":"}; !slices.Equal(got, want) {
		t.Errorf("groups %v, want %v", got, want)
	}
}

func TestWebURLAndSlug(t *testing.T) {
	for u, want := range map[string]bool{
		"https://a.example.invalid/x": true, "HTTP://a.example.invalid": true,
		"javascript:alert(1)": false, " JavaScript:alert(1)": false, "data:text/html,x": false,
		"/relative": false, "mailto:a@b.invalid": false, "https://a.example.invalid/\nx": false,
	} {
		if webURL(u) != want {
			t.Errorf("webURL(%q) = %v", u, !want)
		}
	}
	for in, want := range map[string]string{
		"Ministère de l'Économie": "ministere-de-l-economie", "2026-Q4": "2026-q4",
		"../../etc/passwd": "etc-passwd", "": "sans-nom", "<script>": "script",
	} {
		if got := slug(in); got != want {
			t.Errorf("slug(%q) = %q, want %q", in, got, want)
		}
	}
	s := newSlugger()
	if a, b, c := s.get("A b"), s.get("a-b"), s.get("A b"); a != "a-b" || b != "a-b-2" || c != "a-b" {
		t.Errorf("slugger: %q %q %q", a, b, c)
	}
}

func TestPublishRefusesNoEdition(t *testing.T) {
	if err := Publish(nil, t.TempDir()); err == nil {
		t.Error("Publish(nil) succeeded")
	}
}

// TestScreenshotOutsideEditionIgnored: a Screenshot.File that climbs out
// of the edition's folder is not copied.
func TestScreenshotOutsideEditionIgnored(t *testing.T) {
	dir := t.TempDir()
	secret := filepath.Join(dir, "secret.png")
	if err := os.WriteFile(secret, []byte("secret"), 0o644); err != nil {
		t.Fatal(err)
	}
	e := &edition.Edition{Dir: filepath.Join(dir, "ed"), Meta: edition.Meta{Name: "E"}, Results: []observatory.Result{{
		Procedure: observatory.Procedure{ID: "1"}, Title: "T",
		Assessment: &observatory.Assessment{Pages: map[string]*scanner.Snapshot{observatory.PageStart: {Screenshots: map[string]scanner.Screenshot{"desktop": {Format: "png", File: "../secret.png"}}}}},
	}}}
	out := filepath.Join(dir, "out")
	if err := Publish([]*edition.Edition{e}, out); err != nil {
		t.Fatal(err)
	}
	err := filepath.WalkDir(out, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			if b, _ := os.ReadFile(p); string(b) == "secret" {
				t.Errorf("copied %s", p)
			}
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}
