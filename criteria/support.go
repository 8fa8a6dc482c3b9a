package criteria

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/observatoire-scanner/observatoire/scanner"
)

// Channel is a way to reach a human about a procedure.
type Channel string

// The human contact channels the support criterion counts, in the order
// the evidence lists them.
const (
	ChannelPhone   Channel = "téléphone"
	ChannelEmail   Channel = "courriel"
	ChannelForm    Channel = "formulaire de contact"
	ChannelChat    Channel = "tchat avec un conseiller"
	ChannelCounter Channel = "accueil ou rendez-vous"
)

var channels = []Channel{ChannelPhone, ChannelEmail, ChannelForm, ChannelChat, ChannelCounter}

// Support rates the "aide joignable" criterion: the distinct human contact
// channels (phone, e-mail, contact form, human chat, counter or
// appointment) found on the start page and the contact page: two or more
// give good ("Oui"), one partial ("Partiel"), none bad ("Non"). A FAQ or a
// chatbot is not a human channel. A declared number of channels wins.
func Support(in Input) Verdict {
	found := map[Channel]Evidence{}
	for _, p := range loadedPages(in.Start, in.Contact) {
		for ch, ev := range findChannels(p) {
			if _, ok := found[ch]; !ok {
				found[ch] = ev
			}
		}
	}
	var ev []Evidence
	for _, ch := range channels {
		if e, ok := found[ch]; ok {
			ev = append(ev, e)
		}
	}
	if in.Declared.Support != nil {
		n := *in.Declared.Support
		v := supportLevel(n)
		v.Evidence = append([]Evidence{{Fact: "nombre de canaux humains déclaré : " + strconv.Itoa(n)}}, ev...)
		return v
	}
	if !in.Start.Status.Loaded() {
		return notLoaded(in.Start)
	}
	contactFailed := in.Contact != nil && !in.Contact.Status.Loaded()
	if len(found) == 0 && contactFailed && !pageMissing(in.Contact) {
		v := notLoaded(in.Contact)
		v.Evidence = append(v.Evidence, Evidence{Fact: "aucun canal de contact humain sur la page de départ ; la page d'aide n'a pas pu être examinée", Page: docURL(in.Start)})
		return v
	}
	if cut := cutShort(in.Start, in.Contact); len(found) < 2 && len(cut) > 0 {
		// One channel or none on a page cut short: the others may not
		// have arrived.
		return incomplete("canal de contact humain", cut, ev)
	}
	v := supportLevel(len(found))
	looked := "sur la page de départ"
	if in.Contact != nil && !contactFailed {
		looked = "sur la page de départ et la page d'aide (" + docURL(in.Contact) + ")"
	} else if in.Contact == nil {
		looked += " (aucune page de contact ou d'aide trouvée)"
	}
	summary := Evidence{Fact: strconv.Itoa(len(found)) + " canal(aux) de contact humain distinct(s) " + looked + " : 2 ou plus pour « Oui »"}
	v.Evidence = append([]Evidence{summary}, ev...)
	if contactFailed {
		label, _ := pageProblem(in.Contact)
		v.Evidence = append(v.Evidence, Evidence{Fact: "page d'aide non examinée (" + label + ")", Page: in.Contact.URL, Text: in.Contact.Reason})
	}
	return v
}

// supportLevel turns a count of channels into a verdict.
func supportLevel(n int) Verdict {
	f := float64(n)
	v := Verdict{Value: &f}
	switch {
	case n >= 2:
		v.Level, v.Label = Good, "Oui"
	case n == 1:
		v.Level, v.Label = Partial, "Partiel"
		v.Fix = "Ajouter un second canal pour joindre un humain (téléphone, courriel ou formulaire de contact, tchat avec un conseiller, accueil sur rendez-vous), accessible depuis la démarche."
	default:
		v.Level, v.Label = Bad, "Non"
		v.Fix = "Donner au moins deux moyens de joindre un humain (téléphone, courriel ou formulaire de contact, tchat avec un conseiller, accueil sur rendez-vous) sur la démarche ou sa page d'aide ; une FAQ ou un robot conversationnel ne suffisent pas."
	}
	return v
}

var (
	// phoneRE: French numbers in the usual spellings (01 40 00 00 00,
	// 01.40.00.00.00, 0140000000, +33 1 40 00 00 00, +33 (0)1...);
	// shortRE the short 39xx numbers (3949, 39 39), see shortNumber.
	phoneRE = regexp.MustCompile(`(?:^|[^\d+])((?:\+33\s?(?:\(0\)\s?)?[1-9]|0[1-9])(?:[\s.\-]?\d{2}){4})(?:$|[^\d])`)
	shortRE = regexp.MustCompile(`(?:^|[^\d,.])(39\s?\d{2})`)
	emailRE = regexp.MustCompile(`[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}`)
	// chatRE: a chat named as such ("chat", "tchat", "chat en ligne"); the
	// word boundaries keep out "achat" and "chatbot".
	chatRE = regexp.MustCompile(`(?:^|[^a-z])t?chat(?:$|[^a-z])|discuter avec un (?:conseiller|agent)|parler (?:a|avec) un (?:conseiller|agent)|echanger avec un (?:conseiller|agent)|conseiller en ligne|clavardage`)
	// botRE: automated answers, which are not a human channel.
	botRE = regexp.MustCompile(`bot\b|robot|assistant virtuel|agent virtuel|conversationnel|intelligence artificielle|\bia\b|faq|questions frequentes`)
)

// counterTexts name a counter or an appointment (folded); a bare "Accueil"
// is the home page link and does not count.
var counterTexts = []string{
	"prendre rendez-vous", "prendre un rendez-vous", "prise de rendez-vous", "sur rendez-vous", "un rendez-vous",
	"guichet", "point d'accueil", "points d'accueil", "lieux d'accueil", "lieu d'accueil", "accueil du public",
	"accueil physique", "horaires d'accueil", "nos accueils", "france services",
}

// chatHosts serve live-chat widgets with human agents.
var chatHosts = []string{
	"livechatinc.com", "crisp.chat", "intercom.io", "intercomcdn.com", "tawk.to", "iadvize.com",
	"zopim.com", "olark.com", "smartsupp.com", "userlike.com", "snapengage.com", "purechat.com",
	"livehelpnow.net", "salesforceliveagent.com",
}

// findChannels returns, per channel, the first evidence of it on a page.
func findChannels(s *scanner.Snapshot) map[Channel]Evidence {
	page := docURL(s)
	out := map[Channel]Evidence{}
	set := func(ch Channel, e Evidence) {
		if _, ok := out[ch]; !ok {
			e.Page = page
			out[ch] = e
		}
	}
	d := s.Desktop
	for _, c := range clickables(s) {
		h := strings.ToLower(c.href)
		t := Fold(c.text)
		switch {
		case strings.HasPrefix(h, "tel:"):
			set(ChannelPhone, Evidence{Fact: "téléphone : lien " + guillemets(c.href), Selector: c.selector, Text: c.text})
		case strings.HasPrefix(h, "mailto:") && !strings.HasPrefix(h, "mailto:?"):
			// "mailto:?subject=…" shares the page; it reaches nobody.
			set(ChannelEmail, Evidence{Fact: "courriel : lien " + guillemets(c.href), Selector: c.selector, Text: c.text})
		case len(t) <= 80 && chatRE.MatchString(t) && !botRE.MatchString(t):
			set(ChannelChat, Evidence{Fact: "tchat avec un conseiller : " + guillemets(c.text), Selector: c.selector, Text: c.text})
		case len(t) <= 80 && (t == "rendez-vous" || containsAny(t, counterTexts)):
			set(ChannelCounter, Evidence{Fact: "accueil ou rendez-vous : " + guillemets(c.text), Selector: c.selector, Text: c.text})
		}
	}
	for _, f := range d.Forms {
		if isSearchForm(f) {
			continue
		}
		for _, fl := range f.Fields {
			n := Fold(fl.Name + " " + fl.ID + " " + fl.Label)
			if fl.Tag == "textarea" || strings.Contains(n, "message") {
				set(ChannelForm, Evidence{Fact: "formulaire de contact (champ " + guillemets(fieldName(fl)) + ")", Selector: f.Selector, Text: fieldName(fl)})
				break
			}
		}
	}
	for _, src := range append(append([]string{}, d.Scripts...), frameSources(d.Iframes)...) {
		host := urlHost(src)
		for _, ch := range chatHosts {
			if host == ch || strings.HasSuffix(host, "."+ch) {
				set(ChannelChat, Evidence{Fact: "tchat avec un conseiller : module de " + ch, Text: src})
			}
		}
	}
	text := Normalize(d.Text)
	n := ""
	if m := phoneRE.FindStringSubmatch(text); m != nil {
		n = m[1]
	} else {
		n = shortNumber(text)
	}
	if n != "" {
		set(ChannelPhone, Evidence{Fact: "téléphone : numéro " + guillemets(n) + " dans le texte", Text: n})
	}
	if m := emailRE.FindString(text); m != "" {
		set(ChannelEmail, Evidence{Fact: "courriel : adresse " + guillemets(m) + " dans le texte", Text: m})
	}
	ft := Fold(text)
	for _, c := range counterTexts {
		if strings.Contains(ft, c) {
			set(ChannelCounter, Evidence{Fact: "accueil ou rendez-vous : " + guillemets(c) + " dans le texte"})
			break
		}
	}
	return out
}

// shortNumber returns the first 39xx short number of text that is not an
// amount, a decimal or part of a longer number ("3 950,00 €", "3950 euros").
func shortNumber(text string) string {
	for _, m := range shortRE.FindAllStringSubmatchIndex(text, -1) {
		rest := strings.TrimLeft(text[m[3]:], " ")
		if rest != "" && (rest[0] >= '0' && rest[0] <= '9' ||
			(rest[0] == ',' || rest[0] == '.') && len(rest) > 1 && rest[1] >= '0' && rest[1] <= '9' ||
			strings.HasPrefix(rest, "€") || strings.HasPrefix(rest, "%") || strings.HasPrefix(strings.ToLower(rest), "euro")) {
			continue
		}
		return text[m[2]:m[3]]
	}
	return ""
}

func frameSources(fs []scanner.Frame) []string {
	var out []string
	for _, f := range fs {
		out = append(out, f.Src)
	}
	return out
}

// containsAny reports whether s contains one of subs.
func containsAny(s string, subs []string) bool {
	for _, sub := range subs {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}
