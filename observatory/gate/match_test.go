package gate

import (
	"slices"
	"testing"
	"time"

	"github.com/observatoire-scanner/observatoire/scanner"
)

func TestParseElement(t *testing.T) {
	tests := []struct {
		html, ancestry string
		want           Element
	}{
		{`<img class="illustration" src="/static/logement.svg?v=3" width="320">`, "html > body > main:nth-child(3) > p:nth-child(4) > img",
			Element{Tag: "img", File: "logement.svg", Classes: []string{"illustration"}, Path: "html > body > main > p > img"}},
		{`<button class="fr-btn fr-icon-close fr-btn" type="button"></button>`, "",
			Element{Tag: "button", Type: "button", Classes: []string{"fr-btn", "fr-icon-close"}}},
		{`<button type="submit">  Envoyer
  la demande </button>`, "", Element{Tag: "button", Type: "submit", Label: "Envoyer la demande"}},
		{`<a href="#contenu" class="skip">Aller au <b>contenu</b></a>`, "", Element{Tag: "a", File: "#contenu", Classes: []string{"skip"}, Label: "Aller au contenu"}},
		{`<a href="http://127.0.0.1:8080">Accueil</a>`, "", Element{Tag: "a", File: "127.0.0.1", Label: "Accueil"}},
		{`<a href="https://www.service-public.invalid/particuliers/vosdroits/">Vos droits</a>`, "",
			Element{Tag: "a", File: "vosdroits/", Label: "Vos droits"}},
		{`<input id="nom" name="nom" type="text" aria-label="Nom &amp; prénom">`, "", Element{Tag: "input", ID: "nom", Name: "nom", Type: "text", Label: "Nom & prénom"}},
		{`<input id=":r3:" name="field-8f3a9c2e" placeholder="Votre courriel">`, "", Element{Tag: "input", Label: "Votre courriel"}},
		{`<div id="ember1234" role="dialog" title="Cookies">`, "", Element{Tag: "div", Role: "dialog", Label: "Cookies"}},
		{`<DIV ID="adresse-ligne-2">`, "", Element{Tag: "div", ID: "adresse-ligne-2"}},
		// A snippet cut by axe (opening tag only) or by the scanner ("…"): no text.
		{`<p class="intro">`, "", Element{Tag: "p", Classes: []string{"intro"}}},
		{`<a href="javascript:void(0)">Ouvrir le menu de navigation principal du site et ses sous-rubri…`, "", Element{Tag: "a"}},
		// No markup: the ancestry's last tag.
		{"", "html > body > iframe:nth-child(2) >>> html > body > img:nth-child(1)", Element{Tag: "img", Path: "html > body > iframe >>> html > body > img"}},
	}
	for _, tt := range tests {
		got := ParseElement(tt.html, tt.ancestry)
		if got.Tag != tt.want.Tag || got.ID != tt.want.ID || got.Name != tt.want.Name || got.File != tt.want.File ||
			got.Role != tt.want.Role || got.Type != tt.want.Type || got.Label != tt.want.Label ||
			!slices.Equal(got.Classes, tt.want.Classes) || got.Path != tt.want.Path {
			t.Errorf("ParseElement(%q, %q)\n = %+v\nwant %+v", tt.html, tt.ancestry, *got, tt.want)
		}
	}
}

func TestLandmarks(t *testing.T) {
	e := ParseElement(`<button>`, "html > body > div:nth-child(2) > footer > div > form:nth-child(3) > button")
	if got := e.Landmarks(); got != "footer > form" {
		t.Errorf("Landmarks() = %q", got)
	}
}

// node is a failing element as the scanner gives it.
type node struct{ sel, html, ancestry string }

func axeSnapshot(page string, rule string, nodes ...node) *scanner.Snapshot {
	v := scanner.Violation{Rule: rule, Impact: "critical", Help: "aide " + rule}
	for _, n := range nodes {
		v.Nodes = append(v.Nodes, scanner.Node{Selector: n.sel, HTML: n.html, Ancestry: n.ancestry})
	}
	return snapshotWith("http://127.0.0.1:1/"+page, v)
}

const (
	imgLogement = `<img class="illustration" src="/static/logement.svg" width="320" height="160">`
	imgFamille  = `<img class="illustration" src="/static/famille.svg" width="320" height="160">`
)

// TestMatch pairs a baseline's findings with a run's as the gate does,
// on the changes of docs/ci.md.
func TestMatch(t *testing.T) {
	base1 := []node{{"img", imgLogement, "html > body > main > p:nth-child(4) > img"}}
	tests := []struct {
		name             string
		rule             string
		base, now        []node
		new, fixed, kept int
	}{
		{name: "unchanged", base: base1, now: base1, kept: 1},
		// axe lengthens the first image's selector when a second appears.
		{name: "second image", base: base1, now: []node{
			{`img[src$="logement.svg"]`, imgLogement, "html > body > main > p:nth-child(4) > img"},
			{`img[src$="famille.svg"]`, imgFamille, "html > body > main > p:nth-child(5) > img"}}, new: 1, kept: 1},
		{name: "second image above the first", base: base1, now: []node{
			{`img[src$="famille.svg"]`, imgFamille, "html > body > main > p:nth-child(4) > img"},
			{`img[src$="logement.svg"]`, imgLogement, "html > body > main > p:nth-child(5) > img"}}, new: 1, kept: 1},
		{name: "the same image twice", base: base1, now: []node{
			{"p:nth-child(4) > img", imgLogement, "html > body > main > p:nth-child(4) > img"},
			{"p:nth-child(5) > img", imgLogement, "html > body > main > p:nth-child(5) > img"}}, new: 1, kept: 1},
		{name: "paragraphs above, image wrapped in a card", base: base1, now: []node{
			{".fr-card > p > img", imgLogement, "html > body > main > div:nth-child(6) > p > img"}}, kept: 1},
		{name: "src changed", base: base1, now: []node{{"img", imgFamille, "html > body > main > p:nth-child(4) > img"}}, new: 1, fixed: 1},
		{name: "moved from the main to the footer", base: base1, now: []node{
			{"footer img", imgLogement, "html > body > footer > p > img"}}, new: 1, fixed: 1},
		{name: "one of three twins removed", base: []node{
			{"li:nth-child(1) > img", imgLogement, "html > body > main > ul > li:nth-child(1) > img"},
			{"li:nth-child(2) > img", imgLogement, "html > body > main > ul > li:nth-child(2) > img"},
			{"li:nth-child(3) > img", imgLogement, "html > body > main > ul > li:nth-child(3) > img"}},
			now: []node{
				{"li:nth-child(1) > img", imgLogement, "html > body > main > ul > li:nth-child(1) > img"},
				{"li:nth-child(2) > img", imgLogement, "html > body > main > ul > li:nth-child(2) > img"}}, fixed: 1, kept: 2},
		{name: "links reordered", rule: "link-name", base: []node{
			{"a:nth-child(1)", `<a href="/aide.html" class="fr-link" title="Aide"></a>`, "html > body > header > a:nth-child(1)"},
			{"a:nth-child(2)", `<a href="/compte.html" class="fr-link" title="Compte"></a>`, "html > body > header > a:nth-child(2)"}},
			now: []node{
				{"a:nth-child(1)", `<a href="/compte.html" class="fr-link" title="Compte"></a>`, "html > body > header > a:nth-child(1)"},
				{"a:nth-child(2)", `<a href="/aide.html" class="fr-link" title="Aide"></a>`, "html > body > header > a:nth-child(2)"}}, kept: 2},
		{name: "text of a low-contrast button changed", rule: "color-contrast", base: []node{
			{".fr-btn", `<button class="fr-btn">Commencer</button>`, "html > body > main > form > button"}},
			now: []node{{".fr-btn", `<button class="fr-btn">Annuler</button>`, "html > body > main > form > button"}}, new: 1, fixed: 1},
		{name: "classes changed", rule: "button-name", base: []node{
			{".fr-btn.fr-icon-close", `<button class="fr-btn fr-icon-close" type="button"></button>`, "html > body > main > form > button:nth-child(5)"}},
			now: []node{{".fr-btn--close", `<button class="fr-btn--close" type="button"></button>`, "html > body > main > form > button:nth-child(6)"}}, kept: 1},
	}
	now := time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rule := tt.rule
			if rule == "" {
				rule = "image-alt"
			}
			before := SnapshotFindings(axeSnapshot("d", rule, tt.base...))
			after := SnapshotFindings(axeSnapshot("d", rule, tt.now...))
			r := Compare(DefaultConfig(), &Baseline{Findings: before}, &Observation{Runs: 1, Findings: after}, now)
			if len(r.New) != tt.new || len(r.Fixed) != tt.fixed || len(r.Present) != tt.kept {
				t.Errorf("new %d fixed %d present %d, want %d %d %d", len(r.New), len(r.Fixed), len(r.Present), tt.new, tt.fixed, tt.kept)
			}
			// A kept finding keeps its baseline fingerprint; fingerprints stay unique.
			fps := map[string]bool{}
			for _, f := range before {
				fps[f.Fingerprint] = true
			}
			seen := map[string]bool{}
			for _, j := range r.Present {
				if !fps[j.Fingerprint] {
					t.Errorf("present finding %s (%s) has not kept a baseline fingerprint", j.Fingerprint, j.HTML)
				}
			}
			for _, j := range slices.Concat(r.Present, r.New) {
				if seen[j.Fingerprint] {
					t.Errorf("fingerprint %s given twice", j.Fingerprint)
				}
				seen[j.Fingerprint] = true
			}
		})
	}
}

// TestMatchKnownOne: with a twin added, the known element is the one that
// stays, the new one is reported new, whichever comes first.
func TestMatchKnownOne(t *testing.T) {
	before := SnapshotFindings(axeSnapshot("d", "image-alt", node{"img", imgLogement, "html > body > main > p:nth-child(4) > img"}))
	after := SnapshotFindings(axeSnapshot("d", "image-alt",
		node{`img[src$="famille.svg"]`, imgFamille, "html > body > main > p:nth-child(4) > img"},
		node{`img[src$="logement.svg"]`, imgLogement, "html > body > main > p:nth-child(5) > img"}))
	pair := Match(before, after)
	if !slices.Equal(pair, []int{-1, 0}) {
		t.Errorf("Match = %v, want [-1 0]", pair)
	}
}

// TestMatchLegacy: the findings of a version-1 baseline (selector only)
// pair with the elements their selectors do not contradict, the same
// selector first, else in document order.
func TestMatchLegacy(t *testing.T) {
	legacy := func(sel string) Finding {
		return Finding{Fingerprint: Fingerprint("image-alt", "/d", sel), Rule: "image-alt", Page: "/d", Selector: sel}
	}
	run := SnapshotFindings(axeSnapshot("d", "image-alt",
		node{`img[src$="logement.svg"]`, imgLogement, "html > body > main > p:nth-child(4) > img"},
		node{`img[src$="famille.svg"]`, imgFamille, "html > body > main > p:nth-child(5) > img"},
		node{"#logo", `<img id="logo" src="/logo.png">`, "html > body > header > img"}))
	tests := []struct {
		base []Finding
		want []int
	}{
		{[]Finding{legacy("img")}, []int{0, -1, -1}},
		{[]Finding{legacy(".illustration"), legacy(".illustration [2]")}, []int{0, 1, -1}},
		{[]Finding{legacy(`img[src$="famille.svg"]`)}, []int{-1, 0, -1}},
		{[]Finding{legacy("#logo"), legacy("img")}, []int{1, -1, 0}},
		{[]Finding{legacy("main > p > img.other")}, []int{-1, -1, -1}},
	}
	for _, tt := range tests {
		if got := Match(tt.base, run); !slices.Equal(got, tt.want) {
			t.Errorf("Match(%v) = %v, want %v", tt.base, got, tt.want)
		}
	}
}

// TestKeepFingerprints: a baseline rewritten over an older one keeps the
// fingerprints of the elements both have.
func TestKeepFingerprints(t *testing.T) {
	old := &Baseline{Findings: []Finding{{Fingerprint: "image-alt:0123456789ab", Rule: "image-alt", Page: "/d", Selector: "img"}}}
	obs := &Observation{Runs: 1, Findings: SnapshotFindings(axeSnapshot("d", "image-alt",
		node{`img[src$="famille.svg"]`, imgFamille, "html > body > main > p:nth-child(4) > img"},
		node{`img[src$="logement.svg"]`, imgLogement, "html > body > main > p:nth-child(5) > img"}))}
	sortFindings(obs.Findings)
	b := NewBaseline(obs, time.Now())
	if n := b.KeepFingerprints(old); n != 1 {
		t.Fatalf("kept %d, want 1", n)
	}
	for _, f := range b.Findings {
		if (f.Fingerprint == "image-alt:0123456789ab") != (f.Element.File == "famille.svg") {
			t.Errorf("%s → %s", f.Element.File, f.Fingerprint)
		}
	}
}
