package site

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/observatoire-scanner/observatoire/criteria"
	"github.com/observatoire-scanner/observatoire/observatory"
	"github.com/observatoire-scanner/observatoire/observatory/edition"
	"github.com/observatoire-scanner/observatoire/scanner"
)

// Payloads that must never run nor reach the HTML unescaped. The __pwned
// ones let the browser test tell whether any of them ran.
const (
	payloadScript = "<script>alert(1)</script>"
	payloadImg    = "\"><img src=x onerror=alert(1)>"
	payloadURL    = "javascript:alert(1)"
	pwnedScript   = "<script>window.__pwned=1</script>"
	pwnedImg      = "\"><img src=x onerror=\"window.__pwned=2\">"
	pwnedURL      = "javascript:window.__pwned=3"
)

// longURL and longSelector test that nothing overflows a phone's width.
var (
	longURL      = "https://demarche.example.invalid/" + strings.Repeat("segment-tres-long-sans-espace", 6) + "?param=" + strings.Repeat("x", 120)
	longSelector = "body > div.fr-container > main#contenu > section:nth-child(3) > form.fr-form-" + strings.Repeat("tres-long", 15) + " > input[name=\"numero_fiscal\"]"
)

func num(v float64) *float64 { return &v }

func verdict(l criteria.Level, label string, ev ...criteria.Evidence) criteria.Verdict {
	return criteria.Verdict{Level: l, Label: label, Evidence: ev}
}

// pngShot writes a small PNG into dir/rel and returns its Screenshot.
func pngShot(t *testing.T, dir, rel string, w, h int) scanner.Screenshot {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.Set(x, y, color.RGBA{uint8(x), uint8(y), 145, 255})
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return scanner.Screenshot{Format: "png", Width: w, Height: h, File: rel}
}

// testEditions builds two editions by hand, with realistic content: a
// procedure that improves, a failed one, one whose scanned content is
// full of script-injection payloads, and long URLs and selectors.
func testEditions(t *testing.T) []*edition.Edition {
	t.Helper()
	dir := t.TempDir()
	q3 := time.Date(2026, 7, 1, 8, 0, 0, 0, time.UTC)
	q4 := time.Date(2026, 10, 1, 8, 0, 0, 0, time.UTC)

	logement := observatory.Procedure{ID: "1234", Title: "Demander une aide au logement", Ministry: "Ministère des Solidarités", Administration: "Caisse nationale des allocations familiales (CNAF)", URL: longURL}
	impots := observatory.Procedure{ID: "5678", Title: "Déclarer ses revenus", Ministry: "Ministère de l'Économie et des Finances", Administration: "Direction générale des finances publiques (DGFiP)", URL: "https://impots.example.invalid/declarer"}
	evil := observatory.Procedure{ID: "666", Title: payloadScript + pwnedScript, Ministry: "Ministère " + payloadImg + pwnedImg, Administration: "Agence " + payloadScript, URL: pwnedURL}

	start := &scanner.Snapshot{
		URL: longURL, Status: scanner.StatusOK,
		Screenshots: map[string]scanner.Screenshot{
			"desktop": pngShot(t, dir, "2026-Q4/screenshots/1234-start-desktop.png", 320, 180),
			"mobile":  pngShot(t, dir, "2026-Q4/screenshots/1234-start-mobile.png", 120, 240),
		},
		Axe: &scanner.AxeResult{Version: "4.14.1", Rules: 60, Passes: 55, Violations: []scanner.Violation{
			{Rule: "image-alt", Impact: "critical", Help: "Les images doivent avoir un texte alternatif", HelpURL: "https://axe.example.invalid/image-alt", RGAA: []string{"RGAA-1.1.1"}, Nodes: []scanner.Node{{Selector: longSelector, HTML: `<img src="/static/logo-tres-long-` + strings.Repeat("a", 150) + `.png">`}}},
			{Rule: "label", Impact: "serious", Help: "Les champs de formulaire doivent avoir une étiquette", RGAA: []string{"RGAA-11.1.1", "RGAA-11.2.1"}, Nodes: []scanner.Node{{Selector: "#nom", HTML: `<input id="nom">`}}, More: 3},
			{Rule: "color-contrast", Impact: "serious", Help: "Les éléments doivent avoir un contraste suffisant", RGAA: []string{"RGAA-3.2.1"}, Nodes: []scanner.Node{{Selector: ".pale", HTML: `<p class="pale">`}}},
		}},
	}
	good := func(q string) criteria.Results {
		return criteria.Results{
			criteria.IDOnline:        verdict(criteria.Good, "Oui", criteria.Evidence{Fact: "bouton « Faire ma demande » trouvé", Page: longURL, Selector: longSelector, Text: "Faire ma demande"}),
			criteria.IDSatisfaction:  {Level: criteria.Partial, Label: "7,1/10", Value: num(7.1), Evidence: []criteria.Evidence{{Fact: "note 7,1/10 sur 1 520 avis (seuil 8)"}}, Fix: "Améliorer le parcours : viser 8/10."},
			criteria.IDMobile:        verdict(criteria.Good, "Oui", criteria.Evidence{Fact: "scrollWidth 412 px ≤ 413 px"}),
			criteria.IDSupport:       verdict(criteria.Good, "Oui", criteria.Evidence{Fact: "téléphone", Page: "https://aide.example.invalid/contact", Text: "3230"}, criteria.Evidence{Fact: "courriel", Text: "contact@example.invalid"}),
			criteria.IDAvailability:  {Level: criteria.Good, Label: "Oui", Value: num(99.95)},
			criteria.IDFranceConnect: verdict(criteria.Good, q, criteria.Evidence{Fact: "bouton FranceConnect", Selector: "button.fr-connect"}),
			criteria.IDAccessibility: {Level: criteria.Partial, Label: "Partiel", Value: num(81), Evidence: []criteria.Evidence{{Fact: "taux de conformité 81 %", Page: "https://aide.example.invalid/accessibilite"}}, Fix: "Corriger les non-conformités de l'audit pour atteindre 100 %."},
			criteria.IDDLNUF:         {Level: criteria.NotMeasured, Label: "À venir"},
		}
	}
	older := good("Non")
	older[criteria.IDMobile] = verdict(criteria.Bad, "Non", criteria.Evidence{Fact: "scrollWidth 900 px > 413 px"})
	older[criteria.IDFranceConnect] = verdict(criteria.Bad, "Non")
	newer := good("FranceConnect+")

	failed := criteria.Results{criteria.IDOnline: verdict(criteria.Good, "Oui", criteria.Evidence{Fact: "déclaré en ligne"})}
	for _, id := range criteria.IDs[1:] {
		failed[id] = verdict(criteria.NotMeasured, "Non mesuré", criteria.Evidence{Fact: "la page de départ n'a pas répondu (timeout)"})
	}
	failed[criteria.IDSatisfaction] = criteria.Verdict{Level: criteria.Good, Label: "8,4/10", Value: num(8.4)}

	evilResults := criteria.Results{}
	for _, id := range criteria.IDs {
		evilResults[id] = criteria.Verdict{Level: criteria.Bad, Label: "Non" + payloadScript, Fix: pwnedImg,
			Evidence: []criteria.Evidence{
				{Fact: payloadScript + pwnedScript, Page: pwnedURL, Selector: payloadImg + pwnedImg, Text: pwnedImg + payloadScript},
				{Fact: "lien", Page: payloadURL},
			}}
	}
	evilStart := &scanner.Snapshot{URL: pwnedURL, Status: scanner.StatusOK, Axe: &scanner.AxeResult{Version: "4.14.1", Violations: []scanner.Violation{
		{Rule: "image-alt" + payloadScript, Help: pwnedScript, HelpURL: pwnedURL, RGAA: []string{"RGAA-1.1.1", "RGAA-" + payloadScript}, Nodes: []scanner.Node{{Selector: pwnedImg, HTML: pwnedImg + pwnedScript}}},
	}}}

	e3 := &edition.Edition{Dir: filepath.Join(dir, "2026-Q3"), Meta: edition.Meta{Name: "2026-Q3", Started: q3, Finished: q3.Add(3 * time.Hour), MethodVersion: criteria.MethodVersion, Browser: "Chrome/140", Axe: "4.14.1", Measured: 2}}
	e3.Results = []observatory.Result{
		{Procedure: logement, Title: logement.Title, Outcome: observatory.Measured, ScannedAt: q3, Assessment: &observatory.Assessment{URL: longURL, Criteria: older}},
		{Procedure: impots, Title: impots.Title, Outcome: observatory.Measured, ScannedAt: q3, Assessment: &observatory.Assessment{URL: impots.URL, Criteria: newer}},
	}
	e4 := &edition.Edition{Dir: filepath.Join(dir, "2026-Q4"), Meta: edition.Meta{Name: "2026-Q4", Started: q4, Finished: q4.Add(4 * time.Hour), MethodVersion: criteria.MethodVersion, Browser: "Chrome/141", Axe: "4.14.1", Measured: 2, Failed: 1}}
	e4.Results = []observatory.Result{
		{Procedure: logement, Title: logement.Title, Outcome: observatory.Measured, ScannedAt: q4, Assessment: &observatory.Assessment{URL: longURL, Pages: map[string]*scanner.Snapshot{observatory.PageStart: start}, Criteria: newer}},
		{Procedure: impots, Title: impots.Title, Outcome: observatory.Failed, Reason: "timeout: la page n'a pas répondu en 30 s", ScannedAt: q4, Assessment: &observatory.Assessment{URL: impots.URL, Criteria: failed}},
		{Procedure: evil, Title: evil.Title, Outcome: observatory.Measured, Reason: payloadImg, ScannedAt: q4, Assessment: &observatory.Assessment{URL: pwnedURL, Pages: map[string]*scanner.Snapshot{observatory.PageStart: evilStart}, Criteria: evilResults}},
	}
	// Screenshots live beside the edition, as the store writes them.
	for k, sh := range start.Screenshots {
		sh.File = strings.TrimPrefix(sh.File, "2026-Q4/")
		start.Screenshots[k] = sh
	}
	return []*edition.Edition{e3, e4}
}

// publishTest publishes the test editions into a new folder.
func publishTest(t *testing.T) string {
	t.Helper()
	out := filepath.Join(t.TempDir(), "public")
	if err := Publish(testEditions(t), out); err != nil {
		t.Fatalf("Publish: %v", err)
	}
	return out
}
