package criteria

import (
	"math"
	"strings"
	"testing"
)

// TestParseUptimeNegativeSamples: a negative requests.samples was taken as
// is (found by FuzzParseUptime's invariants).
func TestParseUptimeNegativeSamples(t *testing.T) {
	u, err := ParseUptime([]byte(`{"uptime":99,"timings":{"response":150},"requests":{"samples":-5}}`))
	if err == nil || !strings.Contains(err.Error(), "requests.samples -5 negative") {
		t.Errorf("got %+v, %v; want an error on samples -5", u, err)
	}
}

// FuzzParseJDMA feeds jdma.json files of any shape to ParseJDMA: it must
// not panic, and what it accepts must be a score out of 10 over a count of
// answers that is not negative.
func FuzzParseJDMA(f *testing.F) {
	for _, s := range []string{
		// Real file (results/2828/jdma.json), shortened.
		`{"data":{"satisfaction":8.333333333333334,"comprehension":9.375},"metadata":{"satisfaction_count":6,"comprehension_count":4}}`,
		`{"data":{"satisfaction":0},"metadata":{"satisfaction_count":0}}`,
		`{}`, ``, " \n", `null`,
		`<html>`,
		`{"data":{"satisfaction":7}}`,
		`{"data":{"satisfaction":12},"metadata":{"satisfaction_count":200}}`,
		`{"data":{"satisfaction":"8"},"metadata":{"satisfaction_count":6.5}}`,
		`{"data":{"satisfaction":-0.1},"metadata":{"satisfaction_count":-1}}`,
		`{"data":{"satisfaction":1e400},"metadata":{"satisfaction_count":99999999999999999999}}`,
		"{\"data\":{\"satisfaction\":8},\"metadata\":{\"satisfaction_count\":6},\"x\":\"\xff\xfe\"}",
		`[1,2,3]`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		j, err := ParseJDMA(data)
		if err != nil {
			if j != nil {
				t.Errorf("error %v with a result %+v", err, j)
			}
			if !strings.HasPrefix(err.Error(), "jdma: ") {
				t.Errorf("error %q does not say jdma", err)
			}
			return
		}
		if j == nil {
			t.Fatal("no result and no error")
		}
		if math.IsNaN(j.Satisfaction) || j.Satisfaction < 0 || j.Satisfaction > 10 {
			t.Errorf("satisfaction %v out of 0–10", j.Satisfaction)
		}
		if j.Count < 0 {
			t.Errorf("count %d negative", j.Count)
		}
	})
}

// FuzzParseUptime feeds updown.json files of any shape to ParseUptime: it
// must not panic, and what it accepts must be a percentage, a response
// time and a number of samples in their ranges.
func FuzzParseUptime(f *testing.F) {
	for _, s := range []string{
		// Real files (results/1617 and a failing site), shortened.
		`{"uptime":99.64,"apdex":0.972,"timings":{"redirect":598,"response":185,"total":1111},"requests":{"samples":2003,"failures":52}}`,
		`{"uptime":0.833,"timings":{"response":7864},"requests":{"samples":2200,"failures":1770}}`,
		`{"uptime":100,"timings":{"response":0}}`,
		`{}`, ``, " \n", `null`,
		`<html>`,
		`{"uptime":99}`,
		`{"uptime":100.5,"timings":{"response":150}}`,
		`{"uptime":99,"timings":{"response":-1}}`,
		`{"uptime":99,"timings":{"response":150},"requests":{"samples":-5}}`,
		`{"uptime":"99","timings":{"response":150}}`,
		`{"uptime":99,"timings":{"response":1e400}}`,
		"{\"uptime\":99,\"timings\":{\"response\":150},\"x\":\"\xff\"}",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		u, err := ParseUptime(data)
		if err != nil {
			if u != nil {
				t.Errorf("error %v with a result %+v", err, u)
			}
			if !strings.HasPrefix(err.Error(), "updown: ") {
				t.Errorf("error %q does not say updown", err)
			}
			return
		}
		if u == nil {
			t.Fatal("no result and no error")
		}
		if math.IsNaN(u.Percent) || u.Percent < 0 || u.Percent > 100 {
			t.Errorf("uptime %v out of 0–100", u.Percent)
		}
		if math.IsNaN(u.ResponseMS) || u.ResponseMS < 0 || math.IsInf(u.ResponseMS, 0) {
			t.Errorf("response %v ms: want a finite time, 0 or more", u.ResponseMS)
		}
		if u.Samples < 0 {
			t.Errorf("samples %d negative", u.Samples)
		}
	})
}
