package site

import (
	"bytes"
	"encoding/json"
	"fmt"
	"github.com/observatoire-scanner/observatoire/observatory"
)

// openEdition is the JSON open data of an edition: data/NAME.json.
type openEdition struct {
	Meta    observatory.EditionMeta `json:"meta"`
	Results []observatory.Result    `json:"results"`
}

// writeData writes each edition's open data: data/NAME.json (every result
// with its evidence) and data/NAME.csv (one row per procedure).
func (s *site) writeData(w *writer) error {
	for i, e := range s.editions {
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
