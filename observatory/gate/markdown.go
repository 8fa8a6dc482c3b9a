package gate

import (
	"fmt"
	"io"
	"strings"
)

// WriteMarkdown writes a summary that a pipeline can post on a merge
// request: the outcome, the failures, then tables of new, fixed and still
// present findings and of the criteria that moved.
func WriteMarkdown(w io.Writer, r *Report) error {
	var b strings.Builder
	if r.Pass {
		b.WriteString("## ✅ observatoire ci : aucune régression d'accessibilité\n\n")
	} else {
		fmt.Fprintf(&b, "## ❌ observatoire ci : %d régression(s)\n\n", len(r.Failures))
		for _, f := range r.Failures {
			fmt.Fprintf(&b, "- **%s** %s%s\n", f.Rule, pagePrefix(f.Page), mdEscape(f.Message))
		}
		b.WriteString("\n")
	}
	fmt.Fprintf(&b, "%d nouvelle(s), %d corrigée(s), %d toujours présente(s) ; %d critère(s) dégradé(s), %d amélioré(s) ; %d passage(s).\n",
		len(r.New), len(r.Fixed), len(r.Present), len(r.Worse), len(r.Better), r.Runs)
	table := func(title string, js []Judged, fix bool) {
		if len(js) == 0 {
			return
		}
		fmt.Fprintf(&b, "\n### %s (%d)\n\n", title, len(js))
		if fix {
			b.WriteString("| règle | impact | page | élément | correction |\n|---|---|---|---|---|\n")
		} else {
			b.WriteString("| règle | impact | page | élément |\n|---|---|---|---|\n")
		}
		for _, j := range js {
			rule := mdEscape(j.Rule)
			if j.HelpURL != "" {
				rule = "[" + rule + "](" + j.HelpURL + ")"
			}
			fmt.Fprintf(&b, "| %s | %s | `%s` | `%s` |", rule, j.Impact, mdCode(j.Page), mdCode(selectorText(j.Finding)))
			if fix {
				help := mdEscape(j.Help)
				if j.Accepted != "" {
					help += " — accepté : " + mdEscape(j.Accepted)
				}
				fmt.Fprintf(&b, " %s |", help)
			}
			b.WriteString("\n")
		}
	}
	table("Nouvelles violations", r.New, true)
	table("Violations corrigées", r.Fixed, false)
	if len(r.Worse)+len(r.Better) > 0 {
		b.WriteString("\n### Critères\n\n| page | critère | avant | maintenant | correction |\n|---|---|---|---|---|\n")
		for _, c := range append(append([]Change{}, r.Worse...), r.Better...) {
			fmt.Fprintf(&b, "| `%s` | %s | %s | %s | %s |\n", mdCode(c.Page), c.Criterion.Title(), c.From.Word(), c.To.Word(), mdEscape(c.Fix))
		}
	}
	if len(r.Present) > 0 {
		fmt.Fprintf(&b, "\n<details><summary>Toujours présentes (%d)</summary>\n\n", len(r.Present))
		for _, j := range r.Present {
			fmt.Fprintf(&b, "- %s `%s` `%s`\n", mdEscape(j.Rule), mdCode(j.Page), mdCode(selectorText(j.Finding)))
		}
		b.WriteString("\n</details>\n")
	}
	if len(r.Flips) > 0 {
		fmt.Fprintf(&b, "\n%d résultat(s) instable(s) d'un passage à l'autre : la majorité est retenue.\n", len(r.Flips))
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func pagePrefix(p string) string {
	if p == "" {
		return ""
	}
	return "`" + mdCode(p) + "` "
}

// mdEscape keeps table cells in one piece.
func mdEscape(s string) string {
	s = strings.ReplaceAll(s, "|", `\|`)
	return strings.ReplaceAll(s, "\n", " ")
}

// mdCode keeps a code span in one piece.
func mdCode(s string) string {
	s = strings.ReplaceAll(s, "`", "'")
	return strings.ReplaceAll(mdEscape(s), "\n", " ")
}
