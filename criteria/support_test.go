package criteria

import (
	"testing"

	"github.com/observatoire-scanner/observatoire/scanner"
)

func TestSupportChannels(t *testing.T) {
	for _, c := range []struct {
		name string
		f    scanner.Facts
		want []Channel
	}{
		{"tel link", scanner.Facts{Links: []scanner.Link{{Href: "tel:+33140000000", Text: "01 40 00 00 00"}}}, []Channel{ChannelPhone}},
		{"phone with spaces", scanner.Facts{Text: "Appelez le 01 40 00 00 00 du lundi au vendredi"}, []Channel{ChannelPhone}},
		{"phone with no-break spaces", scanner.Facts{Text: "Tél.\u00a0: 01\u00a040\u00a000\u00a000\u00a000"}, []Channel{ChannelPhone}},
		{"phone with dots", scanner.Facts{Text: "Tél. 05.56.00.00.00"}, []Channel{ChannelPhone}},
		{"phone with dashes", scanner.Facts{Text: "Tél. 09-70-00-00-00"}, []Channel{ChannelPhone}},
		{"phone run together", scanner.Facts{Text: "Tél. 0970000000."}, []Channel{ChannelPhone}},
		{"international", scanner.Facts{Text: "Depuis l'étranger : +33 1 40 00 00 00"}, []Channel{ChannelPhone}},
		{"short number", scanner.Facts{Text: "Composez le 3949 (service gratuit)"}, []Channel{ChannelPhone}},
		{"short number spaced", scanner.Facts{Text: "Appelez le 39 39."}, []Channel{ChannelPhone}},
		{"amount is not a phone", scanner.Facts{Text: "Plafond de 3 950,00 euros en 2025 ; dossier n° 12345678901234"}, nil},
		{"mailto", scanner.Facts{Links: []scanner.Link{{Href: "mailto:aide@demarche.gouv.fr"}}}, []Channel{ChannelEmail}},
		{"email in text", scanner.Facts{Text: "Écrivez à aide@demarche.gouv.fr."}, []Channel{ChannelEmail}},
		{"contact form", scanner.Facts{Forms: []scanner.Form{{Selector: "form#contact", Fields: []scanner.Field{{Tag: "input", Name: "nom"}, {Tag: "textarea", Name: "message", Label: "Votre message"}}}}}, []Channel{ChannelForm}},
		{"form without message field", scanner.Facts{Forms: []scanner.Form{{Selector: "form", Fields: []scanner.Field{{Tag: "input", Name: "nom"}}}}}, nil},
		{"human chat link", scanner.Facts{Links: []scanner.Link{{Href: "https://x.gouv.fr/tchat", Text: "Tchat avec un conseiller"}}}, []Channel{ChannelChat}},
		{"discuter avec un conseiller", scanner.Facts{Buttons: []scanner.Button{{Text: "Discuter avec un conseiller"}}}, []Channel{ChannelChat}},
		{"live-chat script", scanner.Facts{Scripts: []string{"https://client.crisp.chat/l.js"}}, []Channel{ChannelChat}},
		{"chatbot is not human", scanner.Facts{Buttons: []scanner.Button{{Text: "Chatbot"}}, Links: []scanner.Link{{Text: "Tchat avec notre assistant virtuel", Href: "https://x.gouv.fr/bot"}}}, nil},
		{"robot conversationnel", scanner.Facts{Links: []scanner.Link{{Text: "Chat : robot conversationnel", Href: "https://x.gouv.fr/r"}}}, nil},
		{"FAQ is not human", scanner.Facts{Links: []scanner.Link{{Text: "Questions fréquentes (FAQ)", Href: "https://x.gouv.fr/faq"}}}, nil},
		{"chat within 80 characters", scanner.Facts{Links: []scanner.Link{{Text: "Posez votre question par tchat à un conseiller, du lundi au vendredi de 9h à 17h", Href: "https://x.gouv.fr/t"}}}, []Channel{ChannelChat}},
		{"a paragraph that mentions a chat is no channel", scanner.Facts{Links: []scanner.Link{{Text: "Posez votre question par tchat à un conseiller, du lundi au vendredi de 9 h à 17h", Href: "https://x.gouv.fr/t"}}}, nil},
		{"achat is not chat", scanner.Facts{Links: []scanner.Link{{Text: "Aide à l'achat d'un vélo", Href: "https://x.gouv.fr/velo"}}}, nil},
		{"appointment link", scanner.Facts{Links: []scanner.Link{{Text: "Prendre rendez-vous", Href: "https://x.gouv.fr/rdv"}}}, []Channel{ChannelCounter}},
		{"counter in text", scanner.Facts{Text: "Nos points d'accueil vous reçoivent du lundi au vendredi."}, []Channel{ChannelCounter}},
		{"home link is not a counter", scanner.Facts{Links: []scanner.Link{{Text: "Accueil", Href: "https://x.gouv.fr/"}}, Text: "Accueil Rendez-vous sur votre espace"}, nil},
		{"contact link alone is no channel", scanner.Facts{Links: []scanner.Link{{Text: "Nous contacter", Href: "https://x.gouv.fr/contact"}}}, nil},
	} {
		got := findChannels(aPage(aStart, c.f))
		if len(got) != len(c.want) {
			t.Errorf("%s: found %v, want %v", c.name, got, c.want)
			continue
		}
		for _, ch := range c.want {
			if e, ok := got[ch]; !ok || e.Page != aStart || e.Fact == "" {
				t.Errorf("%s: channel %s: %+v, %v", c.name, ch, e, ok)
			}
		}
	}
}

func TestSupport(t *testing.T) {
	phone := scanner.Facts{Links: []scanner.Link{{Href: "tel:3949", Text: "3949", Selector: "a.tel"}}}
	both := scanner.Facts{Links: []scanner.Link{{Href: "tel:3949"}, {Href: "mailto:a@b.gouv.fr"}}}
	contact := aPage(aStart+"/contact", scanner.Facts{Links: []scanner.Link{{Href: "mailto:aide@demarche.gouv.fr", Selector: "a.mail"}}})
	empty := aPage(aStart+"/contact", scanner.Facts{Text: "Consultez notre FAQ."})
	two := 2
	for _, c := range []struct {
		name  string
		in    Input
		level Level
		label string
		value float64
	}{
		{"two channels on the start page", Input{Start: aPage(aStart, both)}, Good, "Oui", 2},
		{"one on start, one on contact page", Input{Start: aPage(aStart, phone), Contact: contact}, Good, "Oui", 2},
		{"one channel", Input{Start: aPage(aStart, phone)}, Partial, "Partiel", 1},
		{"contact page with no channel", Input{Start: aPage(aStart, scanner.Facts{}), Contact: empty}, Bad, "Non", 0},
		{"declared wins", Input{Start: aPage(aStart, scanner.Facts{}), Declared: Declared{Support: &two}}, Good, "Oui", 2},
		{"start page blocked", Input{Start: aFailed(aStart, scanner.StatusBlocked, 403)}, NotMeasured, "Page bloquée", -1},
		{"contact page missing (404), nothing on start", Input{Start: aPage(aStart, scanner.Facts{}), Contact: aFailed(aStart+"/aide", scanner.StatusHTTPError, 404)}, Bad, "Non", 0},
		{"contact page not a web page, one channel", Input{Start: aPage(aStart, phone), Contact: aFailed(aStart+"/aide", scanner.StatusNotHTML, 404)}, Partial, "Partiel", 1},
		{"contact page timed out, nothing on start", Input{Start: aPage(aStart, scanner.Facts{}), Contact: aFailed(aStart+"/aide", scanner.StatusTimeout, 0)}, NotMeasured, "Délai dépassé", -1},
		{"contact page failed, nothing on start", Input{Start: aPage(aStart, scanner.Facts{}), Contact: aFailed(aStart+"/aide", scanner.StatusHTTPError, 503)}, NotMeasured, "Erreur HTTP 503", -1},
	} {
		v := Support(c.in)
		aCheck(t, c.name, v, c.level, c.label)
		if c.value >= 0 && (v.Value == nil || *v.Value != c.value) {
			t.Errorf("%s: value %v, want %v", c.name, v.Value, c.value)
		}
	}
	v := Support(Input{Start: aPage(aStart, phone), Contact: contact})
	var pages []string
	for _, e := range v.Evidence[1:] {
		pages = append(pages, e.Page+" "+e.Selector)
	}
	if len(pages) != 2 || pages[0] != aStart+" a.tel" || pages[1] != aStart+"/contact a.mail" {
		t.Errorf("evidence names each channel's page: %v", pages)
	}
}

func TestShortNumber(t *testing.T) {
	for in, want := range map[string]string{
		"Appelez le 3949.":            "3949",
		"le 39 39 du lundi":           "39 39",
		"Plafond : 3950 €":            "",
		"3950 euros":                  "",
		"taux 39,50 %":                "",
		"dossier 1239 45":             "",
		"le 3939, ou le 3949 sinon":   "3939",
		"montant 3 950,00 ; tél 3646": "",
	} {
		if got := shortNumber(in); got != want {
			t.Errorf("shortNumber(%q) = %q, want %q", in, got, want)
		}
	}
}
