package site

import (
	"bytes"
	"encoding/json"
	"fmt"

	"github.com/observatoire-scanner/observatoire/criteria"
	"github.com/observatoire-scanner/observatoire/observatory"
	"github.com/observatoire-scanner/observatoire/observatory/edition"
)

// The search's files, relative to the site's root.
const (
	searchPage  = "recherche.html"
	searchIndex = "data/index.json"
)

// searchForm is the form of the search: free text and filters that
// combine. It sends to searchPage; with JavaScript it filters the table
// of its page in place.
type searchForm struct {
	Ministries, Administrations []filterLink
	Criteria                    []option
	Levels                      []option
}

// option is one choice of a select.
type option struct {
	Value, Text string
}

// levelPage is the pre-rendered page of the latest edition's procedures
// at level l on criterion id.
func levelPage(id criteria.ID, l criteria.Level) string {
	return "niveaux/" + string(id) + "-" + string(l) + ".html"
}

// levelLinks lists, per criterion, the pre-rendered pages per level.
type levelLinks struct {
	Criterion criteria.ID
	Title     string
	Links     []filterLink
}

func (s *site) searchForm(results []observatory.Result) *searchForm {
	f := &searchForm{}
	f.Ministries, f.Administrations = s.filters(results)
	for _, id := range criteria.IDs {
		f.Criteria = append(f.Criteria, option{string(id), id.Title()})
	}
	for _, l := range edition.Levels {
		f.Levels = append(f.Levels, option{string(l), l.Word()})
	}
	return f
}

// levelFilters lists the level pages of results, with their counts.
func (s *site) levelFilters(results []observatory.Result) []levelLinks {
	var out []levelLinks
	for _, id := range criteria.IDs {
		ll := levelLinks{Criterion: id, Title: id.Title()}
		for _, l := range edition.Levels {
			n := 0
			for i := range results {
				if levelClass(results[i].Verdict(id).Level) == l {
					n++
				}
			}
			if n > 0 {
				ll.Links = append(ll.Links, filterLink{Text: l.Word(), Href: levelPage(id, l), Count: n})
			}
		}
		out = append(out, ll)
	}
	return out
}

// indexEntry is one procedure in the search index.
type indexEntry struct {
	// ID is the procedure's slug, as in its table row's data-id.
	ID             string `json:"id"`
	Title          string `json:"title"`
	Ministry       string `json:"ministry,omitempty"`
	Administration string `json:"administration,omitempty"`
	// MinistrySlug and AdminSlug are the values of the form's selects.
	MinistrySlug string `json:"m,omitempty"`
	AdminSlug    string `json:"a,omitempty"`
	Href         string `json:"href"`
	// Text is what free text matches: title, ministry and administration,
	// accents and case folded.
	Text   string                 `json:"text"`
	Levels map[criteria.ID]string `json:"levels"`
	Volume int                    `json:"volume,omitempty"`
}

// searchIndexFile is the JSON index the script searches.
type searchIndexFile struct {
	Edition    string       `json:"edition"`
	Procedures []indexEntry `json:"procedures"`
}

// searchIndexJSON encodes the latest edition's search index. JSON escapes
// <, > and & so that the file is safe whatever the labels hold.
func (s *site) searchIndexJSON() ([]byte, error) {
	e := s.latest
	f := searchIndexFile{Edition: e.Meta.Name, Procedures: []indexEntry{}}
	for i := range e.Results {
		r := &e.Results[i]
		p := s.procs[resultKey(r)]
		en := indexEntry{
			ID: p.Slug, Title: r.Title, Ministry: r.Procedure.Ministry, Administration: r.Procedure.Administration,
			Href: s.procHref(r), Text: criteria.Fold(r.Title + " " + r.Procedure.Ministry + " " + r.Procedure.Administration),
			Levels: map[criteria.ID]string{}, Volume: r.Procedure.Volume,
		}
		if r.Procedure.Ministry != "" {
			en.MinistrySlug = s.minSlugs.get(r.Procedure.Ministry)
		}
		if r.Procedure.Administration != "" {
			en.AdminSlug = s.adminSlugs.get(r.Procedure.Administration)
		}
		for _, id := range criteria.IDs {
			en.Levels[id] = string(levelClass(r.Verdict(id).Level))
		}
		f.Procedures = append(f.Procedures, en)
	}
	var buf bytes.Buffer
	if err := json.NewEncoder(&buf).Encode(f); err != nil {
		return nil, fmt.Errorf("publish: %s: %w", searchIndex, err)
	}
	return buf.Bytes(), nil
}

// writeSearch writes the search page, the JSON index and one page per
// criterion and level of the latest edition.
func (s *site) writeSearch(w *writer) error {
	e := s.latest
	b, err := s.searchIndexJSON()
	if err != nil {
		return err
	}
	if err := w.file(searchIndex, b); err != nil {
		return err
	}
	t := s.table(e, e.Results, "", false)
	t.Heading = "Rechercher une démarche"
	t.Search = s.searchForm(e.Results)
	t.Ministries, t.Administrations = s.filters(e.Results)
	t.LevelFilters = s.levelFilters(e.Results)
	t.SearchPage = true
	if err := w.page(searchPage, "table", &page{Title: "Rechercher une démarche", Nav: "recherche", Data: t}); err != nil {
		return err
	}
	for _, ll := range t.LevelFilters {
		for _, l := range edition.Levels {
			var sel []observatory.Result
			for i := range e.Results {
				if levelClass(e.Results[i].Verdict(ll.Criterion).Level) == l {
					sel = append(sel, e.Results[i])
				}
			}
			if len(sel) == 0 {
				continue
			}
			t := s.table(e, sel, "", false)
			t.Heading = ll.Title + " : " + l.Word()
			t.Intro = fmt.Sprintf("Les %d démarche%s de l'édition %s dont le critère « %s » est au niveau « %s ».", len(sel), plural(float64(len(sel))), e.Meta.Name, ll.Title, l.Word())
			t.Totals = totals(sel, nil, "")
			if err := w.page(levelPage(ll.Criterion, l), "table", &page{Title: t.Heading, Nav: "recherche", Data: t}); err != nil {
				return err
			}
		}
	}
	return nil
}
