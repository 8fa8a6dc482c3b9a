package scanner

import "time"

// Status says how far the scan of a page got. It is what a criterion reads
// first: only a page whose status is StatusOK (or StatusPartial, with care)
// carries facts that can be judged.
type Status string

// The statuses of a scanned page.
const (
	// StatusOK: the page loaded and every fact was read.
	StatusOK Status = "ok"
	// StatusPartial: the page loaded but a bound was hit (load, settle, axe,
	// total); the facts that could be read are there, the rest is missing.
	StatusPartial Status = "partial"
	// StatusHTTPError: the server answered with a 4xx or 5xx status.
	StatusHTTPError Status = "http-error"
	// StatusBlocked: the server refused the scanner itself (a bot challenge,
	// 403 or 429 with a challenge page). Never scored as bad.
	StatusBlocked Status = "blocked"
	// StatusTimeout: nothing usable arrived before the navigation timeout.
	StatusTimeout Status = "timeout"
	// StatusDNS: the host name does not resolve.
	StatusDNS Status = "dns"
	// StatusTLS: the TLS handshake or certificate failed.
	StatusTLS Status = "tls"
	// StatusNetwork: another network failure (refused, reset, too many
	// redirects...).
	StatusNetwork Status = "network"
	// StatusNotHTML: the URL answered with something other than a web page
	// (a PDF, a download).
	StatusNotHTML Status = "not-html"
	// StatusCrashed: the tab or the browser died while loading the page.
	StatusCrashed Status = "crashed"
	// StatusRefused: the scanner refused the URL before loading it (a scheme
	// other than http or https, a private address when those are refused).
	StatusRefused Status = "refused"
)

// Loaded reports whether the page's document was loaded, so that its DOM
// facts can be judged (possibly incomplete when the status is partial).
func (s Status) Loaded() bool { return s == StatusOK || s == StatusPartial }

// Snapshot is everything the scanner saw of one URL: a plain value that the
// criteria judge without touching a browser. It encodes to JSON as the
// `check --format json` output and the edition files.
type Snapshot struct {
	// URL is the URL that was asked for.
	URL string `json:"url"`
	// FinalURL is the URL of the document shown after redirects.
	FinalURL string `json:"final_url,omitempty"`
	// Redirects lists each hop before FinalURL, in order.
	Redirects []Redirect `json:"redirects,omitempty"`
	// HTTPStatus is the status of the main document's final response.
	HTTPStatus int `json:"http_status,omitempty"`
	// ContentType is the MIME type of the main document.
	ContentType string `json:"content_type,omitempty"`
	// Status sums up the outcome; Reason explains it in words (the browser's
	// error text, the bound that was hit).
	Status Status `json:"status"`
	Reason string `json:"reason,omitempty"`
	// Timings are the page's load figures in milliseconds.
	Timings Timings `json:"timings"`
	// Desktop holds the DOM facts at 1366×768; Mobile the facts that depend
	// on layout at 412×823 (viewport, overflow, text sizes, tap targets).
	Desktop *Facts `json:"desktop,omitempty"`
	Mobile  *Facts `json:"mobile,omitempty"`
	// Axe holds the automated accessibility results of the desktop page.
	Axe *AxeResult `json:"axe,omitempty"`
	// Screenshots, keyed by emulation ("desktop", "mobile").
	Screenshots map[string]Screenshot `json:"screenshots,omitempty"`
	// Versions of the tools that produced this snapshot.
	Versions Versions `json:"versions"`
	// Phases is how long each step took, for the benchmark and for
	// explaining a slow scan.
	Phases Phases `json:"phases"`
	// ScannedAt is when the scan of this URL started.
	ScannedAt time.Time `json:"scanned_at"`
	// Attempts is how many times the page was loaded: 2 when a transient
	// failure (503, 429, reset, timeout) or a browser crash was retried.
	Attempts int `json:"attempts,omitempty"`
	// FirstAttempt is the status and reason of the attempt that was
	// retried, when there was one.
	FirstAttempt string `json:"first_attempt,omitempty"`
	// Popups counts the windows the page tried to open; each was blocked
	// or closed at once.
	Popups int `json:"popups,omitempty"`
}

// Redirect is one hop of a redirect chain.
type Redirect struct {
	URL    string `json:"url"`
	Status int    `json:"status"`
}

// Timings are a page's load figures, in milliseconds from navigation start.
// Zero means "not measured" (for CLS: no shift, or not measured).
type Timings struct {
	TTFB             float64 `json:"ttfb_ms"`
	FCP              float64 `json:"fcp_ms"`
	LCP              float64 `json:"lcp_ms"`
	CLS              float64 `json:"cls"`
	DOMContentLoaded float64 `json:"dom_content_loaded_ms"`
	Load             float64 `json:"load_ms"`
}

// Phases records how long each step of a page scan took, in milliseconds.
type Phases struct {
	// Navigate runs until the main document commits (or fails); Settle
	// then until it fired load, client-side redirects followed, plus what
	// remained of the quiet period once the desktop facts and axe-core
	// were read.
	Navigate float64 `json:"navigate_ms"`
	Settle   float64 `json:"settle_ms"`
	Facts    float64 `json:"facts_ms"`
	// Axe is axe-core's whole cost, AxeInject the part of it spent
	// evaluating axe-core's source in the page.
	Axe        float64 `json:"axe_ms"`
	AxeInject  float64 `json:"axe_inject_ms,omitempty"`
	Screenshot float64 `json:"screenshot_ms"`
	// RGAA is the cost of the observatory's own RGAA tests (rgaa.go).
	RGAA   float64 `json:"rgaa_ms,omitempty"`
	Mobile float64 `json:"mobile_ms"`
	Total  float64 `json:"total_ms"`
}

// Versions names the tools behind a snapshot, so that results can be
// reproduced and compared.
type Versions struct {
	Browser   string `json:"browser,omitempty"`
	Axe       string `json:"axe,omitempty"`
	Scanner   string `json:"scanner"`
	UserAgent string `json:"user_agent,omitempty"`
}

// Screenshot is an image of the viewport, kept as evidence.
type Screenshot struct {
	// Format is "jpeg" or "png".
	Format string `json:"format"`
	Width  int    `json:"width"`
	Height int    `json:"height"`
	// Data is the encoded image (base64 in JSON). Empty when the image was
	// saved to a file (File).
	Data []byte `json:"data,omitempty"`
	// File is the image's path, relative to the folder of the document
	// that holds the snapshot, when Data was moved out to a file.
	File string `json:"file,omitempty"`
}

// Facts are what one injected script read from the DOM of a page in one
// emulation. Lists are capped (see facts.js) so that a page with 100,000
// elements gives a bounded snapshot.
type Facts struct {
	Title string `json:"title"`
	Lang  string `json:"lang"`
	// Viewport is the content of <meta name="viewport">; HasViewport says
	// whether the tag exists at all.
	Viewport    string `json:"viewport"`
	HasViewport bool   `json:"has_viewport"`
	// ScrollWidth is the document's scroll width, ViewportWidth the layout
	// viewport's width, both in CSS pixels.
	ScrollWidth   int `json:"scroll_width"`
	ViewportWidth int `json:"viewport_width"`
	// Elements counts the elements of the document.
	Elements int `json:"elements"`
	// TextSizes maps a rounded computed font size (px) to the number of
	// visible characters drawn at that size.
	TextSizes map[int]int `json:"text_sizes,omitempty"`
	// TapTargets are the visible links and controls with their boxes
	// (mobile emulation only).
	TapTargets []Box `json:"tap_targets,omitempty"`

	Links   []Link   `json:"links,omitempty"`
	Buttons []Button `json:"buttons,omitempty"`
	Forms   []Form   `json:"forms,omitempty"`
	Images  []Image  `json:"images,omitempty"`
	Iframes []Frame  `json:"iframes,omitempty"`
	// Scripts lists the src of external scripts (chat widgets are found by
	// them).
	Scripts []string `json:"scripts,omitempty"`
	// FooterText is the visible text of the page footer (footer element or
	// role=contentinfo), whitespace folded.
	FooterText string `json:"footer_text,omitempty"`
	// Text is the visible text of the body, whitespace folded, capped.
	Text string `json:"text,omitempty"`
	// Truncated says a list or a text hit its cap.
	Truncated bool `json:"truncated,omitempty"`
}

// Region says where an element sits in the page's landmarks.
type Region string

// The regions of a page.
const (
	RegionHeader Region = "header"
	RegionNav    Region = "nav"
	RegionMain   Region = "main"
	RegionFooter Region = "footer"
	RegionOther  Region = ""
)

// Link is an <a href> of the page.
type Link struct {
	Text     string `json:"text"`
	Href     string `json:"href"`
	Rel      string `json:"rel,omitempty"`
	Title    string `json:"title,omitempty"`
	Class    string `json:"class,omitempty"`
	Region   Region `json:"region,omitempty"`
	Selector string `json:"selector"`
	// Images inside the link (a button drawn as an image).
	Images []Image `json:"images,omitempty"`
}

// Button is a <button>, an <input type=submit|button|image> or an element
// with role=button.
type Button struct {
	Text     string `json:"text"`
	Type     string `json:"type,omitempty"`
	Class    string `json:"class,omitempty"`
	Region   Region `json:"region,omitempty"`
	Selector string `json:"selector"`
	// FormAction is the resolved action of the form the button submits, if
	// any (FranceConnect buttons post to their back end).
	FormAction string `json:"form_action,omitempty"`
	// ParentClass is the class of the enclosing element (".fr-connect-group").
	ParentClass string `json:"parent_class,omitempty"`
}

// Form is a <form> with its fields.
type Form struct {
	Action   string  `json:"action,omitempty"`
	Method   string  `json:"method,omitempty"`
	Role     string  `json:"role,omitempty"`
	Selector string  `json:"selector"`
	Fields   []Field `json:"fields,omitempty"`
}

// Field is an input, select or textarea of a form.
type Field struct {
	Tag          string `json:"tag"`
	Type         string `json:"type,omitempty"`
	Name         string `json:"name,omitempty"`
	ID           string `json:"id,omitempty"`
	Label        string `json:"label,omitempty"`
	Placeholder  string `json:"placeholder,omitempty"`
	Autocomplete string `json:"autocomplete,omitempty"`
	Selector     string `json:"selector"`
}

// Image is an <img> (or an <input type=image>).
type Image struct {
	Src string `json:"src"`
	// Alt is nil when the attribute is missing, "" when it is empty.
	Alt      *string `json:"alt"`
	Selector string  `json:"selector,omitempty"`
}

// Frame is an <iframe>.
type Frame struct {
	Src   string `json:"src"`
	Title string `json:"title,omitempty"`
}

// Box is a visible tap target and its border box in CSS pixels, relative to
// the document.
type Box struct {
	X        float64 `json:"x"`
	Y        float64 `json:"y"`
	Width    float64 `json:"w"`
	Height   float64 `json:"h"`
	Text     string  `json:"text,omitempty"`
	Selector string  `json:"selector"`
}

// AxeResult is axe-core's verdict on a page, limited to the rules tagged
// RGAAv4.
type AxeResult struct {
	Version string `json:"version"`
	// Rules is how many rules ran; Passes how many passed.
	Rules      int         `json:"rules"`
	Passes     int         `json:"passes"`
	Violations []Violation `json:"violations"`
	// Incomplete lists rules whose result needs a human.
	Incomplete []string `json:"incomplete,omitempty"`
	// Own lists the observatory's own rules that ran (rgaa.go); their
	// failures are in Violations with Source "observatoire". Review holds
	// their findings that only suspect a fault ("à vérifier"): never a
	// failure. OwnError says why our tests stopped early, if they did.
	Own      []string    `json:"own,omitempty"`
	Review   []Violation `json:"review,omitempty"`
	OwnError string      `json:"own_error,omitempty"`
}

// Violation is one failed axe rule with the elements that fail it.
type Violation struct {
	Rule    string `json:"rule"`
	Impact  string `json:"impact,omitempty"`
	Help    string `json:"help"`
	HelpURL string `json:"help_url,omitempty"`
	// RGAA lists the RGAA tests the rule maps to ("RGAA-1.1.1").
	RGAA  []string `json:"rgaa,omitempty"`
	Nodes []Node   `json:"nodes"`
	// More counts the failing elements left out by the cap.
	More int `json:"more,omitempty"`
	// Source names the engine: "" for axe-core, OwnSource for the
	// observatory's own tests.
	Source string `json:"source,omitempty"`
}

// Engine names the engine of the finding: "axe-core" or "observatoire".
func (v Violation) Engine() string {
	if v.Source == "" {
		return "axe-core"
	}
	return v.Source
}

// Node is one failing element of a violation.
type Node struct {
	Selector string `json:"selector"`
	// HTML is the element's opening markup, capped.
	HTML    string `json:"html"`
	Summary string `json:"summary,omitempty"`
	// Ancestry is axe's selector of the element from the root, with a
	// tag and a positional index per level ("html > body > main >
	// p:nth-child(4) > img"); frames and shadow roots joined by " >>> ".
	Ancestry string `json:"ancestry,omitempty"`
}
