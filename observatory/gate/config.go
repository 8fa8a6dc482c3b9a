package gate

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/observatoire-scanner/observatoire/criteria"
	"github.com/observatoire-scanner/observatoire/internal/yamlmsg"
	"github.com/observatoire-scanner/observatoire/observatory"
	"github.com/observatoire-scanner/observatoire/observatory/catalog"
)

// Default file names, relative to the working directory (the repository
// root in a pipeline).
const (
	DefaultConfigFile   = ".observatoire.yml"
	DefaultBaselineFile = ".observatoire-baseline.json"
)

// Config is a team's gate: what to scan and which changes fail the build.
// It is read from a YAML file of the shape documented in docs/ci.md.
type Config struct {
	// File is where the config was read from ("" for the defaults).
	File string `yaml:"-"`
	// Catalogue is a catalogue file to take Procedures from ("default":
	// the built-in one); Procedures are the ids to scan from it.
	Catalogue  string   `yaml:"catalogue"`
	Procedures []string `yaml:"procedures"`
	// URLs are the pages to scan, each a procedure's start page.
	URLs []URL `yaml:"urls"`
	// Baseline is the baseline file (default DefaultBaselineFile).
	Baseline string `yaml:"baseline"`
	Rules    Rules  `yaml:"rules"`
	// Accepted are known problems that do not fail the gate until they
	// expire.
	Accepted []Acceptance `yaml:"accepted"`
}

// URL is one procedure's start page with its second pages and what the
// team declares about it.
type URL struct {
	URL       string            `yaml:"url"`
	Login     string            `yaml:"login"`
	Contact   string            `yaml:"contact"`
	Statement string            `yaml:"statement"`
	Declared  criteria.Declared `yaml:"declared"`
}

// Rules say which changes fail the gate. The zero value of each field is
// "off", except where DefaultRules sets it.
type Rules struct {
	// NewViolations: an axe finding that is not in the baseline (nor
	// accepted) fails. Default on.
	NewViolations bool `yaml:"new_violations"`
	// WorseCriteria: a criterion whose level is lower than in the baseline
	// fails. Default on.
	WorseCriteria bool `yaml:"worse_criteria"`
	// MinAccessibility: the accessibility criterion must be at least this
	// level ("partial", "good"); "" for no floor.
	MinAccessibility criteria.Level `yaml:"min_accessibility"`
	// Statement: the start page must still show the accessibility mention
	// ("Accessibilité : … conforme") when the baseline showed it (or when
	// there is no baseline). Default on.
	Statement bool `yaml:"statement"`
	// Mobile: the mobile criterion must be good.
	Mobile bool `yaml:"mobile"`
	// MaxViolations caps the failing elements per axe impact ("critical",
	// "serious", "moderate", "minor") over all pages, accepted findings
	// left out. An impact not named is not capped.
	MaxViolations map[string]int `yaml:"max_violations"`
}

// Acceptance is a known finding that does not fail the gate: either one
// fingerprint, or every finding of a rule (on one page, or on all).
type Acceptance struct {
	Fingerprint string `yaml:"fingerprint"`
	Rule        string `yaml:"rule"`
	// Page is a page path ("/demarche"); empty: every page.
	Page   string `yaml:"page"`
	Reason string `yaml:"reason"`
	// Expires is the last day (YYYY-MM-DD) on which the acceptance holds.
	Expires string `yaml:"expires"`

	// Line is the entry's line in the config file.
	Line    int       `yaml:"-"`
	expires time.Time // parsed Expires
}

// ExpiredAt reports whether the acceptance no longer holds on now's date.
func (a Acceptance) ExpiredAt(now time.Time) bool {
	y, m, d := now.Date()
	today := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	return today.After(a.expires)
}

// Matches reports whether f is covered by the acceptance.
func (a Acceptance) Matches(f Finding) bool {
	if a.Fingerprint != "" {
		return a.Fingerprint == f.Fingerprint
	}
	return a.Rule == f.Rule && (a.Page == "" || a.Page == f.Page)
}

// String names the acceptance for messages.
func (a Acceptance) String() string {
	if a.Fingerprint != "" {
		return a.Fingerprint
	}
	if a.Page == "" {
		return a.Rule + " (toutes les pages)"
	}
	return a.Rule + " sur " + a.Page
}

// DefaultRules are the rules in force when the config names none.
func DefaultRules() Rules {
	return Rules{NewViolations: true, WorseCriteria: true, Statement: true}
}

// DefaultConfig is the config used when there is no config file.
func DefaultConfig() *Config {
	return &Config{Baseline: DefaultBaselineFile, Rules: DefaultRules()}
}

// ErrNoConfig is returned by LoadConfig when the file does not exist.
var ErrNoConfig = errors.New("gate: no config file")

// LoadConfig reads a config file. A missing file is ErrNoConfig (wrapped),
// so that the caller can fall back to DefaultConfig.
func LoadConfig(path string) (*Config, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("%w: %s", ErrNoConfig, path)
	}
	if err != nil {
		return nil, err
	}
	return ParseConfig(path, data)
}

// ParseConfig reads a config from data; name (the file) prefixes every
// error as "NAME:LINE: ...". Unknown keys are errors, so that a misspelt
// rule is not silently ignored.
func ParseConfig(name string, data []byte) (*Config, error) {
	c := DefaultConfig()
	c.File = name
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(c); err != nil && !errors.Is(err, io.EOF) {
		return nil, yamlError(name, err)
	}
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return nil, yamlError(name, err)
	}
	if err := c.check(&root); err != nil {
		return nil, err
	}
	return c, nil
}

// yamlError rewrites yaml.v3's "yaml: unmarshal errors:\n  line 3: field x
// not found in type gate.Rules" as "FILE:3: unknown key x".
func yamlError(name string, err error) error {
	var lines []string
	for _, p := range yamlmsg.Problems(err) {
		lines = append(lines, fmt.Sprintf("%s:%d: %s", name, p.Line, p.Msg))
	}
	return errors.New(strings.Join(lines, "\n"))
}

// impacts are axe's impact levels, worst first.
var impacts = []string{"critical", "serious", "moderate", "minor"}

// check validates values that YAML types cannot, with the line of each.
func (c *Config) check(root *yaml.Node) error {
	var probs []string
	bad := func(line int, format string, args ...any) {
		probs = append(probs, fmt.Sprintf("%s:%d: %s", c.File, line, fmt.Sprintf(format, args...)))
	}
	doc := root
	if doc.Kind == yaml.DocumentNode && len(doc.Content) > 0 {
		doc = doc.Content[0]
	}
	urls := seqItems(doc, "urls")
	for i, u := range c.URLs {
		line := itemLine(urls, i)
		if u.URL == "" {
			bad(line, "urls: entry without url")
		}
		for _, v := range []string{u.URL, u.Login, u.Contact, u.Statement} {
			if v == "" {
				continue
			}
			if msg := catalog.CheckURL(v); msg != "" {
				bad(line, "%s", msg)
			}
		}
	}
	rules := yamlmsg.Value(doc, "rules")
	switch c.Rules.MinAccessibility {
	case "", criteria.Bad, criteria.Partial, criteria.Good:
	default:
		bad(keyLine(rules, "min_accessibility"), "min_accessibility %q: want bad, partial or good", c.Rules.MinAccessibility)
	}
	for k, n := range c.Rules.MaxViolations {
		line := keyLine(yamlmsg.Value(rules, "max_violations"), k)
		if !isImpact(k) {
			bad(line, "max_violations: unknown impact %q (want critical, serious, moderate or minor)", k)
		}
		if n < 0 {
			bad(line, "max_violations: %s: %d is negative", k, n)
		}
	}
	if len(c.Procedures) > 0 && c.Catalogue == "" {
		bad(keyLine(doc, "procedures"), "procedures need a catalogue (a file, or \"default\")")
	}
	acc := seqItems(doc, "accepted")
	for i := range c.Accepted {
		a := &c.Accepted[i]
		a.Line = itemLine(acc, i)
		switch {
		case a.Fingerprint == "" && a.Rule == "":
			bad(a.Line, "accepted: give a fingerprint, or a rule (and a page)")
		case a.Fingerprint != "" && (a.Rule != "" || a.Page != ""):
			bad(a.Line, "accepted: give a fingerprint or a rule and page, not both")
		}
		if strings.TrimSpace(a.Reason) == "" {
			bad(a.Line, "accepted: reason is required (say why the problem is accepted)")
		}
		t, err := time.Parse(time.DateOnly, a.Expires)
		if err != nil {
			bad(a.Line, "accepted: expires %q: want a date YYYY-MM-DD (an acceptance must end)", a.Expires)
		}
		a.expires = t
	}
	if len(probs) > 0 {
		return errors.New(strings.Join(probs, "\n"))
	}
	return nil
}

func isImpact(s string) bool {
	for _, i := range impacts {
		if i == s {
			return true
		}
	}
	return false
}

// keyLine is the line of key in mapping n (0 when unknown).
func keyLine(n *yaml.Node, key string) int {
	if n == nil || n.Kind != yaml.MappingNode {
		return 0
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i].Line
		}
	}
	return n.Line
}

func seqItems(n *yaml.Node, key string) []*yaml.Node {
	v := yamlmsg.Value(n, key)
	if v == nil || v.Kind != yaml.SequenceNode {
		return nil
	}
	return v.Content
}

func itemLine(items []*yaml.Node, i int) int {
	if i < len(items) {
		return items[i].Line
	}
	return 0
}

// Targets are the procedures to assess: the config's URLs, then the
// catalogue's procedures named by id (an unknown id is an error).
func (c *Config) Targets() ([]observatory.Target, error) {
	var ts []observatory.Target
	for _, u := range c.URLs {
		ts = append(ts, observatory.Target{URL: u.URL, LoginURL: u.Login, ContactURL: u.Contact, StatementURL: u.Statement, Declared: u.Declared})
	}
	if len(c.Procedures) == 0 {
		return ts, nil
	}
	var cat *catalog.Catalog
	var err error
	if c.Catalogue == catalog.DefaultName {
		cat, err = catalog.Default()
	} else {
		cat, err = catalog.Load(c.Catalogue)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: catalogue: %w", c.File, err)
	}
	for _, id := range c.Procedures {
		p, ok := cat.Procedure(id)
		if !ok {
			return nil, fmt.Errorf("%s: procedure %q is not in catalogue %s", c.File, id, cat.Name)
		}
		ts = append(ts, observatory.Target{URL: p.URL, LoginURL: p.LoginURL, ContactURL: p.ContactURL, StatementURL: p.StatementURL, Declared: p.Declared})
	}
	return ts, nil
}
