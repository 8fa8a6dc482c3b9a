package gate

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"slices"
	"time"

	"github.com/observatoire-scanner/observatoire/criteria"
	"github.com/observatoire-scanner/observatoire/internal/atomicfile"
)

// BaselineVersion is the format of the baseline file. Version 2 records
// each finding's Element; a version-1 file is still read (its findings
// are known by their selectors, see Match) and is rewritten as version 2
// by the next --update-baseline, which keeps its fingerprints.
const BaselineVersion = 2

// Baseline is the committed record of known findings and levels. Its JSON
// is stable: pages and findings sorted, map keys sorted by encoding/json,
// no field that changes between identical scans but Updated.
type Baseline struct {
	Version int `json:"version"`
	// Updated is when the baseline was written (RFC 3339, UTC, seconds).
	Updated string `json:"updated"`
	// Axe is the axe-core version of the findings: a new version may add
	// findings that are not regressions of the site.
	Axe      string      `json:"axe,omitempty"`
	Method   string      `json:"method"`
	Pages    []PageState `json:"pages"`
	Findings []Finding   `json:"findings"`
}

// NewBaseline records an observation, without the per-run details.
func NewBaseline(obs *Observation, now time.Time) *Baseline {
	b := &Baseline{
		Version: BaselineVersion,
		Updated: now.UTC().Truncate(time.Second).Format(time.RFC3339),
		Axe:     obs.Axe,
		Method:  criteria.MethodVersion,
	}
	for _, p := range obs.Pages {
		b.Pages = append(b.Pages, PageState{Page: p.Page, Criteria: p.Criteria, Mention: p.Mention})
	}
	slices.SortFunc(b.Pages, func(x, y PageState) int { return compareStrings(x.Page, y.Page) })
	b.Pages = slices.CompactFunc(b.Pages, func(x, y PageState) bool { return x.Page == y.Page })
	for _, f := range obs.Findings {
		f.URL, f.RawSelector, f.HTML, f.Seen = "", "", "", 0
		b.Findings = append(b.Findings, f)
	}
	sortFindings(b.Findings)
	if b.Findings == nil {
		b.Findings = []Finding{}
	}
	return b
}

// KeepFingerprints gives b's findings the fingerprints of the findings of
// prev (the baseline it replaces) that they pair with (Match), so that
// rewriting a baseline, or migrating one of version 1, keeps the
// fingerprints that acceptances name. It returns how many were kept.
func (b *Baseline) KeepFingerprints(prev *Baseline) int {
	if prev == nil {
		return 0
	}
	pair := Match(prev.Findings, b.Findings)
	b.Findings = Adopt(prev.Findings, b.Findings, pair)
	sortFindings(b.Findings)
	n := 0
	for _, p := range pair {
		if p >= 0 {
			n++
		}
	}
	return n
}

// Page returns the baseline's state of a page path.
func (b *Baseline) Page(path string) (PageState, bool) {
	for _, p := range b.Pages {
		if p.Page == path {
			return p, true
		}
	}
	return PageState{}, false
}

// ErrNoBaseline is returned (wrapped) by LoadBaseline when the file does
// not exist.
var ErrNoBaseline = errors.New("gate: no baseline file")

// LoadBaseline reads a baseline file. A missing file is ErrNoBaseline
// (wrapped).
func LoadBaseline(path string) (*Baseline, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("%w: %s", ErrNoBaseline, path)
	}
	if err != nil {
		return nil, err
	}
	return ParseBaseline(path, data)
}

// ParseBaseline reads a baseline from data; name (the file) is given in
// every error as "baseline NAME: ...". Unknown keys are errors, and so is
// a version other than BaselineVersion.
func ParseBaseline(name string, data []byte) (*Baseline, error) {
	var b Baseline
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&b); err != nil {
		return nil, fmt.Errorf("baseline %s: %w", name, err)
	}
	// A second value after the first is a file that was pasted or merged
	// badly: refuse it rather than gate on half of it.
	end := dec.InputOffset()
	if _, err := dec.Token(); err != io.EOF {
		return nil, fmt.Errorf("baseline %s: data after the baseline's JSON object (after byte %d)", name, end)
	}
	switch b.Version {
	case BaselineVersion:
	case 1:
		// Read as it is: findings without an element are matched by
		// their selectors. Saved, it is a version-2 file.
		b.Version = BaselineVersion
	default:
		return nil, fmt.Errorf("baseline %s: version %d, want %d (run observatoire ci --update-baseline)", name, b.Version, BaselineVersion)
	}
	return &b, nil
}

// Save writes the baseline as indented JSON ending with a newline, without
// HTML escapes, through
// a temporary file renamed into place: a CI job killed mid-write leaves the
// committed baseline whole.
func (b *Baseline) Save(path string) error {
	data, err := b.marshal()
	if err != nil {
		return err
	}
	if err := atomicfile.Write(path, data); err != nil {
		return fmt.Errorf("baseline: %w", err)
	}
	return nil
}

// marshal is the file Save writes. Selectors and ancestries keep their
// ">" (not "\u003e"): the file is read in merge requests.
func (b *Baseline) marshal() ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(b); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
