package criteria

import (
	"net"
	"net/url"
	"strings"

	"github.com/observatoire-scanner/observatoire/scanner"
)

// FindFollowUps chooses a procedure's second pages: the catalogue's URLs
// (given) where set, else links of the start page on the same site. The
// contact page is the first link whose text says contact, then help, then
// whose path says /contact or /aide; the statement is the link that names
// accessibility (the footer's first); the sign-in page is one "Se
// connecter" / "Connexion" / "Mon compte" / "S'identifier" link. Nothing is
// found on a start page that did not load, and never the start URL itself.
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
			func(l scanner.Link) bool { return textIs(l.Text, helpTexts) },
			func(l scanner.Link) bool { return hrefPathHas(l.Href, "/contact") },
			func(l scanner.Link) bool { return hrefPathHas(l.Href, "/aide") })
	}
	if out.Statement == "" {
		names := func(l scanner.Link) bool {
			return strings.Contains(Fold(l.Text), "accessibilite") || hrefPathHas(l.Href, "accessibilit")
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

// The link texts (folded) that name a contact, help or sign-in page.
var (
	contactTexts = []string{"contact", "contacts", "nous contacter", "contactez-nous", "contacter", "nous ecrire", "aide et contact", "contact et aide"}
	helpTexts    = []string{"aide", "besoin d'aide", "besoin d'aide ?", "assistance", "aide et assistance", "centre d'aide"}
	loginTexts   = []string{"se connecter", "connexion", "mon compte", "s'identifier", "me connecter", "je me connecte", "mon espace"}
)

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

// registrable returns the domain a site owner registers: the last two
// labels of host, three under the French (and a few other) second-level
// public suffixes. A small table, not the public suffix list, which the
// project does not depend on; what matters here are French public sites.
func registrable(host string) string {
	host = strings.ToLower(strings.TrimSuffix(host, "."))
	if net.ParseIP(host) != nil {
		return host
	}
	labels := strings.Split(host, ".")
	n := 2
	if len(labels) >= 3 && secondLevel[strings.Join(labels[len(labels)-2:], ".")] {
		n = 3
	}
	if len(labels) <= n {
		return host
	}
	return strings.Join(labels[len(labels)-n:], ".")
}

var secondLevel = map[string]bool{
	"gouv.fr": true, "asso.fr": true, "com.fr": true, "nom.fr": true, "presse.fr": true, "tm.fr": true,
	"cci.fr": true, "notaires.fr": true, "gouv.nc": true, "gouv.pf": true,
	"co.uk": true, "gov.uk": true, "org.uk": true,
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
