package site

import (
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"

	"github.com/observatoire-scanner/observatoire/criteria"
	"github.com/observatoire-scanner/observatoire/observatory"
	"github.com/observatoire-scanner/observatoire/scanner"
)

// procView is a procedure's page.
type procView struct {
	Title                     string
	URL                       string
	Ministry, MinistryHref    string
	Administration, AdminHref string
	Edition                   editionInfo
	ScannedAt                 string
	Failed                    bool
	Reason                    string
	Summary                   []badgeView
	Verdicts                  []verdictView
	Shots                     []shotView
	Axe                       *axeView
	History                   []historyRow
	// Volume and OnlineShare come from the catalogue ("" when it does not
	// give them).
	Volume, OnlineShare string
	// Statement is the accessibility statement's age and expiry.
	Statement *statementAge
}

// verdictView is one criterion's verdict with its evidence.
type verdictView struct {
	ID       criteria.ID
	Title    string
	Badge    badgeView
	Evidence []criteria.Evidence
	Fix      string
	// SVG is the criterion's badge file for this procedure.
	SVG string
	// Duration says since which edition the level holds.
	Duration duration
}

// shotView is a screenshot copied into the site.
type shotView struct {
	Src           string
	Alt           string
	Caption       string
	Width, Height int
}

// axeView is the start page's automated accessibility result, grouped by
// RGAA criterion.
type axeView struct {
	Version    string
	Rules      int
	Passes     int
	Violations int
	Elements   int
	Groups     []rgaaGroup
	Incomplete []string
	// Own counts the observatory's own tests that ran beside axe-core;
	// Coverage says how many RGAA criteria the two test together.
	Own      int
	Coverage criteria.Coverage
}

// rgaaGroup holds the violations mapped to one RGAA criterion ("1.1"), or
// to none (Criterion "").
type rgaaGroup struct {
	Criterion  string
	Tests      []string
	Violations []scanner.Violation
}

// historyRow is a procedure's levels in one edition.
type historyRow struct {
	Edition editionInfo
	Badges  []badgeView
}

// pageRoles orders a procedure's pages and names them in French.
var pageRoles = []struct{ role, name string }{
	{observatory.PageStart, "de départ"},
	{observatory.PageContact, "d'aide et de contact"},
	{observatory.PageStatement, "de la déclaration d'accessibilité"},
	{observatory.PageLogin, "de connexion"},
}

// writeProcedures writes one page per procedure (its newest result) and
// copies its screenshots.
func (s *site) writeProcedures(w *writer) error {
	for _, k := range s.order {
		p := s.procs[k]
		r := p.Result
		v := &procView{
			Title: r.Title, URL: r.Procedure.URL,
			Ministry: r.Procedure.Ministry, MinistryHref: s.ministryHref(r.Procedure.Ministry),
			Administration: r.Procedure.Administration, AdminHref: s.adminHref(r.Procedure.Administration),
			Edition: s.editionInfo(p.Edition), ScannedAt: frenchDate(r.ScannedAt),
			Failed: r.Outcome == observatory.Failed, Reason: r.Reason,
			Volume: volumeText(r.Procedure.Volume), OnlineShare: percentText(r.Procedure.OnlineShare),
		}
		if a, ok := newStatementAge(statementDate(r), s.opts.Now); ok {
			v.Statement = &a
		}
		durs := s.procDurations(k)
		if v.URL == "" && r.Assessment != nil {
			v.URL = r.Assessment.URL
		}
		for _, id := range criteria.IDs {
			vd := r.Verdict(id)
			b := newBadge(id, vd)
			v.Summary = append(v.Summary, b)
			v.Verdicts = append(v.Verdicts, verdictView{
				ID: id, Title: id.Title(), Badge: b, Evidence: vd.Evidence, Fix: vd.Fix,
				SVG:      "badges/" + p.Slug + "/" + string(id) + ".svg",
				Duration: durs[id],
			})
		}
		shots, err := s.copyShots(w, p)
		if err != nil {
			return err
		}
		v.Shots = shots
		if r.Assessment != nil {
			if start := r.Assessment.Pages[observatory.PageStart]; start != nil && start.Axe != nil {
				v.Axe = newAxeView(start.Axe)
			}
		}
		for i := len(s.editions) - 1; i >= 0; i-- {
			e := s.editions[i]
			for j := range e.Results {
				if resultKey(&e.Results[j]) != k {
					continue
				}
				h := historyRow{Edition: s.editionInfo(e)}
				for _, id := range criteria.IDs {
					h.Badges = append(h.Badges, newBadge(id, e.Results[j].Verdict(id)))
				}
				v.History = append(v.History, h)
				break
			}
		}
		title := r.Title
		if title == "" {
			title = "Démarche sans titre"
		}
		if err := w.page("procedures/"+p.Slug+".html", "procedure", &page{Title: title, Nav: "index", Data: v}); err != nil {
			return err
		}
	}
	return nil
}

// copyShots copies the screenshots of a procedure's pages into
// captures/EDITION/ and describes them. A file path that would leave the
// edition's folder is ignored; a missing file is skipped.
func (s *site) copyShots(w *writer, p *procEntry) ([]shotView, error) {
	r := p.Result
	if r.Assessment == nil {
		return nil, nil
	}
	dir := "captures/" + s.edSlugs.get(p.Edition.Meta.Name) + "/"
	var out []shotView
	for _, pr := range pageRoles {
		snap := r.Assessment.Pages[pr.role]
		if snap == nil {
			continue
		}
		for _, view := range []struct{ key, name string }{{"desktop", "ordinateur"}, {"mobile", "mobile"}} {
			sh, ok := snap.Screenshots[view.key]
			if !ok {
				continue
			}
			var data []byte
			var rel string
			switch {
			case sh.File != "":
				f, ok := p.Edition.File(sh.File)
				if !ok {
					continue
				}
				b, err := os.ReadFile(f)
				if err != nil {
					continue
				}
				data, rel = b, dir+sh.File
			case len(sh.Data) > 0:
				data, rel = sh.Data, fmt.Sprintf("%s%s-%s-%s.%s", dir, p.Slug, pr.role, view.key, observatory.ScreenshotExt(sh))
			default:
				continue
			}
			if err := w.file(rel, data); err != nil {
				return nil, err
			}
			title := r.Title
			if title == "" {
				title = snap.URL
			}
			out = append(out, shotView{
				Src:     rel,
				Alt:     fmt.Sprintf("Capture d'écran de la page %s de « %s », vue %s", pr.name, title, view.name),
				Caption: fmt.Sprintf("Page %s, vue %s", pr.name, view.name),
				Width:   sh.Width, Height: sh.Height,
			})
		}
	}
	return out, nil
}

// rgaaCriterion turns an RGAA test tag ("RGAA-1.1.1") into its criterion
// ("1.1"); ok is false for other tags.
func rgaaCriterion(tag string) (crit, test string, ok bool) {
	if len(tag) < 5 || !strings.EqualFold(tag[:5], "RGAA-") {
		return "", "", false
	}
	test = tag[5:]
	parts := strings.Split(test, ".")
	if len(parts) < 2 {
		return "", "", false
	}
	for _, p := range parts {
		if _, err := strconv.Atoi(p); err != nil {
			return "", "", false
		}
	}
	return parts[0] + "." + parts[1], test, true
}

// compareTests orders RGAA criteria and tests as versions ("1.10" after
// "1.9"), then as text, so that the order is total.
func compareTests(a, b string) int {
	if c := criteria.CompareVersions(a, b); c != 0 {
		return c
	}
	return strings.Compare(a, b)
}

// newAxeView groups axe's violations by RGAA criterion, in the RGAA's
// order; violations with no RGAA tag come last.
func newAxeView(a *scanner.AxeResult) *axeView {
	v := &axeView{Version: a.Version, Rules: a.Rules, Passes: a.Passes, Violations: len(a.Violations), Incomplete: a.Incomplete,
		Own: len(a.Own), Coverage: criteria.AutomatedCoverage()}
	groups := map[string]*rgaaGroup{}
	for _, vi := range a.Violations {
		v.Elements += len(vi.Nodes) + vi.More
		seen := false
		for _, tag := range vi.RGAA {
			c, test, ok := rgaaCriterion(tag)
			if !ok {
				continue
			}
			g := groups[c]
			if g == nil {
				g = &rgaaGroup{Criterion: c}
				groups[c] = g
			}
			if !slices.Contains(g.Tests, test) {
				g.Tests = append(g.Tests, test)
			}
			if !slices.ContainsFunc(g.Violations, func(x scanner.Violation) bool { return x.Rule == vi.Rule }) {
				g.Violations = append(g.Violations, vi)
			}
			seen = true
		}
		if !seen {
			g := groups[""]
			if g == nil {
				g = &rgaaGroup{}
				groups[""] = g
			}
			g.Violations = append(g.Violations, vi)
		}
	}
	for _, g := range groups {
		slices.SortFunc(g.Tests, compareTests)
		v.Groups = append(v.Groups, *g)
	}
	slices.SortFunc(v.Groups, func(a, b rgaaGroup) int {
		switch {
		case a.Criterion == "":
			return 1
		case b.Criterion == "":
			return -1
		}
		return compareTests(a.Criterion, b.Criterion)
	})
	return v
}

// percentText writes a share in French ("42,5 %"), "" when nil.
func percentText(v *float64) string {
	if v == nil {
		return ""
	}
	return criteria.Decimal(*v, 1) + "\u00a0%"
}
