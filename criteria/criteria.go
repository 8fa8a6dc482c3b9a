// Package criteria rates a procedure on the observatory's eight criteria.
// Each criterion is a pure function from what the scanner saw (snapshots,
// HTTP probes) and what the catalogue declares to a Verdict with its
// evidence: no browser, no network, no clock but Input.Now.
//
// The criterion ids (online, satisfaction, mobile, support, availability,
// franceconnect, accessibility, dlnuf) are a public contract: JSON keys,
// CSV columns and badge file names. docs/method.md states every rule.
package criteria

import (
	"time"

	"github.com/observatoire-scanner/observatoire/scanner"
)

// MethodVersion names the rules implemented here; it changes whenever a
// rule, threshold or label changes, so that editions say what they used.
const MethodVersion = "2026.11-3"

// ID names a criterion.
type ID string

// The eight criteria, in the observatory's order.
const (
	IDOnline        ID = "online"
	IDSatisfaction  ID = "satisfaction"
	IDMobile        ID = "mobile"
	IDSupport       ID = "support"
	IDAvailability  ID = "availability"
	IDFranceConnect ID = "franceconnect"
	IDAccessibility ID = "accessibility"
	IDDLNUF         ID = "dlnuf"
)

// IDs lists the criteria in the observatory's order.
var IDs = []ID{IDOnline, IDSatisfaction, IDMobile, IDSupport, IDAvailability, IDFranceConnect, IDAccessibility, IDDLNUF}

// Title returns the criterion's French name as the observatory shows it.
func (id ID) Title() string {
	switch id {
	case IDOnline:
		return "Réalisable en ligne"
	case IDSatisfaction:
		return "Satisfaction usagers"
	case IDMobile:
		return "Compatible mobile"
	case IDSupport:
		return "Aide joignable"
	case IDAvailability:
		return "Disponibilité et rapidité"
	case IDFranceConnect:
		return "Identification FranceConnect"
	case IDAccessibility:
		return "Accessibilité"
	case IDDLNUF:
		return "Dites-le-nous une fois"
	}
	return string(id)
}

// Level is a verdict's colour.
type Level string

// The levels of a verdict.
const (
	Good          Level = "good"
	Partial       Level = "partial"
	Bad           Level = "bad"
	NotApplicable Level = "not-applicable"
	NotMeasured   Level = "not-measured"
)

// Rank orders levels from worst to best among the measured ones (bad 0,
// partial 1, good 2); not-applicable and not-measured give -1. A gate
// compares ranks to tell whether a criterion got worse.
func (l Level) Rank() int {
	switch l {
	case Bad:
		return 0
	case Partial:
		return 1
	case Good:
		return 2
	}
	return -1
}

// Verdict is one criterion's rating of one procedure.
type Verdict struct {
	Level Level `json:"level"`
	// Label is the French text the observatory shows ("Oui", "Partiel",
	// "7,1/10", "FranceConnect+", "Non applicable", "À venir"...).
	Label string `json:"label"`
	// Value is the number behind the label, when there is one (a score, a
	// rate, a count of channels).
	Value *float64 `json:"value,omitempty"`
	// Evidence lists the facts that led to the verdict, so that a team can
	// check and contest it.
	Evidence []Evidence `json:"evidence"`
	// Fix says what to change to reach good, for a verdict that is not.
	Fix string `json:"fix,omitempty"`
}

// Evidence is one fact behind a verdict.
type Evidence struct {
	// Fact states what was found or missing, in French, with the figures
	// compared to the thresholds ("scrollWidth 900 px > 413 px").
	Fact string `json:"fact"`
	// Page is the URL of the page where it was seen.
	Page string `json:"page,omitempty"`
	// Selector and Text identify the element, when there is one.
	Selector string `json:"selector,omitempty"`
	Text     string `json:"text,omitempty"`
}

// Results holds the verdict of every criterion.
type Results map[ID]Verdict

// Declared is what a catalogue (or `check --declared KEY=VALUE`) states
// about a procedure. A declared value wins over what the scanner sees,
// where the method says so. Empty fields declare nothing.
type Declared struct {
	// Online: "oui", "partiel", "non", "beta", "deploiement-local",
	// "proactive", "a-venir".
	Online string `json:"online,omitempty" yaml:"online,omitempty"`
	// FranceConnect: "not-applicable" (no sign-in needed, or a business
	// audience), "franceconnect", "franceconnect-plus", "non".
	FranceConnect string `json:"franceconnect,omitempty" yaml:"franceconnect,omitempty"`
	// DLNUF is the weighted count of data the State already holds that the
	// procedure still asks; nil: not declared. DLNUFNotApplicable marks a
	// procedure to which the criterion does not apply.
	DLNUF              *float64 `json:"dlnuf,omitempty" yaml:"dlnuf,omitempty"`
	DLNUFNotApplicable bool     `json:"dlnuf_not_applicable,omitempty" yaml:"dlnuf_not_applicable,omitempty"`
	// RGAARate is an audited RGAA compliance rate (0–100) that overrides the
	// one read from the statement; nil: not declared.
	RGAARate *float64 `json:"rgaa_rate,omitempty" yaml:"rgaa_rate,omitempty"`
	// Support: the number of human contact channels, when declared.
	Support *int `json:"support,omitempty" yaml:"support,omitempty"`
}

// JDMA is a procedure's satisfaction statistics from JeDonneMonAvis (the
// data of a jdma.json file).
type JDMA struct {
	// Satisfaction is the mean score out of 10; Count the number of answers.
	Satisfaction float64 `json:"satisfaction"`
	Count        int     `json:"count"`
	// Source names where the figures come from (a file path).
	Source string `json:"source,omitempty"`
}

// Uptime is a procedure's uptime-monitor figures (the data of an
// updown.json file).
type Uptime struct {
	// Percent of successful checks over the window.
	Percent float64 `json:"percent"`
	// ResponseMS is the mean time to first byte, in milliseconds.
	ResponseMS float64 `json:"response_ms"`
	Samples    int     `json:"samples,omitempty"`
	Source     string  `json:"source,omitempty"`
	// MedianMS is the median time to first byte (0: not given), Period the
	// window measured (e.g. "2026-Q4") and Coverage the percentage of it
	// the monitor covered, gaps excluded (0: not given, as in updown.json).
	MedianMS float64 `json:"median_ms,omitempty"`
	Period   string  `json:"period,omitempty"`
	Coverage float64 `json:"coverage,omitempty"`
}

// Input is everything the criteria judge for one procedure.
type Input struct {
	// Start is the procedure's start page. Never nil.
	Start *scanner.Snapshot
	// Contact, Statement and Login are the second pages (the help/contact
	// page, the accessibility statement, the sign-in page); nil when none
	// was found or scanned.
	Contact   *scanner.Snapshot
	Statement *scanner.Snapshot
	Login     *scanner.Snapshot
	// Probes are plain HTTP probes of the start URL, outside the browser.
	Probes []scanner.Probe
	// Declared, JDMA and Uptime come from the catalogue and imports.
	Declared Declared
	JDMA     *JDMA
	Uptime   *Uptime
	// Now dates the verdict (the statement's three-year validity).
	Now time.Time
}

// FollowUps are the second pages to scan for a procedure, found on its
// start page (or given by the catalogue). Empty: none.
type FollowUps struct {
	Contact   string `json:"contact,omitempty"`
	Statement string `json:"statement,omitempty"`
	Login     string `json:"login,omitempty"`
}

// Evaluate rates a procedure on the eight criteria. A procedure declared
// not online gets not-applicable ("–") everywhere else.
func Evaluate(in Input) Results {
	r := Results{IDOnline: Online(in)}
	if in.Declared.Online == "non" {
		for _, id := range IDs[1:] {
			r[id] = Verdict{Level: NotApplicable, Label: "–", Evidence: []Evidence{{Fact: "démarche déclarée non réalisable en ligne"}}}
		}
		return r
	}
	if in.Declared.Online == "a-venir" {
		for _, id := range IDs[1:] {
			r[id] = Verdict{Level: NotMeasured, Label: LabelToCome, Evidence: []Evidence{{Fact: "démarche déclarée « À venir » : elle n'est pas encore en ligne, aucun critère n'est mesuré"}}}
		}
		return r
	}
	r[IDSatisfaction] = Satisfaction(in)
	r[IDMobile] = Mobile(in)
	r[IDSupport] = Support(in)
	r[IDAvailability] = Availability(in)
	r[IDFranceConnect] = FranceConnect(in)
	r[IDAccessibility] = Accessibility(in)
	r[IDDLNUF] = DLNUF(in)
	return r
}
