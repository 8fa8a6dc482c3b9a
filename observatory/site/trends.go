package site

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"html/template"
	"math"
	"strconv"
	"strings"

	"github.com/observatoire-scanner/observatoire/criteria"
	"github.com/observatoire-scanner/observatoire/observatory"
	"github.com/observatoire-scanner/observatoire/observatory/edition"
)

// trendsPage lists the trend pages and shows the chart of all procedures.
const trendsPage = "tendances.html"

// levelShare is the number and share of procedures at one level.
type levelShare struct {
	Level   criteria.Level
	Word    string
	Count   int
	Percent float64
	// Text is "12 (34 %)".
	Text string
}

// scopeShares is one bar of a chart: the levels of one set of procedures
// (a ministry's, or all) in one edition.
type scopeShares struct {
	Edition string
	Scope   string
	Total   int
	Levels  []levelShare
}

// trendChart is one criterion's chart: per edition, the group's bar and
// all procedures' bar.
type trendChart struct {
	ID        string
	Criterion criteria.ID
	Title     string
	Desc      string
	Bars      []scopeShares
	SVG       template.HTML
	CSV       string
}

// trendView is a trend page.
type trendView struct {
	Heading string
	Kind    string
	Back    string
	Charts  []trendChart
	Legend  []legendItem
	// Groups lists the trend pages (the page of all procedures).
	Ministries, Administrations []filterLink
}

// legendItem is one level in the legend: its swatch and its word.
type legendItem struct {
	Word   string
	Swatch template.HTML
}

// shares counts results per level on criterion id.
func shares(results []observatory.Result, id criteria.ID, editionName, scope string) scopeShares {
	out := scopeShares{Edition: editionName, Scope: scope, Total: len(results)}
	counts := map[criteria.Level]int{}
	for i := range results {
		counts[levelClass(results[i].Verdict(id).Level)]++
	}
	for _, l := range edition.Levels {
		ls := levelShare{Level: l, Word: l.Word(), Count: counts[l]}
		if out.Total > 0 {
			ls.Percent = 100 * float64(ls.Count) / float64(out.Total)
		}
		ls.Text = fmt.Sprintf("%d (%s\u00a0%%)", ls.Count, criteria.Decimal(ls.Percent, 0))
		out.Levels = append(out.Levels, ls)
	}
	return out
}

// chart geometry: the SVG is drawn 360 units wide and scales to its box,
// so that at 412 px its text stays about 13 px high.
const (
	chartWidth = 360
	barHeight  = 24
	labelGap   = 18
	barGap     = 10
)

// levelFill is each level's fill colour and pattern, so that the levels
// differ by more than their colour: solid, stripes, cross-hatch, dots,
// plain light grey.
var levelFill = map[criteria.Level]struct{ colour, pattern, ink string }{
	criteria.Good:          {"#1f7a3a", "", "#fff"},
	criteria.Partial:       {"#f0a640", "stripes", "#1e1e1e"},
	criteria.Bad:           {"#b81d1d", "cross", "#fff"},
	criteria.NotApplicable: {"#e8e8e8", "dots", "#1e1e1e"},
	criteria.NotMeasured:   {"#bdbdbd", "", "#1e1e1e"},
}

// patternDefs are the SVG patterns of the levels, with ids prefixed by p.
func patternDefs(p string) string {
	var b strings.Builder
	b.WriteString("<defs>")
	for _, l := range edition.Levels {
		f := levelFill[l]
		id := p + "-" + string(l)
		switch f.pattern {
		case "stripes":
			fmt.Fprintf(&b, `<pattern id="%s" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="6" fill="%s"/><rect width="2" height="6" fill="#fff" fill-opacity=".55"/></pattern>`, id, f.colour)
		case "cross":
			fmt.Fprintf(&b, `<pattern id="%s" width="6" height="6" patternUnits="userSpaceOnUse"><rect width="6" height="6" fill="%s"/><path d="M0 0L6 6M6 0L0 6" stroke="#fff" stroke-opacity=".5" stroke-width="1"/></pattern>`, id, f.colour)
		case "dots":
			fmt.Fprintf(&b, `<pattern id="%s" width="5" height="5" patternUnits="userSpaceOnUse"><rect width="5" height="5" fill="%s"/><circle cx="2.5" cy="2.5" r="1" fill="#555"/></pattern>`, id, f.colour)
		}
	}
	b.WriteString("</defs>")
	return b.String()
}

// fillOf is the fill attribute of level l in the chart with prefix p.
func fillOf(p string, l criteria.Level) string {
	f := levelFill[l]
	if f.pattern == "" {
		return f.colour
	}
	return "url(#" + p + "-" + string(l) + ")"
}

// esc escapes text for SVG.
func esc(s string) string { return template.HTMLEscapeString(s) }

// chartSVG draws the bars of c as a stacked horizontal bar chart: a title
// and a description, then each bar under its label, the share written in
// each segment wide enough to hold it.
func chartSVG(c *trendChart) template.HTML {
	height := len(c.Bars)*(labelGap+barHeight+barGap) + 4
	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" role="img" aria-labelledby="%s-t %s-d" focusable="false">`, chartWidth, height, c.ID, c.ID)
	fmt.Fprintf(&b, `<title id="%s-t">%s</title><desc id="%s-d">%s</desc>`, c.ID, esc(c.Title), c.ID, esc(c.Desc))
	b.WriteString(patternDefs(c.ID))
	y := 0
	for _, bar := range c.Bars {
		fmt.Fprintf(&b, `<text x="0" y="%d" font-size="13" fill="#1e1e1e">%s · %s</text>`, y+13, esc(bar.Edition), esc(bar.Scope))
		y += labelGap
		x := 0.0
		for _, ls := range bar.Levels {
			if ls.Count == 0 {
				continue
			}
			wd := chartWidth * ls.Percent / 100
			fmt.Fprintf(&b, `<rect x="%.1f" y="%d" width="%.1f" height="%d" fill="%s" stroke="#fff" stroke-width="1"/>`, x, y, wd, barHeight, fillOf(c.ID, ls.Level))
			if wd >= 34 {
				label := criteria.Decimal(math.Round(ls.Percent), 0) + "\u00a0%"
				fmt.Fprintf(&b, `<text x="%.1f" y="%d" font-size="12" text-anchor="middle" fill="%s" font-weight="700">%s</text>`, x+wd/2, y+16, levelFill[ls.Level].ink, label)
			}
			x += wd
		}
		if bar.Total == 0 {
			fmt.Fprintf(&b, `<text x="0" y="%d" font-size="12" fill="#1e1e1e">aucune démarche</text>`, y+16)
		}
		y += barHeight + barGap
	}
	b.WriteString("</svg>")
	return template.HTML(b.String())
}

// legend is the chart's legend: one swatch per level.
func legend() []legendItem {
	var out []legendItem
	for _, l := range edition.Levels {
		p := "leg-" + string(l)
		sw := fmt.Sprintf(`<svg class="swatch" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 16" width="24" height="16" aria-hidden="true" focusable="false">%s<rect width="24" height="16" fill="%s" stroke="#1e1e1e" stroke-width="1"/></svg>`, patternDefs(p), fillOf(p, l))
		out = append(out, legendItem{Word: l.Word(), Swatch: template.HTML(sw)})
	}
	return out
}

// chartCSV encodes a chart's data: one row per edition, scope and level.
func chartCSV(c *trendChart) ([]byte, error) {
	var buf bytes.Buffer
	cw := csv.NewWriter(&buf)
	cw.UseCRLF = true
	if err := cw.Write([]string{"edition", "perimetre", "critere", "niveau", "nombre", "total", "part_pourcent"}); err != nil {
		return nil, err
	}
	for _, bar := range c.Bars {
		for _, ls := range bar.Levels {
			rec := []string{bar.Edition, bar.Scope, string(c.Criterion), string(ls.Level), strconv.Itoa(ls.Count), strconv.Itoa(bar.Total), strconv.FormatFloat(math.Round(ls.Percent*10)/10, 'f', -1, 64)}
			if err := cw.Write(rec); err != nil {
				return nil, err
			}
		}
	}
	cw.Flush()
	return buf.Bytes(), cw.Error()
}

// trendCharts builds the charts of the procedures pick selects (nil: all
// of them), named scope, against all procedures; dir is the folder of the
// charts' CSV files and prefix makes the SVG ids unique.
func (s *site) trendCharts(scope string, pick func(*observatory.Result) bool, dir string) []trendChart {
	var out []trendChart
	for _, id := range criteria.IDs {
		c := trendChart{ID: "c-" + string(id), Criterion: id, Title: id.Title(), CSV: dir + string(id) + ".csv"}
		for _, e := range s.editions {
			if pick != nil {
				var sel []observatory.Result
				for i := range e.Results {
					if pick(&e.Results[i]) {
						sel = append(sel, e.Results[i])
					}
				}
				c.Bars = append(c.Bars, shares(sel, id, e.Meta.Name, scope))
			}
			c.Bars = append(c.Bars, shares(e.Results, id, e.Meta.Name, "toutes les démarches"))
		}
		var desc []string
		for _, bar := range c.Bars {
			var parts []string
			for _, ls := range bar.Levels {
				if ls.Count > 0 {
					parts = append(parts, ls.Word+" "+criteria.Decimal(ls.Percent, 0)+"\u00a0%")
				}
			}
			if len(parts) == 0 {
				parts = []string{"aucune démarche"}
			}
			desc = append(desc, bar.Edition+", "+bar.Scope+" : "+strings.Join(parts, ", "))
		}
		c.Title = fmt.Sprintf("%s : part des démarches à chaque niveau, par édition", id.Title())
		c.Desc = strings.Join(desc, ". ") + "."
		c.SVG = chartSVG(&c)
		out = append(out, c)
	}
	return out
}

// writeTrends writes the trend page of all procedures, one per ministry
// and per administration of the latest edition, and the CSV of each
// chart.
func (s *site) writeTrends(w *writer) error {
	mins, admins := s.filters(s.latest.Results)
	write := func(rel, title string, v *trendView) error {
		for i := range v.Charts {
			b, err := chartCSV(&v.Charts[i])
			if err != nil {
				return fmt.Errorf("publish: %s: %w", v.Charts[i].CSV, err)
			}
			if err := w.file(v.Charts[i].CSV, b); err != nil {
				return err
			}
		}
		v.Legend = legend()
		return w.page(rel, "trend", &page{Title: title, Nav: "tendances", Data: v})
	}
	all := &trendView{Heading: "Tendances : toutes les démarches", Ministries: mins, Administrations: admins,
		Charts: s.trendCharts("", nil, "tendances/toutes/")}
	if err := write(trendsPage, "Tendances", all); err != nil {
		return err
	}
	for _, group := range []struct {
		links []filterLink
		pick  func(*observatory.Result) string
		kind  string
		scope string
	}{
		{mins, func(r *observatory.Result) string { return r.Procedure.Ministry }, "Ministère", "ce ministère"},
		{admins, func(r *observatory.Result) string { return r.Procedure.Administration }, "Administration", "cette administration"},
	} {
		for _, l := range group.links {
			name := l.Text
			pick := func(r *observatory.Result) bool { return group.pick(r) == name }
			rel := "tendances/" + l.Href
			v := &trendView{Heading: "Tendances : " + name, Kind: group.kind, Back: l.Href,
				Charts: s.trendCharts(group.scope, pick, strings.TrimSuffix(rel, ".html")+"/")}
			if err := write(rel, "Tendances : "+name, v); err != nil {
				return err
			}
		}
	}
	return nil
}
