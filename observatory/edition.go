package observatory

import (
	"time"

	"github.com/observatoire-scanner/observatoire/criteria"
)

// Procedure is one entry of a catalogue: an online public procedure.
type Procedure struct {
	// ID is stable across editions (the JDMA product id for the default
	// catalogue).
	ID             string `json:"id" yaml:"id"`
	Title          string `json:"title,omitempty" yaml:"title,omitempty"`
	Ministry       string `json:"ministry,omitempty" yaml:"ministry,omitempty"`
	Administration string `json:"administration,omitempty" yaml:"administration,omitempty"`
	// URL is the start page.
	URL          string `json:"url" yaml:"url"`
	LoginURL     string `json:"login_url,omitempty" yaml:"login_url,omitempty"`
	ContactURL   string `json:"contact_url,omitempty" yaml:"contact_url,omitempty"`
	StatementURL string `json:"statement_url,omitempty" yaml:"statement_url,omitempty"`
	JDMAID       string `json:"jdma_id,omitempty" yaml:"jdma_id,omitempty"`
	// Volume is the yearly number of uses, when known.
	Volume int `json:"volume,omitempty" yaml:"volume,omitempty"`
	// OnlineShare is the share of uses made online (0–100), when known.
	OnlineShare *float64          `json:"online_share,omitempty" yaml:"online_share,omitempty"`
	Declared    criteria.Declared `json:"declared" yaml:"declared,omitempty"`
}

// Outcome says whether a procedure was measured in an edition.
type Outcome string

// The outcomes of a procedure in an edition.
const (
	// Measured: the start page loaded and the criteria were judged.
	Measured Outcome = "measured"
	// Failed: the start page could not be loaded (its criteria say
	// not-measured, with the reason); imported figures are still scored.
	Failed Outcome = "failed"
)

// Result is one procedure's line in an edition (one JSON line in
// results.jsonl).
type Result struct {
	Procedure Procedure `json:"procedure"`
	// Title is the title shown: the catalogue's, else the start page's
	// <title>, else the host.
	Title   string  `json:"title"`
	Outcome Outcome `json:"outcome"`
	// Reason explains a failed outcome (the start page's status and reason).
	Reason string `json:"reason,omitempty"`
	// Assessment holds the pages, probes and verdicts. Screenshots are
	// stored as files beside the edition: each Screenshot has Data emptied
	// and File set to its path relative to the edition's folder.
	Assessment *Assessment `json:"assessment"`
	// ScannedAt is when the procedure's scan finished.
	ScannedAt time.Time `json:"scanned_at"`
}

// Verdict returns the result's verdict on criterion id (the zero Verdict
// when absent).
func (r *Result) Verdict(id criteria.ID) criteria.Verdict {
	if r.Assessment == nil {
		return criteria.Verdict{}
	}
	return r.Assessment.Criteria[id]
}

// EditionMeta describes an edition (meta.json).
type EditionMeta struct {
	// Name is the edition's name, e.g. "2026-Q4".
	Name     string    `json:"name"`
	Started  time.Time `json:"started"`
	Finished time.Time `json:"finished,omitzero"`
	// CatalogHash is the SHA-256 of the catalogue file, hex; CatalogSize
	// the number of procedures in it.
	CatalogHash   string `json:"catalog_hash"`
	CatalogSize   int    `json:"catalog_size"`
	MethodVersion string `json:"method_version"`
	// Shard is "K/N" in a partial edition (scan --shard), empty otherwise;
	// CatalogSize then counts the shard's procedures.
	Shard   string `json:"shard,omitempty"`
	Browser string `json:"browser"`
	Axe     string `json:"axe"`
	Scanner string `json:"scanner"`
	// Counts of procedures by outcome; Skipped are in the catalogue but
	// have no result (an interrupted scan).
	Measured int `json:"measured"`
	Failed   int `json:"failed"`
	Skipped  int `json:"skipped"`
}

// Edition is one quarterly edition: its metadata and one result per
// procedure, in catalogue order.
//
// On disk (DATA/editions/NAME/): meta.json, results.jsonl (one Result per
// line, appended as each procedure finishes), and screenshots/ (JPEG files
// named by Screenshot.File).
type Edition struct {
	Meta    EditionMeta
	Results []Result
	// Dir is the edition's folder (where Screenshot.File paths resolve).
	Dir string
}
