package observatory

import (
	"net/url"
	"time"

	"github.com/observatoire-scanner/observatoire/criteria"
	"github.com/observatoire-scanner/observatoire/scanner"
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

// ScreenshotExt is the file name extension of a screenshot's image: "png"
// for a PNG, "jpg" otherwise (the scanner's JPEG).
func ScreenshotExt(s scanner.Screenshot) string {
	if s.Format == "png" {
		return "png"
	}
	return "jpg"
}

// NewResult makes the result of an assessed procedure: its outcome (failed
// when the start page did not load, with the reason) and its title.
func NewResult(p Procedure, a *Assessment) *Result {
	r := &Result{Procedure: p, Outcome: Measured, Assessment: a, ScannedAt: time.Now().UTC()}
	start := a.Pages[PageStart]
	if start == nil || !start.Status.Loaded() {
		r.Outcome = Failed
		if start != nil {
			r.Reason = string(start.Status)
			if start.Reason != "" {
				r.Reason += ": " + start.Reason
			}
		}
	}
	r.Title = Title(p, start)
	return r
}

// Title is the name shown for a procedure: the catalogue's, else the start
// page's <title>, else the host of its URL.
func Title(p Procedure, start *scanner.Snapshot) string {
	if t := criteria.Normalize(p.Title); t != "" {
		return t
	}
	if start != nil && start.Status.Loaded() && start.Desktop != nil {
		if t := criteria.Normalize(start.Desktop.Title); t != "" {
			return t
		}
	}
	if u, err := url.Parse(p.URL); err == nil && u.Hostname() != "" {
		return u.Hostname()
	}
	return p.URL
}
