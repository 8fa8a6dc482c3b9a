package criteria

import (
	"regexp"
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
// accents, plain spaces). "non conforme" is tried before the bare "non",
// and a bare "conforme" means fully compliant.
var mentionRE = regexp.MustCompile(`accessibilite ?: ?(totalement conforme|partiellement conforme|non conforme|conforme|non)\b`)

// Mention is the accessibility mention of a page's footer.
type Mention struct {
	// Text is the mention as found, spaces normalised ("Accessibilité :
	// non").
	Text string
	// Status is StatusFull, StatusPartial or StatusNone.
	Status string
}

// FindMention looks for the legal mention "Accessibilité : totalement |
// partiellement | non conforme" (also "Accessibilité : non" and the bare
// "Accessibilité : conforme") in text, after turning no-break spaces into
// spaces. A bare "Accessibilité" link with no status is not a mention.
func FindMention(text string) (Mention, bool) {
	m := mentionRE.FindStringSubmatch(Fold(text))
	if m == nil {
		return Mention{}, false
	}
	status := m[1]
	switch status {
	case "conforme":
		status = StatusFull
	case "non":
		status = StatusNone
	}
	return Mention{Text: "Accessibilité : " + m[1], Status: status}, true
}

// Statement is what an accessibility statement page says.
type Statement struct {
	// Status is StatusFull, StatusPartial or StatusNone; "" when not stated.
	Status string
	// Rate is the compliance rate (0–100), nil when no percentage was found;
	// RateText is the passage it was read from.
	Rate     *float64
	RateText string
	// RGAAVersion is the highest RGAA version named ("4.1.2"), "" if none.
	RGAAVersion string
	// Date is the latest date of the page not after the parse time (the
	// audit or the statement), zero when none.
	Date time.Time
}

// ValidAt says whether the statement is under three years old at now.
func (s Statement) ValidAt(now time.Time) bool {
	return !s.Date.IsZero() && now.Before(s.Date.AddDate(3, 0, 0))
}

var (
	statusRE = regexp.MustCompile(`\b(totalement|partiellement|non) conforme|\bconformite (totale|partielle)\b`)
	// A number and a percent sign, with an optional (no-break) space.
	pct = `\b(\d{1,3}(?:[.,]\d{1,2})?) ?%`
	// The compliance rate, strongest forms first: "taux de conformité (global)
	// de 81,5 %", "81 % des critères (RGAA) sont respectés", "conforme à
	// 81 %".
	rateREs = []*regexp.Regexp{
		regexp.MustCompile(`taux (?:moyen |global )?de conformite[^%]{0,60}?` + pct),
		regexp.MustCompile(pct + ` des criteres[^%]{0,80}?\brespecte`),
		regexp.MustCompile(`respect[^.%\d]{0,60}?` + pct + ` des criteres`),
		regexp.MustCompile(`conforme a ` + pct),
	}
	notRespectedRE = regexp.MustCompile(`non[ -]respecte|ne sont pas respecte`)
	anyPctRE       = regexp.MustCompile(pct)
	rgaaRE         = regexp.MustCompile(`\brgaa ?(?:version |v)?(\d{1,2}(?:\.\d{1,2}){0,2})\b`)
	months         = []string{"janvier", "fevrier", "mars", "avril", "mai", "juin", "juillet", "aout", "septembre", "octobre", "novembre", "decembre"}
	monthAlt       = strings.Join(months, "|")
	dayMonthRE     = regexp.MustCompile(`\b(\d{1,2})(?:er)? (` + monthAlt + `) (\d{4})\b`)
	monthYearRE    = regexp.MustCompile(`\b(` + monthAlt + `) (\d{4})\b`)
	slashDateRE    = regexp.MustCompile(`\b(\d{1,2})[/.](\d{1,2})[/.](\d{4})\b`)
	isoDateRE      = regexp.MustCompile(`\b(\d{4})-(\d{2})-(\d{2})\b`)
)

// ParseStatement reads an accessibility statement's visible text: the
// status, the compliance rate, the RGAA version and the latest date not
// after now (a zero now sets no bound). The rate is the percentage stated
// with the compliance rate or the criteria met; only when none is stated
// is it the lowest percentage of the page. It never fails: what is not
// found stays empty.
func ParseStatement(text string, now time.Time) Statement {
	t := Fold(text)
	var s Statement
	if m := statusRE.FindStringSubmatch(t); m != nil {
		switch {
		case m[1] == "totalement" || m[2] == "totale":
			s.Status = StatusFull
		case m[1] == "partiellement" || m[2] == "partielle":
			s.Status = StatusPartial
		default:
			s.Status = StatusNone
		}
	}
	s.Rate, s.RateText = findRate(t)
	s.RGAAVersion = findRGAAVersion(t)
	s.Date = latestDate(t, now)
	return s
}

// findRate returns the compliance rate of folded text and its passage.
func findRate(t string) (*float64, string) {
	for _, re := range rateREs {
		for _, m := range re.FindAllStringSubmatchIndex(t, -1) {
			passage := t[m[0]:m[1]]
			if notRespectedRE.MatchString(passage) {
				continue
			}
			if v, ok := parsePercent(t[m[2]:m[3]]); ok {
				return &v, passage
			}
		}
	}
	var low *float64
	text := ""
	for _, m := range anyPctRE.FindAllStringSubmatchIndex(t, -1) {
		if v, ok := parsePercent(t[m[2]:m[3]]); ok && (low == nil || v < *low) {
			low, text = &v, t[m[0]:m[1]]
		}
	}
	return low, text
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
		if best == "" || compareVersions(m[1], best) > 0 {
			best = m[1]
		}
	}
	return best
}

func compareVersions(a, b string) int {
	pa, pb := strings.Split(a, "."), strings.Split(b, ".")
	for i := 0; i < len(pa) || i < len(pb); i++ {
		var x, y int
		if i < len(pa) {
			x, _ = strconv.Atoi(pa[i])
		}
		if i < len(pb) {
			y, _ = strconv.Atoi(pb[i])
		}
		if x != y {
			return x - y
		}
	}
	return 0
}

// latestDate returns the latest valid date written in folded text in a
// French form ("12 mars 2024", "1er mars 2024", "mars 2024" as the 1st,
// "12/03/2024", "2024-03-12"), not after now unless now is zero.
func latestDate(t string, now time.Time) time.Time {
	var best time.Time
	consider := func(y, m, d int) {
		if y < 1990 || y > 2200 || m < 1 || m > 12 || d < 1 || d > 31 {
			return
		}
		date := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
		if date.Day() != d { // 31 février
			return
		}
		if !now.IsZero() && date.After(now) {
			return
		}
		if date.After(best) {
			best = date
		}
	}
	month := func(name string) int {
		for i, n := range months {
			if n == name {
				return i + 1
			}
		}
		return 0
	}
	for _, m := range dayMonthRE.FindAllStringSubmatch(t, -1) {
		consider(dateAtoi(m[3]), month(m[2]), dateAtoi(m[1]))
	}
	for _, m := range monthYearRE.FindAllStringSubmatch(t, -1) {
		consider(dateAtoi(m[2]), month(m[1]), 1)
	}
	for _, m := range slashDateRE.FindAllStringSubmatch(t, -1) {
		consider(dateAtoi(m[3]), dateAtoi(m[2]), dateAtoi(m[1]))
	}
	for _, m := range isoDateRE.FindAllStringSubmatch(t, -1) {
		consider(dateAtoi(m[1]), dateAtoi(m[2]), dateAtoi(m[3]))
	}
	return best
}

func dateAtoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}
