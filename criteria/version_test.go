package criteria

import "testing"

func TestCompareVersions(t *testing.T) {
	for _, tt := range []struct {
		a, b string
		want int
	}{
		{"1.1", "1.1.0", 0},
		{"4", "4.0.0", 0},
		{"1.9", "1.10", -1},
		{"1.10", "1.9", 1},
		{"4.1", "4.1.1", -1},
		{"4.1.2", "4.1", 1},
		{"3", "4.1", -1},
		{"", "0", 0},
	} {
		if got := CompareVersions(tt.a, tt.b); got != tt.want {
			t.Errorf("CompareVersions(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
		if got := CompareVersions(tt.b, tt.a); got != -tt.want {
			t.Errorf("CompareVersions(%q, %q) = %d, want %d", tt.b, tt.a, got, -tt.want)
		}
	}
}
