package criteria

import (
	"strings"
	"testing"
	"time"

	"github.com/observatoire-scanner/observatoire/scanner"
)

// The tests of this file check each class of mistake an auditor would not
// make, with wordings that the real-page corpus does not contain.

func TestStatementStatusAsAnAuditor(t *testing.T) {
	tests := []struct {
		name, text, status, note string
	}{
		{"an aim", "Notre portail vise une conformité totale au RGAA d'ici 2027.", "", "objectif"},
		{"an objective", "Objectif : être totalement conforme fin 2026.", "", "objectif"},
		{"a wish", "La mairie souhaite rendre son site totalement conforme.", "", "souhait"},
		{"a future", "Le téléservice sera totalement conforme après la refonte.", "", "futur"},
		{"a time to come after", "Le site est partiellement conforme à terme, après la migration.", "", "futur"},
		{"a negation of full", "L'application n'est pas totalement conforme au référentiel.", "", "négation"},
		{"not yet compliant is non compliant", "Le guichet en ligne n'est pas encore conforme au RGAA.", StatusNone, ""},
		{"not in conformity", "Le service ne sont pas en conformité avec le RGAA.", StatusNone, ""},
		{"a pending check", "Audit en cours : le site serait partiellement conforme.", "", "vérification en cours"},
		{"not audited yet", "Site non audité, partiellement conforme selon nos estimations.", "", "vérification en cours"},
		{"a template", "Le site [nom] est totalement / partiellement / non conforme avec le RGAA.", "", "modèle non rempli"},
		{"a quoted example", "La page doit se nommer « Accessibilité : totalement conforme » quand tout est respecté.", "", "guillemets"},
		{"a plain partial status", "État de conformité : le téléservice est partiellement conforme avec le RGAA 4.1.2.", StatusPartial, ""},
		{"a negation further back is not the status's", "Le site, qui ne collecte aucune donnée, est partiellement conforme au RGAA.", StatusPartial, ""},
		{"a works in progress is no pending check", "Le portail, en cours de refonte, est partiellement conforme.", StatusPartial, ""},
		{"an aim then the state", "Nous visons une conformité totale. Aujourd'hui, le site est non conforme.", StatusNone, "objectif"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := ParseStatement(tt.text, time.Time{})
			if s.Status != tt.status {
				t.Errorf("status %q (%q), want %q; notes %q", s.Status, s.StatusText, tt.status, s.Notes)
			}
			if tt.note != "" && !strings.Contains(strings.Join(s.Notes, "|"), tt.note) {
				t.Errorf("no note %q in %q", tt.note, s.Notes)
			}
		})
	}
}

func TestStatementRateAsAnAuditor(t *testing.T) {
	tests := []struct {
		name, text string
		rate       float64 // -1: none
		quote      string  // in RateText, or in the notes when no rate
		bound      string  // the bound's words, "" if none
	}{
		{"a rate after the verb, decimal comma", "Le site respecte 33,96 % des critères du RGAA.", 33.96, "respecte 33,96 % des critères", ""},
		{"a bound below", "Moins de 50 % des critères RGAA sont respectés à ce jour.", -1, "Moins de 50 % des critères", "moins de 50 %"},
		{"a bound above", "Au moins 75 % des critères sont respectés.", -1, "Au moins 75 % des critères", "au moins 75 %"},
		{"a signed bound", "Environ +60 % des critères du RGAA sont respectés.", -1, "60 % des critères", "au moins 60 %"},
		{"a programme's name", "Ce site fait partie du Plan 100 % numérique de la région.", -1, "Plan 100 % numérique", ""},
		{"a population", "Le taux de conformité ressenti par 70 % des usagers est bon.", -1, "70 % des usagers", ""},
		{"another standard", "Le taux de conformité au RGESN du service est de 72 %.", -1, "RGESN", ""},
		{"no lowest-percentage fallback", "Le service traite 12 % des dossiers en ligne et 40 % par courrier.", -1, "12 %", ""},
		{"the rate beside a population", "Utilisé par 90 % des agents. Le taux moyen de conformité est de 64,5 %.", 64.5, "64,5 %", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := ParseStatement(tt.text, time.Time{})
			switch {
			case tt.rate < 0 && s.Rate != nil:
				t.Errorf("rate %v (%q), want none", *s.Rate, s.RateText)
			case tt.rate >= 0 && (s.Rate == nil || *s.Rate != tt.rate):
				t.Errorf("rate %v, want %v; notes %q", s.Rate, tt.rate, s.Notes)
			}
			where := s.RateText
			if s.Rate == nil {
				where = strings.Join(s.Notes, "|")
			}
			if !strings.Contains(where, tt.quote) {
				t.Errorf("%q not in %q", tt.quote, where)
			}
			got := ""
			if s.Bound != nil {
				got = s.Bound.Words()
			}
			if got != tt.bound {
				t.Errorf("bound %q, want %q", got, tt.bound)
			}
		})
	}
}

func TestStatementBoundDecidesTheLevel(t *testing.T) {
	now := time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC)
	in := Input{
		Start:     aPage(aStart, scanner.Facts{FooterText: "Accessibilité : non conforme"}),
		Statement: aPage(aStart+"/accessibilite", scanner.Facts{Text: "Déclaration d'accessibilité. Moins de 40 % des critères du RGAA sont respectés. Déclaration établie le 2 juin 2026."}),
		Now:       now,
	}
	v := Accessibility(in)
	aCheck(t, "bound", v, Bad, "Non (moins de 40 %)")
	in.Statement = aPage(aStart+"/accessibilite", scanner.Facts{Text: "Déclaration d'accessibilité. Plus de 60 % des critères du RGAA sont respectés. Déclaration établie le 2 juin 2026."})
	in.Start = aPage(aStart, scanner.Facts{})
	v = Accessibility(in)
	if v.Level != NotMeasured || v.Label != "À vérifier" {
		t.Errorf("a bound above 50 with no status decides nothing: got %s %q", v.Level, v.Label)
	}
}

func TestStatementDateAsAnAuditor(t *testing.T) {
	now := time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name, text, date string
		notes            []string
	}{
		{"a law before the statement's date",
			"Conformément à la loi n° 2005-102 du 11 février 2005, le site… Déclaration établie le 3 septembre 2024.",
			"2024-09-03", []string{"11 février 2005, date d'une loi"}},
		{"a decree and a publication stamp after it",
			"Décret n° 2019-768 du 24 juillet 2019. Cette déclaration a été mise à jour le 2 mai 2025. Publié le 15 octobre 2025",
			"2025-05-02", []string{"24 juillet 2019, date d'un décret", "15 octobre 2025, date de publication"}},
		{"the page's last change is not the audit",
			"Audit réalisé le 10/01/2024 par un cabinet. Dernière modification de la page : 12/06/2025.",
			"2024-01-10", []string{"12/06/2025, date de publication ou de modification de la page"}},
		{"the tied date, not simply the latest",
			"Audit du 5 mars 2023. Nos bureaux ont déménagé le 7 avril 2024.",
			"2023-03-05", []string{"7 avril 2024, sans lien"}},
		{"the latest of several tied dates",
			"Audit du 5 mars 2023 ; déclaration actualisée le 7 avril 2024.",
			"2024-04-07", nil},
		{"a deadline is not the date",
			"Les vidéos seront sous-titrées avant le 30 juin 2025. Déclaration rédigée le 2 février 2025.",
			"2025-02-02", []string{"30 juin 2025, une échéance"}},
		{"a planned audit is after now",
			"Déclaration établie le 4 avril 2026. Un nouvel audit est prévu le 4 avril 2027.",
			"2026-04-04", []string{"4 avril 2027"}},
		{"a statement published on a date is dated by it",
			"Publié le 4 mars 2026. Cette déclaration a été publiée le 2 février 2026.",
			"2026-02-02", []string{"4 mars 2026, date de publication"}},
		{"a page stamp under a statement's title",
			"Déclaration d'accessibilité Publié le 4 mars 2026 Partager Le site est non conforme.",
			"", []string{"4 mars 2026, date de publication"}},
		{"no date at all", "Déclaration établie le [date].", "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := ParseStatement(tt.text, now)
			got := ""
			if !s.Date.IsZero() {
				got = s.Date.Format(time.DateOnly)
			}
			if got != tt.date {
				t.Errorf("date %q (%q), want %q; notes %q", got, s.DateText, tt.date, s.Notes)
			}
			for _, n := range tt.notes {
				if !strings.Contains(strings.Join(s.Notes, "|"), n) {
					t.Errorf("no note %q in %q", n, s.Notes)
				}
			}
		})
	}
}

func TestStatementEvidenceQuotesThePage(t *testing.T) {
	now := time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC)
	in := Input{
		Start:     aPage(aStart, scanner.Facts{FooterText: "Accessibilité : partiellement conforme"}),
		Statement: aPage(aStart+"/a11y", scanner.Facts{Text: "Conformément à la loi n° 2005-102 du 11 février 2005. Le site respecte 33,96 % des critères. Déclaration établie le 1er octobre 2025."}),
		Now:       now,
	}
	v := Accessibility(in)
	aCheck(t, "quotes", v, Bad, "Non (33,96 %)")
	all := ""
	for _, e := range v.Evidence {
		all += e.Fact + "\n"
	}
	for _, want := range []string{"taux : 33,96 % (« respecte 33,96 % des critères »)", "date ignorée : 11 février 2005, date d'une loi", "date : 01/10/2025 (« établie le 1er octobre 2025 »)"} {
		if !strings.Contains(all, want) {
			t.Errorf("evidence lacks %q:\n%s", want, all)
		}
	}
}

func TestMentionAsAnAuditor(t *testing.T) {
	tests := []struct {
		name, text, status string
	}{
		{"English, partial", "Legal notice Accessibility: partially compliant Sitemap", StatusPartial},
		{"English, full", "Accessibility : fully compliant", StatusFull},
		{"English, none", "Accessibility: non-compliant", StatusNone},
		{"a spaced placeholder", "Accessibilité : non / partiellement / totalement conforme", ""},
		{"a quoted example", "Par exemple « Accessibilité : partiellement conforme » en pied de page.", ""},
		{"examples that disagree", "Accessibilité : totalement conforme, ou Accessibilité : non conforme selon l'audit.", ""},
		{"one mention twice", "Accessibilité : non conforme … Accessibilité : non conforme", StatusNone},
	}
	for _, tt := range tests {
		m, ok := FindMention(tt.text)
		if ok != (tt.status != "") || m.Status != tt.status {
			t.Errorf("%s: FindMention(%q) = %+v, %v; want %q", tt.name, tt.text, m, ok, tt.status)
		}
	}
}

func TestStartedOnAStatement(t *testing.T) {
	start := aPage("https://www.service.gouv.fr/declaration-accessibilite", scanner.Facts{
		Title: "Déclaration d'accessibilité – Service en ligne",
		Text:  "Service en ligne. Le site est partiellement conforme. Déclaration établie le 9 janvier 2026.",
		Links: []scanner.Link{
			{Text: "Service en ligne — accessibilité numérique", Href: "https://www.service.gouv.fr/", Region: scanner.RegionHeader},
			{Text: "Accessibilité", Href: "https://www.service.gouv.fr/autre-page-accessibilite", Region: scanner.RegionFooter},
		},
	})
	f := FindFollowUps(start, FollowUps{})
	if f.Statement != start.URL {
		t.Errorf("statement %q, want the start page itself", f.Statement)
	}
	r := AccessibilityReport(Input{Start: start, Now: time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC)})
	if r.Declaration.Status != StatusPartial || r.Declaration.Date != "2026-01-09" {
		t.Errorf("declaration %+v, want the start page read as the statement", r.Declaration)
	}

	// Not a statement: the brand link to the home page is never the
	// statement link, even when its text names accessibility.
	home := aPage("https://www.service.gouv.fr/demarche", scanner.Facts{
		Title: "Faire une demande",
		Links: []scanner.Link{
			{Text: "Service en ligne — accessibilité numérique", Href: "https://www.service.gouv.fr/", Region: scanner.RegionHeader},
			{Text: "Guide (PDF)", Href: "https://www.service.gouv.fr/accessibilite/guide.pdf", Region: scanner.RegionMain},
		},
	})
	if f := FindFollowUps(home, FollowUps{}); f.Statement != "" {
		t.Errorf("statement %q, want none (brand link, PDF)", f.Statement)
	}
	// A guide about statements is not a statement.
	guide := aPage("https://guide.exemple.fr/accessibilite/", scanner.Facts{Title: "Guide", Text: "La déclaration d'accessibilité définit l'état de conformité."})
	if IsStatementPage(guide) {
		t.Error("a guide about statements taken for a statement")
	}
}

func TestContactLinksByTextAndTarget(t *testing.T) {
	tests := []struct {
		text, href string
		want       bool
	}{
		{"Aide à la saisie", "/demo/aide-saisie.html", false},
		{"Aides financières", "/aides", false},
		{"Aide juridictionnelle", "/demarches/aide-juridictionnelle", false},
		{"Contacts presse", "/presse", false},
		{"Contacter la mairie", "/mairie", true},
		{"📞 Nous joindre", "/joindre", true},
		{"Besoin d'aide ?", "/x", true},
		{"Une question ? Consultez l'aide", "/aide/", true},
		{"Centre d'assistance", "https://support.exemple.gouv.fr/", true},
		{"Écrivez-nous", "/formulaire", true},
	}
	for _, tt := range tests {
		if got := IsContactLink(scanner.Link{Text: tt.text, Href: tt.href}); got != tt.want {
			t.Errorf("IsContactLink(%q, %q) = %v, want %v", tt.text, tt.href, got, tt.want)
		}
	}
	start := aPage("https://demarches.exemple.gouv.fr/depot", scanner.Facts{Links: []scanner.Link{
		{Text: "Aide à la saisie", Href: "https://demarches.exemple.gouv.fr/aide-saisie"},
		{Text: "Contact", Href: "https://www.autre.gouv.fr/contact"},
		{Text: "Nous contacter", Href: "https://www.exemple.gouv.fr/nous-contacter"},
	}})
	if f := FindFollowUps(start, FollowUps{}); f.Contact != "https://www.exemple.gouv.fr/nous-contacter" {
		t.Errorf("contact %q, want the sibling host's contact page (gouv.fr is a public suffix)", f.Contact)
	}
}

func TestRegistrableDomain(t *testing.T) {
	for host, want := range map[string]string{
		"demarches.exemple.gouv.fr": "exemple.gouv.fr",
		"www.exemple.gouv.fr":       "exemple.gouv.fr",
		"exemple.gouv.fr":           "exemple.gouv.fr",
		"gouv.fr":                   "gouv.fr",
		"www.service-public.fr":     "service-public.fr",
		"mon.compte.ameli.fr":       "ameli.fr",
		"a.b.example.co.uk":         "example.co.uk",
		"127.0.0.1":                 "127.0.0.1",
	} {
		if got := registrable(host); got != want {
			t.Errorf("registrable(%q) = %q, want %q", host, got, want)
		}
	}
}

func TestFranceConnectTestAndAdminHosts(t *testing.T) {
	page := aPage(aStart, scanner.Facts{Links: []scanner.Link{
		{Text: "Fournisseurs d'identité de test", Href: "https://fip1-low.integ01.dev-franceconnect.fr/", Selector: "#fip"},
		{Text: "Espace partenaires", Href: "https://partenaires.franceconnect.gouv.fr/login", Selector: "#bo"},
		{Text: "Tableau de bord de recette", Href: "https://admin.sbx.dev-franceconnect.fr/comptes", Selector: "#admin"},
	}})
	v := FranceConnect(Input{Start: page})
	aCheck(t, "test and admin hosts", v, Bad, "Non")
	for _, sel := range []string{"#fip", "#bo", "#admin"} {
		found := false
		for _, e := range v.Evidence {
			if e.Selector == sel && strings.HasPrefix(e.Fact, "lien écarté, pas un bouton FranceConnect : ") {
				found = true
			}
		}
		if !found {
			t.Errorf("no evidence rejecting %s: %+v", sel, v.Evidence)
		}
	}
	// A sign-in entry on the test platform is a button.
	entry := aPage(aStart, scanner.Facts{Links: []scanner.Link{
		{Text: "Entrer", Href: "https://fcp-low.sbx.dev-franceconnect.fr/api/v2/authorize?client_id=x", Selector: "#fc"},
	}})
	aCheck(t, "test sign-in entry", FranceConnect(Input{Start: entry}), Good, "FranceConnect")
}

// cut is a start page cut short for one reason of the scanner.
func cut(url, reason string, f scanner.Facts) *scanner.Snapshot {
	s := aPage(url, f)
	s.Status, s.Reason = scanner.StatusPartial, reason
	return s
}

// TestCutShortPages checks, for each kind of cut, that a verdict resting on
// an absence is not measured ("Page incomplète", with the reason), and
// that one resting on what was found stands.
func TestCutShortPages(t *testing.T) {
	now := time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC)
	kinds := []struct{ name, reason, words string }{
		{"body still arriving", "the page did not finish loading within 30s; facts read from what had arrived", "pas fini d'arriver"},
		{"size cap", "the page weighs more than 20 MB; loading was stopped and facts read from what had arrived", "taille maximale"},
		{"script stopped", "a script of the page held the browser and never yielded; it was stopped before the facts were read", "un script"},
		{"endless dialogs", "timed out during: read the desktop facts (the page may be busy, e.g. a script that never yields)", "un script"},
		{"page cap", "the page cap (1m30s) was hit during: run axe-core", "durée maximale"},
	}
	for _, k := range kinds {
		t.Run(k.name, func(t *testing.T) {
			empty := cut(aStart, k.reason, scanner.Facts{Title: "Démarche"})
			in := Input{Start: empty, Now: now}
			for id, v := range map[ID]Verdict{
				IDFranceConnect: FranceConnect(in), IDSupport: Support(in), IDSatisfaction: Satisfaction(in),
				IDAccessibility: Accessibility(in), IDOnline: Online(in),
			} {
				aCheck(t, string(id), v, NotMeasured, LabelIncomplete)
				if !strings.Contains(bFacts(v), k.words) {
					t.Errorf("%s: the reason %q is not in the evidence: %s", id, k.words, bFacts(v))
				}
			}
			// What was found stands.
			found := cut(aStart, k.reason, scanner.Facts{
				Buttons:    []scanner.Button{{Text: "S'identifier avec FranceConnect", Class: "fr-connect", Selector: "button.fr-connect"}},
				Links:      []scanner.Link{{Text: "Appelez-nous", Href: "tel:+33140000000"}, {Text: "Écrivez-nous", Href: "mailto:aide@exemple.gouv.fr"}},
				FooterText: "Accessibilité : non conforme",
			})
			in = Input{Start: found, Now: now}
			aCheck(t, "found FranceConnect", FranceConnect(in), Good, "FranceConnect")
			aCheck(t, "found two channels", Support(in), Good, "Oui")
			aCheck(t, "found a way in", Online(in), Good, "Oui, détecté")
		})
	}
}

func TestCutShortSecondPages(t *testing.T) {
	now := time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC)
	reason := "the page did not finish loading within 30s; facts read from what had arrived"
	start := aPage(aStart, scanner.Facts{FooterText: "Accessibilité : partiellement conforme"})
	in := Input{Start: start, Now: now,
		Login:     cut(aStart+"/connexion", reason, scanner.Facts{}),
		Contact:   cut(aStart+"/contact", reason, scanner.Facts{}),
		Statement: cut(aStart+"/accessibilite", reason, scanner.Facts{Text: "Déclaration d'accessibilité"}),
	}
	aCheck(t, "login cut short", FranceConnect(in), NotMeasured, LabelIncomplete)
	aCheck(t, "contact cut short", Support(in), NotMeasured, LabelIncomplete)
	aCheck(t, "statement cut short", Accessibility(in), NotMeasured, LabelIncomplete)
	aCheck(t, "all cut short", Satisfaction(in), NotMeasured, LabelIncomplete)
	// A statement cut short after its date and rate arrived stands.
	in.Statement = cut(aStart+"/accessibilite", reason, scanner.Facts{Text: "82 % des critères du RGAA sont respectés. Déclaration établie le 2 mars 2026."})
	aCheck(t, "statement read", Accessibility(in), Partial, "Partiel (82 %)")
}

func TestDeclaredOnlineLevels(t *testing.T) {
	start := aPage(aStart, scanner.Facts{})
	for _, tt := range []struct {
		declared string
		level    Level
		label    string
	}{
		{"deploiement-local", Good, "En cours de déploiement local"},
		{"proactive", Good, "Démarche proactive"},
		{"oui", Good, "Oui"},
	} {
		r := Evaluate(Input{Start: start, Declared: Declared{Online: tt.declared}})
		aCheck(t, tt.declared, r[IDOnline], tt.level, tt.label)
	}
	r := Evaluate(Input{Start: start, Declared: Declared{Online: "a-venir", DLNUF: aFloat(0)}})
	for _, id := range IDs {
		if v := r[id]; v.Level != NotMeasured || v.Label != "À venir" {
			t.Errorf("%s: %s %q, want À venir on every criterion", id, v.Level, v.Label)
		}
	}
}

func TestCutShortMobile(t *testing.T) {
	reason := "the page weighs more than 20 MB; loading was stopped and facts read from what had arrived"
	s := cut(aStart, reason, scanner.Facts{})
	s.Mobile = &scanner.Facts{HasViewport: false, ScrollWidth: 980, ViewportWidth: 980}
	aCheck(t, "no viewport yet", Mobile(Input{Start: s}), NotMeasured, LabelIncomplete)
	// A tag that was seen and is wrong stands.
	s.Mobile = &scanner.Facts{HasViewport: true, Viewport: "width=1000, initial-scale=0.5", ScrollWidth: 412, ViewportWidth: 412}
	aCheck(t, "zoomed-out viewport seen", Mobile(Input{Start: s}), Bad, "Non")
}
