package criteria

import "testing"

func TestNormalize(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"  Nous\u00a0contacter\n ", "Nous contacter"},
		{"7\u202f100\u00a0€", "7 100 €"},
		{"a \t\n b", "a b"},
		{"", ""},
	} {
		if got := Normalize(c.in); got != c.want {
			t.Errorf("Normalize(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestFold(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"S’identifier avec FranceConnect", "s'identifier avec franceconnect"},
		{"Déclaration d'ACCESSIBILITÉ", "declaration d'accessibilite"},
		{"Prénom\u00a0:  Œuvre", "prenom : oeuvre"},
	} {
		if got := Fold(c.in); got != c.want {
			t.Errorf("Fold(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestDecimal(t *testing.T) {
	for _, c := range []struct {
		v      float64
		digits int
		want   string
	}{
		{7.14, 1, "7,1"},
		{8, 1, "8,0"},
		{99.456, 2, "99,46"},
		{3, 0, "3"},
	} {
		if got := Decimal(c.v, c.digits); got != c.want {
			t.Errorf("Decimal(%v, %d) = %q, want %q", c.v, c.digits, got, c.want)
		}
	}
	if got := Score(7.06); got != "7,1/10" {
		t.Errorf("Score(7.06) = %q", got)
	}
}

func TestShortDecimal(t *testing.T) {
	for v, want := range map[float64]string{81: "81", 81.5: "81,5", 81.25: "81,25", 0.75: "0,75", 2.999: "3", 100: "100"} {
		if got := shortDecimal(v); got != want {
			t.Errorf("shortDecimal(%v) = %q, want %q", v, got, want)
		}
	}
}
