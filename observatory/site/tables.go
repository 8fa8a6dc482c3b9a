package site

import (
	"fmt"
	"github.com/observatoire-scanner/observatoire/observatory"
	"github.com/observatoire-scanner/observatoire/observatory/edition"
	"time"

	"github.com/observatoire-scanner/observatoire/criteria"
)

// tableView is a page built around a table of results: the home page and
// its sorted variants, a ministry, an administration, an edition.
type tableView struct {
	Heading string
	Intro   string
	Edition editionInfo
	Totals  []total
	// Sortable: the column headers link to the pre-rendered sorted
	// variants (the home page); elsewhere the script alone sorts.
	Sortable bool
	Sort     string
	Columns  []column
	Rows     []row
	// Filters link to the pages per ministry and per administration.
	Ministries, Administrations []filterLink
	// Search is the search form (the home page and the search page);
	// LevelFilters link to the pages per criterion and level;
	// SearchPage marks the search page.
	Search       *searchForm
	LevelFilters []levelLinks
	SearchPage   bool
	// Volumes: the catalogue gives yearly volumes (a column, and the
	// default order, largest first).
	Volumes bool
	// Trend links the page's trends (a ministry's or administration's).
	Trend string
	// FeedHref is the Atom feed of level changes (the home page).
	Feed bool
}

// column is a criterion's header cell.
type column struct {
	ID      criteria.ID
	Title   string
	Href    string
	Current bool
}

// filterLink is a link to a filtered page with the number of procedures.
type filterLink struct {
	Text  string
	Href  string
	Count int
	// Slug is the value of the search form's select.
	Slug string
}

// editionInfo describes an edition in a page.
type editionInfo struct {
	Name     string
	Href     string
	Started  string
	Finished string
	Meta     edition.Meta
	JSON     string
	CSV      string
	Count    int
}

func (s *site) editionInfo(e *edition.Edition) editionInfo {
	ds := s.edSlugs.get(e.Meta.Name)
	return editionInfo{
		Name: e.Meta.Name, Href: s.editionHref(e),
		Started: frenchDate(e.Meta.Started), Finished: frenchDate(e.Meta.Finished),
		Meta: e.Meta, JSON: "data/" + ds + ".json", CSV: "data/" + ds + ".csv",
		Count: len(e.Results),
	}
}

var months = [...]string{"janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"}

// frenchDate formats t as "2 janvier 2026" ("" for the zero time).
func frenchDate(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	d := fmt.Sprint(t.Day())
	if t.Day() == 1 {
		d = "1er"
	}
	return fmt.Sprintf("%s %s %d", d, months[t.Month()-1], t.Year())
}

// sortPage is the file of the home page sorted by key ("" for catalogue
// order).
func sortPage(key string) string {
	if key == "" {
		return indexPage
	}
	return "tri-" + key + ".html"
}

// filters lists the ministries and administrations of results.
func (s *site) filters(results []observatory.Result) (mins, admins []filterLink) {
	mc, ac := map[string]int{}, map[string]int{}
	for i := range results {
		if m := results[i].Procedure.Ministry; m != "" {
			mc[m]++
		}
		if a := results[i].Procedure.Administration; a != "" {
			ac[a]++
		}
	}
	for _, m := range sortedKeys(mc) {
		mins = append(mins, filterLink{Text: m, Href: s.ministryHref(m), Count: mc[m], Slug: s.minSlugs.get(m)})
	}
	for _, a := range sortedKeys(ac) {
		admins = append(admins, filterLink{Text: a, Href: s.adminHref(a), Count: ac[a], Slug: s.adminSlugs.get(a)})
	}
	return mins, admins
}

// table builds a table page of results from edition e.
func (s *site) table(e *edition.Edition, results []observatory.Result, sortKey string, sortable bool) *tableView {
	t := &tableView{Edition: s.editionInfo(e), Sortable: sortable, Sort: sortKey, Rows: s.rows(results), Volumes: s.volumes}
	key := sortKey
	if key == "" && s.volumes {
		key = "volume"
	}
	sortRows(t.Rows, key)
	for _, id := range criteria.IDs {
		c := column{ID: id, Title: id.Title(), Current: sortKey == string(id)}
		if sortable {
			c.Href = sortPage(string(id))
		}
		t.Columns = append(t.Columns, c)
	}
	return t
}

// writeTables writes the home page, its sorted variants, and one page per
// ministry and per administration of the latest edition.
func (s *site) writeTables(w *writer) error {
	e := s.latest
	var prev []observatory.Result
	prevName := ""
	if p := s.previous(e); p != nil {
		prev, prevName = p.Results, p.Meta.Name
	}
	mins, admins := s.filters(e.Results)
	levels := s.levelFilters(e.Results)
	keys := []string{"", "catalogue", "titre"}
	for _, id := range criteria.IDs {
		keys = append(keys, string(id))
	}
	for _, k := range keys {
		t := s.table(e, e.Results, k, true)
		t.Heading = "Vos démarches essentielles : édition " + e.Meta.Name
		t.Totals = totals(e.Results, prev, prevName)
		t.Ministries, t.Administrations = mins, admins
		t.Search = s.searchForm(e.Results)
		t.LevelFilters = levels
		t.Feed = true
		title := "Tableau de bord, édition " + e.Meta.Name
		switch k {
		case "":
		case "catalogue":
			title += ", dans l'ordre du catalogue"
		case "titre":
			title += ", trié par démarche"
		default:
			title += ", trié par " + criteria.ID(k).Title()
		}
		if err := w.page(sortPage(k), "table", &page{Title: title, Nav: "index", Data: t}); err != nil {
			return err
		}
	}
	for _, group := range []struct {
		links []filterLink
		pick  func(*observatory.Result) string
		kind  string
	}{
		{mins, func(r *observatory.Result) string { return r.Procedure.Ministry }, "Ministère"},
		{admins, func(r *observatory.Result) string { return r.Procedure.Administration }, "Administration"},
	} {
		for _, l := range group.links {
			var sel []observatory.Result
			for i := range e.Results {
				if group.pick(&e.Results[i]) == l.Text {
					sel = append(sel, e.Results[i])
				}
			}
			t := s.table(e, sel, "", false)
			t.Heading = l.Text
			t.Trend = "tendances/" + l.Href
			t.Intro = fmt.Sprintf("%s : %d démarche%s dans l'édition %s.", group.kind, len(sel), plural(float64(len(sel))), e.Meta.Name)
			t.Totals = totals(sel, nil, "")
			if err := w.page(l.Href, "table", &page{Title: l.Text, Nav: "index", Data: t}); err != nil {
				return err
			}
		}
	}
	return nil
}

// editionsView is the list of editions, newest first.
type editionsView struct {
	Editions []editionInfo
}

// writeEditions writes editions.html and one page per edition.
func (s *site) writeEditions(w *writer) error {
	v := &editionsView{}
	for i := len(s.editions) - 1; i >= 0; i-- {
		v.Editions = append(v.Editions, s.editionInfo(s.editions[i]))
	}
	if err := w.page(editionsPage, "editions", &page{Title: "Éditions", Nav: "editions", Data: v}); err != nil {
		return err
	}
	for _, e := range s.editions {
		var prev []observatory.Result
		prevName := ""
		if p := s.previous(e); p != nil {
			prev, prevName = p.Results, p.Meta.Name
		}
		t := s.table(e, e.Results, "", false)
		t.Heading = "Édition " + e.Meta.Name
		t.Totals = totals(e.Results, prev, prevName)
		if err := w.page(s.editionHref(e), "table", &page{Title: "Édition " + e.Meta.Name, Nav: "editions", Data: t}); err != nil {
			return err
		}
	}
	return nil
}
