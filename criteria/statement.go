package criteria

import (
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
)

// The compliance statuses of the RGAA, as the law names them.
const (
	StatusFull    = "totalement conforme"
	StatusPartial = "partiellement conforme"
	StatusNone    = "non conforme"
)

// mentionRE finds the footer mention in Fold-ed text (lower case, no
// accents, plain spaces), in French or in English. "non conforme" is tried
// before the bare "non", and a bare "conforme" means fully compliant.
var mentionRE = regexp.MustCompile(`\b(accessibilite|accessibility) ?: ?(totalement conforme|partiellement conforme|non conforme|conforme|non|fully compliant|partially compliant|not compliant|non-compliant|non compliant|compliant)\b`)

// mentionStatus maps the folded status words of a mention to a status.
var mentionStatus = map[string]string{
	"totalement conforme": StatusFull, "conforme": StatusFull, "fully compliant": StatusFull, "compliant": StatusFull,
	"partiellement conforme": StatusPartial, "partially compliant": StatusPartial,
	"non conforme": StatusNone, "non": StatusNone, "not compliant": StatusNone, "non-compliant": StatusNone, "non compliant": StatusNone,
}

// Mention is the accessibility mention of a page's footer.
type Mention struct {
	// Text is the mention as found, spaces normalised ("Accessibilité :
	// non", "Accessibility : not compliant").
	Text string
	// Status is StatusFull, StatusPartial or StatusNone.
	Status string
}

// FindMention looks for the legal mention "Accessibilité : totalement |
// partiellement | non conforme" (also "Accessibilité : non", the bare
// "Accessibilité : conforme", and in English "Accessibility : fully |
// partially | not compliant") in text, after turning no-break spaces into
// spaces. A bare "Accessibilité" link with no status is not a mention, nor
// a template's placeholder ("non/partiellement/totalement conforme"), nor
// a mention quoted as an example (« Accessibilité : non conforme »); when
// the mentions of the text disagree, they are examples and none counts.
func FindMention(text string) (Mention, bool) {
	ms := findMentions(Fold(text))
	if len(ms) == 0 {
		return Mention{}, false
	}
	for _, m := range ms[1:] {
		if m.Status != ms[0].Status {
			return Mention{}, false
		}
	}
	return ms[0], true
}

// findMentions lists the mentions of folded text that are not
// placeholders nor quoted.
func findMentions(t string) []Mention {
	var out []Mention
	for _, m := range mentionRE.FindAllStringSubmatchIndex(t, -1) {
		if strings.HasPrefix(strings.TrimLeft(t[m[1]:], " "), "/") || strings.HasSuffix(strings.TrimRight(t[:m[4]], " "), "/") {
			continue // "non/partiellement/totalement conforme"
		}
		before := strings.TrimRight(t[max(0, m[0]-3):m[0]], " ")
		if strings.HasSuffix(before, "«") || strings.HasSuffix(before, "\"") || strings.HasSuffix(before, "“") {
			continue // an example, quoted
		}
		word, status := t[m[4]:m[5]], mentionStatus[t[m[4]:m[5]]]
		lead := "Accessibilité : "
		if t[m[2]:m[3]] == "accessibility" {
			lead = "Accessibility : "
		}
		out = append(out, Mention{Text: lead + word, Status: status})
	}
	return out
}

// Statement is what an accessibility statement page says, read as an
// auditor reads it: every passage kept or set aside is recorded.
type Statement struct {
	// Status is StatusFull, StatusPartial or StatusNone; "" when not stated.
	// StatusText is the passage it was read from, in the page's words.
	Status     string
	StatusText string
	// Rate is the compliance rate (0–100), nil when the statement states
	// none; RateText is the passage it was read from.
	Rate     *float64
	RateText string
	// Bound is a bound stated instead of a rate ("moins de 50 % des
	// critères"), nil when none.
	Bound *RateBound
	// RGAAVersion is the highest RGAA version named ("4.1.2"), "" if none.
	RGAAVersion string
	// Date is the date the text gives for establishing or updating the
	// statement or its audit (zero when none); DateText its passage.
	Date     time.Time
	DateText string
	// Notes say, in French, what was read and set aside, and why
	// (« date ignorée : 11 février 2005, date d'une loi »).
	Notes []string
}

// RateBound is a bound on the compliance rate: below Value when Below,
// else at least Value.
type RateBound struct {
	Below bool    `json:"below"`
	Value float64 `json:"value"`
	Text  string  `json:"text"`
}

// Level returns the level a bound decides on its own, if it does: below
// 50 % or less is bad; at least 100 % is good. Other bounds decide
// nothing (ok false).
func (b RateBound) Level() (Level, bool) {
	switch {
	case b.Below && b.Value <= 50:
		return Bad, true
	case !b.Below && b.Value >= 100:
		return Good, true
	}
	return "", false
}

// Words says the bound in French: "moins de 50 %", "au moins 80 %".
func (b RateBound) Words() string {
	if b.Below {
		return "moins de " + shortDecimal(b.Value) + " %"
	}
	return "au moins " + shortDecimal(b.Value) + " %"
}

// ValidAt says whether the statement is under three years old at now.
func (s Statement) ValidAt(now time.Time) bool {
	return !s.Date.IsZero() && now.Before(s.Date.AddDate(3, 0, 0))
}

var (
	// statusRE: the statuses, and "n'est pas (encore) conforme / en
	// conformité", which states non-compliance.
	statusRE = regexp.MustCompile(`\b(totalement|partiellement|non) conforme|\bconformite (totale|partielle)\b|\b(?:n'est|ne sont|n'etant|n'etait) pas (encore |du tout )?(?:en conformite|conformes?)\b`)
	// statusGovernors make a status an aim, a wish, a plan or a pending
	// check rather than the site's state, when they stand before it in its
	// sentence.
	statusGovernors = []struct {
		re  *regexp.Regexp
		why string
	}{
		{regexp.MustCompile(`\b(?:vis(?:e|es|ent|er|ant|ons|ez)|objectifs?|ambition|ambitionne|cible|tend|tendre|aspire)\b`), "objectif, pas un état"},
		{regexp.MustCompile(`\b(?:souhaite|souhaitons|souhait|voudrait|espere|esperons)\b`), "souhait, pas un état"},
		{regexp.MustCompile(`\b(?:sera|seront|deviendra|devenir|devrait|devraient|atteindre|obtenir|parvenir|prevu|prevue|a terme|d'ici|afin d'etre|pour etre|s'engage a etre)\b`), "futur, pas un état"},
		// A negation governs the status only right before it ("n'est pas
		// totalement conforme", "ne sera jamais…"), not a clause further
		// back ("qui ne collecte aucune donnée, est …").
		{regexp.MustCompile(`(?:\b(?:pas|jamais|aucunement|nullement)|\bsans)(?: (?:encore|tout a fait|vraiment|completement|entierement|en))? (?:\S+ )?$`), "négation"},
		{regexp.MustCompile(`\b(?:(?:audit|evaluation|tests?|controle|verification)s? (?:est |sont )?(?:en cours|a venir|prevue?s?)|en cours d'(?:audit|evaluation)|en attente d(?:'audit|'evaluation|e realisation|e l'audit)|non audite|pas (?:encore )?(?:ete )?audite|sans audit)\b`), "vérification en cours, pas un résultat"},
	}
	// statusAfter: a time to come after a status ("… conforme d'ici 2026").
	statusAfter = regexp.MustCompile(`^[^.;]{0,30}?\b(?:d'ici|a terme|a l'avenir|prochainement|a l'horizon|d'ici a)\b`)

	// A number and a percent sign, with an optional (no-break) space.
	pct = `\b(\d{1,3}(?:[.,]\d{1,2})?) ?%`
	// The compliance rate, strongest forms first: "taux (moyen, global) de
	// conformité de 81,5 %", "81 % des critères (RGAA) sont respectés",
	// "respecte 81 % des critères", "conforme à 81 %".
	rateREs = []*regexp.Regexp{
		regexp.MustCompile(`taux (?:moyen |global )?de conformite[^%]{0,60}?` + pct),
		regexp.MustCompile(pct + ` des criteres[^%]{0,80}?\brespecte`),
		regexp.MustCompile(`respect[^.%\d]{0,60}?` + pct + ` des criteres`),
		regexp.MustCompile(`conforme a ` + pct),
	}
	notRespectedRE = regexp.MustCompile(`non[ -]respecte|ne sont pas respecte`)
	// otherStandardRE: a rate of another standard (eco-design, security,
	// interoperability) is not the RGAA rate.
	otherStandardRE = regexp.MustCompile(`\b(?:rgesn|ecoconception|eco-conception|rgi|rgs|rgpd)\b`)
	// boundBeforeRE / boundSignRE: a bound written before the number.
	boundBeforeRE = regexp.MustCompile(`(?:\b(moins de|inferieure? a|au plus|au maximum|jusqu'a|sous les)|\b(au moins|plus de|superieure? a|au-dela de|au minimum|minimum|pres de|environ|quasi|presque))(?: l'ordre de)? ?$`)
	// nameBeforeRE / nameAfterRE / populationAfterRE: a percentage that is
	// part of a name, a programme or a population.
	nameBeforeRE      = regexp.MustCompile(`\b(?:plan|programme|label|projet|operation|initiative|objectif|dispositif|campagne|strategie|territoire|ecole|ville|charte|pacte|feuille de route)\b[^.%]{0,20}$`)
	nameAfterRE       = regexp.MustCompile(`^ ?(?:numerique|inclusif|inclusive|accessible|dematerialise|dematerialisee|en ligne|connecte|connectee|bio|renouvelable|gratuit|securise)\b`)
	populationAfterRE = regexp.MustCompile(`^ ?(?:des|de nos|de leurs|de leur|de ses) (?:usagers|utilisateurs|personnes|agents|francais|foyers|demarches|pages|sites|citoyens|habitants|eleves|entreprises|visiteurs|internautes|repondants|beneficiaires|contenus|videos|documents)\b`)
	anyPctRE          = regexp.MustCompile(pct)

	rgaaRE      = regexp.MustCompile(`\brgaa ?(?:version |v)?(\d{1,2}(?:\.\d{1,2}){0,2})\b`)
	months      = []string{"janvier", "fevrier", "mars", "avril", "mai", "juin", "juillet", "aout", "septembre", "octobre", "novembre", "decembre"}
	monthAlt    = strings.Join(months, "|")
	dayMonthRE  = regexp.MustCompile(`\b(\d{1,2})(?:er)? (` + monthAlt + `) (\d{4})\b`)
	monthYearRE = regexp.MustCompile(`\b(` + monthAlt + `) (\d{4})\b`)
	slashDateRE = regexp.MustCompile(`\b(\d{1,2})[/.](\d{1,2})[/.](\d{4})\b`)
	isoDateRE   = regexp.MustCompile(`\b(\d{4})-(\d{2})-(\d{2})\b`)

	// A date tied to the statement or its audit, by the words before it
	// in its sentence.
	dateTiedRE = regexp.MustCompile(`\b(?:etablie?s?|mise? a jour|actualisee?|revisee?|date de (?:la|cette) declaration|date de l'audit|date de realisation|realisee?s?|menee?|effectuee?|conduite?|audit (?:du|de|d'|en)|audite|evaluation (?:du|de|en)|declaration (?:du|en date du|datee du)|redigee?|publiee?)`)
	// Dates that are not the statement's: laws and standards, page stamps,
	// deadlines.
	dateLawRE   = regexp.MustCompile(`\b(loi|decret|ordonnance|arrete|directive|reglement|circulaire|norme|deliberation)\b[^.]{0,40}$`)
	dateStampRE = regexp.MustCompile(`(?:\b(?:publie|publiee|mis en ligne|mise en ligne|cree|creee|modifie|modifiee|derniere modification|page mise a jour|page modifiee|mise a jour de (?:la|cette) page)(?: de (?:la|cette) page)?(?: le| en)? ?:? ?)$`)
	// statementPublishedRE: the statement itself is the one published
	// ("cette déclaration a été publiée le", "déclaration publiée le"),
	// not the page ("Déclaration d'accessibilité" as a title, then the
	// page's "Publié le").
	statementPublishedRE = regexp.MustCompile(`\b(?:declaration(?: d'accessibilite)? (?:(?:a ete |est |fut )publiee?|publiee)|audit (?:a ete |est |fut )?publie) (?:le |en )?:? ?$`)
	dateDeadlineRE       = regexp.MustCompile(`\b(?:avant le|avant|d'ici le|d'ici|jusqu'au|au plus tard le|prevue? (?:le|en|pour)|sera|seront|prochaine?|echeance)\b[^.]{0,30}$`)
)

// ParseStatement reads an accessibility statement's visible text: the
// status, the compliance rate, the RGAA version and the statement's date,
// as a careful auditor would (see docs/method.md): a status stated as an
// aim, a wish, a plan, under a negation or a pending check is not the
// status; a bound is not a rate; a percentage of a name or a population is
// never a rate; the date is the one tied to establishing or updating the
// statement or its audit, not a law's nor a page stamp, and not after now
// (a zero now sets no bound). What is set aside goes to Notes. It never
// fails: what is not found stays empty.
func ParseStatement(text string, now time.Time) Statement {
	f := foldIndexed(text)
	var s Statement
	findStatus(f, &s)
	findRate(f, &s)
	s.RGAAVersion = findRGAAVersion(f.t)
	findDate(f, now, &s)
	return s
}

// sentenceBefore returns the folded text of t before i, back to the start
// of its sentence and n bytes at most.
func sentenceBefore(t string, i, n int) string {
	from := max(0, i-n)
	w := t[from:i]
	if k := strings.LastIndexAny(w, ".;!?"); k >= 0 && (k+1 >= len(w) || w[k+1] == ' ') {
		w = w[k+1:]
	}
	return w
}

// sentenceStart returns where the passage before t[i] starts: the start
// of its sentence, n bytes back at most.
func sentenceStart(t string, i, n int) int {
	return i - len(sentenceBefore(t, i, n))
}

// findStatus sets the first status of the text that states the site's
// state, noting the ones set aside.
func findStatus(f folded, s *Statement) {
	t := f.t
	for _, m := range statusRE.FindAllStringSubmatchIndex(t, -1) {
		passage := f.quote(sentenceStart(t, m[0], 40), m[1])
		status := StatusNone
		negated := m[6] >= 0 || t[m[0]:m[0]+1] == "n" && strings.HasPrefix(t[m[0]:], "n'")
		switch {
		case negated:
			status = StatusNone
		case m[2] >= 0 && t[m[2]:m[3]] == "totalement" || m[4] >= 0 && t[m[4]:m[5]] == "totale":
			status = StatusFull
		case m[2] >= 0 && t[m[2]:m[3]] == "partiellement" || m[4] >= 0 && t[m[4]:m[5]] == "partielle":
			status = StatusPartial
		}
		if strings.HasSuffix(strings.TrimRight(t[:m[0]], " "), "/") || strings.HasPrefix(strings.TrimLeft(t[m[1]:], " "), "/") {
			s.Notes = append(s.Notes, "statut ignoré : « "+f.quote(max(0, m[0]-18), m[1])+" », modèle non rempli")
			continue
		}
		before := sentenceBefore(t, m[0], 80)
		if strings.Count(before, "«") > strings.Count(before, "»") || strings.Count(before, "\"")%2 == 1 {
			s.Notes = append(s.Notes, "statut ignoré : « "+passage+" », cité entre guillemets (un exemple)")
			continue
		}
		why := ""
		if status != StatusNone {
			for _, g := range statusGovernors {
				if g.re.MatchString(before) {
					why = g.why
					break
				}
			}
			if why == "" && statusAfter.MatchString(t[m[1]:]) {
				why = "futur, pas un état"
			}
		} else if !negated && statusGovernors[0].re.MatchString(before) {
			why = statusGovernors[0].why
		}
		if why != "" {
			s.Notes = append(s.Notes, "statut ignoré : « "+passage+" » ("+why+")")
			continue
		}
		s.Status, s.StatusText = status, f.quote(sentenceStart(t, m[0], 30), m[1])
		return
	}
}

// percentRole says what a percentage at t[num:end] is when it is not a
// rate: a bound ("moins de 50 %"), part of a name ("Plan 100 % numérique")
// or a population ("50 % des usagers"); "" when it may be a rate.
func percentRole(t string, num, end int) (role string, below bool) {
	before := t[max(0, num-30):num]
	if i := strings.IndexByte(t[end:], '%'); i >= 0 && i <= 1 {
		end += i + 1
	}
	if num > 0 && strings.ContainsAny(t[num-1:num], "+-<>") {
		return "bound", t[num-1] == '-' || t[num-1] == '<'
	}
	if m := boundBeforeRE.FindStringSubmatch(before); m != nil {
		return "bound", m[1] != ""
	}
	if nameBeforeRE.MatchString(before) || nameAfterRE.MatchString(t[end:]) {
		return "name", false
	}
	if populationAfterRE.MatchString(t[end:]) {
		return "population", false
	}
	return "", false
}

// findRate sets the compliance rate: a percentage stated with the
// compliance rate or the RGAA criteria met. A bound is kept as a bound; a
// percentage of a name, a population or another standard is set aside.
// There is no fallback: a statement that states no rate has none.
func findRate(f folded, s *Statement) {
	t := f.t
	seen := map[int]bool{}
	for _, re := range rateREs {
		for _, m := range re.FindAllStringSubmatchIndex(t, -1) {
			num, end := m[2], m[3]
			seen[num] = true
			passage := f.quote(m[0], m[1])
			if notRespectedRE.MatchString(t[m[0]:m[1]]) {
				continue
			}
			v, ok := parsePercent(t[num:end])
			if !ok {
				continue
			}
			if otherStandardRE.MatchString(t[m[0]:m[1]]) || otherStandardRE.MatchString(sentenceBefore(t, m[0], 60)) {
				s.Notes = append(s.Notes, "taux ignoré : « "+passage+" », taux d'un autre référentiel que le RGAA")
				continue
			}
			switch role, below := percentRole(t, num, end); role {
			case "bound":
				passage = f.quote(min(m[0], sentenceStart(t, num, 25)), m[1])
				if s.Bound == nil {
					s.Bound = &RateBound{Below: below, Value: v, Text: passage}
				}
				s.Notes = append(s.Notes, "« "+passage+" » est une borne, pas le taux")
				continue
			case "name", "population":
				passage = f.quote(min(m[0], sentenceStart(t, num, 25)), min(len(t), m[1]+20))
				s.Notes = append(s.Notes, "pourcentage ignoré : « "+passage+" », "+map[string]string{"name": "partie d'un nom", "population": "part d'une population"}[role])
				continue
			}
			if s.Rate == nil {
				s.Rate, s.RateText = &v, passage
			}
		}
		if s.Rate != nil {
			break
		}
	}
	if s.Rate != nil {
		return
	}
	n := 0
	for _, m := range anyPctRE.FindAllStringSubmatchIndex(t, -1) {
		if seen[m[2]] || n == 3 {
			continue
		}
		if _, ok := parsePercent(t[m[2]:m[3]]); ok {
			n++
			s.Notes = append(s.Notes, "pourcentage ignoré : « "+f.quote(sentenceStart(t, m[0], 30), min(len(t), m[1]+20))+" », ne dit pas un taux de critères RGAA respectés")
		}
	}
}

// parsePercent parses "81,5" as 81.5 when it lies in 0–100.
func parsePercent(s string) (float64, bool) {
	v, err := strconv.ParseFloat(strings.Replace(s, ",", ".", 1), 64)
	if err != nil || v < 0 || v > 100 {
		return 0, false
	}
	return v, true
}

// findRGAAVersion returns the highest RGAA version named in folded text.
func findRGAAVersion(t string) string {
	best := ""
	for _, m := range rgaaRE.FindAllStringSubmatch(t, -1) {
		if best == "" || CompareVersions(m[1], best) > 0 {
			best = m[1]
		}
	}
	return best
}

// dateCandidate is a date written in the text, at t[pos:end].
type dateCandidate struct {
	date     time.Time
	pos, end int
}

// findDate sets the statement's date: the latest date the text ties to
// establishing or updating the statement or its audit; only when none is
// tied, the latest other date that is neither a law's or a standard's, a
// page stamp, a deadline nor after now. What is set aside goes to Notes.
func findDate(f folded, now time.Time, s *Statement) {
	t := f.t
	var tied, other []dateCandidate
	for _, c := range dateCandidates(t) {
		words := f.quote(c.pos, c.end)
		before := sentenceBefore(t, c.pos, 80)
		near := t[max(0, c.pos-45):c.pos]
		switch {
		case !now.IsZero() && c.date.After(now):
			s.Notes = append(s.Notes, "date ignorée : "+words+", postérieure au jour de la mesure (un projet)")
		case dateLawRE.MatchString(near):
			kind := dateLawRE.FindStringSubmatch(near)[1]
			s.Notes = append(s.Notes, "date ignorée : "+words+", date "+lawArticle(kind))
		case dateStampRE.MatchString(near) && !statementPublishedRE.MatchString(near):
			// "Publié le …" of the page, not "Cette déclaration a été
			// publiée le …".
			s.Notes = append(s.Notes, "date ignorée : "+words+", date de publication ou de modification de la page")
		case dateDeadlineRE.MatchString(before):
			s.Notes = append(s.Notes, "date ignorée : "+words+", une échéance")
		case dateTiedRE.MatchString(before):
			tied = append(tied, c)
		default:
			other = append(other, c)
		}
	}
	pickLatest := func(cs []dateCandidate) (dateCandidate, bool) {
		var best dateCandidate
		for _, c := range cs {
			if c.date.After(best.date) {
				best = c
			}
		}
		return best, !best.date.IsZero()
	}
	if c, ok := pickLatest(tied); ok {
		from := sentenceStart(t, c.pos, 80)
		if loc := dateTiedRE.FindStringIndex(t[from:c.pos]); loc != nil {
			from += loc[0] // quote from the words that tie the date
		}
		s.Date, s.DateText = c.date, f.quote(from, c.end)
		for _, o := range other {
			s.Notes = append(s.Notes, "date ignorée : "+f.quote(o.pos, o.end)+", sans lien avec l'établissement de la déclaration ou de l'audit")
		}
		return
	}
	if c, ok := pickLatest(other); ok {
		s.Date, s.DateText = c.date, f.quote(sentenceStart(t, c.pos, 40), c.end)
		s.Notes = append(s.Notes, "aucune date liée à l'établissement de la déclaration ou de l'audit : date retenue faute de mieux, la plus récente de la page")
	}
}

// lawArticle names the kind of text a date belongs to, with its article.
func lawArticle(kind string) string {
	switch kind {
	case "loi":
		return "d'une loi"
	case "decret":
		return "d'un décret"
	case "ordonnance", "directive", "circulaire", "norme", "deliberation":
		return "d'une " + kind
	case "arrete":
		return "d'un arrêté"
	case "reglement":
		return "d'un règlement"
	}
	return "d'un texte de référence"
}

// dateCandidates lists the valid dates written in folded text in a
// French form ("12 mars 2024", "1er mars 2024", "mars 2024" as the 1st,
// "12/03/2024", "2024-03-12"), in text order.
func dateCandidates(t string) []dateCandidate {
	var out []dateCandidate
	taken := map[int]bool{}
	consider := func(y, m, d, pos, end int) {
		if taken[pos] || y < 1990 || y > 2200 || m < 1 || m > 12 || d < 1 || d > 31 {
			return
		}
		date := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
		if date.Day() != d { // 31 février
			return
		}
		taken[pos] = true
		out = append(out, dateCandidate{date: date, pos: pos, end: end})
	}
	month := func(name string) int {
		for i, n := range months {
			if n == name {
				return i + 1
			}
		}
		return 0
	}
	full := map[int]bool{}
	for _, m := range dayMonthRE.FindAllStringSubmatchIndex(t, -1) {
		full[m[4]] = true
		consider(dateAtoi(t[m[6]:m[7]]), month(t[m[4]:m[5]]), dateAtoi(t[m[2]:m[3]]), m[0], m[1])
	}
	for _, m := range monthYearRE.FindAllStringSubmatchIndex(t, -1) {
		if !full[m[2]] {
			consider(dateAtoi(t[m[4]:m[5]]), month(t[m[2]:m[3]]), 1, m[0], m[1])
		}
	}
	for _, m := range slashDateRE.FindAllStringSubmatchIndex(t, -1) {
		consider(dateAtoi(t[m[6]:m[7]]), dateAtoi(t[m[4]:m[5]]), dateAtoi(t[m[2]:m[3]]), m[0], m[1])
	}
	for _, m := range isoDateRE.FindAllStringSubmatchIndex(t, -1) {
		consider(dateAtoi(t[m[2]:m[3]]), dateAtoi(t[m[4]:m[5]]), dateAtoi(t[m[6]:m[7]]), m[0], m[1])
	}
	sort.Slice(out, func(i, j int) bool { return out[i].pos < out[j].pos })
	return out
}

func dateAtoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}
