package criteria

import (
	"regexp"
	"strings"

	"github.com/observatoire-scanner/observatoire/scanner"
)

// DLNUF rates the "dites-le-nous une fois" criterion from the declared
// weighted count of data the State already holds that the procedure still
// asks: 0–1 good, 2–4 partial, 5 or more bad. The scanner cannot sign in to
// see the procedure's forms, so without a declared count the criterion is
// not measured ("À venir"); the fields of the public forms (start and
// contact pages) that ask such data are listed as hints for the reviewer.
func DLNUF(in Input) Verdict {
	hints := dlnufHints(loadedPages(in.Start, in.Contact)...)
	var v Verdict
	switch d := in.Declared; {
	case d.DLNUFNotApplicable:
		v = Verdict{Level: NotApplicable, Label: "Non applicable",
			Evidence: []Evidence{{Fact: "critère déclaré non applicable à cette démarche"}}}
	case d.DLNUF != nil:
		n := *d.DLNUF
		v = Verdict{Value: &n, Evidence: []Evidence{{Fact: "score pondéré déclaré des données redemandées : " + shortDecimal(n) + " (0 à 1 : Oui ; 2 à 4 : Partiel ; 5 ou plus : Non)"}}}
		switch {
		case n < 2:
			v.Level, v.Label = Good, "Oui"
		case n < 5:
			v.Level, v.Label = Partial, "Partiel"
		default:
			v.Level, v.Label = Bad, "Non"
		}
	default:
		v = Verdict{Level: NotMeasured, Label: "À venir",
			Evidence: []Evidence{{Fact: "aucun score déclaré : le niveau vient du score pondéré des données redemandées, établi par l'administration"}}}
	}
	if v.Level == NotMeasured || v.Level == Partial || v.Level == Bad {
		v.Fix = "Récupérer auprès des administrations qui les détiennent (API Particulier, FranceConnect) les données et pièces que la démarche redemande, puis déclarer le score (dlnuf=N)."
	}
	v.Evidence = append(v.Evidence, hints...)
	return v
}

// dlnufKinds are the data the State already holds, each with the pattern
// that finds it in a field's label, name, id, placeholder or autocomplete
// (folded; "_" and "-" read as spaces).
var dlnufKinds = []struct {
	what string
	re   *regexp.Regexp
}{
	{"prénom", regexp.MustCompile(`\bprenoms?\b|\bfirst ?name\b|\bgiven name\b`)},
	{"nom", regexp.MustCompile(`\bnom\b|\blast ?name\b|\bfamily name\b|\bsurname\b`)},
	{"date de naissance", regexp.MustCompile(`naissance|\bbirth|\bbday\b|\bdob\b`)},
	{"numéro fiscal", regexp.MustCompile(`numero fiscal|identifiant fiscal|num ?fiscal|\bspi\b|numero de declarant`)},
	{"numéro de sécurité sociale", regexp.MustCompile(`securite sociale|\bnir\b|numero de secu|\bnss\b`)},
	{"revenu fiscal de référence", regexp.MustCompile(`revenu fiscal|\brfr\b`)},
	{"adresse postale", regexp.MustCompile(`adresse(?: postale)?(?: |$)|street|address line|postal code|code postal`)},
	{"situation familiale", regexp.MustCompile(`situation familiale|nombre d'enfants|enfants a charge`)},
}

// notPostal marks "adresse" fields that are about e-mail, not a home;
// notPerson "nom" fields that name something else than the user.
var (
	notPostal = regexp.MustCompile(`electronique|e ?mail|courriel|\bmel\b|\bip\b`)
	notPerson = regexp.MustCompile(`utilisateur|commune|ville|entreprise|societe|structure|association|raison sociale|etablissement|fichier`)
)

// dlnufHints lists the public form fields that ask data the State holds.
func dlnufHints(pages ...*scanner.Snapshot) []Evidence {
	var out []Evidence
	for _, p := range pages {
		for _, f := range p.Desktop.Forms {
			if isSearchForm(f) {
				continue
			}
			for _, fl := range f.Fields {
				if what := dlnufKind(fl); what != "" {
					out = append(out, Evidence{Fact: "indice : le formulaire demande " + what + " (donnée que l'administration détient déjà)", Page: docURL(p), Selector: fl.Selector, Text: fieldName(fl)})
				}
			}
		}
	}
	return out
}

// dlnufKind names the held data a field asks, or "".
func dlnufKind(fl scanner.Field) string {
	desc := Fold(strings.Join([]string{fl.Label, fl.Name, fl.ID, fl.Placeholder, fl.Autocomplete}, " "))
	desc = strings.NewReplacer("_", " ", "-", " ").Replace(desc)
	if strings.EqualFold(fl.Type, "file") {
		if strings.Contains(desc, "imposition") || strings.Contains(desc, "impot") {
			return "l'avis d'imposition (pièce à téléverser)"
		}
		return "une pièce justificative à téléverser"
	}
	for _, k := range dlnufKinds {
		if !k.re.MatchString(desc) {
			continue
		}
		if k.what == "adresse postale" && notPostal.MatchString(desc) || k.what == "nom" && notPerson.MatchString(desc) {
			continue
		}
		return k.what
	}
	return ""
}
