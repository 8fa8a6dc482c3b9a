// Package site publishes editions as a static site: the scorecards'
// tables, one page per procedure, the method, the site's accessibility
// statement, the open data (JSON and CSV) and SVG badges. Its templates,
// style sheet and script are embedded from this folder.
package site

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"github.com/observatoire-scanner/observatoire/observatory/edition"
	"html/template"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/observatoire-scanner/observatoire/criteria"
)

//go:embed *.html style.css site.js
var siteFiles embed.FS

// The site's fixed pages, relative to its root.
const (
	indexPage         = "index.html"
	editionsPage      = "editions.html"
	methodPage        = "methode.html"
	accessibilityPage = "accessibilite.html"
)

// Publish writes the static site of the scorecards into out: the latest
// edition's table (with pre-rendered sorted and filtered variants, so that
// nothing needs JavaScript), one page per procedure, ministry,
// administration and edition, the method, the site's accessibility
// statement, the open data (JSON and CSV per edition) and one SVG badge per
// procedure and criterion. editions are sorted oldest to newest; the last
// is the latest. Every link is relative, so the site can be hosted under
// any path.
func Publish(editions []*edition.Edition, out string) error {
	return PublishOptions(editions, out, Options{})
}

// Options configures a published site beyond its editions.
type Options struct {
	// About explains how procedures enter the observatory, one paragraph
	// per blank-line-separated block; ProposeURL is where to propose a
	// procedure (http or https). The page "À propos de la sélection" and
	// its link exist only when About or ProposeURL is set.
	About      string `yaml:"about"`
	ProposeURL string `yaml:"propose_url"`
	// Now dates the publication: the age of accessibility statements and
	// their expiry are counted to it (zero: time.Now).
	Now time.Time `yaml:"-"`
}

// LoadConfig reads a site configuration file (YAML: about, propose_url).
func LoadConfig(path string) (Options, error) {
	var o Options
	b, err := os.ReadFile(path)
	if err != nil {
		return o, fmt.Errorf("site config: %w", err)
	}
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	if err := dec.Decode(&o); err != nil && !errors.Is(err, io.EOF) {
		return o, fmt.Errorf("site config: %s: %w", path, err)
	}
	if o.ProposeURL != "" && !webURL(o.ProposeURL) {
		return o, fmt.Errorf("site config: %s: propose_url %q: want an http or https URL", path, o.ProposeURL)
	}
	return o, nil
}

// PublishOptions is Publish with options.
func PublishOptions(editions []*edition.Edition, out string, opts Options) error {
	if opts.Now.IsZero() {
		opts.Now = time.Now()
	}
	if len(editions) == 0 {
		return errors.New("publish: no edition")
	}
	for i, e := range editions {
		if e == nil {
			return fmt.Errorf("publish: edition %d is nil", i)
		}
	}
	tpl, err := parseTemplates()
	if err != nil {
		return err
	}
	s := newSite(editions, opts)
	w := &writer{out: out, tpl: tpl, about: opts.About != "" || webURL(opts.ProposeURL)}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return fmt.Errorf("publish: %w", err)
	}
	for _, name := range []string{"style.css", "site.js"} {
		b, err := siteFiles.ReadFile(name)
		if err != nil {
			return fmt.Errorf("publish: %w", err)
		}
		if err := w.file(name, b); err != nil {
			return err
		}
	}
	steps := []func(*writer) error{
		s.writeTables, s.writeProcedures, s.writeEditions,
		s.writeMethod, s.writeStatement, s.writeData, s.writeBadges,
		s.writeSearch, s.writeTrends, s.writeDurations, s.writeOpenData, s.writeAbout,
	}
	for _, step := range steps {
		if err := step(w); err != nil {
			return err
		}
	}
	return nil
}

// writer writes the site's files under out.
type writer struct {
	out string
	tpl map[string]*template.Template
	// about: the site has a page about the selection.
	about bool
}

// file writes b at the slash-separated path rel under the site's root.
func (w *writer) file(rel string, b []byte) error {
	p := filepath.Join(w.out, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return fmt.Errorf("publish: %w", err)
	}
	if err := os.WriteFile(p, b, 0o644); err != nil {
		return fmt.Errorf("publish: %w", err)
	}
	return nil
}

// page renders the template name with data into rel, a page of the site.
func (w *writer) page(rel, name string, p *page) error {
	t, ok := w.tpl[name]
	if !ok {
		return fmt.Errorf("publish: no template %q", name)
	}
	p.Root = strings.Repeat("../", strings.Count(rel, "/"))
	p.About = w.about
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", p); err != nil {
		return fmt.Errorf("publish: %s: %w", rel, err)
	}
	return w.file(rel, buf.Bytes())
}

// page is what every template receives: the fields of the layout and the
// page's own Data.
type page struct {
	// Root is the relative path from the page to the site's root ("" or
	// "../"), so that links work wherever the site is hosted.
	Root  string
	Title string
	// Nav names the current section of the main menu.
	Nav     string
	Latest  string
	Data    any
	Mention string
	// About: link the page about the selection.
	About bool
}

// accessibilityMention is the footer's legal mention about the site
// itself. No full RGAA audit was made, and the law counts a site without
// one as "non conforme", whatever the automated checks find: saying
// "totalement conforme" would not be true.
const accessibilityMention = "Accessibilité : non conforme"

// parseTemplates parses the layout with each page template.
func parseTemplates() (map[string]*template.Template, error) {
	base, err := template.New("layout").Funcs(funcs).ParseFS(siteFiles, "layout.html", "parts.html")
	if err != nil {
		return nil, fmt.Errorf("publish: templates: %w", err)
	}
	names, err := fs.Glob(siteFiles, "page-*.html")
	if err != nil {
		return nil, fmt.Errorf("publish: templates: %w", err)
	}
	out := map[string]*template.Template{}
	for _, n := range names {
		t, err := template.Must(base.Clone()).ParseFS(siteFiles, n)
		if err != nil {
			return nil, fmt.Errorf("publish: templates: %w", err)
		}
		out[strings.TrimSuffix(strings.TrimPrefix(path.Base(n), "page-"), ".html")] = t
	}
	return out, nil
}

var funcs = template.FuncMap{
	"critTitle": func(id criteria.ID) string { return id.Title() },
	// link reports whether u may become a link: only http and https URLs
	// do; anything else (javascript:, data:...) is shown as text.
	"link": webURL,
}

// webURL reports whether u is an absolute http or https URL.
func webURL(u string) bool {
	l := strings.ToLower(strings.TrimSpace(u))
	return (strings.HasPrefix(l, "http://") || strings.HasPrefix(l, "https://")) && !strings.ContainsAny(u, "\x00\n\r\t")
}

// slug turns a name into a file name: folded to lower-case ASCII, runs of
// other characters replaced by "-". Empty names give "sans-nom".
func slug(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range criteria.Fold(s) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(r)
			continue
		}
		dash = true
		if b.Len() >= 80 {
			break
		}
	}
	if b.Len() == 0 {
		return "sans-nom"
	}
	return b.String()
}

// slugger gives distinct slugs to distinct keys.
type slugger struct {
	byKey map[string]string
	used  map[string]bool
}

func newSlugger() *slugger {
	return &slugger{byKey: map[string]string{}, used: map[string]bool{}}
}

// get returns key's slug, suffixed with a number when another key took it.
func (s *slugger) get(key string) string {
	if v, ok := s.byKey[key]; ok {
		return v
	}
	base := slug(key)
	v := base
	for i := 2; s.used[v]; i++ {
		v = fmt.Sprintf("%s-%d", base, i)
	}
	s.byKey[key], s.used[v] = v, true
	return v
}

// sortedKeys returns m's keys in French alphabetical order (accents
// folded).
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b string) int {
		if c := strings.Compare(criteria.Fold(a), criteria.Fold(b)); c != 0 {
			return c
		}
		return strings.Compare(a, b)
	})
	return keys
}
