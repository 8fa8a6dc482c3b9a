package criteria

import (
	"testing"

	"github.com/observatoire-scanner/observatoire/scanner"
)

// aPage builds a loaded snapshot of url with the given desktop facts.
func aPage(url string, f scanner.Facts) *scanner.Snapshot {
	return &scanner.Snapshot{URL: url, FinalURL: url, Status: scanner.StatusOK, HTTPStatus: 200, Desktop: &f}
}

// aFailed builds a snapshot of a page that did not load.
func aFailed(url string, st scanner.Status, code int) *scanner.Snapshot {
	return &scanner.Snapshot{URL: url, Status: st, HTTPStatus: code, Reason: "raison du navigateur"}
}

func aStr(s string) *string { return &s }

func aFloat(v float64) *float64 { return &v }

// aCheck compares a verdict's level and label, and requires evidence, and
// a fix unless good.
func aCheck(t *testing.T, name string, v Verdict, level Level, label string) {
	t.Helper()
	if v.Level != level || v.Label != label {
		t.Errorf("%s: got %s %q, want %s %q; evidence %+v", name, v.Level, v.Label, level, label, v.Evidence)
	}
	if len(v.Evidence) == 0 {
		t.Errorf("%s: no evidence", name)
	}
	if v.Level != Good && v.Level != NotApplicable && v.Fix == "" {
		t.Errorf("%s: %s verdict without a fix", name, v.Level)
	}
}

const aStart = "https://www.demarche.gouv.fr/demande"
