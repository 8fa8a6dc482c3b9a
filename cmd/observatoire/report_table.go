package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/olekukonko/tablewriter"
	"github.com/olekukonko/tablewriter/tw"

	"github.com/observatoire-scanner/observatoire/criteria"
	"github.com/observatoire-scanner/observatoire/observatory"
)

// columnTitles are the table's short French headers, by criterion.
var columnTitles = map[criteria.ID]string{
	criteria.IDOnline: "En ligne", criteria.IDSatisfaction: "Satisfaction", criteria.IDMobile: "Mobile",
	criteria.IDSupport: "Aide joignable", criteria.IDAvailability: "Disponibilité", criteria.IDFranceConnect: "FranceConnect",
	criteria.IDAccessibility: "Accessibilité", criteria.IDDLNUF: "Dites-le-nous une fois",
}

// levelColours are ANSI colours, used only on a terminal.
var levelColours = map[criteria.Level]string{
	criteria.Good: "\x1b[32m", criteria.Partial: "\x1b[33m", criteria.Bad: "\x1b[31m",
	criteria.NotApplicable: "\x1b[90m", criteria.NotMeasured: "\x1b[90m",
}

// printAssessments prints one row per URL and one column per criterion,
// then the evidence and fix of every verdict that is not good.
func printAssessments(w io.Writer, colour bool, res []assessment) error {
	// No auto-format: it would upper-case "FranceConnect" and space out
	// "Dites-le-nous".
	t := tablewriter.NewTable(w, tablewriter.WithHeaderAutoFormat(tw.Off))
	header := []string{"URL", "Statut"}
	for _, id := range criteria.IDs {
		header = append(header, columnTitles[id])
	}
	t.Header(header)
	for _, a := range res {
		row := []string{a.URL, string(a.Pages[observatory.PageStart].Status)}
		for _, id := range criteria.IDs {
			v := a.Criteria[id]
			cell := v.Label
			if colour {
				cell = levelColours[v.Level] + cell + "\x1b[0m"
			}
			row = append(row, cell)
		}
		if err := t.Append(row); err != nil {
			return err
		}
	}
	if err := t.Render(); err != nil {
		return err
	}
	for _, a := range res {
		printDetails(w, a)
	}
	return nil
}

// printDetails prints, for one URL, the second pages that were used and
// every verdict that is not good with its evidence and fix.
func printDetails(w io.Writer, a assessment) {
	fmt.Fprintf(w, "\n%s\n", a.URL)
	for _, role := range []string{observatory.PageContact, observatory.PageStatement, observatory.PageLogin} {
		if s, ok := a.Pages[role]; ok {
			fmt.Fprintf(w, "  page %s : %s (%s)\n", roleNames[role], s.URL, s.Status)
		}
	}
	for _, id := range criteria.IDs {
		v := a.Criteria[id]
		if v.Level == criteria.Good {
			continue
		}
		fmt.Fprintf(w, "  %s : %s\n", id.Title(), labelWithWord(v))
		for _, e := range v.Evidence {
			fmt.Fprintf(w, "    - %s\n", evidenceLine(e))
		}
		if v.Fix != "" {
			fmt.Fprintf(w, "    Correctif : %s\n", v.Fix)
		}
	}
}

var roleNames = map[string]string{
	observatory.PageContact: "d'aide", observatory.PageStatement: "de déclaration d'accessibilité", observatory.PageLogin: "de connexion",
}

// labelWithWord is a verdict's label followed by its level's word when
// the label does not say it ("7,1/10 (Partiel)", but "Non").
func labelWithWord(v criteria.Verdict) string {
	if v.Label == "" || v.Label == v.Level.Word() {
		return v.Level.Word()
	}
	return v.Label + " (" + v.Level.Word() + ")"
}

// evidenceLine puts a fact with where it was seen on one line.
func evidenceLine(e criteria.Evidence) string {
	parts := []string{e.Fact}
	if e.Page != "" {
		parts = append(parts, "page "+e.Page)
	}
	if e.Selector != "" {
		parts = append(parts, "élément "+e.Selector)
	}
	if e.Text != "" && !strings.Contains(e.Fact, e.Text) {
		parts = append(parts, "« "+criteria.Normalize(e.Text)+" »")
	}
	return strings.Join(parts, " — ")
}
