package criteria

import (
	"net"
	"net/url"
	"path"
	"strings"

	"golang.org/x/net/publicsuffix"

	"github.com/observatoire-scanner/observatoire/scanner"
)

// FindFollowUps chooses a procedure's second pages: the catalogue's URLs
// (given) where set, else links of the start page on the same site (one
// registrable domain). The contact page is the first contact link, then
// help link (see IsContactLink), then a link whose path says /contact or
// has a help segment (/aide); the statement is the link that names
// accessibility (the footer's first), never the home page nor a file, and
// a start page that is itself a statement is its own statement; the
// sign-in page is one "Se connecter" / "Connexion" / "Mon compte" /
// "S'identifier" link. Nothing is found on a start page that did not load,
// and never the start URL itself except as its own statement.
func FindFollowUps(start *scanner.Snapshot, given FollowUps) FollowUps {
	out := given
	if start == nil || !start.Status.Loaded() || start.Desktop == nil {
		return out
	}
	base := docURL(start)
	var links []scanner.Link
	for _, l := range start.Desktop.Links {
		if sameSite(base, l.Href) && !samePage(base, l.Href) && !samePage(start.URL, l.Href) {
			links = append(links, l)
		}
	}
	if out.Contact == "" {
		out.Contact = pick(links, func(l scanner.Link) bool { return textIs(l.Text, contactTexts) },
			func(l scanner.Link) bool { return contactLink(l, false) },
			func(l scanner.Link) bool { return textIs(l.Text, helpTexts) },
			func(l scanner.Link) bool { return contactLink(l, true) },
			func(l scanner.Link) bool { return hrefPathHas(l.Href, "/contact") },
			func(l scanner.Link) bool { return hrefSays(l.Href, helpTargets) })
	}
	if out.Statement == "" && IsStatementPage(start) {
		out.Statement = base
	}
	if out.Statement == "" {
		names := func(l scanner.Link) bool {
			if isHome(l.Href) || isFile(l.Href) {
				return false
			}
			t := Fold(l.Text)
			return strings.Contains(t, "accessibilite") || strings.Contains(t, "accessibility") || hrefPathHas(l.Href, "accessibilit")
		}
		out.Statement = pick(links,
			func(l scanner.Link) bool { return l.Region == scanner.RegionFooter && names(l) },
			names)
	}
	if out.Login == "" {
		out.Login = pick(links, func(l scanner.Link) bool { return textIs(l.Text, loginTexts) },
			func(l scanner.Link) bool { return textStarts(l.Text, loginTexts) })
	}
	return out
}

// IsStatementPage reports a page that is an accessibility statement: its
// title names one ("Déclaration d'accessibilité", "Accessibility
// statement") or is a mention ("Accessibilité : non conforme"), or its text
// has the sentences of the legal model ("Cette déclaration d'accessibilité
// s'applique à…", "Établissement de cette déclaration d'accessibilité").
// A guide that talks about statements is not one.
func IsStatementPage(s *scanner.Snapshot) bool {
	if s == nil || s.Desktop == nil {
		return false
	}
	title := Fold(s.Desktop.Title)
	if strings.Contains(title, "declaration d'accessibilite") || strings.Contains(title, "accessibility statement") {
		return true
	}
	if _, ok := FindMention(s.Desktop.Title); ok {
		return true
	}
	text := Fold(s.Desktop.Text)
	return containsAny(text, []string{"cette declaration d'accessibilite s'applique", "etablissement de cette declaration d'accessibilite", "this accessibility statement applies"})
}

// The link texts (folded) that name a contact, help or sign-in page.
var (
	contactTexts = []string{"contact", "contacts", "nous contacter", "contactez-nous", "contacter", "nous ecrire", "ecrivez-nous", "aide et contact", "contact et aide", "nous joindre"}
	helpTexts    = []string{"aide", "besoin d'aide", "besoin d'aide ?", "assistance", "aide et assistance", "centre d'aide", "aide en ligne", "help", "support"}
	loginTexts   = []string{"se connecter", "connexion", "mon compte", "s'identifier", "me connecter", "je me connecte", "mon espace"}
	// contactVerbs start a text that asks to contact someone ("Contacter
	// Etalab", "Contactez le support").
	contactVerbs = []string{"contacter", "contactez", "nous contacter", "nous ecrire", "ecrivez-nous", "ecrire a", "nous joindre", "joindre", "contact us", "get in touch"}
	// contactWords and helpWords, as words of a link's text; contactTargets
	// and helpTargets, as a path segment or the first label of a host.
	contactWords   = []string{"contact", "contacts", "contacter", "contactez", "ecrire", "joindre"}
	helpWords      = []string{"aide", "assistance", "support", "faq", "help"}
	contactTargets = []string{"contact", "contacts", "contactez-nous", "nous-contacter", "nous-ecrire", "contact-us", "aide-et-contact", "formulaire-contact", "formulaire-de-contact"}
	helpTargets    = []string{"aide", "assistance", "support", "faq", "help", "centre-d-aide", "centre-aide", "aide-en-ligne", "questions-frequentes"}
)

// IsContactLink reports a link to a contact or help page, whatever its
// site: its whole text is a contact or help wording ("Nous contacter",
// "Besoin d'aide ?"); or its text starts with a verb of contact ("Contacter
// Etalab"); or its text names contact or help and its target says so too
// (a path segment or the host's first label "contact", "aide", "support",
// "faq"…). A word merely starting a text is not enough: "Aides à la saisie"
// is a page about input help, not help.
func IsContactLink(l scanner.Link) bool {
	return textIs(l.Text, contactTexts) || textIs(l.Text, helpTexts) || contactLink(l, false) || contactLink(l, true)
}

// contactLink reports a link whose text starts with a verb of contact or
// names contact (help when help is set) and whose target says so.
func contactLink(l scanner.Link, help bool) bool {
	t := trimLabel(Fold(l.Text))
	if len(t) > 80 {
		return false
	}
	words, targets := contactWords, contactTargets
	if help {
		words, targets = helpWords, helpTargets
	} else if textStarts(t, contactVerbs) {
		return true
	}
	return hasWord(t, words) && hrefSays(l.Href, targets)
}

// hasWord reports whether folded text t has one of words as a whole word.
func hasWord(t string, words []string) bool {
	for _, w := range strings.FieldsFunc(t, func(r rune) bool { return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-') }) {
		for _, x := range words {
			if w == x {
				return true
			}
		}
	}
	return false
}

// hrefSays reports whether a path segment of href (without its extension)
// or the first label of its host is one of targets.
func hrefSays(href string, targets []string) bool {
	u, err := url.Parse(href)
	if err != nil {
		return false
	}
	p, err := url.PathUnescape(u.Path)
	if err != nil {
		p = u.Path
	}
	parts := strings.Split(Fold(p), "/")
	if h := strings.Split(u.Hostname(), "."); len(h) > 2 {
		parts = append(parts, strings.ToLower(h[0]))
	}
	for _, seg := range parts {
		if i := strings.LastIndexByte(seg, '.'); i > 0 {
			seg = seg[:i]
		}
		for _, t := range targets {
			if seg == t {
				return true
			}
		}
	}
	return false
}

// isHome reports a link to a site's home page (path "/" or empty, or an
// index file at the root): never a statement link.
func isHome(href string) bool {
	u, err := url.Parse(href)
	if err != nil {
		return false
	}
	switch strings.ToLower(u.Path) {
	case "", "/", "/index.html", "/index.htm", "/index.php", "/fr", "/fr/", "/en", "/en/":
		return true
	}
	return false
}

// isFile reports a link to a document or an image (PDF, office file,
// archive), which is not a web page of the site.
func isFile(href string) bool {
	u, err := url.Parse(href)
	if err != nil {
		return false
	}
	switch strings.ToLower(path.Ext(u.Path)) {
	case ".pdf", ".doc", ".docx", ".odt", ".ods", ".xls", ".xlsx", ".csv", ".zip", ".png", ".jpg", ".jpeg", ".gif", ".svg", ".txt", ".rtf":
		return true
	}
	return false
}

// trimLabel drops what surrounds a link's words (icons, emoji, arrows,
// punctuation).
func trimLabel(t string) string {
	return strings.TrimFunc(t, func(r rune) bool { return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9') })
}

// pick returns the href of the first link that satisfies the first rule
// any link satisfies, so that earlier rules are preferred.
func pick(links []scanner.Link, rules ...func(scanner.Link) bool) string {
	for _, ok := range rules {
		for _, l := range links {
			if ok(l) {
				return l.Href
			}
		}
	}
	return ""
}

// textIs reports whether s, folded and without trailing punctuation, is one
// of the folded texts.
func textIs(s string, texts []string) bool {
	f := strings.TrimRight(Fold(s), " ?!:.›>»")
	f = strings.TrimLeftFunc(f, func(r rune) bool { return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9') })
	for _, t := range texts {
		if f == t {
			return true
		}
	}
	return false
}

// textStarts reports whether s, folded, starts with one of texts as a
// whole word, and is short enough to be a link's label.
func textStarts(s string, texts []string) bool {
	f := Fold(s)
	if len(f) > 60 {
		return false
	}
	for _, t := range texts {
		if strings.HasPrefix(f, t) && (len(f) == len(t) || !isWordByte(f[len(t)])) {
			return true
		}
	}
	return false
}

func isWordByte(b byte) bool { return b >= 'a' && b <= 'z' || b >= '0' && b <= '9' }

// hrefPathHas reports whether the path of href contains part (folded).
func hrefPathHas(href, part string) bool {
	u, err := url.Parse(href)
	if err != nil {
		return false
	}
	p, err := url.PathUnescape(u.Path)
	if err != nil {
		p = u.Path
	}
	return strings.Contains(Fold(p), part)
}

// docURL is the address of the document a snapshot shows.
func docURL(s *scanner.Snapshot) string {
	if s.FinalURL != "" {
		return s.FinalURL
	}
	return s.URL
}

// sameSite reports whether href is an http(s) URL on the same registrable
// domain as base ("www.impots.gouv.fr" and "cfspart.impots.gouv.fr" are;
// an IP address must match exactly).
func sameSite(base, href string) bool {
	b, err1 := url.Parse(base)
	h, err2 := url.Parse(href)
	if err1 != nil || err2 != nil || (h.Scheme != "http" && h.Scheme != "https") {
		return false
	}
	return registrable(b.Hostname()) == registrable(h.Hostname())
}

// samePage reports whether href is a, up to the fragment and a trailing
// slash.
func samePage(a, href string) bool {
	norm := func(s string) string {
		if i := strings.IndexByte(s, '#'); i >= 0 {
			s = s[:i]
		}
		return strings.TrimSuffix(s, "/")
	}
	return norm(a) == norm(href)
}

// registrable returns the domain a site owner registers (eTLD+1), from
// the Public Suffix List: "www.impots.gouv.fr" and
// "cfspart.impots.gouv.fr" share "impots.gouv.fr" (gouv.fr is a public
// suffix). An IP address, or a host that is itself a public suffix, is
// its own site.
func registrable(host string) string {
	host = strings.ToLower(strings.TrimSuffix(host, "."))
	if net.ParseIP(host) != nil {
		return host
	}
	d, err := publicsuffix.EffectiveTLDPlusOne(host)
	if err != nil {
		return host
	}
	return d
}

// clickable is a link or a button, seen the same way by the criteria that
// look for a labelled control.
type clickable struct {
	text, href, selector string
	region               scanner.Region
}

// clickables lists the links and buttons of a page's desktop facts.
func clickables(s *scanner.Snapshot) []clickable {
	if s == nil || s.Desktop == nil {
		return nil
	}
	var out []clickable
	for _, l := range s.Desktop.Links {
		out = append(out, clickable{text: l.Text, href: l.Href, selector: l.Selector, region: l.Region})
	}
	for _, b := range s.Desktop.Buttons {
		out = append(out, clickable{text: b.Text, selector: b.Selector, region: b.Region})
	}
	return out
}

// loadedPages returns the snapshots among pages that loaded, in order.
func loadedPages(pages ...*scanner.Snapshot) []*scanner.Snapshot {
	var out []*scanner.Snapshot
	for _, p := range pages {
		if p != nil && p.Status.Loaded() && p.Desktop != nil {
			out = append(out, p)
		}
	}
	return out
}

// hasClassToken reports whether the class attribute holds the class c.
func hasClassToken(attr, c string) bool {
	for _, f := range strings.Fields(attr) {
		if f == c {
			return true
		}
	}
	return false
}

// guillemets puts a page's text in French quotes, shortened.
func guillemets(s string) string {
	s = Normalize(s)
	if r := []rune(s); len(r) > 80 {
		s = string(r[:77]) + "…"
	}
	return "« " + s + " »"
}
