package site

import (
	"bytes"
	"encoding/json"
	"fmt"
	"github.com/observatoire-scanner/observatoire/observatory"
	"github.com/observatoire-scanner/observatoire/observatory/edition"
	"github.com/observatoire-scanner/observatoire/scanner"
)

// openEdition is the JSON open data of an edition: data/NAME.json.
type openEdition struct {
	Meta    edition.Meta         `json:"meta"`
	Results []observatory.Result `json:"results"`
}

// writeData writes each edition's open data: data/NAME.json (every result
// with its evidence) and data/NAME.csv (one row per procedure).
func (s *site) writeData(w *writer) error {
	for i, e := range s.editions {
		name := "data/" + s.edSlugs.get(e.Meta.Name)
		results := openResults(e.Results)
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		if err := enc.Encode(openEdition{Meta: e.Meta, Results: results}); err != nil {
			return fmt.Errorf("publish: %s.json: %w", name, err)
		}
		if err := w.file(name+".json", buf.Bytes()); err != nil {
			return err
		}
		b, err := s.editionCSV(i)
		if err != nil {
			return fmt.Errorf("publish: %s.csv: %w", name, err)
		}
		if err := w.file(name+".csv", b); err != nil {
			return err
		}
		// The latest edition also at stable addresses.
		if e == s.latest {
			if err := w.file(latestJSON, buf.Bytes()); err != nil {
				return err
			}
			if err := w.file(latestCSV, b); err != nil {
				return err
			}
		}
	}
	return nil
}

// openResults returns the results as the open data gives them: every
// verdict with its evidence, the axe-core results, the probes and each
// page's status and timings, without the raw DOM facts the scanner
// gathered (the page's text, links and controls: a hundred kilobytes per
// procedure, kept in the edition's results.jsonl). The results themselves
// are not changed.
func openResults(results []observatory.Result) []observatory.Result {
	out := make([]observatory.Result, len(results))
	for i, r := range results {
		if r.Assessment != nil {
			a := *r.Assessment
			a.Pages = make(map[string]*scanner.Snapshot, len(r.Assessment.Pages))
			for role, snap := range r.Assessment.Pages {
				if snap == nil {
					continue
				}
				c := *snap
				c.Desktop, c.Mobile = nil, nil
				a.Pages[role] = &c
			}
			r.Assessment = &a
		}
		out[i] = r
	}
	return out
}
