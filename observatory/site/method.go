package site

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
	cov := criteria.AutomatedCoverage()
	return map[criteria.ID][]string{
		criteria.IDOnline: {
			"La valeur déclarée par l'administration l'emporte (Oui, Partiel, Bêta, En cours de déploiement local, Non, Démarche proactive, À venir) ; Oui, En cours de déploiement local et Démarche proactive sont au vert.",
			"Une démarche déclarée « À venir » montre « À venir » sur tous les critères.",
			"Sans déclaration, la page de départ doit répondre et offrir une entrée : un formulaire, un bouton de connexion ou FranceConnect, ou un appel à l'action (« Faire ma demande », « Commencer »…) ; sinon « À vérifier ».",
			"Une démarche déclarée non réalisable en ligne reçoit Non applicable sur tous les autres critères.",
		},
		criteria.IDSatisfaction: {
			fmt.Sprintf("Note sur 10 des avis « Je donne mon avis », affichée à partir de %d réponses : 8 ou plus Oui, 5 ou plus Partiel, moins de 5 Non.", criteria.MinJDMAAnswers),
			fmt.Sprintf("Sans bouton « Je donne mon avis » ni note : Non ; avec le bouton mais moins de %d avis : Non mesuré.", criteria.MinJDMAAnswers),
		},
		criteria.IDMobile: {
			"La page est chargée comme sur un téléphone (412 × 823 px, densité 1,75, écran tactile).",
			"Une balise viewport et aucun défilement horizontal sont indispensables (sinon Non) ; au moins 60 % du texte en 12 px ou plus et des zones tactiles de 48 px ou bien espacées donnent Oui, sinon Partiel.",
		},
		criteria.IDSupport: {
			"Canaux humains trouvés sur la page de départ et sur sa page d'aide ou de contact : téléphone, courriel, formulaire de contact, messagerie instantanée avec un agent, rendez-vous ou accueil.",
			"Deux canaux ou plus : Oui ; un : Partiel ; aucun : Non. Une FAQ ou un robot conversationnel ne comptent pas.",
		},
		criteria.IDAvailability: {
			"Disponibilité : 99,9 % ou plus Oui, 98,5 % ou plus Partiel ; temps de réponse (premier octet) : moins de 400 ms Oui, moins de 800 ms Partiel.",
			"Le niveau retenu est le moins bon des deux, mesuré par des sondes HTTP répétées ou importé d'un moniteur de disponibilité.",
		},
		criteria.IDFranceConnect: {
			"Le bouton officiel « S'identifier avec FranceConnect » (ou FranceConnect+) est cherché sur la page de départ et sur la page de connexion, ainsi que les liens vers les serveurs de FranceConnect.",
			"Trouvé : Oui ; déclaré non applicable : Non applicable ; sinon Non. ProConnect, réservé aux agents, ne compte pas.",
		},
		criteria.IDAccessibility: {
			"La mention « Accessibilité : totalement / partiellement / non conforme » et la déclaration d'accessibilité (taux de conformité, date, version du RGAA, validité de trois ans) sont lues.",
			"Taux de 100 % avec une déclaration valide : Oui ; de 50 à 99 % : Partiel ; moins de 50 % ou pas de déclaration valide : Non.",
			fmt.Sprintf("Les erreurs détectées automatiquement par axe-core et par les tests de l'observatoire (qui couvrent %d des %d critères : axe-core %d, observatoire %d) sont montrées à côté, groupées par critère RGAA ; un test qui ne fait que soupçonner une erreur la signale « à vérifier ».", cov.Criteria, cov.Total, cov.AxeCriteria, cov.OwnCriteria),
		},
		criteria.IDDLNUF: {
			"Nombre pondéré de données déjà détenues par l'administration et encore demandées, déclaré : 0 ou 1 Oui, 2 à 4 Partiel, 5 ou plus Non.",
			"Les champs de formulaire qui demandent de telles données sont relevés comme indices pour la personne qui vérifie.",
		},
	}
}

// levelMeanings explains each level in the method's table.
var levelMeanings = []struct {
	level   criteria.Level
	meaning string
}{
	{criteria.Good, "le critère est rempli"},
	{criteria.Partial, "le critère est rempli en partie"},
	{criteria.Bad, "le critère n'est pas rempli"},
	{criteria.NotApplicable, "le critère ne s'applique pas à la démarche"},
	{criteria.NotMeasured, "personne n'a pu le mesurer (l'observatoire écrit « À venir ») : la page n'a pas répondu, trop peu d'avis… Jamais un « Non » que personne n'a mesuré."},
}

func (s *site) writeMethod(w *writer) error {
	v := &methodView{Version: s.latest.Meta.MethodVersion, Code: criteria.MethodVersion}
	if v.Version == "" {
		v.Version = v.Code
	}
	for _, l := range levelMeanings {
		v.Levels = append(v.Levels, levelRow{Badge: newBadge("", criteria.Verdict{Level: l.level}), Meaning: l.meaning})
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
