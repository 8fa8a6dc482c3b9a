package site

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"strconv"

	"github.com/observatoire-scanner/observatoire/criteria"
	"github.com/observatoire-scanner/observatoire/observatory"
	"github.com/observatoire-scanner/observatoire/observatory/edition"
)

// openEdition is the JSON open data of an edition: data/NAME.json.
type openEdition struct {
	Meta    edition.Meta         `json:"meta"`
	Results []observatory.Result `json:"results"`
}

// writeData writes each edition's open data: data/NAME.json (every result
// with its evidence) and data/NAME.csv (one row per procedure).
func (s *site) writeData(w *writer) error {
	for _, e := range s.editions {
		name := "data/" + s.edSlugs.get(e.Meta.Name)
		results := e.Results
		if results == nil {
			results = []observatory.Result{}
		}
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		enc.SetIndent("", " ")
		if err := enc.Encode(openEdition{Meta: e.Meta, Results: results}); err != nil {
			return fmt.Errorf("publish: %s.json: %w", name, err)
		}
		if err := w.file(name+".json", buf.Bytes()); err != nil {
			return err
		}
		b, err := editionCSV(e)
		if err != nil {
			return fmt.Errorf("publish: %s.csv: %w", name, err)
		}
		if err := w.file(name+".csv", b); err != nil {
			return err
		}
	}
	return nil
}

// csvHeader is the CSV's first row: the procedure's columns, then for
// each criterion ID_level, ID_label and ID_value.
func csvHeader() []string {
	h := []string{"id", "title", "ministry", "administration", "url", "outcome", "reason", "scanned_at"}
	for _, id := range criteria.IDs {
		h = append(h, string(id)+"_level", string(id)+"_label", string(id)+"_value")
	}
	return h
}

// editionCSV encodes an edition as RFC 4180 CSV, one row per procedure.
func editionCSV(e *edition.Edition) ([]byte, error) {
	var buf bytes.Buffer
	cw := csv.NewWriter(&buf)
	cw.UseCRLF = true // RFC 4180
	if err := cw.Write(csvHeader()); err != nil {
		return nil, err
	}
	for i := range e.Results {
		r := &e.Results[i]
		rec := []string{r.Procedure.ID, r.Title, r.Procedure.Ministry, r.Procedure.Administration,
			r.Procedure.URL, string(r.Outcome), r.Reason, ""}
		if !r.ScannedAt.IsZero() {
			rec[7] = r.ScannedAt.UTC().Format("2006-01-02T15:04:05Z")
		}
		for _, id := range criteria.IDs {
			v := r.Verdict(id)
			val := ""
			if v.Value != nil {
				val = strconv.FormatFloat(*v.Value, 'f', -1, 64)
			}
			rec = append(rec, string(v.Level), verdictLabel(v), val)
		}
		if err := cw.Write(rec); err != nil {
			return nil, err
		}
	}
	cw.Flush()
	return buf.Bytes(), cw.Error()
}
