package criteria

import (
	"math"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/observatoire-scanner/observatoire/scanner"
)

// Normalize turns the no-break spaces French typography uses (U+00A0,
// U+202F, U+2007) and other white space into plain spaces, folds runs of
// them into one and trims the ends, so that "7 100 €" and "Nous
// contacter\n" compare as typed.
func Normalize(s string) string {
	var b strings.Builder
	space := false
	for _, r := range s {
		if unicode.IsSpace(r) || r == '\u00a0' || r == '\u202f' || r == '\u2007' {
			space = true
			continue
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		b.WriteRune(r)
	}
	return b.String()
}

// Fold normalises s (see Normalize), lower-cases it, strips accents and
// turns typographic apostrophes into "'", so that "S’identifier" matches
// "s'identifier" and "Déclaration" matches "declaration".
func Fold(s string) string {
	s = Normalize(s)
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if f, ok := folds[r]; ok {
			b.WriteString(f)
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// folds maps the lower-case letters with diacritics used in French (and a
// few neighbours) and typographic punctuation to plain ASCII. A table, not
// Unicode decomposition, to stay within the standard library.
var folds = func() map[rune]string {
	m := map[rune]string{
		'œ': "oe", 'æ': "ae", 'ß': "ss",
		'\u2019': "'", '\u2018': "'", '\u02bc': "'", '`': "'",
		'\u2010': "-", '\u2011': "-", '\u2013': "-",
	}
	for base, accented := range map[string]string{
		"a": "àâäáãå", "c": "ç", "e": "éèêë", "i": "îïíì", "n": "ñ",
		"o": "ôöóòõ", "u": "ùûüú", "y": "ÿý",
	} {
		for _, r := range accented {
			m[r] = base
		}
	}
	return m
}()

// Decimal formats v with digits decimals and a French decimal comma:
// Decimal(7.14, 1) is "7,1".
func Decimal(v float64, digits int) string {
	return strings.Replace(strconv.FormatFloat(v, 'f', digits, 64), ".", ",", 1)
}

// Integer formats n with French digit grouping: Integer(6125) is "6 125".
func Integer(n int) string {
	s := strconv.Itoa(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(' ')
		}
		b.WriteRune(r)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

// shortDecimal formats v with a French decimal comma and only the decimals
// it needs, two at most: "81", "81,5", "0,75".
func shortDecimal(v float64) string {
	return strings.Replace(strconv.FormatFloat(math.Round(v*100)/100, 'f', -1, 64), ".", ",", 1)
}

// Score formats a score out of ten as the observatory shows it: "7,1/10".
func Score(v float64) string { return Decimal(v, 1) + "/10" }

// pageProblem says in French why a page did not load: a short label for
// the table ("Page bloquée", "Erreur HTTP 503") and the reason, for the
// evidence ("le serveur a répondu par une erreur HTTP 503").
func pageProblem(s *scanner.Snapshot) (label, reason string) {
	switch s.Status {
	case scanner.StatusTimeout:
		return "Délai dépassé", "la page n'a pas répondu dans le délai imparti"
	case scanner.StatusDNS:
		return "Erreur DNS", "le nom de domaine ne répond pas (DNS)"
	case scanner.StatusTLS:
		return "Erreur TLS", "la connexion sécurisée a échoué (TLS ou certificat)"
	case scanner.StatusHTTPError, scanner.StatusNotHTML:
		if s.HTTPStatus < 400 {
			return "Pas une page web", "l'adresse ne renvoie pas une page web (" + s.ContentType + ")"
		}
		return "Erreur HTTP " + strconv.Itoa(s.HTTPStatus), "le serveur a répondu par une erreur HTTP " + strconv.Itoa(s.HTTPStatus)
	case scanner.StatusBlocked:
		reason = "le site a bloqué le scanner (protection anti-robots)"
		if s.HTTPStatus != 0 {
			reason += ", HTTP " + strconv.Itoa(s.HTTPStatus)
		}
		return "Page bloquée", reason
	case scanner.StatusCrashed:
		return "Échec du navigateur", "l'onglet du navigateur s'est arrêté pendant le chargement"
	case scanner.StatusRefused:
		return "Adresse refusée", "le scanner a refusé cette adresse"
	}
	return "Erreur réseau", "la page n'a pas pu être chargée (erreur réseau)"
}

// pageMissing reports a second page that did not load because it is not
// there (HTTP 404 or 410, not a web page, refused): a broken link, which
// the criteria judge as no page, unlike a failure that may pass (timeout,
// network, blocked, server error), which leaves them not measured.
func pageMissing(s *scanner.Snapshot) bool {
	if s.Status.Loaded() {
		return false
	}
	switch s.Status {
	case scanner.StatusNotHTML, scanner.StatusRefused:
		return true
	case scanner.StatusHTTPError:
		return s.HTTPStatus == 404 || s.HTTPStatus == 410
	}
	return false
}

// notLoaded is the verdict of a criterion whose page did not load: not
// measured, never bad, labelled with why (see pageProblem), and the
// browser's reason.
func notLoaded(s *scanner.Snapshot) Verdict {
	label, fact := pageProblem(s)
	fact = "page non mesurée : " + fact
	if s.Reason != "" {
		fact += " — " + s.Reason
	}
	return Verdict{
		Level:    NotMeasured,
		Label:    label,
		Evidence: []Evidence{{Fact: fact, Page: s.URL}},
		Fix:      "Vérifier que la page répond à un navigateur ordinaire, puis relancer la mesure.",
	}
}

// folded is a text folded as Fold does, with, for each byte of the folded
// text, where its character starts and ends in the original, so that a
// passage found in the folded text is quoted in the page's own words.
type folded struct {
	t          string
	orig       string
	start, end []int
}

// foldIndexed folds s as Fold does and keeps the way back to s.
func foldIndexed(s string) folded {
	f := folded{orig: s}
	var b strings.Builder
	space := false
	for i, r := range s {
		if unicode.IsSpace(r) || r == '\u00a0' || r == '\u202f' || r == '\u2007' {
			space = true
			continue
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
			f.start = append(f.start, i)
			f.end = append(f.end, i)
		}
		space = false
		out := string(unicode.ToLower(r))
		if fr, ok := folds[unicode.ToLower(r)]; ok {
			out = fr
		}
		b.WriteString(out)
		_, width := utf8.DecodeRuneInString(s[i:]) // 1 for an invalid byte
		for range len(out) {
			f.start = append(f.start, i)
			f.end = append(f.end, i+width)
		}
	}
	f.t = b.String()
	return f
}

// quote returns the original text of the folded passage t[i:j], spaces
// normalised and shortened for the evidence.
func (f folded) quote(i, j int) string {
	if i >= j || j > len(f.t) {
		return ""
	}
	// Start and end on whole words.
	for i > 0 && f.t[i-1] != ' ' && f.t[i] != ' ' && i > j-120 {
		i--
	}
	for j < len(f.t) && f.t[j] != ' ' && isWordByte(f.t[j]) {
		j++
	}
	s := Normalize(f.orig[f.start[i]:f.end[j-1]])
	if r := []rune(s); len(r) > 120 {
		s = "…" + string(r[len(r)-119:])
	}
	return s
}

// cutShort returns the pages among pages that loaded but were cut short
// (StatusPartial: the body still arriving at the timeout, the size cap,
// a script stopped, a step that timed out): what they do not show may
// simply not have arrived.
func cutShort(pages ...*scanner.Snapshot) []*scanner.Snapshot {
	var out []*scanner.Snapshot
	for _, p := range pages {
		if p != nil && p.Status == scanner.StatusPartial {
			out = append(out, p)
		}
	}
	return out
}

// LabelIncomplete is the label of a verdict that would rest on the absence
// of something on a page that was cut short.
const LabelIncomplete = "Page incomplète"

// incomplete is the verdict of a criterion whose verdict would rest on
// the absence of what (« bouton FranceConnect ») on pages that were cut
// short: not measured, labelled "Page incomplète", with each page's
// reason. ev is kept before, so that what was found is still shown.
func incomplete(what string, cut []*scanner.Snapshot, ev []Evidence) Verdict {
	v := Verdict{Level: NotMeasured, Label: LabelIncomplete, Evidence: ev,
		Fix: "Faire en sorte que la page se charge entièrement dans un navigateur ordinaire (taille, scripts, fenêtres de dialogue, envoi du contenu), puis relancer la mesure."}
	for _, p := range cut {
		v.Evidence = append(v.Evidence, Evidence{
			Fact: "page incomplète : " + cutReason(p) + " ; l'absence de " + what + " n'est donc pas établie",
			Page: docURL(p), Text: p.Reason})
	}
	return v
}

// cutReason says in French why a partial page was cut short, from the
// scanner's reason.
func cutReason(s *scanner.Snapshot) string {
	r := strings.ToLower(s.Reason)
	switch {
	case strings.Contains(r, "weighs more than"):
		return "la page dépasse la taille maximale lue, son chargement a été arrêté"
	case strings.Contains(r, "did not finish loading"):
		return "la page n'avait pas fini d'arriver à la fin du délai de chargement"
	case strings.Contains(r, "never yield"):
		return "un script de la page bloquait le navigateur et a été arrêté"
	case strings.Contains(r, "dialog"):
		return "la page ouvrait des fenêtres de dialogue sans fin"
	case strings.Contains(r, "page cap"):
		return "la mesure de la page a atteint sa durée maximale"
	case strings.Contains(r, "timed out"):
		return "une étape de la lecture de la page a dépassé son délai"
	}
	return "la page n'a pas pu être lue en entier"
}
