package site

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/observatoire-scanner/observatoire/criteria"
	"github.com/observatoire-scanner/observatoire/observatory"
	"github.com/observatoire-scanner/observatoire/observatory/edition"
)

// The open data's stable addresses.
const (
	latestCSV      = "data/latest.csv"
	latestJSON     = "data/latest.json"
	schemaFile     = "data/schema.json"
	dictionaryPage = "donnees.html"
	feedFile       = "changements.xml"
)

// field describes one CSV column: the one description behind the CSV's
// header, its Table Schema and the data dictionary page.
type field struct {
	Name        string   `json:"name"`
	Type        string   `json:"type"`
	Format      string   `json:"format,omitempty"`
	Title       string   `json:"title"`
	Description string   `json:"description"`
	Example     string   `json:"example,omitempty"`
	Constraints *fieldOK `json:"constraints,omitempty"`
}

// fieldOK are a field's Table Schema constraints.
type fieldOK struct {
	Required bool     `json:"required,omitempty"`
	Enum     []string `json:"enum,omitempty"`
	Minimum  *int     `json:"minimum,omitempty"`
	Maximum  *int     `json:"maximum,omitempty"`
}

func intp(n int) *int { return &n }

// levelValues are the values of the *_level columns.
func levelValues() []string {
	var out []string
	for _, l := range edition.Levels {
		out = append(out, string(l))
	}
	return out
}

// fields lists the CSV's columns, in order.
func fields() []field {
	fs := []field{
		{Name: "id", Type: "string", Title: "Identifiant", Description: "Identifiant de la démarche dans le catalogue, stable d'une édition à l'autre (identifiant JDMA pour le catalogue par défaut).", Example: "44"},
		{Name: "title", Type: "string", Title: "Démarche", Description: "Titre de la démarche : celui du catalogue, sinon le titre de sa page de départ."},
		{Name: "ministry", Type: "string", Title: "Ministère", Description: "Ministère dont relève la démarche (vide si le catalogue ne le donne pas)."},
		{Name: "administration", Type: "string", Title: "Administration", Description: "Administration ou opérateur qui propose la démarche (vide si le catalogue ne le donne pas)."},
		{Name: "url", Type: "string", Title: "Page de départ", Description: "Adresse de la page de départ de la démarche."},
		{Name: "volume", Type: "integer", Title: "Volume annuel", Description: "Nombre annuel d'utilisations de la démarche selon le catalogue ; vide s'il ne le donne pas.", Constraints: &fieldOK{Minimum: intp(0)}},
		{Name: "online_share", Type: "number", Title: "Part en ligne", Description: "Part des utilisations faites en ligne, en pourcentage (0 à 100), selon le catalogue ; vide s'il ne la donne pas."},
		{Name: "outcome", Type: "string", Title: "Issue de la mesure", Description: "measured : la page de départ a été chargée et les critères jugés ; failed : elle n'a pas pu l'être.", Constraints: &fieldOK{Required: true, Enum: []string{string(observatory.Measured), string(observatory.Failed)}}},
		{Name: "reason", Type: "string", Title: "Raison de l'échec", Description: "Pourquoi la page de départ n'a pas été chargée (vide si elle l'a été)."},
		{Name: "scanned_at", Type: "datetime", Title: "Date de la mesure", Description: "Fin de la mesure de la démarche, en UTC (ISO 8601)."},
		{Name: "statement_date", Type: "date", Title: "Date de la déclaration d'accessibilité", Description: "Date la plus récente lue sur la déclaration d'accessibilité (vide si aucune)."},
		{Name: "statement_expires", Type: "date", Title: "Fin de validité de la déclaration", Description: "Date à laquelle la déclaration cesse d'être valable : trois ans après sa date."},
	}
	for _, id := range criteria.IDs {
		t := id.Title()
		fs = append(fs,
			field{Name: string(id) + "_level", Type: "string", Title: t + " : niveau", Description: "Niveau du critère « " + t + " » : good (Oui), partial (Partiel), bad (Non), not-applicable (Non applicable), not-measured (Non mesuré).", Constraints: &fieldOK{Enum: levelValues()}},
			field{Name: string(id) + "_label", Type: "string", Title: t + " : libellé", Description: "Libellé affiché pour le critère « " + t + " » (par exemple « Oui », « 7,1/10 », « FranceConnect+ »)."},
			field{Name: string(id) + "_value", Type: "number", Title: t + " : valeur", Description: "Nombre derrière le libellé du critère « " + t + " », s'il y en a un (note, taux, nombre de canaux)."},
			field{Name: string(id) + "_since", Type: "string", Title: t + " : depuis l'édition", Description: "Première édition d'une suite ininterrompue d'éditions où le critère « " + t + " » a ce niveau."},
			field{Name: string(id) + "_editions", Type: "integer", Title: t + " : nombre d'éditions", Description: "Nombre d'éditions consécutives, jusqu'à celle-ci, où le critère « " + t + " » a ce niveau.", Constraints: &fieldOK{Minimum: intp(1)}},
		)
	}
	return fs
}

// csvHeader is the CSV's first row.
func csvHeader() []string {
	var h []string
	for _, f := range fields() {
		h = append(h, f.Name)
	}
	return h
}

// tableSchema is a Frictionless Table Schema.
type tableSchema struct {
	Schema        string   `json:"$schema,omitempty"`
	Name          string   `json:"name"`
	Title         string   `json:"title"`
	Description   string   `json:"description"`
	Fields        []field  `json:"fields"`
	MissingValues []string `json:"missingValues"`
}

// schemaJSON is the Table Schema of the CSV files.
func schemaJSON() ([]byte, error) {
	ts := tableSchema{
		Name:          "observatoire-demarches",
		Title:         "Observatoire des démarches en ligne : résultats d'une édition",
		Description:   "Une ligne par démarche ; pour chaque critère, son niveau, son libellé, sa valeur et depuis quand il a ce niveau.",
		Fields:        fields(),
		MissingValues: []string{""},
	}
	b, err := json.MarshalIndent(ts, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("publish: %s: %w", schemaFile, err)
	}
	return append(b, '\n'), nil
}

// editionCSV encodes edition number i as RFC 4180 CSV, one row per
// procedure.
func (s *site) editionCSV(i int) ([]byte, error) {
	e := s.editions[i]
	var buf bytes.Buffer
	cw := csv.NewWriter(&buf)
	cw.UseCRLF = true // RFC 4180
	if err := cw.Write(csvHeader()); err != nil {
		return nil, err
	}
	for j := range e.Results {
		r := &e.Results[j]
		rec := []string{r.Procedure.ID, r.Title, r.Procedure.Ministry, r.Procedure.Administration, r.Procedure.URL, "", "",
			string(r.Outcome), r.Reason, "", "", ""}
		if r.Procedure.Volume > 0 {
			rec[5] = strconv.Itoa(r.Procedure.Volume)
		}
		if v := r.Procedure.OnlineShare; v != nil {
			rec[6] = strconv.FormatFloat(*v, 'f', -1, 64)
		}
		if !r.ScannedAt.IsZero() {
			rec[9] = r.ScannedAt.UTC().Format("2006-01-02T15:04:05Z")
		}
		if d := statementDate(r); !d.IsZero() {
			rec[10], rec[11] = d.Format(time.DateOnly), d.AddDate(validity, 0, 0).Format(time.DateOnly)
		}
		durs := map[criteria.ID]duration{}
		for _, d := range s.durationsAt(resultKey(r), i) {
			durs[d.Criterion] = d
		}
		for _, id := range criteria.IDs {
			v := r.Verdict(id)
			val := ""
			if v.Value != nil {
				val = strconv.FormatFloat(*v.Value, 'f', -1, 64)
			}
			d := durs[id]
			rec = append(rec, string(levelClass(v.Level)), verdictLabel(v), val, d.Since, strconv.Itoa(d.Editions))
		}
		if err := cw.Write(rec); err != nil {
			return nil, err
		}
	}
	cw.Flush()
	return buf.Bytes(), cw.Error()
}

// change is one procedure's level change on one criterion between two
// consecutive editions.
type change struct {
	Title, Href string
	Criterion   criteria.ID
	From, To    criteria.Level
}

// Better says the level went up (a rank that is higher).
func (c change) Better() bool { return c.To.Rank() > c.From.Rank() }

// changes lists the level changes from edition index i-1 to i, in
// catalogue order, for procedures rated in both (levels good, partial or
// bad).
func (s *site) changes(i int) []change {
	var out []change
	e := s.editions[i]
	for j := range e.Results {
		r := &e.Results[j]
		prev := s.history(resultKey(r))[i-1]
		if prev == nil {
			continue
		}
		for _, id := range criteria.IDs {
			from, to := levelClass(prev.Verdict(id).Level), levelClass(r.Verdict(id).Level)
			if from == to || from.Rank() < 0 || to.Rank() < 0 {
				continue
			}
			out = append(out, change{Title: r.Title, Href: s.procHref(r), Criterion: id, From: from, To: to})
		}
	}
	return out
}

// Atom types: RFC 4287.
type atomFeed struct {
	XMLName xml.Name    `xml:"http://www.w3.org/2005/Atom feed"`
	Lang    string      `xml:"xml:lang,attr"`
	ID      string      `xml:"id"`
	Title   string      `xml:"title"`
	Updated string      `xml:"updated"`
	Author  atomPerson  `xml:"author"`
	Links   []atomLink  `xml:"link"`
	Entries []atomEntry `xml:"entry"`
}

type atomPerson struct {
	Name string `xml:"name"`
}

type atomLink struct {
	Rel  string `xml:"rel,attr,omitempty"`
	Href string `xml:"href,attr"`
	Type string `xml:"type,attr,omitempty"`
}

type atomEntry struct {
	ID      string     `xml:"id"`
	Title   string     `xml:"title"`
	Updated string     `xml:"updated"`
	Links   []atomLink `xml:"link"`
	Content atomText   `xml:"content"`
}

type atomText struct {
	Type string `xml:"type,attr"`
	Text string `xml:",chardata"`
}

// editionTime dates an edition: its end, else its start.
func editionTime(e *edition.Edition) time.Time {
	if !e.Meta.Finished.IsZero() {
		return e.Meta.Finished
	}
	return e.Meta.Started
}

// feedXML is the Atom feed of level changes: one entry per pair of
// consecutive editions, listing the procedures that gained or lost a
// level. Links are relative to the feed, which sits at the site's root.
// Ids are tag URIs, so that the feed is valid wherever it is hosted.
func (s *site) feedXML() ([]byte, error) {
	updated := editionTime(s.latest)
	if updated.IsZero() {
		updated = s.opts.Now
	}
	f := atomFeed{
		Lang: "fr", ID: "tag:observatoire.invalid,2026:changements",
		Title:   "Observatoire des démarches en ligne : changements de niveau entre éditions",
		Updated: updated.UTC().Format(time.RFC3339),
		Author:  atomPerson{Name: "Observatoire des démarches en ligne"},
		Links:   []atomLink{{Rel: "self", Href: feedFile, Type: "application/atom+xml"}, {Rel: "alternate", Href: indexPage, Type: "text/html"}},
	}
	for i := len(s.editions) - 1; i >= 1; i-- {
		e, prev := s.editions[i], s.editions[i-1]
		ch := s.changes(i)
		up := 0
		var lines []string
		for _, c := range ch {
			verb := "perd un niveau"
			if c.Better() {
				verb, up = "gagne un niveau", up+1
			}
			title := c.Title
			if title == "" {
				title = "Démarche sans titre"
			}
			lines = append(lines, fmt.Sprintf("%s — %s : %s → %s (%s)", title, c.Criterion.Title(), c.From.Word(), c.To.Word(), verb))
		}
		if len(lines) == 0 {
			lines = []string{"Aucun changement de niveau."}
		}
		t := editionTime(e)
		if t.IsZero() {
			t = updated
		}
		f.Entries = append(f.Entries, atomEntry{
			ID:      "tag:observatoire.invalid,2026:changements:" + s.edSlugs.get(prev.Meta.Name) + ":" + s.edSlugs.get(e.Meta.Name),
			Title:   fmt.Sprintf("Édition %s : %d progrès et %d recul%s depuis l'édition %s", e.Meta.Name, up, len(ch)-up, plural(float64(len(ch)-up)), prev.Meta.Name),
			Updated: t.UTC().Format(time.RFC3339),
			Links:   []atomLink{{Rel: "alternate", Href: s.editionHref(e), Type: "text/html"}},
			Content: atomText{Type: "text", Text: strings.Join(lines, "\n")},
		})
	}
	b, err := xml.MarshalIndent(f, "", " ")
	if err != nil {
		return nil, fmt.Errorf("publish: %s: %w", feedFile, err)
	}
	return append([]byte(xml.Header), append(b, '\n')...), nil
}

// dictionaryView is the data dictionary page.
type dictionaryView struct {
	Fields         []field
	Latest         string
	LatestCSV      string
	LatestJSON     string
	Schema         string
	Feed           string
	EditionCSV     string
	PerEditionNote string
}

// writeOpenData writes the latest edition's data at stable addresses, the
// Table Schema, the data dictionary page and the Atom feed.
func (s *site) writeOpenData(w *writer) error {
	name := "data/" + s.edSlugs.get(s.latest.Meta.Name)
	b, err := schemaJSON()
	if err != nil {
		return err
	}
	if err := w.file(schemaFile, b); err != nil {
		return err
	}
	if b, err = s.feedXML(); err != nil {
		return err
	}
	if err := w.file(feedFile, b); err != nil {
		return err
	}
	v := &dictionaryView{Fields: fields(), Latest: s.latest.Meta.Name, LatestCSV: latestCSV, LatestJSON: latestJSON,
		Schema: schemaFile, Feed: feedFile, EditionCSV: name + ".csv"}
	return w.page(dictionaryPage, "dictionary", &page{Title: "Données ouvertes et dictionnaire des données", Nav: "donnees", Data: v})
}
