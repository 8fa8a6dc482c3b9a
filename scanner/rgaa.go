package scanner

import (
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"
)

// The observatory's own RGAA tests: what axe-core does not test and a real
// browser can, run on the desktop page right after axe-core. Their findings
// join axe-core's in AxeResult.Violations, in the same shape, with Source
// OwnSource and a rule id that starts with "obs-", so that check, the CI
// gate and the site show them as they show axe-core's. A finding that can
// only suspect a fault goes to AxeResult.Review ("à vérifier"), which the
// gate does not read. docs/method.md, "Nos tests RGAA", gives each method.

//go:embed js/rgaa.js
var rgaaJS string

// OwnSource names the observatory's own tests in Violation.Source; axe-core's
// findings leave Source empty.
const OwnSource = "observatoire"

// The rules of our own tests.
const (
	RuleFocusVisible  = "obs-focus-visible"
	RuleReflow        = "obs-reflow"
	RuleTextSpacing   = "obs-text-spacing"
	RuleSkipLink      = "obs-skip-link"
	RulePopup         = "obs-popup"
	RuleTitleRelevant = "obs-title-relevant"
	RuleLangRelevant  = "obs-lang-relevant"
)

// ownRule is what a finding of one of our rules carries besides its
// elements.
type ownRule struct {
	test, impact, help string
}

// ownRules maps each rule to its RGAA 4.1 test (criterion.test), impact
// (axe-core's scale) and help text.
var ownRules = map[string]ownRule{
	RuleFocusVisible:  {"10.7.1", "serious", "La prise de focus au clavier doit être visible"},
	RuleReflow:        {"10.11.1", "serious", "Le contenu doit tenir dans 320 px de large sans défilement horizontal"},
	RuleTextSpacing:   {"10.12.1", "serious", "Le texte doit rester lisible quand l'utilisateur augmente ses espacements"},
	RuleSkipLink:      {"12.7.1", "serious", "Un lien d'évitement, premier arrêt de tabulation, doit mener au contenu principal"},
	RulePopup:         {"13.2.1", "serious", "La page ne doit pas ouvrir de nouvelle fenêtre sans action de l'utilisateur"},
	RuleTitleRelevant: {"8.6.1", "serious", "Le titre de la page doit être pertinent"},
	RuleLangRelevant:  {"8.4.1", "serious", "La langue déclarée de la page doit être celle de son texte"},
}

// OwnRGAARules maps each of the observatory's own rules to the RGAA tests
// it checks ("RGAA-10.7.1"), like AxeRGAARules.
func OwnRGAARules() map[string][]string {
	out := make(map[string][]string, len(ownRules))
	for id, r := range ownRules {
		out[id] = []string{"RGAA-" + r.test}
	}
	return out
}

// OwnRGAACriteria lists, in RGAA order, the criteria our own rules check.
func OwnRGAACriteria() []string {
	var out []string
	for _, id := range slices.Sorted(maps.Keys(ownRules)) {
		c := RGAACriterion(ownRules[id].test)
		if !slices.Contains(out, c) {
			out = append(out, c)
		}
	}
	slices.SortFunc(out, CompareRGAA)
	return out
}

// Bounds of our tests.
const (
	// maxTabStops is how many real Tab presses the focus walk makes.
	maxTabStops = 30
	// skipWithin is how many first tab stops may hold the skip link (a
	// cookie banner or a list of quick-access links may come first).
	skipWithin = 3
	// reflowWidth and reflowHeight are RGAA 10.11's window (WCAG 1.4.10).
	reflowWidth, reflowHeight = 320, 256
	// rgaaTimeout bounds the whole of our tests on a page.
	rgaaTimeout = 10 * time.Second
)

// finding builds a Violation of our rule id.
func finding(id string, nodes []Node, more int) Violation {
	r := ownRules[id]
	crit := RGAACriterion(r.test)
	return Violation{
		Rule: id, Impact: r.impact, Help: r.help, RGAA: []string{"RGAA-" + r.test},
		HelpURL: "https://accessibilite.numerique.gouv.fr/methode/criteres-et-tests/#" + crit,
		Nodes:   nodes, More: more, Source: OwnSource,
	}
}

// stepResult is what rgaa.js says of one tab stop.
type stepResult struct {
	Done         bool   `json:"done"`
	Tag          string `json:"tag"`
	Node         Node   `json:"node"`
	InPage       bool   `json:"in_page"`
	TargetExists bool   `json:"target_exists"`
	TargetMain   bool   `json:"target_main"`
	SkipText     bool   `json:"skip_text"`
	Visible      bool   `json:"visible"`
	InNav        bool   `json:"in_nav"`
	Unknown      string `json:"unknown"`
	Changed      bool   `json:"changed"`
	Change       string `json:"change"`
}

// runRGAA runs our own tests on the desktop page and adds their findings
// to snap.Axe (which axe-core filled just before). A failure of our tests
// is noted in snap.Axe.OwnError and leaves the page's status alone: a page
// that navigates meanwhile is caught by the caller's quiet-period check.
func (s *Scanner) runRGAA(ctx context.Context, snap *Snapshot) {
	ax := snap.Axe
	if ax == nil {
		return
	}
	t0 := time.Now()
	defer func() { snap.Phases.RGAA += ms(time.Since(t0)) }()
	rctx, cancel := context.WithTimeout(ctx, rgaaTimeout)
	defer cancel()

	var found, review []Violation
	// Tests that read what facts.js already read: no browser work.
	if d := snap.Desktop; d != nil {
		if v, sure, ok := titleFinding(d.Title); ok {
			if sure {
				found = append(found, v)
			} else {
				review = append(review, v)
			}
		}
		if v, ok := langFinding(d.Lang, d.Text); ok {
			found = append(found, v)
		}
	}
	if snap.Popups > 0 {
		found = append(found, finding(RulePopup, []Node{{Selector: "html", HTML: "<html>",
			Summary: fmt.Sprintf("%d nouvelle(s) fenêtre(s) ouverte(s) par la page pendant son chargement, sans aucune action de l'utilisateur", snap.Popups)}}, 0))
	}
	ran := []string{RuleTitleRelevant, RuleLangRelevant, RulePopup}

	err := func() error {
		if err := installRGAA(rctx); err != nil {
			return fmt.Errorf("install: %w", err)
		}
		f, r, err := s.keyboardTests(rctx)
		found, review = append(found, f...), append(review, r...)
		if err != nil {
			return fmt.Errorf("keyboard tests: %w", err)
		}
		ran = append(ran, RuleFocusVisible, RuleSkipLink)
		var sp struct {
			Count int    `json:"count"`
			Nodes []Node `json:"nodes"`
		}
		if err := evalRGAA(rctx, "spacing", "", &sp); err != nil {
			return fmt.Errorf("text spacing: %w", err)
		}
		ran = append(ran, RuleTextSpacing)
		if sp.Count > 0 {
			found = append(found, finding(RuleTextSpacing, sp.Nodes, sp.Count-len(sp.Nodes)))
		}
		v, err := reflowTest(rctx)
		if err != nil {
			return fmt.Errorf("reflow: %w", err)
		}
		ran = append(ran, RuleReflow)
		if v != nil {
			found = append(found, *v)
		}
		return nil
	}()
	_ = evalRGAA(rctx, "end", "", nil)
	if err != nil {
		ax.OwnError = firstLine(err.Error(), 200)
	}
	slices.Sort(ran)
	ax.Own = ran
	ax.Violations = append(ax.Violations, found...)
	ax.Review = append(ax.Review, review...)
}

// keyboardTests presses Tab for real through the first maxTabStops stops
// (RGAA 10.7: does the rendering change when focus arrives?) and tests the
// skip link among the first skipWithin stops (RGAA 12.7: Enter on it,
// then Tab must land in the main content).
func (s *Scanner) keyboardTests(ctx context.Context) (found, review []Violation, err error) {
	var prep struct {
		Focusable int  `json:"focusable"`
		Repeated  bool `json:"repeated"`
	}
	if err := evalRGAA(ctx, "prepare", "", &prep); err != nil {
		return nil, nil, err
	}
	var stops []stepResult
	for range maxTabStops {
		if err := pressKey(ctx, "Tab"); err != nil {
			return nil, nil, err
		}
		var r stepResult
		if err := evalRGAA(ctx, "step", "", &r); err != nil {
			return nil, nil, err
		}
		if r.Done {
			break
		}
		stops = append(stops, r)
	}

	// 10.7: a stop whose rendering (and its neighbours') did not change.
	var blind []Node
	for _, r := range stops {
		if r.Unknown == "" && !r.Changed {
			n := r.Node
			n.Summary = "à la prise de focus par la touche Tab, ni le contour, ni l'ombre, ni la bordure, ni le fond, ni la couleur de l'élément, de ses parents, enfants, voisins ou étiquettes ne changent"
			if !r.Visible {
				n.Summary = "l'élément reçoit le focus par la touche Tab mais reste invisible, et rien d'autre ne change à l'écran"
			}
			blind = append(blind, n)
		}
	}
	if len(blind) > 0 {
		keep := min(len(blind), 25)
		found = append(found, finding(RuleFocusVisible, blind[:keep], len(blind)-keep))
	}

	v, sure, err := skipLinkTest(ctx, stops, prep.Repeated)
	if v != nil {
		if sure {
			found = append(found, *v)
		} else {
			review = append(review, *v)
		}
	}
	return found, review, err
}

// skipLinkTest judges the skip link from the stops walked, then activates
// it for real. It returns nil when the page passes or has no repeated
// blocks to skip (no header nor menu: RGAA's particular case).
func skipLinkTest(ctx context.Context, stops []stepResult, repeated bool) (v *Violation, sure bool, err error) {
	fail := func(n Node, why string, sure bool) (*Violation, bool, error) {
		n.Summary = why
		f := finding(RuleSkipLink, []Node{n}, 0)
		return &f, sure, nil
	}
	// A candidate: an in-page link whose target is the main content or
	// whose text says it skips ("Aller au contenu"); a link of the header
	// to another place of the header is neither. One that names the content
	// wins over the first.
	candidate := func(r stepResult) bool { return r.InPage && (r.TargetMain || r.SkipText) }
	k := -1
	for i, r := range stops[:min(len(stops), skipWithin)] {
		if candidate(r) && (k < 0 || r.SkipText && !stops[k].SkipText) {
			k = i
		}
	}
	if k < 0 {
		if !repeated {
			return nil, false, nil
		}
		for _, r := range stops {
			if r.InPage && r.SkipText {
				return fail(r.Node, fmt.Sprintf("un lien d'évitement existe mais n'est pas parmi les %d premiers arrêts de tabulation", skipWithin), false)
			}
		}
		first := Node{Selector: "body", HTML: "<body>"}
		if len(stops) > 0 {
			first = stops[0].Node
		}
		return fail(first, fmt.Sprintf("aucun lien vers un endroit de la page parmi les %d premiers arrêts de tabulation (ici le premier)", skipWithin), true)
	}
	link := stops[k]
	switch {
	case !link.TargetExists:
		return fail(link.Node, "la cible du lien d'évitement n'existe pas dans la page", true)
	case !link.Visible:
		return fail(link.Node, "le lien d'évitement reste invisible quand il reçoit le focus", true)
	}
	// Activate it for real: from the top, Tab to it, Enter, then Tab once
	// more: the next stop must be in the main content.
	if err := evalRGAA(ctx, "restart", "", nil); err != nil {
		return nil, false, err
	}
	for range k + 1 {
		if err := pressKey(ctx, "Tab"); err != nil {
			return nil, false, err
		}
	}
	// Enter on anything else could leave the page: check first.
	var on struct {
		Focused bool `json:"focused"`
	}
	if err := evalRGAA(ctx, "focused", link.Node.Selector, &on); err != nil {
		return nil, false, err
	}
	if !on.Focused {
		return fail(link.Node, "le lien d'évitement n'a pas pu être réactivé au clavier (l'ordre de tabulation a changé) : à vérifier", false)
	}
	if err := pressKey(ctx, "Enter"); err != nil {
		return nil, false, err
	}
	if err := pressKey(ctx, "Tab"); err != nil {
		return nil, false, err
	}
	var res struct {
		OK  bool   `json:"ok"`
		Why string `json:"why"`
	}
	if err := evalRGAA(ctx, "skip", link.Node.Selector, &res); err != nil {
		return nil, false, err
	}
	if res.OK {
		return nil, false, nil
	}
	return fail(link.Node, "activé (Entrée puis Tab) : "+res.Why, true)
}

// reflowTest lays the page out in a 320 × 256 CSS px window (no reload),
// finds the elements that overflow it horizontally, and restores the
// desktop window.
func reflowTest(ctx context.Context) (*Violation, error) {
	if _, err := chromedp.Call(ctx, emulation.SetDeviceMetricsOverride, emulation.SetDeviceMetricsOverrideParams{
		Width: reflowWidth, Height: reflowHeight, DeviceScaleFactor: 1,
	}); err != nil {
		return nil, err
	}
	var r struct {
		Viewport int    `json:"viewport"`
		Scroll   int    `json:"scroll"`
		Count    int    `json:"count"`
		Nodes    []Node `json:"nodes"`
	}
	err := evalRGAA(ctx, "reflow", "", &r)
	if _, rerr := chromedp.Call(ctx, emulation.SetDeviceMetricsOverride, emulation.SetDeviceMetricsOverrideParams{
		Width: desktopWidth, Height: desktopHeight, DeviceScaleFactor: 1,
	}); err == nil {
		err = rerr
	}
	if err != nil || r.Count == 0 {
		return nil, err
	}
	for i := range r.Nodes {
		r.Nodes[i].Summary = fmt.Sprintf("page de %d px de large dans une fenêtre de %d px : ", r.Scroll, r.Viewport) + r.Nodes[i].Summary
	}
	v := finding(RuleReflow, r.Nodes, r.Count-len(r.Nodes))
	return &v, nil
}

// rgaaFn is where installRGAA puts rgaa.js's function in the page, so that
// each of the many calls (one per tab stop) sends a few bytes, not the
// script.
const rgaaFn = "window.__observatoireRGAAfn"

// installRGAA evaluates rgaa.js once in the page.
func installRGAA(ctx context.Context) error {
	_, err := chromedp.Run(ctx, chromedp.Evaluate[chromedp.Void](rgaaFn+" = "+rgaaJS+";0"))
	return err
}

// evalRGAA runs one operation of rgaa.js (installed by installRGAA) and
// decodes its answer into out (nil: ignored).
func evalRGAA(ctx context.Context, op, arg string, out any) error {
	a, _ := json.Marshal(op)
	b, _ := json.Marshal(arg)
	raw, err := chromedp.Run(ctx, chromedp.Evaluate[json.RawMessage](rgaaFn+"("+string(a)+","+string(b)+")"))
	if err != nil {
		return err
	}
	var e struct {
		Error string `json:"error"`
	}
	if json.Unmarshal(raw, &e) == nil && e.Error != "" {
		return fmt.Errorf("rgaa.js %s: %s", op, e.Error)
	}
	if out == nil {
		return nil
	}
	return json.Unmarshal(raw, out)
}

// keyCodes are the Windows virtual key codes of the keys pressed.
var keyCodes = map[string]int64{"Tab": 9, "Enter": 13}

// pressKey presses and releases a key, as a user does: the browser moves
// focus or follows a link itself, and :focus-visible applies.
func pressKey(ctx context.Context, key string) error {
	code := keyCodes[key]
	down := input.DispatchKeyEventParams{Type: input.DispatchKeyEventTypeKeyDown, Key: key, Code: key, WindowsVirtualKeyCode: code, NativeVirtualKeyCode: code}
	if key == "Enter" {
		down.Text = "\r"
	}
	up := down
	up.Type, up.Text = input.DispatchKeyEventTypeKeyUp, ""
	for _, p := range []input.DispatchKeyEventParams{down, up} {
		if _, err := chromedp.Call(ctx, input.DispatchKeyEvent, p); err != nil {
			return fmt.Errorf("press %s: %w", key, err)
		}
	}
	return nil
}

// meaninglessTitles are page titles that say nothing of the page (lower
// case, spaces folded): a page titled so fails RGAA 8.6.
var meaninglessTitles = []string{
	"sans titre", "document sans titre", "nouveau document", "untitled", "untitled document", "new document",
	"document", "page", "titre", "title", "page title", "titre de la page", "index", "default", "test",
	"home", "react app", "vite app", "vite + react", "vite + react + ts", "vue app", "angular app", "my app",
	"welcome to nginx!", "apache2 ubuntu default page: it works", "it works!", "mon site", "my site",
	"just another wordpress site", "site title", "insert title here", "titre du site", "page d'accueil",
	"accueil", "bienvenue", "welcome", "home page",
}

// vagueTitles are meaningless alone but fine on a site's real home page:
// only an auditor can tell, so they are "à vérifier".
var vagueTitles = []string{"accueil", "bienvenue", "welcome", "home page", "page d'accueil", "home"}

// titleFinding judges the page title against meaningless ones: sure is
// false for titles that only a human can judge. ok is false when the title
// passes or is missing (axe-core's document-title, RGAA 8.5).
func titleFinding(title string) (v Violation, sure, ok bool) {
	t := strings.ToLower(strings.Join(strings.Fields(title), " "))
	if t == "" {
		return Violation{}, false, false
	}
	why := ""
	hasLetter := strings.IndexFunc(t, func(r rune) bool { return r >= 'a' && r <= 'z' || r >= 'à' && r <= 'ÿ' }) >= 0
	switch {
	case !hasLetter:
		why = "le titre ne contient aucun mot"
	case slices.Contains(meaninglessTitles, t):
		why = "le titre est un titre par défaut, qui ne dit rien de la page"
	case isFileName(t):
		why = "le titre est un nom de fichier"
	}
	if why == "" {
		return Violation{}, false, false
	}
	sure = !slices.Contains(vagueTitles, t)
	if !sure {
		why = "le titre, seul, ne dit ni de quel site ni de quelle page il s'agit (à vérifier)"
	}
	html := "<title>" + title + "</title>"
	return finding(RuleTitleRelevant, []Node{{Selector: "head > title", HTML: html, Summary: why}}, 0), sure, true
}

// isFileName reports whether t looks like "index.html" or "page.php".
func isFileName(t string) bool {
	for _, ext := range []string{".html", ".htm", ".php", ".aspx", ".asp", ".jsp", ".do"} {
		if base, ok := strings.CutSuffix(t, ext); ok && base != "" && !strings.Contains(base, " ") {
			return true
		}
	}
	return false
}

// Stop words that tell French from English on a page's text: words that
// are frequent in one language and rare (or absent) in the other.
var (
	frenchWords  = wordSet("le la les des du un une et est pour dans sur avec pas vous votre vos nous qui que ce cette sont au aux ou par plus être")
	englishWords = wordSet("the and of to is for in on with you your we are this that be by not or from at it as an will can")
)

func wordSet(s string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(s) {
		m[w] = true
	}
	return m
}

// minLangWords is how many stop words the text must hold before its
// language is told; langMargin how much more frequent the winning
// language's stop words must be.
const (
	minLangWords = 40
	langMargin   = 4
)

// textLanguage tells French ("fr") from English ("en") on a text long
// enough, or returns "".
func textLanguage(text string) string {
	fr, en := 0, 0
	for _, w := range strings.FieldsFunc(strings.ToLower(text), func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'à' && r <= 'ÿ' || r == '\'')
	}) {
		if i := strings.LastIndexByte(w, '\''); i >= 0 {
			w = w[i+1:]
		}
		if frenchWords[w] {
			fr++
		}
		if englishWords[w] {
			en++
		}
	}
	switch {
	case fr+en < minLangWords:
		return ""
	case fr >= langMargin*max(en, 1):
		return "fr"
	case en >= langMargin*max(fr, 1):
		return "en"
	}
	return ""
}

// langFinding reports a page whose declared language (French or English)
// is not the language of its text. A missing or invalid lang is axe-core's
// (html-has-lang, html-lang-valid).
func langFinding(lang, text string) (Violation, bool) {
	declared := strings.ToLower(strings.TrimSpace(lang))
	declared, _, _ = strings.Cut(declared, "-")
	if declared != "fr" && declared != "en" {
		return Violation{}, false
	}
	told := textLanguage(text)
	if told == "" || told == declared {
		return Violation{}, false
	}
	names := map[string]string{"fr": "français", "en": "anglais"}
	return finding(RuleLangRelevant, []Node{{Selector: "html", HTML: `<html lang="` + lang + `">`,
		Summary: fmt.Sprintf("la page se déclare en %s (lang=%q) mais son texte est en %s", names[declared], lang, names[told])}}, 0), true
}
