package criteria

import (
	"strconv"
	"strings"

	"github.com/observatoire-scanner/observatoire/scanner"
)

// OnlineValues are the values Declared.Online accepts, with the level and
// label each gives.
// "a-venir" is a procedure announced but not online yet: every criterion
// shows "À venir".
var OnlineValues = []string{"oui", "partiel", "deploiement-local", "beta", "non", "proactive", "a-venir"}

var onlineDeclared = map[string]struct {
	level Level
	label string
}{
	"oui":               {Good, "Oui"},
	"partiel":           {Partial, "Partiel"},
	"deploiement-local": {Good, "En cours de déploiement local"},
	"beta":              {Partial, "Bêta"},
	"non":               {Bad, "Non"},
	"proactive":         {Good, "Démarche proactive"},
	"a-venir":           {NotMeasured, LabelToCome},
}

// LabelToCome is the observatory's label of what is not there yet: a
// procedure announced but not online, a score not yet imported.
const LabelToCome = "À venir"

// Online rates the "réalisable en ligne" criterion. The declared value
// wins; without one, a way into the procedure on the start page (a form
// that is not a search box, a sign-in or FranceConnect button, a call to
// action such as "Faire ma demande") gives good ("Oui, détecté"), and a
// page without one is left to a human ("À vérifier").
func Online(in Input) Verdict {
	if d, ok := onlineDeclared[in.Declared.Online]; ok {
		v := Verdict{Level: d.level, Label: d.label,
			Evidence: []Evidence{{Fact: "valeur déclarée par l'administration : " + guillemets(d.label)}}}
		switch d.level {
		case Good:
		case NotMeasured:
			v.Fix = "Déclarer la démarche en ligne (online=oui) à son ouverture : elle sera alors mesurée."
		default:
			v.Fix = "Rendre la démarche entièrement réalisable en ligne, pour tous les usagers."
		}
		return v
	}
	if !in.Start.Status.Loaded() {
		return notLoaded(in.Start)
	}
	ways := waysIn(in.Start)
	if len(ways) == 0 && in.Start.Status == scanner.StatusPartial {
		return incomplete("moyen d'entrer dans la démarche (formulaire, connexion, appel à l'action)", cutShort(in.Start), nil)
	}
	if len(ways) == 0 {
		return Verdict{Level: NotMeasured, Label: "À vérifier",
			Evidence: []Evidence{{Fact: "aucun formulaire (hors recherche), bouton de connexion ou FranceConnect, ni appel à l'action (« Faire ma demande », « Commencer », « Se connecter »...) sur la page de départ", Page: docURL(in.Start)}},
			Fix:      "Déclarer la valeur (online=oui, partiel, non...) ou donner l'adresse de la page où commence la démarche en ligne."}
	}
	if len(ways) > 5 {
		ways = ways[:5]
	}
	return Verdict{Level: Good, Label: "Oui, détecté", Evidence: ways}
}

// waysIn lists what lets a user start the procedure from a page.
func waysIn(s *scanner.Snapshot) []Evidence {
	if s.Desktop == nil {
		return nil
	}
	page := docURL(s)
	var out []Evidence
	for _, f := range s.Desktop.Forms {
		if isSearchForm(f) {
			continue
		}
		// The scanner leaves out hidden inputs and buttons: what remains
		// takes an answer.
		fields := f.Fields
		if len(fields) == 0 {
			continue
		}
		var names []string
		for _, fl := range fields {
			if n := fieldName(fl); n != "" && len(names) < 4 {
				names = append(names, n)
			}
		}
		out = append(out, Evidence{Fact: "formulaire de " + strconv.Itoa(len(fields)) + " champ(s), hors recherche", Page: page, Selector: f.Selector, Text: strings.Join(names, ", ")})
	}
	hits, _ := findFranceConnect(s)
	for _, h := range hits {
		out = append(out, h.ev)
	}
	for _, c := range clickables(s) {
		if c.region == scanner.RegionFooter || !textStarts(c.text, callsToAction) {
			continue
		}
		out = append(out, Evidence{Fact: "appel à l'action " + guillemets(c.text), Page: page, Selector: c.selector, Text: c.text})
	}
	return out
}

// callsToAction are the (folded) starts of link and button texts that open
// a procedure.
var callsToAction = []string{
	"faire ma demande", "faire une demande", "faire votre demande", "je fais ma demande",
	"commencer", "je commence", "demarrer", "debuter",
	"se connecter", "me connecter", "je me connecte", "connexion", "s'identifier", "s'inscrire", "inscription",
	"creer un compte", "creer mon compte", "creer votre compte", "creer mon espace",
	"deposer", "je depose", "demander", "je demande", "declarer", "je declare", "effectuer",
	"acceder au service", "acceder a la demarche", "acceder au formulaire", "acceder a mon espace", "acceder a votre espace",
	"mon espace", "mon compte", "remplir", "souscrire", "payer", "prendre rendez-vous en ligne",
}

// isSearchForm reports a search box: role=search, or a form whose only
// text fields are search fields (type=search, or named q, recherche,
// search...).
func isSearchForm(f scanner.Form) bool {
	if strings.EqualFold(f.Role, "search") {
		return true
	}
	search, other := 0, 0
	for _, fl := range f.Fields {
		switch {
		case isSearchField(fl):
			search++
		case isTextEntry(fl):
			other++
		}
	}
	return search > 0 && other == 0
}

func isSearchField(fl scanner.Field) bool {
	if strings.EqualFold(fl.Type, "search") {
		return true
	}
	switch strings.ToLower(fl.Name) {
	case "q", "query", "s", "search", "recherche", "rechercher", "keywords", "motcle", "mots-cles", "text_search":
		return true
	}
	return strings.HasPrefix(Fold(fl.Label), "rechercher")
}

func isTextEntry(fl scanner.Field) bool {
	if fl.Tag == "textarea" {
		return true
	}
	if fl.Tag != "input" {
		return false
	}
	switch strings.ToLower(fl.Type) {
	case "checkbox", "radio", "range", "color":
		return false
	}
	return true
}

// fieldName is how a field is named for a human: its label, else its
// placeholder, name or id.
func fieldName(fl scanner.Field) string {
	for _, s := range []string{fl.Label, fl.Placeholder, fl.Name, fl.ID} {
		if s = Normalize(s); s != "" {
			return s
		}
	}
	return ""
}
