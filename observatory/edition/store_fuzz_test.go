package edition

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// resultsSeeds are the seeds of FuzzReadResults, also kept as files under
// testdata/fuzz/FuzzReadResults (by name).
var resultsSeeds = []struct{ name, data string }{
	{"measured-and-failed", `{"procedure":{"id":"demo-001","title":"S'inscrire comme demandeur d'emploi","ministry":"Solidarités","url":"http://127.0.0.1:39011/p/demo-001/","jdma_id":"9001","volume":1613000,"declared":{"franceconnect":"not-applicable","dlnuf":0,"rgaa_rate":75}},"title":"S'inscrire comme demandeur d'emploi","outcome":"measured","assessment":{"url":"http://127.0.0.1:39011/p/demo-001/","criteria":{"mobile":{"level":"good","label":"Oui","evidence":[]}}},"scanned_at":"2026-11-23T19:35:12.270154222Z"}
{"procedure":{"id":"demo-002","url":"http://127.0.0.1:39011/p/demo-002/"},"title":"","outcome":"failed","reason":"http-error: the server answered HTTP 500","assessment":null,"scanned_at":"2026-11-23T19:35:13Z"}
`},
	{"same-id-twice", "{\"procedure\":{\"id\":\"a\"},\"outcome\":\"failed\"}\n\n{\"procedure\":{\"id\":\"b\"}}\n{\"procedure\":{\"id\":\"a\"},\"outcome\":\"measured\"}\n"},
	{"truncated-tail", "{\"procedure\":{\"id\":\"a\"},\"outcome\":\"measured\"}\n{\"procedure\":{\"id\":\"b\"},\"outco"},
	{"bad-line", "{\"procedure\":{\"id\":\"a\"}}\n{\"procedure\":\n"},
	{"wrong-types", "{\"procedure\":{\"id\":1},\"scanned_at\":\"hier\"}\n"},
	{"not-utf8", "{\"procedure\":{\"id\":\"a\",\"title\":\"D\xe9clarer\"}}\n"},
	{"crlf-blank", "\r\n{\"procedure\":{\"id\":\"a\"}}\r\n  \n"},
	{"empty", ""},
	{"null-and-list", "null\n[]\n"},
	{"no-id", "{}\n{\"title\":\"x\"}\n"},
}

// FuzzReadResults feeds results.jsonl files of any shape (merged editions
// come from other machines' shards) to readResults: it must not panic; an
// error must name the file; the results must have unique procedure ids,
// the whole length must end on a newline, and a tail without one must not
// change what is read.
func FuzzReadResults(f *testing.F) {
	for _, s := range resultsSeeds {
		f.Add([]byte(s.data))
	}
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, data []byte) {
		path := filepath.Join(dir, "results.jsonl")
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		out, whole, err := readResults(path)
		if err != nil {
			if out != nil || whole != 0 {
				t.Errorf("error %v with %d results, whole %d", err, len(out), whole)
			}
			if !strings.Contains(err.Error(), path) {
				t.Errorf("error %q does not name %s", err, path)
			}
			return
		}
		if whole < 0 || whole > int64(len(data)) || (whole > 0 && data[whole-1] != '\n') {
			t.Fatalf("whole %d of %d bytes: not the end of a line", whole, len(data))
		}
		seen := map[string]bool{}
		for _, r := range out {
			if seen[r.Procedure.ID] {
				t.Errorf("procedure %q twice", r.Procedure.ID)
			}
			seen[r.Procedure.ID] = true
		}
		if len(out) > bytes.Count(data[:whole], []byte("\n")) {
			t.Errorf("%d results from %d lines", len(out), bytes.Count(data[:whole], []byte("\n")))
		}
		// The same whole lines with another unfinished tail read the same.
		tailed := append(bytes.Clone(data[:whole]), `{"procedure":{"id":"tail`...)
		if err := os.WriteFile(path, tailed, 0o644); err != nil {
			t.Fatal(err)
		}
		again, whole2, err := readResults(path)
		if err != nil || whole2 != whole || !reflect.DeepEqual(again, out) {
			t.Errorf("with another tail: %d results, whole %d, %v; want %d, %d", len(again), whole2, err, len(out), whole)
		}
	})
}
