package scanner

import (
	"strings"
	"testing"
	"time"
)

func TestBlockedReason(t *testing.T) {
	cases := []struct {
		name        string
		status      int
		title, text string
		blocked     bool
	}{
		{"challenge sent with 200", 200, "Just a moment...", "Checking your browser", true},
		{"French challenge title with 200", 200, "Êtes-vous un robot ?", "", true},
		{"a procedure that mentions a captcha", 200, "Demander une aide", "Recopiez le captcha ci-dessous", false},
		{"a procedure's own refusal page", 200, "Accès refusé", "Connectez-vous pour continuer", false},
		{"refusal page on 403", 403, "Access Denied", "", true},
		{"challenge text on 503", 503, "Erreur", "Please verify you are human", true},
		{"bare 403", 403, "Interdit", "", true},
		{"429, no page", 429, "", "", true},
		{"500", 500, "Erreur interne", "Réessayez plus tard", false},
	}
	for _, c := range cases {
		why := blockedReason(c.status, c.title, c.text)
		if (why != "") != c.blocked {
			t.Errorf("%s: %q, want blocked %v", c.name, why, c.blocked)
		}
	}
	if why := blockedReason(200, "Just a moment...", ""); !strings.Contains(why, "just a moment") {
		t.Errorf("the reason names the marker: %q", why)
	}
}

func TestFrDuration(t *testing.T) {
	for d, want := range map[time.Duration]string{
		30 * time.Second:        "30 s",
		90 * time.Second:        "90 s",
		1500 * time.Millisecond: "1,5 s",
		500 * time.Millisecond:  "500 ms",
	} {
		if got := frDuration(d); got != want {
			t.Errorf("%s: %q, want %q", d, got, want)
		}
	}
}
