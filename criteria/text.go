package criteria

import (
	"strconv"
	"strings"
	"unicode"
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

// Score formats a score out of ten as the observatory shows it: "7,1/10".
func Score(v float64) string { return Decimal(v, 1) + "/10" }
