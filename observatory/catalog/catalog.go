// Package catalog reads the catalogues of procedures to scan: YAML files
// (Load, Parse, the built-in Default), the imports of the observatory's
// CSV and TSV exports, and the figures imported per procedure (JDMA
// satisfaction, UpDown availability).
package catalog

import (
	"bytes"
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"math"
	"net/url"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"

	"github.com/observatoire-scanner/observatoire/criteria"
	"github.com/observatoire-scanner/observatoire/internal/yamlmsg"
	"github.com/observatoire-scanner/observatoire/observatory"
)

// MaxSize caps a catalogue file: far above any real catalogue (the
// default one is about 60 KiB), low enough that a wrong file is refused
// before it is parsed.
const MaxSize = 32 << 20

// Catalog is a list of procedures to scan, read from a YAML file of the
// shape documented in docs/catalog.md:
//
//	procedures:
//	  - id: "44"
//	    url: https://www.example.gouv.fr/demarche
//	    declared: {online: oui}
type Catalog struct {
	// Name is where the catalogue was read from (a file path, or
	// DefaultName).
	Name       string
	Procedures []observatory.Procedure
	// Hash is the SHA-256 of the file's bytes, hex.
	Hash string
}

// catalogFile is the top-level shape of a catalogue file.
type catalogFile struct {
	Procedures []observatory.Procedure `yaml:"procedures"`
}

// DefaultName names the catalogue built into the binary.
const DefaultName = "default"

// defaultYAML is the catalogue built into the binary. default.yaml was
// generated from the observatory's public data of August 2026
// (procedures.tsv: 258 procedures keyed by their JDMA product id) by
//
//	observatoire catalog import --tsv procedures.tsv -o observatory/catalog/default.yaml
//
// and is committed as generated.
//
//go:embed default.yaml
var defaultYAML []byte

// Default returns the catalogue built into the binary: the
// procedures the observatory tracked in August 2026, keyed by their JDMA
// product id.
func Default() (*Catalog, error) {
	return Parse(DefaultName, defaultYAML)
}

// DefaultYAML returns the default catalogue's file.
func DefaultYAML() []byte { return slices.Clone(defaultYAML) }

// Procedure returns the procedure with that id.
func (c *Catalog) Procedure(id string) (observatory.Procedure, bool) {
	for _, p := range c.Procedures {
		if p.ID == id {
			return p, true
		}
	}
	return observatory.Procedure{}, false
}

// Problem is one fault of a catalogue file, at a line (0: the whole file).
type Problem struct {
	File string
	Line int
	Msg  string
}

func (p Problem) String() string {
	if p.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", p.File, p.Line, p.Msg)
	}
	return p.File + ": " + p.Msg
}

// Error lists every problem found in a catalogue file, in line
// order.
type Error struct {
	Problems []Problem
}

func (e *Error) Error() string {
	lines := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		lines[i] = p.String()
	}
	return strings.Join(lines, "\n")
}

// LoadCatalog reads and checks a catalogue file. A file with faults gives
// a *Error listing all of them.
func Load(path string) (*Catalog, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("catalog: %w", err)
	}
	defer f.Close()
	// Read one byte past the cap, so that an oversized file is told apart
	// without reading all of it.
	data, err := io.ReadAll(io.LimitReader(f, MaxSize+1))
	if err != nil {
		return nil, fmt.Errorf("catalog: %s: %w", path, err)
	}
	return Parse(path, data)
}

// ParseCatalog checks a catalogue file's content; name is used in the
// messages ("NAME:LINE: ..."). It reports every problem at once: YAML
// syntax, unknown keys, wrong types, missing or duplicate ids, missing or
// refused URLs, and declared values outside their sets.
func Parse(name string, data []byte) (*Catalog, error) {
	var probs []Problem
	add := func(line int, format string, args ...any) {
		probs = append(probs, Problem{File: name, Line: line, Msg: fmt.Sprintf(format, args...)})
	}
	addYAML := func(err error) {
		for _, p := range yamlmsg.Problems(err) {
			msg := p.Msg
			if p.UnknownKey != "" {
				msg += " (see docs/catalog.md for the keys)"
			}
			add(p.Line, "%s", msg)
		}
	}
	fail := func() error {
		slices.SortStableFunc(probs, func(a, b Problem) int { return a.Line - b.Line })
		return &Error{Problems: probs}
	}
	if len(data) > MaxSize {
		add(0, "over the %d MiB limit of a catalogue", MaxSize>>20)
		return nil, fail()
	}
	if !utf8.Valid(data) {
		for i, line := range bytes.Split(data, []byte("\n")) {
			if !utf8.Valid(line) {
				add(i+1, "not UTF-8 text (save the file as UTF-8)")
			}
		}
		return nil, fail()
	}

	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		addYAML(err)
		return nil, fail()
	}
	top := &root
	if top.Kind == yaml.DocumentNode && len(top.Content) > 0 {
		top = top.Content[0]
	}
	seq := yamlmsg.Value(top, "procedures")
	if top.Kind != yaml.MappingNode || seq == nil {
		add(top.Line, "want a mapping with a \"procedures\" list (see docs/catalog.md)")
		return nil, fail()
	}

	// The strict decoder finds unknown keys and wrong types, each with its
	// line; its result is not used, as it drops the items it could not
	// decode (which would misalign them with their nodes).
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	var strict catalogFile
	if err := dec.Decode(&strict); err != nil {
		addYAML(err)
	}
	if seq.Kind != yaml.SequenceNode {
		if len(probs) == 0 {
			// "procedures:" with no value decodes without a type error.
			add(seq.Line, "no procedures")
		}
		return nil, fail()
	}
	if len(seq.Content) == 0 {
		add(seq.Line, "no procedures")
	}

	cat := &Catalog{Name: name}
	firstLine := map[string]int{}
	for _, item := range seq.Content {
		switch {
		case item.Kind == yaml.ScalarNode && item.Tag == "!!null":
			// The strict decoder takes an empty item as a zero procedure.
			add(item.Line, "empty procedure (want a mapping with an id and a url)")
			continue
		case item.Kind == yaml.AliasNode:
			add(item.Line, "an alias (*%s) in place of a procedure: write the procedure out", item.Value)
			continue
		case item.Kind != yaml.MappingNode:
			continue // reported by the strict decoder
		}
		var p observatory.Procedure
		_ = item.Decode(&p) // type errors were reported above
		for _, pr := range CheckProcedure(p) {
			add(fieldLine(item, pr.Field), "%s", pr.Msg)
		}
		if p.ID != "" {
			if first, dup := firstLine[p.ID]; dup {
				add(fieldLine(item, "id"), "duplicate id %q (first at line %d)", p.ID, first)
				continue
			}
			firstLine[p.ID] = fieldLine(item, "id")
		}
		cat.Procedures = append(cat.Procedures, p)
	}
	if len(probs) > 0 {
		return nil, fail()
	}
	sum := sha256.Sum256(data)
	cat.Hash = hex.EncodeToString(sum[:])
	return cat, nil
}

// FieldProblem is a fault of one field of a procedure; Field is its key
// path ("url", "declared.online").
type FieldProblem struct {
	Field string
	Msg   string
}

// validID keeps ids usable in file names (screenshots are named by id).
var validID = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$`)

// Declared values accepted in a catalogue.
var (
	franceConnectValues = []string{"not-applicable", "franceconnect", "franceconnect-plus", "non"}
)

// CheckProcedure lists the faults of one procedure: a missing or unusable
// id, a missing or refused URL, declared values outside their sets.
func CheckProcedure(p observatory.Procedure) []FieldProblem {
	var out []FieldProblem
	add := func(field, format string, args ...any) {
		out = append(out, FieldProblem{Field: field, Msg: fmt.Sprintf(format, args...)})
	}
	switch {
	case p.ID == "":
		add("id", "missing id")
	case !validID.MatchString(p.ID):
		add("id", "id %q: want 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit", p.ID)
	}
	if p.URL == "" {
		add("url", "missing url")
	} else if msg := CheckURL(p.URL); msg != "" {
		add("url", "url: %s", msg)
	}
	for _, f := range []struct{ key, v string }{{"login_url", p.LoginURL}, {"contact_url", p.ContactURL}, {"statement_url", p.StatementURL}} {
		if f.v != "" {
			if msg := CheckURL(f.v); msg != "" {
				add(f.key, "%s: %s", f.key, msg)
			}
		}
	}
	if p.Volume < 0 {
		add("volume", "volume %d: want 0 or more", p.Volume)
	}
	if v := p.OnlineShare; v != nil && (math.IsNaN(*v) || *v < 0 || *v > 100) {
		add("online_share", "online_share %v: want a share from 0 to 100", *v)
	}
	d := p.Declared
	if d.Online != "" && !slices.Contains(criteria.OnlineValues, d.Online) {
		add("declared.online", "declared.online %q: want one of %s", d.Online, strings.Join(criteria.OnlineValues, ", "))
	}
	if d.FranceConnect != "" && !slices.Contains(franceConnectValues, d.FranceConnect) {
		add("declared.franceconnect", "declared.franceconnect %q: want one of %s", d.FranceConnect, strings.Join(franceConnectValues, ", "))
	}
	if d.RGAARate != nil && !(*d.RGAARate >= 0 && *d.RGAARate <= 100) {
		add("declared.rgaa_rate", "declared.rgaa_rate %s: want a rate from 0 to 100", formatFloat(*d.RGAARate))
	}
	if d.DLNUF != nil && !(*d.DLNUF >= 0 && !math.IsInf(*d.DLNUF, 1)) {
		add("declared.dlnuf", "declared.dlnuf %s: want 0 or more", formatFloat(*d.DLNUF))
	}
	if d.DLNUF != nil && d.DLNUFNotApplicable {
		add("declared.dlnuf", "declared.dlnuf and declared.dlnuf_not_applicable are both set: keep one")
	}
	if d.Support != nil && *d.Support < 0 {
		add("declared.support", "declared.support %d: want 0 or more", *d.Support)
	}
	return out
}

func formatFloat(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }

// CheckURL says what is wrong with a URL given to scan ("" when nothing):
// only absolute http and https URLs with a host are scanned. The
// catalogue, the CI gate's config and the command line all use it.
func CheckURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return fmt.Sprintf("malformed URL %q: %v", raw, err)
	}
	switch strings.ToLower(u.Scheme) {
	case "http", "https":
	case "":
		return fmt.Sprintf("%q is not an absolute URL (want http:// or https://)", raw)
	default:
		return fmt.Sprintf("scheme %q refused in %q (want http or https)", u.Scheme, raw)
	}
	if u.Hostname() == "" {
		return fmt.Sprintf("no host in %q", raw)
	}
	return ""
}

// fieldLine returns the line of a field of a procedure node, given as a
// dotted path ("declared.online"); the procedure's line when absent.
func fieldLine(item *yaml.Node, path string) int {
	n := item
	for key := range strings.SplitSeq(path, ".") {
		v := yamlmsg.Value(n, key)
		if v == nil {
			return n.Line
		}
		n = v
	}
	return n.Line
}
