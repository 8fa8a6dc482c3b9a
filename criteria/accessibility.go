package criteria

import (
	"fmt"
	"strings"
	"time"

	"github.com/observatoire-scanner/observatoire/scanner"
)

// A11yReport is the accessibility detail of a procedure, beside its
// verdict: what the site declares and what the automated checks found.
// `check --format json` embeds it as "accessibility".
type A11yReport struct {
	Declaration Declaration `json:"declaration"`
	// Violations are axe-core's failures on the start page, grouped by RGAA
	// criterion; Elements counts their failing elements. Both are empty
	// when the automated checks did not run (Automated false).
	Violations []CriterionViolations `json:"violations"`
	Elements   int                   `json:"elements"`
	Automated  bool                  `json:"automated"`
	// Coverage says how many RGAA criteria the automated checks cover.
	Coverage Coverage `json:"coverage"`
	// Contradiction is set when the site declares itself totally compliant
	// yet the automated checks find failures.
	Contradiction bool `json:"contradiction,omitempty"`
}

// Declaration is what the site declares about its accessibility: the
// footer mention and the accessibility statement page.
type Declaration struct {
	// Mention is the footer mention as found ("Accessibilité : non"), "" if
	// none.
	Mention string `json:"mention"`
	// Status is the statement's status, else the mention's
	// (StatusFull, StatusPartial, StatusNone), "" if neither says.
	Status string `json:"status"`
	// URL is the statement page's address, "" when none was found.
	URL string `json:"url"`
	// Rate is the compliance rate (0–100): the catalogue's declared rate,
	// else the statement's; RateSource says which ("declared",
	// "statement").
	Rate       *float64 `json:"rate"`
	RateSource string   `json:"rate_source,omitempty"`
	// RateText is the passage the statement's rate was read from; Bound a
	// bound stated instead of a rate ("moins de 50 %").
	RateText string     `json:"rate_text,omitempty"`
	Bound    *RateBound `json:"rate_bound,omitempty"`
	// StatusText is the passage the statement's status was read from.
	StatusText string `json:"status_text,omitempty"`
	// Date is the statement's date (YYYY-MM-DD), "" if none; DateText the
	// passage it was read from.
	Date        string `json:"date"`
	DateText    string `json:"date_text,omitempty"`
	RGAAVersion string `json:"rgaa_version"`
	// Notes say what the reading of the statement set aside, and why.
	Notes []string `json:"notes,omitempty"`
	// Valid says the statement is dated less than three years before the
	// verdict's date.
	Valid bool `json:"valid"`
}

// AccessibilityReport gathers the declaration (footer mention, statement
// page, declared rate) and the automated violations of a procedure.
func AccessibilityReport(in Input) A11yReport {
	r := A11yReport{Coverage: AutomatedCoverage(), Violations: []CriterionViolations{}}
	d := &r.Declaration
	if m, _, ok := startMention(in.Start); ok {
		d.Mention, d.Status = m.Text, m.Status
	}
	if st := statementPage(in); st != nil {
		d.URL = docURL(st)
		if st.Status.Loaded() && st.Desktop != nil {
			p := ParseStatement(st.Desktop.Text, in.Now)
			if p.Status != "" {
				d.Status, d.StatusText = p.Status, p.StatusText
			}
			if p.Rate != nil {
				d.Rate, d.RateSource, d.RateText = p.Rate, "statement", p.RateText
			}
			d.Bound = p.Bound
			if !p.Date.IsZero() {
				d.Date, d.DateText = p.Date.Format(time.DateOnly), p.DateText
			}
			d.Notes = p.Notes
			d.RGAAVersion = p.RGAAVersion
			d.Valid = p.ValidAt(in.Now)
		}
	}
	if in.Declared.RGAARate != nil {
		v := *in.Declared.RGAARate
		d.Rate, d.RateSource = &v, "declared"
	}
	if ax := in.Start.Axe; ax != nil && in.Start.Status.Loaded() {
		r.Automated = true
		r.Violations = GroupViolations(ax.Violations)
		r.Elements = failingElements(ax.Violations)
	}
	r.Contradiction = r.Elements > 0 && (d.Status == StatusFull || strings.HasSuffix(d.Mention, ": conforme") || d.Rate != nil && *d.Rate == 100)
	return r
}

// statementPage is the procedure's statement: the second page, else the
// start page when it is itself a statement.
func statementPage(in Input) *scanner.Snapshot {
	if in.Statement != nil {
		return in.Statement
	}
	if IsStatementPage(in.Start) && in.Start.Status.Loaded() {
		return in.Start
	}
	return nil
}

// startMention finds the mention in the start page's footer, else
// anywhere in its text (inFooter false).
func startMention(s *scanner.Snapshot) (m Mention, inFooter, ok bool) {
	if s == nil || s.Desktop == nil {
		return Mention{}, false, false
	}
	if m, ok := FindMention(s.Desktop.FooterText); ok {
		return m, true, true
	}
	m, ok = FindMention(s.Desktop.Text)
	return m, false, ok
}

// Accessibility rates the "accessibilité" criterion as the observatory
// does, from the compliance rate (declared, else read from the statement):
// 100 % with a valid statement → good "Oui (100 %)"; 50–99 % → partial
// "Partiel (81 %)"; below 50 % or no valid statement → bad "Non". The
// footer mention and axe-core's violations are shown beside the level, and
// a "totalement conforme" site with violations is flagged.
func Accessibility(in Input) Verdict {
	s := in.Start
	if !s.Status.Loaded() {
		return notLoaded(s)
	}
	r := AccessibilityReport(in)
	d := r.Declaration
	page := docURL(s)
	var ev []Evidence

	// The footer mention.
	if m, inFooter, ok := startMention(s); ok {
		where := "en pied de page"
		if !inFooter {
			where = "hors du pied de page"
		}
		ev = append(ev, Evidence{Fact: fmt.Sprintf("mention %s : « %s »", where, m.Text), Page: page})
	} else {
		ev = append(ev, Evidence{Fact: "aucune mention « Accessibilité : totalement, partiellement ou non conforme » sur la page", Page: page})
	}

	// The statement.
	stmtMissing := false
	switch st := statementPage(in); {
	case st == nil:
		ev = append(ev, Evidence{Fact: "aucune déclaration d'accessibilité trouvée (ni lien « Accessibilité » sur la page, ni adresse au catalogue)", Page: page})
		stmtMissing = true
	case pageMissing(st):
		// A link to a page that does not exist (404, 410, not a web page)
		// is no statement: that is "Non", not an unmeasured verdict.
		_, why := pageProblem(st)
		ev = append(ev, Evidence{Fact: "la déclaration d'accessibilité liée n'existe pas : " + why, Page: st.URL, Text: st.Reason})
		stmtMissing = true
	case !st.Status.Loaded() || st.Desktop == nil:
		_, why := pageProblem(st)
		ev = append(ev, Evidence{Fact: "déclaration d'accessibilité non chargée : " + why, Page: d.URL, Text: st.Reason})
		if d.RateSource != "declared" {
			return Verdict{Level: NotMeasured, Label: "Non mesuré", Evidence: ev, Fix: "rendre la déclaration d'accessibilité consultable"}
		}
	default:
		ev = append(ev, Evidence{Fact: statementFact(d, in.Now), Page: d.URL})
		for _, n := range d.Notes {
			ev = append(ev, Evidence{Fact: n, Page: d.URL})
		}
	}
	if d.RateSource == "declared" {
		ev = append(ev, Evidence{Fact: fmt.Sprintf("taux de conformité déclaré au catalogue : %s %% (il remplace celui de la déclaration ; l'audit est tenu pour valide)", shortDecimal(*d.Rate))})
	}

	// The automated checks.
	ev = append(ev, automatedEvidence(r, s)...)
	if r.Contradiction {
		ev = append(ev, Evidence{Fact: fmt.Sprintf("contradiction : le site se déclare totalement conforme, mais les tests automatisés trouvent %d élément(s) en échec", r.Elements), Page: page})
	}
	if s.Mobile != nil && s.Mobile.HasViewport {
		if z := ParseViewport(s.Mobile.Viewport).ZoomBlocked(); z != "" {
			ev = append(ev, Evidence{Fact: "zoom bloqué par la balise viewport (" + z + ") : critère RGAA 10.4 non respecté", Page: page})
		}
	}

	valid := d.Valid || d.RateSource == "declared"
	st := statementPage(in)
	switch {
	case valid:
	case stmtMissing && d.Mention == "" && s.Status == scanner.StatusPartial:
		// No mention and no statement link on a start page cut short:
		// they may be in what did not arrive (the footer comes last).
		return incomplete("mention et de lien vers la déclaration d'accessibilité", cutShort(s), ev)
	case st != nil && st.Status == scanner.StatusPartial && (d.Date == "" || d.Rate == nil && d.Status == ""):
		// A statement cut short whose date, rate or status was not read.
		return incomplete("date, statut ou taux dans la déclaration", cutShort(st), ev)
	}
	v := Verdict{Evidence: ev, Value: d.Rate}
	switch {
	case !valid:
		v.Level, v.Label = Bad, "Non"
		switch {
		case stmtMissing:
			v.Fix = "publier une déclaration d'accessibilité, reliée depuis chaque page par la mention « Accessibilité : … conforme »"
		default:
			v.Fix = "faire auditer le site (RGAA) et publier une déclaration datée de moins de trois ans"
		}
	case d.Rate != nil:
		v.Level = rateLevel(*d.Rate)
		v.Label = plainLabel(v.Level) + " (" + shortDecimal(*d.Rate) + " %)"
	case d.Bound != nil && boundDecides(*d.Bound):
		// A bound is not a rate, but "moins de 50 %" is below 50 all the
		// same.
		v.Level, _ = d.Bound.Level()
		v.Label = plainLabel(v.Level) + " (" + d.Bound.Words() + ")"
		v.Evidence = append(v.Evidence, Evidence{Fact: "taux non indiqué, mais borné : " + d.Bound.Words() + " (« " + d.Bound.Text + " ») suffit à fixer le niveau", Page: d.URL})
	case d.Status != "":
		// A valid statement with a status but no rate: the status stands
		// for the rate (totally compliant is 100 %).
		v.Level = map[string]Level{StatusFull: Good, StatusPartial: Partial, StatusNone: Bad}[d.Status]
		v.Label = plainLabel(v.Level)
		ev = append(ev, Evidence{Fact: "taux de conformité non indiqué : niveau tiré du statut « " + d.Status + " »", Page: d.URL})
		v.Evidence = ev
	default:
		v.Level, v.Label = NotMeasured, "À vérifier"
		v.Evidence = append(ev, Evidence{Fact: "la déclaration ne donne ni statut ni taux de conformité lisibles", Page: d.URL})
		v.Fix = "indiquer dans la déclaration le statut et le taux de critères RGAA respectés"
		return v
	}
	if v.Level != Good && v.Fix == "" {
		v.Fix = "corriger les critères RGAA non respectés jusqu'à 100 % et le déclarer"
	}
	return v
}

// boundDecides reports a bound that decides the level on its own.
func boundDecides(b RateBound) bool {
	_, ok := b.Level()
	return ok
}

// rateLevel is the observatory's level for a compliance rate.
func rateLevel(rate float64) Level {
	switch {
	case rate >= 100:
		return Good
	case rate >= 50:
		return Partial
	}
	return Bad
}

// statementFact sums up what the statement page says.
func statementFact(d Declaration, now time.Time) string {
	parts := []string{"déclaration d'accessibilité"}
	switch {
	case d.StatusText != "":
		parts = append(parts, "statut « "+d.Status+" » (« "+d.StatusText+" »)")
	case d.Status != "":
		parts = append(parts, "statut « "+d.Status+" » (mention de la page)")
	default:
		parts = append(parts, "statut non indiqué")
	}
	switch {
	case d.Rate != nil && d.RateSource == "statement":
		parts = append(parts, "taux : "+shortDecimal(*d.Rate)+" % (« "+d.RateText+" »)")
	case d.Bound != nil && d.RateSource != "declared":
		parts = append(parts, "taux non indiqué, seulement une borne : "+d.Bound.Words())
	case d.RateSource != "declared":
		parts = append(parts, "taux non trouvé")
	}
	if d.RGAAVersion != "" {
		parts = append(parts, "RGAA "+d.RGAAVersion)
	}
	if d.Date == "" {
		parts = append(parts, "aucune date lisible : validité non établie")
	} else {
		date, _ := time.Parse(time.DateOnly, d.Date)
		until := date.AddDate(3, 0, 0).Format("02/01/2006")
		if d.DateText != "" {
			parts = append(parts, "date : "+date.Format("02/01/2006")+" (« "+d.DateText+" »)")
		}
		if d.Valid {
			parts = append(parts, "datée du "+date.Format("02/01/2006")+", valide jusqu'au "+until)
		} else {
			parts = append(parts, "datée du "+date.Format("02/01/2006")+", périmée depuis le "+until+" (plus de trois ans au "+now.Format("02/01/2006")+")")
		}
	}
	return strings.Join(parts, " ; ")
}

// automatedEvidence states the automated results and their coverage.
func automatedEvidence(r A11yReport, s *scanner.Snapshot) []Evidence {
	page := docURL(s)
	c := r.Coverage
	cov := fmt.Sprintf("les tests automatisés couvrent %d critères RGAA sur %d (axe-core %d, tests de l'observatoire %d), le reste demande un audit", c.Criteria, c.Total, c.AxeCriteria, c.OwnCriteria)
	if !r.Automated {
		return []Evidence{{Fact: "tests automatisés (axe-core) non exécutés sur cette page ; " + cov, Page: page}}
	}
	engines := "axe-core " + s.Axe.Version + " (règles RGAAv4)"
	if len(s.Axe.Own) > 0 {
		engines += " et de l'observatoire"
	}
	ev := []Evidence{{Fact: fmt.Sprintf("tests automatisés %s : %d élément(s) en échec sur %d critère(s) RGAA ; %s",
		engines, r.Elements, len(r.Violations), cov), Page: page}}
	for i, g := range r.Violations {
		if i == maxListed {
			ev = append(ev, Evidence{Fact: fmt.Sprintf("… et %d autres critères en échec", len(r.Violations)-maxListed), Page: page})
			break
		}
		ev = append(ev, Evidence{
			Fact:     fmt.Sprintf("critère RGAA %s (tests %s) : %d élément(s) en échec, règles %s (%s)", g.Criterion, strings.Join(g.Tests, ", "), g.Elements, strings.Join(g.Rules, ", "), strings.Join(g.Sources, ", ")),
			Page:     page,
			Selector: strings.Join(g.Selectors, ", "),
			Text:     strings.Join(g.Help, " ; "),
		})
	}
	// Our findings that only suspect a fault: shown, never counted.
	for i, v := range s.Axe.Review {
		if i == maxListed {
			break
		}
		for _, n := range v.Nodes[:min(1, len(v.Nodes))] {
			ev = append(ev, Evidence{Fact: fmt.Sprintf("à vérifier, critère RGAA %s (test de l'observatoire %s, non compté comme échec) : %s", scanner.RGAACriterion(v.RGAA[0]), v.Rule, n.Summary),
				Page: page, Selector: n.Selector, Text: v.Help})
		}
	}
	return ev
}
