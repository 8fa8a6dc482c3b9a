package criteria

import (
	"strings"
	"testing"

	"github.com/observatoire-scanner/observatoire/scanner"
)

func TestOnline(t *testing.T) {
	search := scanner.Form{Selector: "form#s", Fields: []scanner.Field{{Tag: "input", Type: "search", Name: "q"}}}
	searchNamed := scanner.Form{Selector: "form#r", Fields: []scanner.Field{{Tag: "input", Type: "text", Name: "recherche"}}}
	searchRole := scanner.Form{Selector: "form#x", Role: "search", Fields: []scanner.Field{{Tag: "input", Type: "text", Name: "terme"}}}
	demande := scanner.Form{Selector: "form#d", Fields: []scanner.Field{{Tag: "input", Type: "text", Name: "nom", Label: "Nom"}, {Tag: "input", Type: "email", Name: "courriel"}}}
	for _, c := range []struct {
		name     string
		declared string
		start    *scanner.Snapshot
		level    Level
		label    string
	}{
		{"declared oui", "oui", aFailed(aStart, scanner.StatusTimeout, 0), Good, "Oui"},
		{"declared partiel", "partiel", aPage(aStart, scanner.Facts{}), Partial, "Partiel"},
		{"declared local", "deploiement-local", aPage(aStart, scanner.Facts{}), Good, "En cours de déploiement local"},
		{"declared to come", "a-venir", aPage(aStart, scanner.Facts{}), NotMeasured, "À venir"},
		{"declared beta", "beta", aPage(aStart, scanner.Facts{}), Partial, "Bêta"},
		{"declared non", "non", aPage(aStart, scanner.Facts{Forms: []scanner.Form{demande}}), Bad, "Non"},
		{"declared proactive", "proactive", aPage(aStart, scanner.Facts{}), Good, "Démarche proactive"},
		{"form", "", aPage(aStart, scanner.Facts{Forms: []scanner.Form{demande}}), Good, "Oui, détecté"},
		{"search type only", "", aPage(aStart, scanner.Facts{Forms: []scanner.Form{search}}), NotMeasured, "À vérifier"},
		{"search name only", "", aPage(aStart, scanner.Facts{Forms: []scanner.Form{searchNamed}}), NotMeasured, "À vérifier"},
		{"search role only", "", aPage(aStart, scanner.Facts{Forms: []scanner.Form{searchRole}}), NotMeasured, "À vérifier"},
		{"call to action link", "", aPage(aStart, scanner.Facts{Links: []scanner.Link{{Text: "Faire ma demande", Href: aStart + "/1", Selector: "a.fr-btn"}}}), Good, "Oui, détecté"},
		{"sign-in button", "", aPage(aStart, scanner.Facts{Buttons: []scanner.Button{{Text: "Se connecter", Selector: "button"}}}), Good, "Oui, détecté"},
		{"create account", "", aPage(aStart, scanner.Facts{Links: []scanner.Link{{Text: "Créer un compte", Href: aStart + "/c"}}}), Good, "Oui, détecté"},
		{"franceconnect button", "", aPage(aStart, scanner.Facts{Buttons: []scanner.Button{{Text: "S'identifier avec FranceConnect", Class: "fr-connect", Selector: "button.fr-connect"}}}), Good, "Oui, détecté"},
		{"call to action in footer only", "", aPage(aStart, scanner.Facts{Links: []scanner.Link{{Text: "Se connecter", Href: aStart + "/c", Region: scanner.RegionFooter}}}), NotMeasured, "À vérifier"},
		{"call to action within 60 characters", "", aPage(aStart, scanner.Facts{Links: []scanner.Link{{Text: "Faire ma demande de carte d'identité ou de passeport à Paris", Href: aStart + "/1"}}}), Good, "Oui, détecté"},
		{"a sentence is not a call to action", "", aPage(aStart, scanner.Facts{Links: []scanner.Link{{Text: "Faire ma demande de carte d'identité ou de passeport à Nantes", Href: aStart + "/1"}}}), NotMeasured, "À vérifier"},
		{"information link is not a way in", "", aPage(aStart, scanner.Facts{Links: []scanner.Link{{Text: "Comment demander une aide ?", Href: aStart + "/i"}}}), NotMeasured, "À vérifier"},
		{"blocked", "", aFailed(aStart, scanner.StatusBlocked, 403), NotMeasured, "Page bloquée"},
		{"timeout", "", aFailed(aStart, scanner.StatusTimeout, 0), NotMeasured, "Délai dépassé"},
		{"dns", "", aFailed(aStart, scanner.StatusDNS, 0), NotMeasured, "Erreur DNS"},
		{"tls", "", aFailed(aStart, scanner.StatusTLS, 0), NotMeasured, "Erreur TLS"},
		{"http 503", "", aFailed(aStart, scanner.StatusHTTPError, 503), NotMeasured, "Erreur HTTP 503"},
	} {
		v := Online(Input{Start: c.start, Declared: Declared{Online: c.declared}})
		aCheck(t, c.name, v, c.level, c.label)
	}
}

func TestOnlineListsFiveWaysIn(t *testing.T) {
	var links []scanner.Link
	for range 7 {
		links = append(links, scanner.Link{Text: "Commencer", Href: aStart + "/1"})
	}
	if v := Online(Input{Start: aPage(aStart, scanner.Facts{Links: links})}); len(v.Evidence) != 5 {
		t.Errorf("%d ways in listed, want 5", len(v.Evidence))
	}
}

func TestOnlineEvidenceNamesTheElement(t *testing.T) {
	v := Online(Input{Start: aPage(aStart, scanner.Facts{Links: []scanner.Link{{Text: "Commencer", Href: aStart + "/1", Selector: "main a.fr-btn"}}})})
	if len(v.Evidence) != 1 || v.Evidence[0].Selector != "main a.fr-btn" || v.Evidence[0].Page != aStart || v.Evidence[0].Text != "Commencer" {
		t.Errorf("evidence %+v", v.Evidence)
	}
}

func TestNotLoadedSaysWhich(t *testing.T) {
	for _, c := range []struct {
		st          scanner.Status
		code        int
		label, want string
	}{
		{scanner.StatusTimeout, 0, "Délai dépassé", "délai"},
		{scanner.StatusDNS, 0, "Erreur DNS", "DNS"},
		{scanner.StatusTLS, 0, "Erreur TLS", "TLS"},
		{scanner.StatusBlocked, 403, "Page bloquée", "bloqué le scanner (protection anti-robots), HTTP 403"},
		{scanner.StatusHTTPError, 500, "Erreur HTTP 500", "erreur HTTP 500"},
		{scanner.StatusNotHTML, 200, "Pas une page web", "pas une page web"},
		{scanner.StatusCrashed, 0, "Échec du navigateur", "onglet"},
		{scanner.StatusRefused, 0, "Adresse refusée", "refusé"},
		{scanner.StatusNetwork, 0, "Erreur réseau", "erreur réseau"},
	} {
		v := notLoaded(aFailed(aStart, c.st, c.code))
		aCheck(t, string(c.st), v, NotMeasured, c.label)
		if fact := v.Evidence[0].Fact; !strings.Contains(fact, c.want) || !strings.Contains(fact, "raison du navigateur") || v.Evidence[0].Page != aStart {
			t.Errorf("%s: evidence %+v, want it to name %q, the reason and the page", c.st, v.Evidence[0], c.want)
		}
	}
}
