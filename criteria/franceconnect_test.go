package criteria

import (
	"testing"

	"github.com/observatoire-scanner/observatoire/scanner"
)

func TestFranceConnect(t *testing.T) {
	login := aStart + "/connexion"
	page := func(f scanner.Facts) *scanner.Snapshot { return aPage(aStart, f) }
	none := page(scanner.Facts{})
	for _, c := range []struct {
		name     string
		in       Input
		level    Level
		label    string
		declared string
	}{
		{"DSFR button", Input{Start: page(scanner.Facts{Buttons: []scanner.Button{{Text: "S’identifier avec FranceConnect", Class: "fr-connect", ParentClass: "fr-connect-group", Selector: "button.fr-connect"}}})}, Good, "FranceConnect", ""},
		{"DSFR link", Input{Start: page(scanner.Facts{Links: []scanner.Link{{Text: "FranceConnect", Class: "fr-connect", Href: aStart + "/fc"}}})}, Good, "FranceConnect", ""},
		{"FranceConnect+", Input{Start: page(scanner.Facts{Buttons: []scanner.Button{{Text: "S’identifier avec FranceConnect", Class: "fr-connect fr-connect--plus"}}})}, Good, "FranceConnect+", ""},
		{"ProConnect is not FranceConnect", Input{Start: page(scanner.Facts{Buttons: []scanner.Button{{Text: "S’identifier avec ProConnect", Class: "fr-connect fr-connect--pro", ParentClass: "fr-connect-group"}}})}, Bad, "Non", ""},
		{"legacy class", Input{Start: page(scanner.Facts{Buttons: []scanner.Button{{Text: "", Class: "franceconnect-button"}}})}, Good, "FranceConnect", ""},
		{"legacy image", Input{Start: page(scanner.Facts{Images: []scanner.Image{{Src: "/img/fc.svg", Alt: aStr("FranceConnect"), Selector: "img.fc"}}})}, Good, "FranceConnect", ""},
		{"link to app host", Input{Start: page(scanner.Facts{Links: []scanner.Link{{Text: "Connexion", Href: "https://app.franceconnect.gouv.fr/api/v1/authorize?x=1"}}})}, Good, "FranceConnect", ""},
		{"form to oidc host", Input{Start: page(scanner.Facts{Forms: []scanner.Form{{Action: "https://oidc.franceconnect.gouv.fr/api/v2/authorize", Selector: "form"}}})}, Good, "FranceConnect", ""},
		{"button posting to auth host", Input{Start: page(scanner.Facts{Buttons: []scanner.Button{{Text: "Valider", FormAction: "https://auth.franceconnect.gouv.fr/api/v2/authorize"}}})}, Good, "FranceConnect+", ""},
		{"test host", Input{Start: page(scanner.Facts{Links: []scanner.Link{{Text: "Entrer", Href: "https://fcp-low.integ01.dev-franceconnect.fr/api/v2/authorize"}}})}, Good, "FranceConnect", ""},
		{"text only", Input{Start: page(scanner.Facts{Links: []scanner.Link{{Text: "S'identifier avec FranceConnect", Href: aStart + "/login/fc"}}})}, Good, "FranceConnect", ""},
		{"information link is not a button", Input{Start: page(scanner.Facts{Links: []scanner.Link{{Text: "Qu’est-ce que FranceConnect ?", Href: "https://franceconnect.gouv.fr/"}}})}, Bad, "Non", ""},
		{"button on the login page", Input{Start: none, Login: aPage(login, scanner.Facts{Buttons: []scanner.Button{{Text: "S’identifier avec FranceConnect", Class: "fr-connect"}}})}, Good, "FranceConnect", ""},
		{"declared not applicable", Input{Start: none}, NotApplicable, "Non applicable", "not-applicable"},
		{"declared franceconnect-plus", Input{Start: none}, Good, "FranceConnect+", "franceconnect-plus"},
		{"declared non", Input{Start: none}, Bad, "Non", "non"},
		{"nothing", Input{Start: none}, Bad, "Non", ""},
		{"start page failed", Input{Start: aFailed(aStart, scanner.StatusDNS, 0)}, NotMeasured, "Erreur DNS", ""},
		{"login page missing", Input{Start: none, Login: aFailed(login, scanner.StatusHTTPError, 404)}, Bad, "Non", ""},
		{"ProConnect information link is not a ProConnect button", Input{Start: page(scanner.Facts{Links: []scanner.Link{{Text: "Qu’est-ce que ProConnect ?", Href: aStart + "/pc"}}})}, Bad, "Non", ""},
		{"login page failed", Input{Start: none, Login: aFailed(login, scanner.StatusTimeout, 0)}, NotMeasured, "Délai dépassé", ""},
	} {
		c.in.Declared.FranceConnect = c.declared
		aCheck(t, c.name, FranceConnect(c.in), c.level, c.label)
	}
	v := FranceConnect(Input{Start: page(scanner.Facts{Buttons: []scanner.Button{{Text: "S’identifier avec ProConnect", Class: "fr-connect fr-connect--pro", Selector: "button.pro"}}})})
	if n := len(FranceConnect(Input{Start: page(scanner.Facts{Links: []scanner.Link{{Text: "Qu’est-ce que ProConnect ?", Href: aStart + "/pc"}}})}).Evidence); n != 2 {
		t.Errorf("an information link about ProConnect is no evidence: %d facts", n)
	}
	if !bHasFact(v, "ProConnect") {
		t.Errorf("a bad verdict should name the ProConnect button it left out: %+v", v.Evidence)
	}
}
