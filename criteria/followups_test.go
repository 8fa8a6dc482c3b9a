package criteria

import (
	"testing"

	"github.com/observatoire-scanner/observatoire/scanner"
)

func TestFindFollowUps(t *testing.T) {
	const site = "https://www.demarche.gouv.fr"
	l := func(text, href string, r scanner.Region) scanner.Link {
		return scanner.Link{Text: text, Href: href, Region: r}
	}
	for _, c := range []struct {
		name  string
		links []scanner.Link
		given FollowUps
		want  FollowUps
	}{
		{"contact text", []scanner.Link{l("Accueil", site+"/", ""), l("Nous contacter", site+"/nous-joindre", "")}, FollowUps{}, FollowUps{Contact: site + "/nous-joindre"}},
		{"contact text beats help text", []scanner.Link{l("Aide", site+"/aide", "nav"), l("Contactez-nous", site+"/ecrire", "")}, FollowUps{}, FollowUps{Contact: site + "/ecrire"}},
		{"help text", []scanner.Link{l("Besoin d'aide ?", site+"/faq-et-aide", "")}, FollowUps{}, FollowUps{Contact: site + "/faq-et-aide"}},
		{"href path", []scanner.Link{l("Écrivez-nous", site+"/contact/formulaire", "")}, FollowUps{}, FollowUps{Contact: site + "/contact/formulaire"}},
		{"sub-domain of the same site", []scanner.Link{l("Contact", "https://aide.demarche.gouv.fr/", "")}, FollowUps{}, FollowUps{Contact: "https://aide.demarche.gouv.fr/"}},
		{"other site is left out", []scanner.Link{l("Contact", "https://www.autre.gouv.fr/contact", ""), l("Aide", "https://service-public.fr/aide", "")}, FollowUps{}, FollowUps{}},
		{"mailto is not a page", []scanner.Link{l("Contact", "mailto:aide@demarche.gouv.fr", "")}, FollowUps{}, FollowUps{}},
		{"start page itself", []scanner.Link{l("Contact", aStart+"#contact", "")}, FollowUps{}, FollowUps{}},
		{"statement in footer preferred", []scanner.Link{l("Accessibilité", site+"/a11y-aide", "main"), l("Accessibilité : partiellement conforme", site+"/accessibilite", scanner.RegionFooter)}, FollowUps{}, FollowUps{Statement: site + "/accessibilite"}},
		{"statement by href", []scanner.Link{l("Conformité", site+"/declaration-accessibilite", scanner.RegionFooter)}, FollowUps{}, FollowUps{Statement: site + "/declaration-accessibilite"}},
		{"login", []scanner.Link{l("Mon compte", site+"/compte", "header")}, FollowUps{}, FollowUps{Login: site + "/compte"}},
		{"login text start", []scanner.Link{l("Se connecter à mon espace", site+"/login", "header")}, FollowUps{}, FollowUps{Login: site + "/login"}},
		{"given urls kept", []scanner.Link{l("Contact", site+"/contact", ""), l("Connexion", site+"/login", "")}, FollowUps{Contact: site + "/c2"}, FollowUps{Contact: site + "/c2", Login: site + "/login"}},
	} {
		got := FindFollowUps(aPage(aStart, scanner.Facts{Links: c.links}), c.given)
		if got != c.want {
			t.Errorf("%s: got %+v, want %+v", c.name, got, c.want)
		}
	}
	given := FollowUps{Login: site + "/l"}
	if got := FindFollowUps(aFailed(aStart, scanner.StatusTimeout, 0), given); got != given {
		t.Errorf("failed start page: got %+v, want only the given URLs", got)
	}
}

func TestRegistrable(t *testing.T) {
	for in, want := range map[string]string{
		"www.impots.gouv.fr": "impots.gouv.fr", "cfspart.impots.gouv.fr": "impots.gouv.fr",
		"www.service-public.fr": "service-public.fr", "127.0.0.1": "127.0.0.1", "localhost": "localhost",
	} {
		if got := registrable(in); got != want {
			t.Errorf("registrable(%q) = %q, want %q", in, got, want)
		}
	}
}
