package gate

import (
	"fmt"
	"io"
	"strings"
)

// WriteText prints the human summary: new, fixed and still present
// findings (rule, selector, page, fix), the criteria that got worse, the
// flips between runs, the failures and the outcome.
func WriteText(w io.Writer, r *Report) error {
	var b strings.Builder
	base := r.Baseline
	if base == "" {
		base = "aucune"
	}
	fmt.Fprintf(&b, "observatoire ci — %d démarche(s), %d passage(s), référence : %s\n", len(r.Pages), r.Runs, base)

	section := func(title string, n int) {
		fmt.Fprintf(&b, "\n%s (%d)\n", title, n)
	}
	section("Nouvelles violations", len(r.New))
	for _, j := range r.New {
		writeFinding(&b, "✗", j, true)
	}
	section("Violations corrigées", len(r.Fixed))
	for _, j := range r.Fixed {
		fmt.Fprintf(&b, "  ✓ %s  %s  %s\n", j.Rule, j.Page, j.Selector)
	}
	section("Violations toujours présentes", len(r.Present))
	for _, j := range r.Present {
		writeFinding(&b, "•", j, false)
	}
	section("Critères dégradés", len(r.Worse))
	for _, c := range r.Worse {
		fmt.Fprintf(&b, "  ✗ %s  %s (%s) : %s → %s", c.Page, c.Criterion, c.Criterion.Title(), c.From.Word(), c.To.Word())
		if c.Label != "" {
			fmt.Fprintf(&b, " « %s »", c.Label)
		}
		b.WriteString("\n")
		if c.Fix != "" {
			fmt.Fprintf(&b, "      correction : %s\n", c.Fix)
		}
	}
	if len(r.Better) > 0 {
		section("Critères améliorés", len(r.Better))
		for _, c := range r.Better {
			fmt.Fprintf(&b, "  ✓ %s  %s : %s → %s\n", c.Page, c.Criterion, c.From.Word(), c.To.Word())
		}
	}
	if len(r.Flips) > 0 {
		section("Instables d'un passage à l'autre (retenu : la majorité)", len(r.Flips))
		for _, f := range r.Flips {
			fmt.Fprintf(&b, "  ~ %s %s %s : %s → retenu %s\n", f.Page, f.Kind, f.Key, strings.Join(f.Values, ", "), orNone(f.Kept))
		}
	}
	for _, n := range r.Notes {
		fmt.Fprintf(&b, "\nnote : %s", n)
	}
	if len(r.Notes) > 0 {
		b.WriteString("\n")
	}
	if r.Pass {
		b.WriteString("\nRésultat : RÉUSSI — aucune régression\n")
	} else {
		fmt.Fprintf(&b, "\nRésultat : ÉCHEC — %d régression(s)\n", len(r.Failures))
		for _, f := range r.Failures {
			page := ""
			if f.Page != "" {
				page = f.Page + " : "
			}
			fmt.Fprintf(&b, "  [%s] %s%s\n", f.Rule, page, f.Message)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func writeFinding(b *strings.Builder, mark string, j Judged, detail bool) {
	impact := ""
	if j.Impact != "" {
		impact = " [" + j.Impact + "]"
	}
	fmt.Fprintf(b, "  %s %s%s  %s  %s\n", mark, j.Rule, impact, j.Page, selectorText(j.Finding))
	if j.Accepted != "" {
		state := "accepté jusqu'au " + j.Expires
		if j.Expired {
			state = "ACCEPTATION EXPIRÉE le " + j.Expires
		}
		fmt.Fprintf(b, "      %s : %s\n", state, j.Accepted)
	}
	if !detail {
		return
	}
	fix := j.Help
	if j.HelpURL != "" {
		fix += " — " + j.HelpURL
	}
	fmt.Fprintf(b, "      correction : %s\n", fix)
	if j.HTML != "" {
		fmt.Fprintf(b, "      élément : %s\n", j.HTML)
	}
	fmt.Fprintf(b, "      empreinte : %s\n", j.Fingerprint)
}

// selectorText is axe's own selector when the run has it, else the
// normalised one.
func selectorText(f Finding) string {
	if f.RawSelector != "" {
		return f.RawSelector
	}
	return f.Selector
}

func orNone(s string) string {
	if s == "" {
		return "(aucune)"
	}
	return s
}
