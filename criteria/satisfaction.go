package criteria

import (
	"net/url"
	"path"
	"regexp"
	"strconv"
	"strings"

	"github.com/observatoire-scanner/observatoire/scanner"
)

// MinJDMAAnswers is the number of answers below which the observatory
// shows no satisfaction score.
const MinJDMAAnswers = 100

// Satisfaction rates the "satisfaction usagers" criterion from the
// imported JeDonneMonAvis figures: with at least 100 answers, a mean score
// of 8/10 or more is good, 5 or more partial, less bad ("7,1/10"). Without
// figures, the "Je donne mon avis" button is looked for on every page of
// the procedure: present, the score is to come ("À venir"); absent, bad
// ("Bouton Je donne mon avis absent").
func Satisfaction(in Input) Verdict {
	pages := loadedPages(in.Start, in.Contact, in.Login, in.Statement)
	var buttons []Evidence
	for _, p := range pages {
		buttons = append(buttons, findJDMA(p)...)
	}
	if j := in.JDMA; j != nil {
		src := ""
		if j.Source != "" {
			src = " (" + j.Source + ")"
		}
		figures := Evidence{Fact: "JeDonneMonAvis : note moyenne " + Score(j.Satisfaction) + " sur " + Integer(j.Count) + " avis" + src}
		var v Verdict
		switch {
		case j.Count < MinJDMAAnswers:
			v = Verdict{Level: NotMeasured, Label: "Nombre d'avis insuffisant",
				Fix: "Rendre le bouton « Je donne mon avis » visible à la fin de la démarche pour recueillir au moins " + strconv.Itoa(MinJDMAAnswers) + " avis."}
			figures.Fact += " : moins de " + strconv.Itoa(MinJDMAAnswers) + " avis, la note n'est pas affichée"
		default:
			s := j.Satisfaction
			v = Verdict{Level: Bad, Label: Score(s), Value: &s}
			switch {
			case s >= 8:
				v.Level = Good
			case s >= 5:
				v.Level = Partial
			}
			figures.Fact += " (note en vert à 8/10 ou plus, en orange à 5 ou plus, en rouge en dessous)"
			if v.Level != Good {
				v.Fix = "Lire les avis des usagers dans JeDonneMonAvis et corriger les étapes qu'ils jugent difficiles ; l'objectif de l'État est une note supérieure à 8/10."
			}
		}
		v.Evidence = append([]Evidence{figures}, buttons...)
		if len(buttons) == 0 {
			v.Evidence = append(v.Evidence, Evidence{Fact: "bouton « Je donne mon avis » non vu sur les pages publiques examinées (il est souvent à la fin de la démarche, après connexion)"})
		}
		return v
	}
	if len(buttons) > 0 {
		return Verdict{Level: NotMeasured, Label: "À venir", Evidence: append(buttons, Evidence{Fact: "statistiques JeDonneMonAvis non importées"}),
			Fix: "Importer les statistiques JeDonneMonAvis de la démarche (fichier jdma.json)."}
	}
	if !in.Start.Status.Loaded() {
		return notLoaded(in.Start)
	}
	if cut := cutShort(pages...); len(cut) > 0 {
		return incomplete("bouton « Je donne mon avis »", cut, nil)
	}
	v := Verdict{Level: Bad, Label: "Bouton Je donne mon avis absent",
		Fix: "Placer le bouton « Je donne mon avis » (jedonnemonavis.numerique.gouv.fr) à la fin de la démarche, et importer ses statistiques."}
	for _, p := range pages {
		v.Evidence = append(v.Evidence, Evidence{Fact: "aucun lien vers jedonnemonavis, voxusagers ou monavis.numerique.gouv.fr, ni image ou texte « Je donne mon avis »", Page: docURL(p)})
	}
	return v
}

// jdmaHosts serve the JeDonneMonAvis survey (voxusagers and monavis are its
// former names).
var jdmaHosts = map[string]bool{
	"jedonnemonavis.numerique.gouv.fr": true,
	"voxusagers.numerique.gouv.fr":     true,
	"monavis.numerique.gouv.fr":        true,
}

var (
	jdmaPath   = regexp.MustCompile(`^/Demarches/(\d+)`)
	jdmaImages = []*regexp.Regexp{
		regexp.MustCompile(`/static/bouton-(bleu|blanc)\.svg$`),
		regexp.MustCompile(`/bouton-[a-z0-9]+-(clair|sombre)\.svg$`),
		regexp.MustCompile(`/monavis-static/bouton-[^/]+\.png$`),
	}
)

// jdmaLink returns the product id when href is a JDMA button link:
// /Demarches/<id>?button=<id>, or the older
// ?view-mode=formulaire-avis&nd_source=button&key=....
func jdmaLink(href string) (id string, ok bool) {
	id, q, ok := jdmaProduct(href)
	if ok && (q.Has("button") || (q.Get("view-mode") == "formulaire-avis" && q.Get("nd_source") == "button")) {
		return id, true
	}
	return "", false
}

// jdmaImage reports an image of the JDMA button, by file name or alt text.
func jdmaImage(im scanner.Image) bool {
	if im.Alt != nil && strings.Contains(Fold(*im.Alt), "je donne mon avis") {
		return true
	}
	u, err := url.Parse(im.Src)
	if err != nil {
		return false
	}
	p := path.Clean("/" + u.Path)
	for _, re := range jdmaImages {
		if re.MatchString(p) {
			return true
		}
	}
	return false
}

// findJDMA returns the "Je donne mon avis" buttons of a page.
func findJDMA(s *scanner.Snapshot) []Evidence {
	page := docURL(s)
	var out []Evidence
	seen := map[string]bool{}
	for _, l := range s.Desktop.Links {
		id, ok := jdmaLink(l.Href)
		why := ""
		switch {
		case ok:
			why = "lien vers " + urlHost(l.Href) + " (produit " + id + ")"
		case strings.Contains(Fold(l.Text), "je donne mon avis"):
			why = "lien " + guillemets(l.Text)
		default:
			for _, im := range l.Images {
				if jdmaImage(im) {
					why = "image du bouton " + path.Base(im.Src)
					break
				}
			}
		}
		if why == "" {
			continue
		}
		if !ok {
			if pid, _, found := jdmaProduct(l.Href); found {
				why += " (produit " + pid + ")"
			}
		}
		seen[l.Selector] = true
		out = append(out, Evidence{Fact: "bouton « Je donne mon avis » : " + why, Page: page, Selector: l.Selector, Text: l.Href})
	}
	for _, im := range s.Desktop.Images {
		if jdmaImage(im) && !insideSeen(im.Selector, seen) {
			out = append(out, Evidence{Fact: "image du bouton « Je donne mon avis » (" + path.Base(im.Src) + ")", Page: page, Selector: im.Selector, Text: im.Src})
		}
	}
	return out
}

// jdmaProduct returns the product id and the query of any link to a JDMA
// procedure page (/Demarches/<id>).
func jdmaProduct(href string) (id string, q url.Values, ok bool) {
	u, err := url.Parse(href)
	if err != nil || !jdmaHosts[urlHost(href)] {
		return "", nil, false
	}
	if m := jdmaPath.FindStringSubmatch(u.Path); m != nil {
		return m[1], u.Query(), true
	}
	return "", nil, false
}
