package criteria

import (
	"net/url"
	"strings"

	"github.com/observatoire-scanner/observatoire/scanner"
)

// FranceConnectValues are the values Declared.FranceConnect accepts.
var FranceConnectValues = []string{"not-applicable", "franceconnect", "franceconnect-plus", "non"}

// FranceConnect rates the "identification FranceConnect" criterion: a
// FranceConnect button or link on the start page or the sign-in page gives
// good ("FranceConnect", or "FranceConnect+" for the stronger variant);
// otherwise the declared value decides (not applicable, or a declared
// FranceConnect), else bad ("Non"). A ProConnect button (civil servants'
// sign-in) is not FranceConnect.
func FranceConnect(in Input) Verdict {
	pages := loadedPages(in.Start, in.Login)
	var hits []fcHit
	var pro []Evidence
	for _, p := range pages {
		h, pr := findFranceConnect(p)
		hits, pro = append(hits, h...), append(pro, pr...)
	}
	if len(hits) > 0 {
		v := Verdict{Level: Good, Label: "FranceConnect"}
		for _, h := range hits {
			if h.plus {
				v.Label = "FranceConnect+"
			}
			v.Evidence = append(v.Evidence, h.ev)
		}
		return v
	}
	switch in.Declared.FranceConnect {
	case "not-applicable":
		return Verdict{Level: NotApplicable, Label: "Non applicable",
			Evidence: []Evidence{{Fact: "déclarée non applicable : pas d'identification, ou démarche destinée aux professionnels"}}}
	case "franceconnect", "franceconnect-plus":
		label := "FranceConnect"
		if in.Declared.FranceConnect == "franceconnect-plus" {
			label = "FranceConnect+"
		}
		return Verdict{Level: Good, Label: label,
			Evidence: []Evidence{{Fact: "valeur déclarée : " + label + " (aucun bouton vu sur les pages publiques examinées)"}}}
	}
	if !in.Start.Status.Loaded() {
		return notLoaded(in.Start)
	}
	if in.Login != nil && !in.Login.Status.Loaded() && !pageMissing(in.Login) {
		v := notLoaded(in.Login)
		v.Evidence = append(v.Evidence, Evidence{Fact: "aucun bouton FranceConnect sur la page de départ ; la page de connexion n'a pas pu être examinée", Page: docURL(in.Start)})
		return v
	}
	if cut := cutShort(in.Start, in.Login); len(cut) > 0 {
		return incomplete("bouton FranceConnect", cut, pro)
	}
	v := Verdict{Level: Bad, Label: "Non",
		Fix: "Proposer l'identification FranceConnect (bouton DSFR « S'identifier avec FranceConnect », classe fr-connect) sur la page de connexion, ou déclarer franceconnect=not-applicable si la démarche ne demande pas d'identification."}
	for _, p := range pages {
		v.Evidence = append(v.Evidence, Evidence{Fact: "aucun bouton ni lien FranceConnect (classe fr-connect ou franceconnect-button, image « FranceConnect », lien vers app, oidc ou auth.franceconnect.gouv.fr)", Page: docURL(p)})
	}
	if in.Login != nil && !in.Login.Status.Loaded() {
		label, _ := pageProblem(in.Login)
		v.Evidence = append(v.Evidence, Evidence{Fact: "page de connexion introuvable (" + label + ")", Page: in.Login.URL, Text: in.Login.Reason})
	}
	if in.Login == nil {
		v.Evidence = append(v.Evidence, Evidence{Fact: "aucune page de connexion trouvée ni donnée (« Se connecter », « Connexion », « Mon compte »)"})
	}
	v.Evidence = append(v.Evidence, pro...)
	return v
}

// fcHit is one FranceConnect button or link.
type fcHit struct {
	plus bool
	ev   Evidence
}

// findFranceConnect returns the FranceConnect buttons of a page, and the
// ProConnect ones as evidence of what does not count.
func findFranceConnect(s *scanner.Snapshot) (hits []fcHit, pro []Evidence) {
	page := docURL(s)
	seen := map[string]bool{}
	add := func(plus bool, why, sel, text string) {
		if seen[sel] {
			return
		}
		seen[sel] = true
		label := "FranceConnect"
		if plus {
			label = "FranceConnect+"
		}
		hits = append(hits, fcHit{plus: plus, ev: Evidence{Fact: "bouton " + label + " : " + why, Page: page, Selector: sel, Text: text}})
	}
	check := func(text, class, parentClass, target, sel string, imgs []scanner.Image) {
		t := Fold(text)
		if hasClassToken(class, "fr-connect--pro") || strings.Contains(t, "avec proconnect") || strings.Contains(t, "avec agentconnect") || isProConnectHost(target) {
			pro = append(pro, Evidence{Fact: "bouton ProConnect (identification des agents publics) : ne compte pas comme FranceConnect", Page: page, Selector: sel, Text: text})
			return
		}
		plus := hasClassToken(class, "fr-connect--plus") || strings.Contains(t, "franceconnect+") || strings.Contains(t, "franceconnect plus")
		hostFC, hostPlus, rejected := fcTarget(target)
		if rejected != "" && !hasClassToken(class, "fr-connect") && !containsAny(t, fcTexts) {
			pro = append(pro, Evidence{Fact: "lien écarté, pas un bouton FranceConnect : " + rejected, Page: page, Selector: sel, Text: text})
			return
		}
		switch {
		case hasClassToken(class, "fr-connect"):
			add(plus || hostPlus, "classe DSFR fr-connect", sel, text)
		case hasClassToken(class, "franceconnect-button") || strings.Contains(class, "franceconnect-btn"):
			add(plus || hostPlus, "classe franceconnect-button", sel, text)
		case hostFC:
			add(plus || hostPlus, "cible le fournisseur d'identité "+urlHost(target), sel, text)
		case containsAny(t, fcTexts):
			add(plus, "texte "+guillemets(text), sel, text)
		case strings.Contains(parentClass, "fr-connect-group") && strings.Contains(t, "franceconnect"):
			add(plus, "dans le groupe DSFR fr-connect-group", sel, text)
		default:
			for _, im := range imgs {
				if fcAlt(im.Alt) {
					add(plus || strings.Contains(Fold(*im.Alt), "+"), "image de texte alternatif "+guillemets(*im.Alt), sel, text)
					return
				}
			}
		}
	}
	for _, b := range s.Desktop.Buttons {
		check(b.Text, b.Class, b.ParentClass, b.FormAction, b.Selector, nil)
	}
	for _, l := range s.Desktop.Links {
		check(l.Text, l.Class, "", l.Href, l.Selector, l.Images)
	}
	for _, f := range s.Desktop.Forms {
		if ok, plus := franceConnectHost(f.Action); ok {
			add(plus, "formulaire envoyé au fournisseur d'identité "+urlHost(f.Action), f.Selector, "")
		}
	}
	for _, im := range s.Desktop.Images {
		if fcAlt(im.Alt) && !insideSeen(im.Selector, seen) {
			add(strings.Contains(Fold(*im.Alt), "+"), "image de texte alternatif "+guillemets(*im.Alt), im.Selector, *im.Alt)
		}
	}
	return hits, pro
}

// fcTexts are the (folded) labels of a FranceConnect control.
var fcTexts = []string{"s'identifier avec franceconnect", "se connecter avec franceconnect", "connexion avec franceconnect", "connexion franceconnect", "s'identifier avec france connect"}

// fcAlt reports an image whose alt text names FranceConnect.
func fcAlt(alt *string) bool {
	if alt == nil {
		return false
	}
	a := Fold(*alt)
	return strings.HasPrefix(a, "franceconnect") || containsAny(a, fcTexts)
}

// insideSeen reports whether the element at sel lies inside an element
// already counted.
func insideSeen(sel string, seen map[string]bool) bool {
	for s := range seen {
		if s != "" && strings.HasPrefix(sel, s+" > ") {
			return true
		}
	}
	return false
}

// franceConnectHost reports whether target is a sign-in entry on
// FranceConnect's identity provider (or its test platform), and whether it
// is FranceConnect+.
func franceConnectHost(target string) (fc, plus bool) {
	fc, plus, _ = fcTarget(target)
	return fc, plus
}

// fcTarget classifies a link's target on FranceConnect's hosts: a
// sign-in entry (fc, and plus for FranceConnect+), or a FranceConnect
// host that is not one, with why (rejected), or neither. The production
// identity providers (app., oidc., auth.franceconnect.gouv.fr) are sign-in
// entries; a host of the integration or test platforms
// (*.dev-franceconnect.fr, integ01, sandbox…) is one only on an
// authorisation or sign-in path; administration, partner and
// documentation hosts never are.
func fcTarget(target string) (fc, plus bool, rejected string) {
	h := urlHost(target)
	u, err := url.Parse(target)
	if h == "" || err != nil {
		return false, false, ""
	}
	fcDomain := h == "franceconnect.gouv.fr" || strings.HasSuffix(h, ".franceconnect.gouv.fr") || h == "dev-franceconnect.fr" || strings.HasSuffix(h, ".dev-franceconnect.fr") || strings.HasSuffix(h, ".franceconnect.fr")
	if !fcDomain {
		return false, false, ""
	}
	labels := strings.Split(h, ".")
	for _, l := range labels {
		switch l {
		case "admin", "backoffice", "back-office", "bo", "partenaires", "partners", "docs", "doc", "status", "statut", "support", "espace", "exploitation", "user-dashboard", "tableau-de-bord":
			return false, false, "hôte " + h + " : espace d'administration, de partenaires ou de documentation de FranceConnect, pas une entrée de connexion"
		}
	}
	switch h {
	case "app.franceconnect.gouv.fr", "oidc.franceconnect.gouv.fr":
		return true, false, ""
	case "auth.franceconnect.gouv.fr":
		return true, true, ""
	}
	test := strings.HasSuffix(h, ".dev-franceconnect.fr") || containsAny(h, []string{"integ", "sandbox", "sbx", "recette", "preprod", "test", "staging", "demo"})
	if !test {
		// franceconnect.gouv.fr itself, www.: the information site.
		return false, false, ""
	}
	p := strings.ToLower(u.Path)
	if containsAny(p, []string{"authorize", "/login", "/interaction", "/connect", "/call", "/api/v1/", "/api/v2/"}) {
		return true, strings.HasPrefix(h, "auth.") || strings.HasPrefix(h, "fcp.") || strings.HasPrefix(h, "fcp-high"), ""
	}
	return false, false, "hôte d'intégration ou de test " + h + " de FranceConnect, lien vers « " + u.Path + " » et non vers une entrée de connexion"
}

func isProConnectHost(target string) bool {
	h := urlHost(target)
	return strings.HasSuffix(h, "proconnect.gouv.fr") || strings.HasSuffix(h, "agentconnect.gouv.fr")
}

// urlHost returns the lower-case host name of an absolute URL, or "".
func urlHost(target string) string {
	u, err := url.Parse(target)
	if err != nil {
		return ""
	}
	return strings.ToLower(u.Hostname())
}
