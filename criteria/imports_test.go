package criteria

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// dataDir holds the real figures of the observatory's nightly job.
const dataDir = "/work/shared/data/observatoire-2026-08/results"

func readData(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dataDir, name))
	if err != nil {
		t.Skipf("real data not available: %v", err)
	}
	return b
}

func TestParseJDMARealFiles(t *testing.T) {
	j, err := ParseJDMA(readData(t, "115/jdma.json"))
	if err != nil {
		t.Fatal(err)
	}
	if j.Count != 6125 || j.Satisfaction < 8.78 || j.Satisfaction > 8.79 {
		t.Errorf("115: got %+v, want 8.789… over 6125 answers", j)
	}
	j, err = ParseJDMA(readData(t, "2768/jdma.json"))
	if err != nil || j.Count != 0 {
		t.Errorf("2768 (no answers): %+v, %v", j, err)
	}
	_, err = ParseJDMA(readData(t, "123/jdma.json"))
	if !errors.Is(err, ErrEmptyImport) {
		t.Errorf("123 (empty file): err %v, want ErrEmptyImport", err)
	}
}

func TestParseUptimeRealFiles(t *testing.T) {
	u, err := ParseUptime(readData(t, "1617/updown.json"))
	if err != nil {
		t.Fatal(err)
	}
	if u.Percent != 99.55 || u.ResponseMS != 150 || u.Samples != 1983 {
		t.Errorf("1617: got %+v", u)
	}
	_, err = ParseUptime(readData(t, "115/updown.json")) // "{}"
	if !errors.Is(err, ErrEmptyImport) {
		t.Errorf("115 ({}): err %v, want ErrEmptyImport", err)
	}
}

func TestParseImportErrors(t *testing.T) {
	for _, c := range []struct {
		name string
		in   string
		f    func([]byte) error
	}{
		{"jdma not json", "<html>", func(b []byte) error { _, err := ParseJDMA(b); return err }},
		{"jdma no count", `{"data":{"satisfaction":7}}`, func(b []byte) error { _, err := ParseJDMA(b); return err }},
		{"jdma score above 10", `{"data":{"satisfaction":12},"metadata":{"satisfaction_count":200}}`, func(b []byte) error { _, err := ParseJDMA(b); return err }},
		{"updown no timings", `{"uptime":99}`, func(b []byte) error { _, err := ParseUptime(b); return err }},
		{"updown blank", " \n", func(b []byte) error { _, err := ParseUptime(b); return err }},
	} {
		if err := c.f([]byte(c.in)); err == nil {
			t.Errorf("%s: no error", c.name)
		}
	}
}
