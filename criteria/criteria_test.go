package criteria

import (
	"testing"

	"github.com/observatoire-scanner/observatoire/scanner"
)

// TestEvaluateDeclaredNotOnline checks that a procedure declared not online
// gets "–" on the seven other criteria, even where the page or the
// imports would have rated them, and that other declared values do not.
func TestEvaluateDeclaredNotOnline(t *testing.T) {
	fc := scanner.Facts{Buttons: []scanner.Button{{Text: "S'identifier avec FranceConnect", Class: "fr-connect", Selector: "button.fr-connect"}}}
	in := Input{Start: aPage(aStart, fc), JDMA: &JDMA{Satisfaction: 9, Count: 500}, Uptime: &Uptime{Percent: 100, ResponseMS: 100},
		Declared: Declared{Online: "non", DLNUF: aFloat(0)}}
	r := Evaluate(in)
	if len(r) != len(IDs) {
		t.Fatalf("%d verdicts, want %d", len(r), len(IDs))
	}
	aCheck(t, "online", r[IDOnline], Bad, "Non")
	for _, id := range IDs[1:] {
		aCheck(t, string(id), r[id], NotApplicable, "–")
	}

	for _, online := range []string{"", "oui", "partiel"} {
		in.Declared.Online = online
		r := Evaluate(in)
		for _, id := range IDs {
			if r[id].Level == NotApplicable || r[id].Label == "–" {
				t.Errorf("online %q: %s is %s %q", online, id, r[id].Level, r[id].Label)
			}
		}
		if r[IDFranceConnect].Level != Good || r[IDSatisfaction].Label != "9,0/10" {
			t.Errorf("online %q: criteria not rated: %+v", online, r)
		}
	}
}
