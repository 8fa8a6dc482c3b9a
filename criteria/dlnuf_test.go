package criteria

import (
	"strings"
	"testing"

	"github.com/observatoire-scanner/observatoire/scanner"
)

func TestDLNUF(t *testing.T) {
	start := aPage(aStart, scanner.Facts{})
	for _, c := range []struct {
		name  string
		d     Declared
		level Level
		label string
	}{
		{"0", Declared{DLNUF: aFloat(0)}, Good, "Oui"},
		{"1", Declared{DLNUF: aFloat(1)}, Good, "Oui"},
		{"2", Declared{DLNUF: aFloat(2)}, Partial, "Partiel"},
		{"4", Declared{DLNUF: aFloat(4)}, Partial, "Partiel"},
		{"5", Declared{DLNUF: aFloat(5)}, Bad, "Non"},
		{"not applicable", Declared{DLNUFNotApplicable: true}, NotApplicable, "Non applicable"},
		{"not declared", Declared{}, NotMeasured, "À venir"},
	} {
		aCheck(t, c.name, DLNUF(Input{Start: start, Declared: c.d}), c.level, c.label)
	}
}

func TestDLNUFHints(t *testing.T) {
	fields := []scanner.Field{
		{Tag: "input", Type: "text", Name: "nom", Label: "Nom de naissance", Selector: "#nom"},
		{Tag: "input", Type: "text", Name: "prenom", Label: "Prénom", Selector: "#prenom"},
		{Tag: "input", Type: "date", Name: "ddn", Label: "Date de naissance", Selector: "#ddn"},
		{Tag: "input", Type: "text", Name: "spi", Label: "Numéro fiscal", Selector: "#spi"},
		{Tag: "input", Type: "text", Name: "nir", Label: "Numéro de sécurité sociale", Selector: "#nir"},
		{Tag: "input", Type: "text", Name: "rfr", Label: "Revenu fiscal de référence", Selector: "#rfr"},
		{Tag: "input", Type: "text", Name: "adresse", Label: "Adresse", Autocomplete: "street-address", Selector: "#adresse"},
		{Tag: "input", Type: "file", Name: "avis", Label: "Votre dernier avis d'imposition", Selector: "#avis"},
		// Not held data: kept out.
		{Tag: "input", Type: "email", Name: "courriel", Label: "Adresse électronique", Selector: "#courriel"},
		{Tag: "input", Type: "text", Name: "login", Label: "Nom d'utilisateur", Selector: "#login"},
		{Tag: "textarea", Name: "message", Label: "Votre message", Selector: "#message"},
	}
	start := aPage(aStart, scanner.Facts{Forms: []scanner.Form{{Selector: "form", Fields: fields}}})
	v := DLNUF(Input{Start: start})
	want := map[string]string{"#nom": "nom", "#prenom": "prénom", "#ddn": "date de naissance", "#spi": "numéro fiscal", "#nir": "numéro de sécurité sociale", "#rfr": "revenu fiscal de référence", "#adresse": "adresse postale", "#avis": "avis d'imposition"}
	got := map[string]string{}
	for _, e := range v.Evidence {
		if e.Selector != "" {
			got[e.Selector] = e.Fact
		}
	}
	if len(got) != len(want) {
		t.Errorf("hints on %d fields, want %d: %v", len(got), len(want), got)
	}
	for sel, what := range want {
		if !strings.Contains(got[sel], what) {
			t.Errorf("field %s: hint %q, want it to name %q", sel, got[sel], what)
		}
	}
	if v.Level != NotMeasured {
		t.Errorf("hints must not set the level: %s", v.Level)
	}
}
