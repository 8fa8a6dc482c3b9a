package site

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"encoding/xml"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/observatoire-scanner/observatoire/criteria"
	"github.com/observatoire-scanner/observatoire/observatory"
	"github.com/observatoire-scanner/observatoire/observatory/edition"
	"github.com/observatoire-scanner/observatoire/scanner"
)

// publishNow dates the test sites' publication.
var publishNow = time.Date(2026, 11, 29, 12, 0, 0, 0, time.UTC)

// threeEditions adds to the test editions an older one, 2026-Q2, where
// the housing procedure was already bad on mobile, and gives the housing
// procedure volumes and a dated accessibility statement in the latest.
func threeEditions(t *testing.T) []*edition.Edition {
	t.Helper()
	eds := testEditions(t)
	q3, q4 := eds[0], eds[1]
	q2 := &edition.Edition{Dir: filepath.Join(t.TempDir(), "2026-Q2"), Meta: q3.Meta}
	q2.Meta.Name = "2026-Q2"
	q2.Meta.Started = q3.Meta.Started.AddDate(0, -3, 0)
	q2.Meta.Finished = q3.Meta.Finished.AddDate(0, -3, 0)
	q2.Results = slices.Clone(q3.Results)
	// The payload procedure was already bad everywhere in Q3.
	q3.Results = append(q3.Results, q4.Results[2])
	share := 72.5
	for i := range q4.Results {
		switch q4.Results[i].Procedure.ID {
		case "1234":
			q4.Results[i].Procedure.Volume = 1250000
			q4.Results[i].Procedure.OnlineShare = &share
			q4.Results[i].Assessment.Pages[observatory.PageStatement] = &scanner.Snapshot{
				URL: "https://aide.example.invalid/accessibilite", Status: scanner.StatusOK,
				Desktop: &scanner.Facts{Text: "Déclaration d'accessibilité. Cette déclaration a été établie le 12 mars 2025. Conformité partielle : 81 % des critères du RGAA 4.1.2 sont respectés."},
			}
		case "5678":
			q4.Results[i].Procedure.Volume = 9000000
		}
	}
	return []*edition.Edition{q2, q3, q4}
}

// publishThree publishes threeEditions with opts (Now set to publishNow).
func publishThree(t *testing.T, opts Options) string {
	t.Helper()
	out := filepath.Join(t.TempDir(), "public")
	opts.Now = publishNow
	if err := PublishOptions(threeEditions(t), out, opts); err != nil {
		t.Fatalf("Publish: %v", err)
	}
	return out
}

func readFile(t *testing.T, out, rel string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(out, filepath.FromSlash(rel)))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestSearchIndexAndPages(t *testing.T) {
	out := publishThree(t, Options{})
	var idx searchIndexFile
	if err := json.Unmarshal(readFile(t, out, searchIndex), &idx); err != nil {
		t.Fatalf("index: %v", err)
	}
	if idx.Edition != "2026-Q4" || len(idx.Procedures) != 3 {
		t.Fatalf("index: edition %q, %d procedures", idx.Edition, len(idx.Procedures))
	}
	p := idx.Procedures[0]
	if p.ID != "1234" || p.Href != "procedures/1234.html" || p.MinistrySlug != "ministere-des-solidarites" ||
		!strings.Contains(p.Text, "ministere des solidarites") || p.Levels[criteria.IDMobile] != "good" || p.Volume != 1250000 {
		t.Errorf("index entry %+v", p)
	}
	pages := htmlPages(t, out)
	// Every row of a table names its procedure as the index does.
	if !strings.Contains(pages["index.html"], `<tr data-id="1234">`) {
		t.Error("index.html rows carry no data-id")
	}
	for _, name := range []string{"index.html", searchPage} {
		body := pages[name]
		for _, want := range []string{`<form class="search" method="get" action="`, `data-index="data/index.json"`, `<label for="q">`, `<label for="ministere">`,
			`<label for="administration">`, `<label for="critere">`, `<label for="niveau">`, `role="status" aria-live="polite"`,
			`<option value="ministere-des-solidarites">Ministère des Solidarités</option>`} {
			if !strings.Contains(body, want) {
				t.Errorf("%s lacks %q", name, want)
			}
		}
	}
	// Without JavaScript: the search page (and the home page) lead to the
	// pre-rendered lists.
	if !strings.Contains(pages["index.html"], `href="niveaux/mobile-good.html"`) {
		t.Error("index.html does not link the level pages")
	}
	if body := pages[searchPage]; !strings.Contains(body, `href="niveaux/mobile-good.html"`) || !strings.Contains(body, `href="ministeres/ministere-des-solidarites.html"`) {
		t.Error("the search page does not link the pre-rendered lists")
	}
	lv := pages["niveaux/mobile-good.html"]
	if lv == "" || !strings.Contains(lv, `procedures/1234.html`) || strings.Contains(lv, `procedures/666.html`) {
		t.Errorf("niveaux/mobile-good.html lists the wrong procedures")
	}
	if body := pages["niveaux/mobile-bad.html"]; !strings.Contains(body, `procedures/666.html`) || strings.Contains(body, `procedures/1234.html`) {
		t.Errorf("niveaux/mobile-bad.html lists the wrong procedures")
	}
	if _, ok := pages["niveaux/online-partial.html"]; ok {
		t.Error("a level page with no procedure was written")
	}
}

func TestVolumeOrder(t *testing.T) {
	out := publishThree(t, Options{})
	pages := htmlPages(t, out)
	idx := pages["index.html"]
	a, b, c := strings.Index(idx, `<tr data-id="5678">`), strings.Index(idx, `<tr data-id="1234">`), strings.Index(idx, `<tr data-id="666">`)
	if a < 0 || b < 0 || c < 0 || !(a < b && b < c) {
		t.Errorf("index.html is not sorted by volume, largest first: %d %d %d", a, b, c)
	}
	if !strings.Contains(idx, "1\u202f250\u202f000") || !strings.Contains(idx, "triées par volume annuel") {
		t.Error("index.html does not show the volume")
	}
	cat := pages["tri-catalogue.html"]
	if strings.Index(cat, `data-id="1234"`) > strings.Index(cat, `data-id="5678"`) {
		t.Error("tri-catalogue.html is not in catalogue order")
	}
	if proc := pages["procedures/1234.html"]; !strings.Contains(proc, "1\u202f250\u202f000 utilisations par an") || !strings.Contains(proc, "72,5\u00a0%") {
		t.Error("the procedure page lacks its volume or online share")
	}
	recs, err := csv.NewReader(bytes.NewReader(readFile(t, out, latestCSV))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if v, s := recs[1][slices.Index(recs[0], "volume")], recs[1][slices.Index(recs[0], "online_share")]; v != "1250000" || s != "72.5" {
		t.Errorf("CSV volume %q, online share %q", v, s)
	}
	// Without volumes the site still works, and says so.
	pages = htmlPages(t, publishTest(t))
	if idx := pages["index.html"]; !strings.Contains(idx, "ne donne pas le volume annuel") || strings.Contains(idx, "Volume annuel</a>") {
		t.Error("a catalogue without volumes: index.html does not say so")
	}
}

func TestTrends(t *testing.T) {
	out := publishThree(t, Options{})
	pages := htmlPages(t, out)
	body := pages["tendances/ministeres/ministere-des-solidarites.html"]
	if body == "" {
		t.Fatal("no trend page for the ministry")
	}
	if !strings.Contains(pages["ministeres/ministere-des-solidarites.html"], `href="../tendances/ministeres/ministere-des-solidarites.html"`) {
		t.Error("the ministry page does not link its trends")
	}
	if n := strings.Count(body, `<svg class="chart"`); n != len(criteria.IDs) {
		t.Errorf("%d charts, want %d", n, len(criteria.IDs))
	}
	// Each chart is well-formed SVG with a title and a description it is
	// labelled by, and a data table follows it.
	start := strings.Index(body, `<svg class="chart"`)
	end := strings.Index(body[start:], "</svg>") + start + len("</svg>")
	var svg struct {
		XMLName    xml.Name `xml:"svg"`
		Role       string   `xml:"role,attr"`
		LabelledBy string   `xml:"aria-labelledby,attr"`
		Title      struct {
			ID   string `xml:"id,attr"`
			Text string `xml:",chardata"`
		} `xml:"title"`
		Desc struct {
			ID   string `xml:"id,attr"`
			Text string `xml:",chardata"`
		} `xml:"desc"`
		Rects []struct {
			Fill string `xml:"fill,attr"`
		} `xml:"rect"`
	}
	if err := xml.Unmarshal([]byte(body[start:end]), &svg); err != nil {
		t.Fatalf("chart SVG: %v", err)
	}
	if svg.Role != "img" || svg.LabelledBy != svg.Title.ID+" "+svg.Desc.ID || svg.Title.Text == "" {
		t.Errorf("chart labelling: %+v", svg)
	}
	// Q2: the housing procedure alone in the ministry, online good.
	if !strings.Contains(svg.Desc.Text, "2026-Q2, ce ministère : Oui 100\u00a0%") {
		t.Errorf("chart description %q", svg.Desc.Text)
	}
	patterned := 0
	for _, r := range svg.Rects {
		if strings.HasPrefix(r.Fill, "url(#") {
			patterned++
		}
	}
	if patterned == 0 {
		t.Error("the chart's levels differ by colour alone")
	}
	if strings.Count(body, `<table class="results trend-data">`) != len(criteria.IDs) {
		t.Error("a chart lacks its data table")
	}
	// The CSV of a chart: per edition, the ministry and all procedures.
	recs, err := csv.NewReader(bytes.NewReader(readFile(t, out, "tendances/ministeres/ministere-des-solidarites/mobile.csv"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 1+3*2*len(edition.Levels) {
		t.Fatalf("%d CSV rows", len(recs))
	}
	got := map[string]string{}
	for _, r := range recs[1:] {
		got[r[0]+"|"+r[1]+"|"+r[3]] = r[4] + "/" + r[5]
	}
	for k, want := range map[string]string{
		"2026-Q2|ce ministère|bad":          "1/1",
		"2026-Q4|ce ministère|good":         "1/1",
		"2026-Q4|toutes les démarches|bad":  "1/3",
		"2026-Q3|toutes les démarches|good": "1/3",
	} {
		if got[k] != want {
			t.Errorf("%s = %q, want %q", k, got[k], want)
		}
	}
	if _, ok := pages[trendsPage]; !ok {
		t.Error("no page of all trends")
	}
	// The main page gives each key figure's change since the previous
	// edition.
	if n := strings.Count(pages["index.html"], "depuis l'édition 2026-Q3"); n < 5 {
		t.Errorf("index.html: %d changes since the previous edition", n)
	}
}

func TestDurations(t *testing.T) {
	eds := threeEditions(t)
	s := newSite(eds, Options{Now: publishNow})
	byID := func(key string, at int) map[criteria.ID]duration {
		m := map[criteria.ID]duration{}
		for _, d := range s.durationsAt(key, at) {
			m[d.Criterion] = d
		}
		return m
	}
	tests := []struct {
		key  string
		at   int
		id   criteria.ID
		want string
	}{
		{"id:1234", 1, criteria.IDMobile, "Non depuis 2 éditions, depuis 2026-Q2"},
		{"id:1234", 2, criteria.IDMobile, "Oui depuis cette édition (2026-Q4)"},
		{"id:1234", 2, criteria.IDOnline, "Oui depuis 3 éditions, depuis 2026-Q2"},
		{"id:666", 2, criteria.IDMobile, "Non depuis 2 éditions, depuis 2026-Q3"},
		{"id:5678", 2, criteria.IDMobile, "Non mesuré depuis cette édition (2026-Q4)"},
	}
	for _, tt := range tests {
		if got := byID(tt.key, tt.at)[tt.id].Text(); got != tt.want {
			t.Errorf("%s at %d, %s: %q, want %q", tt.key, tt.at, tt.id, got, tt.want)
		}
	}
	out := publishThree(t, Options{})
	pages := htmlPages(t, out)
	if proc := pages["procedures/666.html"]; !strings.Contains(proc, "Non depuis 2 éditions, depuis 2026-Q3") {
		t.Error("the procedure page does not say since when")
	}
	// The statement of 12 March 2025, on 29 November 2026: 627 days old,
	// valid until 12 March 2028.
	proc := pages["procedures/1234.html"]
	if !strings.Contains(proc, "datée du 2025-03-12, il y a 627 jours") || !strings.Contains(proc, "jusqu'au 2028-03-12") || !strings.Contains(proc, "expire dans 469 jours") {
		t.Error("the procedure page lacks the statement's age and expiry")
	}
	recs, err := csv.NewReader(bytes.NewReader(readFile(t, out, latestCSV))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := func(n string) int { return slices.Index(recs[0], n) }
	if r := recs[3]; r[col("mobile_since")] != "2026-Q3" || r[col("mobile_editions")] != "2" {
		t.Errorf("CSV durations %q %q", r[col("mobile_since")], r[col("mobile_editions")])
	}
	if r := recs[1]; r[col("statement_date")] != "2025-03-12" || r[col("statement_expires")] != "2028-03-12" {
		t.Errorf("CSV statement %q %q", r[col("statement_date")], r[col("statement_expires")])
	}
	// The page of the longest-standing "Non": the payload's, two editions.
	bad := pages[durationsPage]
	if !strings.Contains(bad, "<td>2026-Q3</td><td>2</td>") || !strings.Contains(bad, `href="procedures/666.html"`) {
		t.Error("non-persistants.html lacks the longest-standing Non")
	}
}

func TestStatementAge(t *testing.T) {
	d := time.Date(2023, 1, 10, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		now  time.Time
		want string
	}{
		{time.Date(2025, 12, 31, 18, 0, 0, 0, time.UTC), "expire dans 10 jours"},
		{time.Date(2026, 1, 9, 0, 0, 0, 0, time.UTC), "expire dans 1 jour"},
		{time.Date(2026, 1, 10, 0, 0, 0, 0, time.UTC), "expire dans 0 jour"},
		{time.Date(2026, 1, 11, 0, 0, 0, 0, time.UTC), "expirée depuis 1 jour"},
		{time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC), "expirée depuis 50 jours"},
	}
	for _, tt := range tests {
		a, ok := newStatementAge(d, tt.now)
		if !ok || a.Mark() != tt.want || a.Expires != "2026-01-10" {
			t.Errorf("at %s: %q (expires %s), want %q", tt.now.Format(time.DateOnly), a.Mark(), a.Expires, tt.want)
		}
	}
	if _, ok := newStatementAge(time.Time{}, d); ok {
		t.Error("an undated statement has an age")
	}
}

// TestTableSchema validates data/schema.json against the Table Schema
// rules (a JSON Schema, by a JSON Schema validator), then checks that it
// describes every column of the CSV, in order, and that every value
// matches its field's type and constraints.
func TestTableSchema(t *testing.T) {
	out := publishThree(t, Options{})
	f, err := os.Open(filepath.Join("testdata", "table-schema.profile.json"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource("table-schema.json", doc); err != nil {
		t.Fatal(err)
	}
	profile, err := c.Compile("table-schema.json")
	if err != nil {
		t.Fatal(err)
	}
	raw := readFile(t, out, schemaFile)
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	if err := profile.Validate(inst); err != nil {
		t.Fatalf("schema.json is not a valid Table Schema: %v", err)
	}
	// The validator does refuse a field of an unknown type.
	bad, _ := jsonschema.UnmarshalJSON(bytes.NewReader(bytes.Replace(raw, []byte(`"type": "integer"`), []byte(`"type": "entier"`), 1)))
	if profile.Validate(bad) == nil {
		t.Error("the profile accepts an unknown field type")
	}

	var ts tableSchema
	if err := json.Unmarshal(raw, &ts); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{latestCSV, "data/2026-q2.csv", "data/2026-q3.csv"} {
		recs, err := csv.NewReader(bytes.NewReader(readFile(t, out, name))).ReadAll()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		var names []string
		for _, f := range ts.Fields {
			names = append(names, f.Name)
			if f.Title == "" || f.Description == "" {
				t.Errorf("field %s is not described", f.Name)
			}
		}
		if !slices.Equal(recs[0], names) {
			t.Fatalf("%s: header %v, schema %v", name, recs[0], names)
		}
		for i, rec := range recs[1:] {
			for j, v := range rec {
				if msg := checkValue(ts.Fields[j], v); msg != "" {
					t.Errorf("%s row %d, %s = %q: %s", name, i+2, ts.Fields[j].Name, v, msg)
				}
			}
		}
	}
	// The data dictionary page is made from the same fields.
	dict := htmlPages(t, out)[dictionaryPage]
	for _, f := range ts.Fields {
		if !strings.Contains(dict, "<code>"+f.Name+"</code>") {
			t.Errorf("the data dictionary lacks %s", f.Name)
		}
	}
	for _, v := range []string{
		`<a href="data/latest.csv">`, `<a href="data/latest.json">`, `<a href="data/schema.json">`, `<a href="changements.xml">`,
	} {
		if !strings.Contains(dict, v) {
			t.Errorf("the data page lacks %s", v)
		}
	}
	if !bytes.Equal(readFile(t, out, latestCSV), readFile(t, out, "data/2026-q4.csv")) || !bytes.Equal(readFile(t, out, latestJSON), readFile(t, out, "data/2026-q4.json")) {
		t.Error("latest.csv or latest.json differs from the latest edition's files")
	}
}

// checkValue checks a CSV value against a Table Schema field: "" is a
// missing value; others must parse as the field's type and meet its
// constraints. It returns what is wrong, "" if nothing.
func checkValue(f field, v string) string {
	if v == "" {
		if f.Constraints != nil && f.Constraints.Required {
			return "missing"
		}
		return ""
	}
	var n float64
	switch f.Type {
	case "string":
	case "integer":
		i, err := strconv.Atoi(v)
		if err != nil {
			return "not an integer"
		}
		n = float64(i)
	case "number":
		x, err := strconv.ParseFloat(v, 64)
		if err != nil || math.IsInf(x, 0) {
			return "not a number"
		}
		n = x
	case "date":
		if _, err := time.Parse(time.DateOnly, v); err != nil {
			return "not a date"
		}
	case "datetime":
		if _, err := time.Parse(time.RFC3339, v); err != nil {
			return "not a datetime"
		}
	default:
		return "type " + f.Type + " unchecked"
	}
	if c := f.Constraints; c != nil {
		if len(c.Enum) > 0 && !slices.Contains(c.Enum, v) {
			return "not in enum"
		}
		if c.Minimum != nil && n < float64(*c.Minimum) {
			return "below the minimum"
		}
	}
	return ""
}

func TestAtomFeed(t *testing.T) {
	out := publishThree(t, Options{})
	raw := readFile(t, out, feedFile)
	type link struct {
		Rel  string `xml:"rel,attr"`
		Href string `xml:"href,attr"`
	}
	var feed struct {
		XMLName xml.Name
		ID      string `xml:"http://www.w3.org/2005/Atom id"`
		Title   string `xml:"http://www.w3.org/2005/Atom title"`
		Updated string `xml:"http://www.w3.org/2005/Atom updated"`
		Author  []struct {
			Name string `xml:"http://www.w3.org/2005/Atom name"`
		} `xml:"http://www.w3.org/2005/Atom author"`
		Links   []link `xml:"http://www.w3.org/2005/Atom link"`
		Entries []struct {
			ID      string `xml:"http://www.w3.org/2005/Atom id"`
			Title   string `xml:"http://www.w3.org/2005/Atom title"`
			Updated string `xml:"http://www.w3.org/2005/Atom updated"`
			Links   []link `xml:"http://www.w3.org/2005/Atom link"`
			Content struct {
				Type string `xml:"type,attr"`
				Text string `xml:",chardata"`
			} `xml:"http://www.w3.org/2005/Atom content"`
		} `xml:"http://www.w3.org/2005/Atom entry"`
	}
	dec := xml.NewDecoder(bytes.NewReader(raw))
	dec.Strict = true
	if err := dec.Decode(&feed); err != nil {
		t.Fatalf("feed: %v", err)
	}
	// RFC 4287: atom:feed with one id, title and updated; an author (the
	// feed's, as entries have none); ids are IRIs; dates RFC 3339.
	if feed.XMLName.Space != "http://www.w3.org/2005/Atom" || feed.XMLName.Local != "feed" {
		t.Fatalf("root %v", feed.XMLName)
	}
	if feed.ID == "" || feed.Title == "" || len(feed.Author) != 1 || feed.Author[0].Name == "" {
		t.Errorf("feed id %q, title %q, author %v", feed.ID, feed.Title, feed.Author)
	}
	if _, err := time.Parse(time.RFC3339, feed.Updated); err != nil {
		t.Errorf("feed updated: %v", err)
	}
	if !slices.ContainsFunc(feed.Links, func(l link) bool { return l.Rel == "self" && l.Href == feedFile }) {
		t.Errorf("no self link: %v", feed.Links)
	}
	if len(feed.Entries) != 2 {
		t.Fatalf("%d entries, want one per pair of consecutive editions", len(feed.Entries))
	}
	ids := map[string]bool{}
	for _, e := range feed.Entries {
		if e.ID == "" || ids[e.ID] || !strings.HasPrefix(e.ID, "tag:") || e.Title == "" || len(e.Links) == 0 {
			t.Errorf("entry %+v", e)
		}
		ids[e.ID] = true
		if _, err := time.Parse(time.RFC3339, e.Updated); err != nil {
			t.Errorf("entry updated: %v", err)
		}
	}
	// Q3 to Q4: the housing procedure gains mobile and FranceConnect.
	e := feed.Entries[0]
	if !strings.Contains(e.Title, "Édition 2026-Q4 : 3 progrès et 0 recul depuis") || !strings.Contains(e.Content.Text, "Demander une aide au logement — Compatible mobile : Non → Oui (gagne un niveau)") {
		t.Errorf("entry %q: %q", e.Title, e.Content.Text)
	}
	if bytes.Contains(raw, []byte("<script")) || bytes.Contains(raw, []byte("<img")) {
		t.Error("the feed holds a raw payload")
	}
	if !strings.Contains(htmlPages(t, out)["index.html"], `type="application/atom+xml"`) {
		t.Error("pages do not announce the feed")
	}
}

func TestAboutSelection(t *testing.T) {
	pages := htmlPages(t, publishThree(t, Options{}))
	if _, ok := pages[aboutPage]; ok || strings.Contains(pages["index.html"], aboutPage) {
		t.Error("a page about the selection without configuration")
	}
	out := publishThree(t, Options{About: "Les démarches les plus utilisées.\n\nUne " + payloadScript + " démarche.", ProposeURL: "https://proposer.example.invalid/form"})
	pages = htmlPages(t, out)
	body := pages[aboutPage]
	if !strings.Contains(body, "<p>Les démarches les plus utilisées.</p>") || !strings.Contains(body, `href="https://proposer.example.invalid/form"`) || strings.Contains(body, payloadScript) {
		t.Error("about page content")
	}
	if !strings.Contains(pages["procedures/1234.html"], `href="../selection.html"`) {
		t.Error("pages do not link the about page")
	}
	// A link that is not http(s) is not shown.
	pages = htmlPages(t, publishThree(t, Options{About: "Texte.", ProposeURL: pwnedURL}))
	if strings.Contains(pages[aboutPage], "Proposer") {
		t.Error("a javascript: link to propose a procedure")
	}
	// The configuration file.
	p := filepath.Join(t.TempDir(), "site.yaml")
	os.WriteFile(p, []byte("about: |\n  Texte.\npropose_url: https://proposer.example.invalid/\n"), 0o644)
	o, err := LoadConfig(p)
	if err != nil || o.About != "Texte.\n" || o.ProposeURL != "https://proposer.example.invalid/" {
		t.Errorf("LoadConfig: %+v, %v", o, err)
	}
	os.WriteFile(p, []byte("propose_url: javascript:alert(1)\n"), 0o644)
	if _, err := LoadConfig(p); err == nil {
		t.Error("LoadConfig accepts a javascript: URL")
	}
	os.WriteFile(p, []byte("abuot: x\n"), 0o644)
	if _, err := LoadConfig(p); err == nil {
		t.Error("LoadConfig accepts an unknown key")
	}
}

// TestNewFilesEscapePayloads checks the search index and the feed hold the
// payloads only escaped (the HTML pages are checked by
// TestPublishEscapesScannedContent, which walks them all).
func TestNewFilesEscapePayloads(t *testing.T) {
	out := publishThree(t, Options{})
	idx := readFile(t, out, searchIndex)
	if bytes.Contains(idx, []byte("<")) || bytes.Contains(idx, []byte(">")) {
		t.Error("the search index holds a raw < or >")
	}
	var f searchIndexFile
	if err := json.Unmarshal(idx, &f); err != nil || f.Procedures[2].Title != payloadScript+pwnedScript {
		t.Errorf("the payload title does not survive as data: %v", err)
	}
	for _, rel := range []string{feedFile, "tendances/ministeres/ministere-img-src-x-onerror-alert-1-img-src-x-onerror-window-pwned-2/mobile.csv"} {
		b := readFile(t, out, rel)
		if rel == feedFile && (bytes.Contains(b, []byte("<script")) || bytes.Contains(b, []byte("<img"))) {
			t.Errorf("%s holds a raw payload", rel)
		}
	}
	pages := htmlPages(t, out)
	for _, name := range []string{"tendances/ministeres/ministere-img-src-x-onerror-alert-1-img-src-x-onerror-window-pwned-2.html", searchPage, durationsPage, "niveaux/mobile-bad.html"} {
		body, ok := pages[name]
		if !ok {
			t.Errorf("no page %s", name)
			continue
		}
		if strings.Contains(body, "<img src=x") || strings.Contains(body, payloadScript) {
			t.Errorf("%s holds a raw payload", name)
		}
	}
}

// TestOpenJSONWithoutDOMFacts checks that the open data's JSON keeps the
// verdicts and their evidence but not the scanner's raw DOM facts, and
// that the site still uses them (the statement's date).
func TestOpenJSONWithoutDOMFacts(t *testing.T) {
	out := publishThree(t, Options{})
	raw := readFile(t, out, latestJSON)
	if bytes.Contains(raw, []byte("Cette déclaration a été établie")) {
		t.Error("latest.json holds a page's text")
	}
	var got openEdition
	if err := json.Unmarshal(raw, &got); err != nil {
		t.Fatal(err)
	}
	r := got.Results[0]
	if st := r.Assessment.Pages[observatory.PageStatement]; st == nil || st.Status != scanner.StatusOK || st.Desktop != nil {
		t.Errorf("statement page in the JSON: %+v", st)
	}
	if v := r.Verdict(criteria.IDOnline); len(v.Evidence) == 0 || r.Assessment.Pages[observatory.PageStart].Axe == nil {
		t.Error("the JSON lost the evidence or the axe results")
	}
	if !strings.Contains(htmlPages(t, out)["procedures/1234.html"], "datée du 2025-03-12") {
		t.Error("the site lost the statement's date")
	}
}
