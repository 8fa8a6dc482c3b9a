package criteria

import (
	"testing"
	"time"
	"unicode/utf8"
)

func TestFindMention(t *testing.T) {
	tests := []struct {
		text   string
		status string // "" when no mention
		as     string
	}{
		{"Plan du site Accessibilité : partiellement conforme Mentions légales", StatusPartial, "Accessibilité : partiellement conforme"},
		{"Accessibilité\u00a0: totalement conforme", StatusFull, "Accessibilité : totalement conforme"},
		{"Accessibilité\u202f: non conforme", StatusNone, "Accessibilité : non conforme"},
		{"ACCESSIBILITÉ : NON CONFORME", StatusNone, "Accessibilité : non conforme"},
		{"Accessibilite: partiellement conforme", StatusPartial, "Accessibilité : partiellement conforme"},
		{"Accessibilité : non", StatusNone, "Accessibilité : non"},
		{"Accessibilité : conforme", StatusFull, "Accessibilité : conforme"},
		{"Accessibilité   :\n totalement   conforme", StatusFull, "Accessibilité : totalement conforme"},
		// Traps: the word with no status is a menu entry, not a mention.
		{"Accueil Démarches Accessibilité Contact", "", ""},
		{"Déclaration d'accessibilité", "", ""},
		{"Accessibilité : nonobstant", "", ""},
		{"", "", ""},
	}
	for _, tt := range tests {
		m, ok := FindMention(tt.text)
		if ok != (tt.status != "") || m.Status != tt.status || m.Text != tt.as {
			t.Errorf("FindMention(%q) = %+v, %v; want %q %q", tt.text, m, ok, tt.status, tt.as)
		}
	}
}

func TestParseStatement(t *testing.T) {
	now := time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name    string
		text    string
		status  string
		rate    float64 // -1: none
		version string
		date    string
	}{
		{"trap: a percentage of users before the real rate",
			"Ce service est utilisé par 50 % des usagers. État de conformité : le site est partiellement conforme avec le RGAA version 4.1.2. " +
				"Résultats des tests : 81 % des critères du RGAA 4.1 sont respectés. Audit réalisé le 12 mars 2024.",
			StatusPartial, 81, "4.1.2", "2024-03-12"},
		{"compliance rate with a comma", "Le taux de conformité global du site est de 81,5\u202f%. RGAA 4. Déclaration établie le 03/10/2025.",
			"", 81.5, "4", "2025-10-03"},
		{"rate stated after the verb", "L'audit montre que le site respecte 67 % des critères. 2024-01-15", "", 67, "", "2024-01-15"},
		{"not met criteria are not the rate",
			"19 % des critères ne sont pas respectés. 81 % des critères sont respectés.", "", 81, "", ""},
		{"no fallback: a percentage that states no rate is none", "Conformité : 90 % des pages, 42 % des écrans.", "", -1, "", ""},
		{"percent above 100 is no rate", "120 % d'augmentation", "", -1, "", ""},
		{"totally compliant", "Le site est en conformité totale avec le RGAA 4.1. Date : 1er juin 2023", StatusFull, -1, "4.1", "2023-06-01"},
		{"non compliant", "Le site est non conforme avec le RGAA 3 2017.", StatusNone, -1, "3", ""},
		{"the highest version wins", "Audit selon le RGAA 3 puis le RGAA v4.1", "", -1, "4.1", ""},
		{"the latest date wins", "Audit du 2 février 2021, déclaration mise à jour le 12/03/2024, révision 2023-12-01", "", -1, "", "2024-03-12"},
		{"a month and a year", "Audit réalisé en novembre 2025", "", -1, "", "2025-11-01"},
		{"future dates are plans, not the audit", "Établie le 5 mai 2025. Prochain audit prévu le 5 mai 2027.", "", -1, "", "2025-05-05"},
		{"impossible dates are ignored", "31/02/2025 et 2024-13-01", "", -1, "", ""},
		{"nothing", "Bienvenue", "", -1, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := ParseStatement(tt.text, now)
			if s.Status != tt.status {
				t.Errorf("status %q, want %q", s.Status, tt.status)
			}
			switch {
			case tt.rate < 0 && s.Rate != nil:
				t.Errorf("rate %v (%q), want none", *s.Rate, s.RateText)
			case tt.rate >= 0 && (s.Rate == nil || *s.Rate != tt.rate):
				t.Errorf("rate %v (%q), want %v", s.Rate, s.RateText, tt.rate)
			}
			if s.RGAAVersion != tt.version {
				t.Errorf("version %q, want %q", s.RGAAVersion, tt.version)
			}
			got := ""
			if !s.Date.IsZero() {
				got = s.Date.Format(time.DateOnly)
			}
			if got != tt.date {
				t.Errorf("date %q, want %q", got, tt.date)
			}
		})
	}
}

func TestStatementValidity(t *testing.T) {
	s := Statement{Date: time.Date(2023, 11, 2, 0, 0, 0, 0, time.UTC)}
	if !s.ValidAt(time.Date(2026, 11, 1, 23, 0, 0, 0, time.UTC)) {
		t.Error("a statement 2 years 364 days old is valid")
	}
	if s.ValidAt(time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC)) {
		t.Error("a statement three years old is no longer valid")
	}
	if (Statement{}).ValidAt(time.Now()) {
		t.Error("an undated statement is not valid")
	}
}

func FuzzParseStatement(f *testing.F) {
	f.Add("81 % des critères sont respectés, RGAA 4.1.2, le 12 mars 2024")
	f.Add("taux de conformité de 81,5 %")
	f.Add("Déclaration établie le 3 mai 2024, loi du 11 février 2005, moins de 50 % des critères \xff\xfe « Accessibilité : non conforme »")
	f.Fuzz(func(t *testing.T, text string) {
		now := time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC)
		s := ParseStatement(text, now)
		if s.Rate != nil && (*s.Rate < 0 || *s.Rate > 100) {
			t.Errorf("rate %v out of 0–100", *s.Rate)
		}
		if s.Date.After(now) {
			t.Errorf("date %v after now", s.Date)
		}
		switch s.Status {
		case "", StatusFull, StatusPartial, StatusNone:
		default:
			t.Errorf("status %q", s.Status)
		}
		FindMention(text)
		for _, q := range append([]string{s.RateText, s.DateText, s.StatusText}, s.Notes...) {
			if !utf8.ValidString(text) {
				break
			}
			if !utf8.ValidString(q) {
				t.Errorf("quote %q is not valid UTF-8", q)
			}
		}
	})
}
