package observatory

import (
	"fmt"

	"github.com/observatoire-scanner/observatoire/criteria"
	"github.com/observatoire-scanner/observatoire/scanner"
)

// methodView is the method page: the version of the rules, the levels and
// a summary of each criterion's rule.
type methodView struct {
	// Version is the method of the latest edition; Code the one this
	// program implements, shown when they differ.
	Version string
	Code    string
	Levels  []levelRow
	Rules   []ruleView
}

// levelRow is a line of the table of levels.
type levelRow struct {
	Badge   badgeView
	Meaning string
}

// ruleView summarises one criterion's rule.
type ruleView struct {
	ID       criteria.ID
	Title    string
	Headline string
	Target   string
	Rule     []string
}

// ruleSummaries summarises, in French, the rules of docs/method.md. The
// figures the criteria package exports (the minimum number of answers, the
// RGAA's size and the embedded axe-core's coverage of it) are read from it;
// TestMethodRulesMatchCriteria checks the other thresholds against the
// criteria's verdicts.
func ruleSummaries() map[criteria.ID][]string {
	cov := criteria.AxeCoverage()
	return map[criteria.ID][]string{
		criteria.IDOnline: {
			"La valeur déclarée par l'administration l'emporte (Oui, Partiel, Bêta, En cours de déploiement local, Non, Démarche proactive).",
			"Sans déclaration, la page de départ doit répondre et offrir une entrée : un formulaire, un bouton de connexion ou FranceConnect, ou un appel à l'action (« Faire ma demande », « Commencer »…) ; sinon « À vérifier ».",
			"Une démarche déclarée non réalisable en ligne reçoit « – » sur tous les autres critères.",
		},
		criteria.IDSatisfaction: {
			fmt.Sprintf("Note sur 10 des avis « Je donne mon avis », affichée à partir de %d réponses : 8 ou plus bon, 5 ou plus partiel, moins de 5 insuffisant.", criteria.MinJDMAAnswers),
			fmt.Sprintf("Sans bouton « Je donne mon avis » ni note : insuffisant ; avec le bouton mais moins de %d avis : non mesuré.", criteria.MinJDMAAnswers),
		},
		criteria.IDMobile: {
			"La page est chargée comme sur un téléphone (412 × 823 px, densité 1,75, écran tactile).",
			"Une balise viewport et aucun défilement horizontal sont indispensables (sinon insuffisant) ; au moins 60 % du texte en 12 px ou plus et des zones tactiles de 48 px ou bien espacées donnent le niveau bon, sinon partiel.",
		},
		criteria.IDSupport: {
			"Canaux humains trouvés sur la page de départ et sur sa page d'aide ou de contact : téléphone, courriel, formulaire de contact, messagerie instantanée avec un agent, rendez-vous ou accueil.",
			"Deux canaux ou plus : bon ; un : partiel ; aucun : insuffisant. Une FAQ ou un robot conversationnel ne comptent pas.",
		},
		criteria.IDAvailability: {
			"Disponibilité : 99,9 % ou plus bon, 98,5 % ou plus partiel ; temps de réponse (premier octet) : moins de 400 ms bon, moins de 800 ms partiel.",
			"Le niveau retenu est le moins bon des deux, mesuré par des sondes HTTP répétées ou importé d'un moniteur de disponibilité.",
		},
		criteria.IDFranceConnect: {
			"Le bouton officiel « S'identifier avec FranceConnect » (ou FranceConnect+) est cherché sur la page de départ et sur la page de connexion, ainsi que les liens vers les serveurs de FranceConnect.",
			"Trouvé : bon ; déclaré non applicable : « – » ; sinon « Non ». ProConnect, réservé aux agents, ne compte pas.",
		},
		criteria.IDAccessibility: {
			"La mention « Accessibilité : totalement / partiellement / non conforme » et la déclaration d'accessibilité (taux de conformité, date, version du RGAA, validité de trois ans) sont lues.",
			"Taux de 100 % avec une déclaration valide : bon ; de 50 à 99 % : partiel ; moins de 50 % ou pas de déclaration valide : insuffisant.",
			fmt.Sprintf("Les erreurs détectées automatiquement par axe-core et par les tests de l'observatoire (qui couvrent %d des %d critères : axe-core %d, observatoire %d) sont montrées à côté, groupées par critère RGAA ; un test qui ne fait que soupçonner une erreur la signale « à vérifier ».", cov.Criteria, cov.Total, cov.AxeCriteria, cov.OwnCriteria),
		},
		criteria.IDDLNUF: {
			"Nombre pondéré de données déjà détenues par l'administration et encore demandées, déclaré : 0 ou 1 bon, 2 à 4 partiel, 5 ou plus insuffisant.",
			"Les champs de formulaire qui demandent de telles données sont relevés comme indices pour la personne qui vérifie.",
		},
	}
}

// levelMeanings explains each level in the method's table.
var levelMeanings = []struct {
	level   criteria.Level
	label   string
	meaning string
}{
	{criteria.Good, "Oui", "le critère est rempli"},
	{criteria.Partial, "Partiel", "le critère est rempli en partie"},
	{criteria.Bad, "Non", "le critère n'est pas rempli"},
	{criteria.NotApplicable, "–", "le critère ne s'applique pas à la démarche"},
	{criteria.NotMeasured, "À venir", "personne n'a pu le mesurer : la page n'a pas répondu, trop peu d'avis… Jamais un « Non » que personne n'a mesuré."},
}

func (s *site) writeMethod(w *writer) error {
	v := &methodView{Version: s.latest.Meta.MethodVersion, Code: criteria.MethodVersion}
	if v.Version == "" {
		v.Version = v.Code
	}
	for _, l := range levelMeanings {
		v.Levels = append(v.Levels, levelRow{Badge: newBadge("", criteria.Verdict{Level: l.level, Label: l.label}), Meaning: l.meaning})
	}
	rules := ruleSummaries()
	for _, id := range criteria.IDs {
		v.Rules = append(v.Rules, ruleView{ID: id, Title: id.Title(), Headline: headline[id], Target: targets[id], Rule: rules[id]})
	}
	return w.page(methodPage, "method", &page{Title: "Méthode", Nav: "methode", Data: v})
}

// statementView is the site's own accessibility statement.
type statementView struct {
	Mention string
	Axe     string
}

func (s *site) writeStatement(w *writer) error {
	v := &statementView{Mention: accessibilityMention, Axe: scanner.AxeVersion}
	return w.page(accessibilityPage, "accessibility", &page{Title: "Déclaration d'accessibilité", Nav: "accessibilite", Data: v})
}
