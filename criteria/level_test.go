package criteria

import "testing"

func TestLevelWord(t *testing.T) {
	for l, want := range map[Level]string{
		Good: "Oui", Partial: "Partiel", Bad: "Non", NotApplicable: "Non applicable",
		NotMeasured: "Non mesuré", "": "Non mesuré", "excellent": "Non mesuré",
	} {
		if got := l.Word(); got != want {
			t.Errorf("Level(%q).Word() = %q, want %q", l, got, want)
		}
	}
}
