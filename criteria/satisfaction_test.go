package criteria

import (
	"strings"
	"testing"

	"github.com/observatoire-scanner/observatoire/scanner"
)

func TestSatisfactionButtonForms(t *testing.T) {
	for _, c := range []struct {
		name string
		f    scanner.Facts
		want bool
	}{
		{"jedonnemonavis button link", scanner.Facts{Links: []scanner.Link{{Href: "https://jedonnemonavis.numerique.gouv.fr/Demarches/3425?button=4011", Selector: "a#jdma"}}}, true},
		{"voxusagers legacy link", scanner.Facts{Links: []scanner.Link{{Href: "https://voxusagers.numerique.gouv.fr/Demarches/2365?&view-mode=formulaire-avis&nd_mode=en-ligne-enti%C3%A8rement&nd_source=button&key=abc", Selector: "a"}}}, true},
		{"monavis button link", scanner.Facts{Links: []scanner.Link{{Href: "https://monavis.numerique.gouv.fr/Demarches/12?button=7", Selector: "a"}}}, true},
		{"blue image", scanner.Facts{Images: []scanner.Image{{Src: "https://jedonnemonavis.numerique.gouv.fr/static/bouton-bleu.svg", Selector: "img"}}}, true},
		{"white image", scanner.Facts{Images: []scanner.Image{{Src: "https://x.gouv.fr/static/bouton-blanc.svg", Selector: "img"}}}, true},
		{"light image", scanner.Facts{Images: []scanner.Image{{Src: "https://x.gouv.fr/static/bouton-bleu-clair.svg"}}}, true},
		{"dark image", scanner.Facts{Images: []scanner.Image{{Src: "https://x.gouv.fr/static/bouton-blanc-sombre.svg"}}}, true},
		{"legacy png", scanner.Facts{Images: []scanner.Image{{Src: "https://voxusagers.numerique.gouv.fr/monavis-static/bouton-bleu.png"}}}, true},
		{"alt text", scanner.Facts{Images: []scanner.Image{{Src: "/img/avis.png", Alt: aStr("Je donne mon avis")}}}, true},
		{"link to the JDMA home page is not the button", scanner.Facts{Links: []scanner.Link{{Href: "https://jedonnemonavis.numerique.gouv.fr/", Text: "En savoir plus sur JDMA"}}}, false},
		{"other button image", scanner.Facts{Images: []scanner.Image{{Src: "https://x.gouv.fr/static/bouton-envoyer.svg"}}}, false},
	} {
		got := len(findJDMA(aPage(aStart, c.f))) > 0
		if got != c.want {
			t.Errorf("%s: found %v, want %v", c.name, got, c.want)
		}
	}
}

func TestSatisfactionRecordsProductID(t *testing.T) {
	ev := findJDMA(aPage(aStart, scanner.Facts{Links: []scanner.Link{{Href: "https://jedonnemonavis.numerique.gouv.fr/Demarches/3425?button=4011", Selector: "a#jdma",
		Images: []scanner.Image{{Src: "https://jedonnemonavis.numerique.gouv.fr/static/bouton-bleu.svg", Selector: "a#jdma > img"}}}},
		Images: []scanner.Image{{Src: "https://jedonnemonavis.numerique.gouv.fr/static/bouton-bleu.svg", Selector: "a#jdma > img"}}}))
	if len(ev) != 1 || !strings.Contains(ev[0].Fact, "produit 3425") || ev[0].Selector != "a#jdma" {
		t.Errorf("evidence %+v, want one button naming product 3425 (image inside not counted twice)", ev)
	}
}

func TestSatisfaction(t *testing.T) {
	button := aPage(aStart, scanner.Facts{Links: []scanner.Link{{Href: "https://jedonnemonavis.numerique.gouv.fr/Demarches/3425?button=4011", Selector: "a#jdma"}}})
	none := aPage(aStart, scanner.Facts{})
	failed := aFailed(aStart, scanner.StatusTimeout, 0)
	for _, c := range []struct {
		name  string
		in    Input
		level Level
		label string
		value float64
	}{
		{"good score", Input{Start: none, JDMA: &JDMA{Satisfaction: 8.79, Count: 6125}}, Good, "8,8/10", 8.79},
		{"exactly 8", Input{Start: none, JDMA: &JDMA{Satisfaction: 8, Count: 100}}, Good, "8,0/10", 8},
		{"partial score", Input{Start: button, JDMA: &JDMA{Satisfaction: 7.14, Count: 1642}}, Partial, "7,1/10", 7.14},
		{"exactly 5", Input{Start: button, JDMA: &JDMA{Satisfaction: 5, Count: 1642}}, Partial, "5,0/10", 5},
		{"bad score", Input{Start: button, JDMA: &JDMA{Satisfaction: 4.2, Count: 300}}, Bad, "4,2/10", 4.2},
		{"too few answers", Input{Start: button, JDMA: &JDMA{Satisfaction: 9, Count: 99}}, NotMeasured, "Nombre d'avis insuffisant", -1},
		{"scored though the page failed", Input{Start: failed, JDMA: &JDMA{Satisfaction: 8.5, Count: 500}}, Good, "8,5/10", 8.5},
		{"button, no figures", Input{Start: button}, NotMeasured, "À venir", -1},
		{"button on the contact page", Input{Start: none, Contact: aPage(aStart+"/contact", *button.Desktop)}, NotMeasured, "À venir", -1},
		{"no button, no figures", Input{Start: none}, Bad, "Bouton Je donne mon avis absent", -1},
		{"page failed, no figures", Input{Start: failed}, NotMeasured, "Délai dépassé", -1},
	} {
		v := Satisfaction(c.in)
		aCheck(t, c.name, v, c.level, c.label)
		if c.value >= 0 && (v.Value == nil || *v.Value != c.value) {
			t.Errorf("%s: value %v, want %v", c.name, v.Value, c.value)
		}
	}
	v := Satisfaction(Input{Start: button})
	if v.Evidence[0].Selector != "a#jdma" || !bHasFact(v, "produit 3425") {
		t.Errorf("button evidence: %+v", v.Evidence)
	}
}
