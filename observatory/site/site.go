package site

import (
	"cmp"
	"github.com/observatoire-scanner/observatoire/observatory"
	"github.com/observatoire-scanner/observatoire/observatory/edition"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/observatoire-scanner/observatoire/criteria"
)

// site is the model of the published site: the editions and the file
// names given to procedures, ministries, administrations and editions.
type site struct {
	editions []*edition.Edition
	latest   *edition.Edition
	// procs maps a procedure's key to its entry; order lists the keys in
	// the order first seen, latest edition first.
	procs map[string]*procEntry
	order []string
	// Slugs for file names.
	procSlugs, minSlugs, adminSlugs, edSlugs *slugger
	// hist maps a procedure's key to its result in each edition.
	hist map[string][]*observatory.Result
	opts Options
	// volumes says whether any procedure of the latest edition has a
	// yearly volume.
	volumes bool
}

// procEntry is one procedure across editions.
type procEntry struct {
	Key  string
	Slug string
	// Result is the procedure's newest result, from Edition.
	Result  *observatory.Result
	Edition *edition.Edition
}

// resultKey identifies a procedure across editions: its catalogue id, else
// its start URL, else its title.
func resultKey(r *observatory.Result) string {
	switch {
	case r.Procedure.ID != "":
		return "id:" + r.Procedure.ID
	case r.Procedure.URL != "":
		return "url:" + r.Procedure.URL
	}
	return "title:" + r.Title
}

func newSite(editions []*edition.Edition, opts Options) *site {
	s := &site{
		opts:      opts,
		editions:  editions,
		latest:    editions[len(editions)-1],
		procs:     map[string]*procEntry{},
		procSlugs: newSlugger(), minSlugs: newSlugger(), adminSlugs: newSlugger(), edSlugs: newSlugger(),
	}
	for _, e := range editions {
		s.edSlugs.get(e.Meta.Name)
	}
	for i := len(editions) - 1; i >= 0; i-- {
		e := editions[i]
		for j := range e.Results {
			r := &e.Results[j]
			k := resultKey(r)
			if _, ok := s.procs[k]; ok {
				continue
			}
			name := r.Procedure.ID
			if name == "" {
				name = r.Title
			}
			s.procs[k] = &procEntry{Key: k, Slug: s.procSlugs.get(name), Result: r, Edition: e}
			s.order = append(s.order, k)
		}
	}
	s.indexHistory()
	for i := range s.latest.Results {
		if s.latest.Results[i].Procedure.Volume > 0 {
			s.volumes = true
		}
	}
	return s
}

// procHref is the path of a result's procedure page from the root.
func (s *site) procHref(r *observatory.Result) string {
	return "procedures/" + s.procs[resultKey(r)].Slug + ".html"
}

func (s *site) ministryHref(name string) string {
	if name == "" {
		return ""
	}
	return "ministeres/" + s.minSlugs.get(name) + ".html"
}

func (s *site) adminHref(name string) string {
	if name == "" {
		return ""
	}
	return "administrations/" + s.adminSlugs.get(name) + ".html"
}

func (s *site) editionHref(e *edition.Edition) string {
	return "editions/" + s.edSlugs.get(e.Meta.Name) + ".html"
}

// previous returns the edition before e, or nil.
func (s *site) previous(e *edition.Edition) *edition.Edition {
	i := slices.Index(s.editions, e)
	if i <= 0 {
		return nil
	}
	return s.editions[i-1]
}

// badgeView is one criterion's cell: its colour class and its text, never
// the colour alone.
type badgeView struct {
	Criterion criteria.ID
	Level     criteria.Level
	Label     string
	// LevelText names the level in words (criteria.Level.Word: "Oui",
	// "Partiel"...), for the cell's title and the legend.
	LevelText string
	// Sort orders cells (for the script that sorts in place): the level's
	// rank, then the value.
	Sort string
	key  float64
}

// levelClass is the CSS class (and SVG colour) of a level; an unknown or
// missing level counts as not measured.
func levelClass(l criteria.Level) criteria.Level {
	switch l {
	case criteria.Good, criteria.Partial, criteria.Bad, criteria.NotApplicable:
		return l
	}
	return criteria.NotMeasured
}

// verdictLabel is the text shown for a verdict: its label, else the
// level's default.
func verdictLabel(v criteria.Verdict) string {
	if l := strings.TrimSpace(v.Label); l != "" {
		return l
	}
	return levelClass(v.Level).Word()
}

func newBadge(id criteria.ID, v criteria.Verdict) badgeView {
	sortKey := float64(v.Level.Rank()+1) * 1e6
	if v.Value != nil && !math.IsNaN(*v.Value) && !math.IsInf(*v.Value, 0) {
		sortKey += math.Max(-1e5, math.Min(1e5, *v.Value))
	}
	return badgeView{
		Criterion: id, Level: levelClass(v.Level), Label: verdictLabel(v),
		LevelText: levelClass(v.Level).Word(),
		Sort:      strconv.FormatFloat(sortKey, 'f', -1, 64),
		key:       sortKey,
	}
}

// total is one criterion's headline figure for an edition.
type total struct {
	ID     criteria.ID
	Phrase string
	// Percent of the evaluated procedures rated good; Evaluated counts
	// those rated good, partial or bad.
	Percent   string
	Good      int
	Evaluated int
	// Change since the previous edition, in points ("" without one).
	Change      string
	ChangeClass string
	Previous    string
	Target      string
}

// headline is how the observatory words each criterion's total.
var headline = map[criteria.ID]string{
	criteria.IDOnline:        "des démarches réalisables en ligne",
	criteria.IDSatisfaction:  "avec une satisfaction d'au moins 8/10",
	criteria.IDMobile:        "des démarches compatibles mobile",
	criteria.IDSupport:       "avec une aide joignable par au moins deux canaux",
	criteria.IDAvailability:  "des démarches disponibles et rapides",
	criteria.IDFranceConnect: "avec FranceConnect",
	criteria.IDAccessibility: "totalement accessibles (RGAA 100 %)",
	criteria.IDDLNUF:         "qui ne redemandent pas les données déjà connues",
}

// targets are the government's targets, from the reference.
var targets = map[criteria.ID]string{
	criteria.IDOnline:        "Objectif : 100 % des démarches entièrement en ligne (décembre 2026)",
	criteria.IDSatisfaction:  "Objectif : une satisfaction supérieure à 8/10 (2024)",
	criteria.IDFranceConnect: "Objectif : FranceConnect ou FranceConnect+ sur toutes les démarches (décembre 2023)",
	criteria.IDAccessibility: "Objectif : 100 % de conformité au RGAA (décembre 2025)",
	criteria.IDDLNUF:         "Objectif : aucune donnée redemandée (décembre 2026)",
}

// share returns the percentage of results rated good among those rated
// good, partial or bad, and the two counts; ok is false when none was.
func share(results []observatory.Result, id criteria.ID) (pct float64, good, evaluated int, ok bool) {
	for i := range results {
		l := results[i].Verdict(id).Level
		if l.Rank() < 0 {
			continue
		}
		evaluated++
		if l == criteria.Good {
			good++
		}
	}
	if evaluated == 0 {
		return 0, 0, 0, false
	}
	return 100 * float64(good) / float64(evaluated), good, evaluated, true
}

// totals computes e's headline figures and their change since prev (nil:
// none).
func totals(results []observatory.Result, prev []observatory.Result, prevName string) []total {
	var out []total
	for _, id := range criteria.IDs {
		t := total{ID: id, Phrase: headline[id], Target: targets[id], Percent: "–"}
		pct, good, n, ok := share(results, id)
		t.Good, t.Evaluated = good, n
		if ok {
			t.Percent = criteria.Decimal(pct, 0) + "\u00a0%"
		}
		if pp, _, _, pok := share(prev, id); ok && pok && prevName != "" {
			t.Previous = prevName
			d := math.Round(pct - pp)
			switch {
			case d > 0:
				t.Change, t.ChangeClass = "+"+criteria.Decimal(d, 0)+"\u00a0point"+plural(d), "up"
			case d < 0:
				t.Change, t.ChangeClass = "−"+criteria.Decimal(-d, 0)+"\u00a0point"+plural(-d), "down"
			default:
				t.Change, t.ChangeClass = "stable", "same"
			}
		}
		out = append(out, t)
	}
	return out
}

func plural(n float64) string {
	if n >= 2 {
		return "s"
	}
	return ""
}

// row is one procedure's line in a table.
type row struct {
	// ID is the procedure's slug (the row's data-id, as in the search
	// index).
	ID                          string
	Volume                      string
	volume                      int
	Title, Href                 string
	Ministry, MinistryHref      string
	Administration, AdminHref   string
	Badges                      []badgeView
	catalogue                   int
	foldedTitle, foldedMinistry string
}

// rows builds the table of results, in catalogue order.
func (s *site) rows(results []observatory.Result) []row {
	out := make([]row, 0, len(results))
	for i := range results {
		r := &results[i]
		rw := row{
			ID: s.procs[resultKey(r)].Slug, volume: r.Procedure.Volume, Volume: volumeText(r.Procedure.Volume),
			Title: r.Title, Href: s.procHref(r),
			Ministry: r.Procedure.Ministry, MinistryHref: s.ministryHref(r.Procedure.Ministry),
			Administration: r.Procedure.Administration, AdminHref: s.adminHref(r.Procedure.Administration),
			catalogue: i, foldedTitle: criteria.Fold(r.Title), foldedMinistry: criteria.Fold(r.Procedure.Ministry),
		}
		for _, id := range criteria.IDs {
			rw.Badges = append(rw.Badges, newBadge(id, r.Verdict(id)))
		}
		out = append(out, rw)
	}
	return out
}

// volumeText writes a yearly volume with thin spaces between thousands
// ("1 250 000"), "" when unknown.
func volumeText(n int) string {
	if n <= 0 {
		return ""
	}
	d := strconv.Itoa(n)
	var b strings.Builder
	for i, c := range d {
		if i > 0 && (len(d)-i)%3 == 0 {
			b.WriteString("\u202f")
		}
		b.WriteRune(c)
	}
	return b.String()
}

// sortRows orders rows by key: "" and "catalogue" keep catalogue order,
// "volume" sorts by yearly volume (largest first, unknown last), "titre"
// by title, a criterion id by level (best first) then value then title.
func sortRows(rows []row, key string) {
	col := slices.Index(criteria.IDs, criteria.ID(key))
	slices.SortStableFunc(rows, func(a, b row) int {
		switch {
		case key == "volume":
			return cmp.Compare(b.volume, a.volume)
		case key == "titre":
			return cmp.Compare(a.foldedTitle, b.foldedTitle)
		case col >= 0:
			if c := cmp.Compare(b.Badges[col].key, a.Badges[col].key); c != 0 {
				return c
			}
			return cmp.Compare(a.foldedTitle, b.foldedTitle)
		}
		return cmp.Compare(a.catalogue, b.catalogue)
	})
}
