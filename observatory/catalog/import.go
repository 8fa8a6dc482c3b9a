package catalog

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"

	"github.com/observatoire-scanner/observatoire/criteria"
	"github.com/observatoire-scanner/observatoire/observatory"
)

// importColumns maps a catalogue field to the column names it is read
// from, folded (lower case, no accents, "_" for anything but letters and
// digits). The first names are those of the observatory's own export.
var importColumns = []struct {
	field string
	names []string
}{
	{"id", []string{"ref_demarche", "id", "reference", "ref"}},
	{"title", []string{"nom_demarche", "titre", "title", "intitule", "demarche"}},
	{"ministry", []string{"nom_ministere", "ministere", "ministry"}},
	{"administration", []string{"nom_administration", "administration", "nom_direction", "direction"}},
	{"url", []string{"url_demarche", "url", "lien", "lien_demarche"}},
	{"jdma_id", []string{"dashlord_id_jdma", "id_jdma", "jdma_id", "jdma_product_id"}},
	{"volume", []string{"volumetrie", "volume", "volumetrie_annuelle"}},
	{"login_url", []string{"url_connexion", "login_url"}},
	{"contact_url", []string{"url_contact", "contact_url", "url_aide"}},
	{"statement_url", []string{"url_declaration_accessibilite", "url_accessibilite", "statement_url"}},
}

// ImportTSV reads the observatory's public list of procedures
// (procedures.tsv: jdma_product_id, last_seen, url) as catalogue entries:
// the id and the JDMA id are the product id, the title is left empty (it
// is read from the page at scan time). Rows that would not pass
// validation are skipped, each with a warning naming NAME:LINE.
func ImportTSV(name string, r io.Reader) ([]observatory.Procedure, []string, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxSize+1))
	if err != nil {
		return nil, nil, fmt.Errorf("catalog import: %s: %w", name, err)
	}
	if len(data) > MaxSize {
		return nil, nil, fmt.Errorf("catalog import: %s: over the %d MiB limit", name, MaxSize>>20)
	}
	if !utf8.Valid(data) {
		return nil, nil, fmt.Errorf("catalog import: %s: not UTF-8 text", name)
	}
	data = bytes.TrimPrefix(data, []byte("\ufeff"))
	var rows [][]string
	var lines []int
	for i, line := range strings.Split(string(data), "\n") {
		line = strings.TrimRight(line, "\r")
		if strings.TrimSpace(line) == "" {
			continue
		}
		rows = append(rows, strings.Split(line, "\t"))
		lines = append(lines, i+1)
	}
	if len(rows) == 0 {
		return nil, nil, fmt.Errorf("catalog import: %s: empty file", name)
	}
	cols := map[string]int{}
	for i, h := range rows[0] {
		switch foldColumn(h) {
		case "jdma_product_id":
			cols["id"], cols["jdma_id"] = i, i
		case "url":
			cols["url"] = i
		}
	}
	if _, ok := cols["id"]; !ok {
		return nil, nil, fmt.Errorf("catalog import: %s:%d: no jdma_product_id column", name, lines[0])
	}
	if _, ok := cols["url"]; !ok {
		return nil, nil, fmt.Errorf("catalog import: %s:%d: no url column", name, lines[0])
	}
	procs, warns := importRows(name, cols, rows[1:], lines[1:])
	return procs, warns, nil
}

// ImportCSV reads a CSV export of the observatory's table (columns such as
// Ref_Demarche, Nom_Demarche, Nom_Ministere, Nom_Administration,
// URL_Demarche, Dashlord_ID_JDMA; see importColumns) as catalogue entries.
// It takes ";" or "," as separator (whichever the header uses), skips a
// byte-order mark and reads Windows-1252 text when the file is not UTF-8,
// as spreadsheets export it. The id is Ref_Demarche, else the JDMA id.
// Rows that would not pass validation are skipped with a warning.
func ImportCSV(name string, r io.Reader) ([]observatory.Procedure, []string, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxSize+1))
	if err != nil {
		return nil, nil, fmt.Errorf("catalog import: %s: %w", name, err)
	}
	if len(data) > MaxSize {
		return nil, nil, fmt.Errorf("catalog import: %s: over the %d MiB limit", name, MaxSize>>20)
	}
	data = bytes.TrimPrefix(data, []byte("\ufeff"))
	var warns []string
	if !utf8.Valid(data) {
		data = decodeWindows1252(data)
		warns = append(warns, name+": not UTF-8: read as Windows-1252")
	}
	header, _, _ := bytes.Cut(data, []byte("\n"))
	cr := csv.NewReader(bytes.NewReader(data))
	cr.Comma = ','
	if bytes.Count(header, []byte(";")) > bytes.Count(header, []byte(",")) {
		cr.Comma = ';'
	}
	cr.FieldsPerRecord = -1
	cr.LazyQuotes = true
	var rows [][]string
	var lines []int
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, nil, fmt.Errorf("catalog import: %s: %w", name, err)
		}
		line, _ := cr.FieldPos(0)
		rows, lines = append(rows, rec), append(lines, line)
	}
	if len(rows) == 0 {
		return nil, nil, fmt.Errorf("catalog import: %s: empty file", name)
	}
	cols := map[string]int{}
	for i, h := range rows[0] {
		h = foldColumn(h)
		for _, c := range importColumns {
			if _, taken := cols[c.field]; !taken && slices.Contains(c.names, h) {
				cols[c.field] = i
			}
		}
	}
	if _, ok := cols["url"]; !ok {
		return nil, nil, fmt.Errorf("catalog import: %s:%d: no URL column (want URL_Demarche or url)", name, lines[0])
	}
	_, hasID := cols["id"]
	_, hasJDMA := cols["jdma_id"]
	if !hasID && !hasJDMA {
		return nil, nil, fmt.Errorf("catalog import: %s:%d: no id column (want Ref_Demarche or Dashlord_ID_JDMA)", name, lines[0])
	}
	procs, w := importRows(name, cols, rows[1:], lines[1:])
	return procs, append(warns, w...), nil
}

// importRows turns rows into procedures, skipping (with a warning) rows
// without an id or URL, duplicate ids, and rows that fail CheckProcedure.
func importRows(name string, cols map[string]int, rows [][]string, lines []int) ([]observatory.Procedure, []string) {
	var procs []observatory.Procedure
	var warns []string
	seen := map[string]int{}
	for i, rec := range rows {
		get := func(field string) string {
			c, ok := cols[field]
			if !ok || c >= len(rec) {
				return ""
			}
			return criteria.Normalize(rec[c])
		}
		blank := true
		for _, f := range rec {
			if strings.TrimSpace(f) != "" {
				blank = false
			}
		}
		if blank {
			continue
		}
		at := fmt.Sprintf("%s:%d", name, lines[i])
		p := observatory.Procedure{
			ID:             get("id"),
			Title:          get("title"),
			Ministry:       get("ministry"),
			Administration: get("administration"),
			URL:            get("url"),
			LoginURL:       get("login_url"),
			ContactURL:     get("contact_url"),
			StatementURL:   get("statement_url"),
			JDMAID:         get("jdma_id"),
		}
		if p.ID == "" {
			p.ID = p.JDMAID
		}
		if v := get("volume"); v != "" {
			n, err := parseCount(v)
			if err != nil {
				warns = append(warns, fmt.Sprintf("%s: volume %q ignored: not a whole number", at, v))
			}
			p.Volume = n
		}
		if probs := CheckProcedure(p); len(probs) > 0 {
			msgs := make([]string, len(probs))
			for j, pr := range probs {
				msgs[j] = pr.Msg
			}
			warns = append(warns, fmt.Sprintf("%s: row skipped: %s", at, strings.Join(msgs, "; ")))
			continue
		}
		if first, dup := seen[p.ID]; dup {
			warns = append(warns, fmt.Sprintf("%s: row skipped: duplicate id %q (first at line %d)", at, p.ID, first))
			continue
		}
		seen[p.ID] = lines[i]
		procs = append(procs, p)
	}
	return procs, warns
}

// parseCount reads a whole number written with French digit grouping
// ("12 345", "12.345").
func parseCount(s string) (int, error) {
	s = strings.NewReplacer(" ", "", "\u00a0", "", "\u202f", "", ".", "").Replace(s)
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 {
		return 0, fmt.Errorf("not a whole number: %q", s)
	}
	return n, nil
}

// foldColumn folds a column name: "Nom_Ministère " and "nom ministere"
// both give "nom_ministere".
func foldColumn(h string) string {
	h = criteria.Fold(strings.TrimPrefix(h, "\ufeff"))
	var b strings.Builder
	under := false
	for _, r := range h {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			if under && b.Len() > 0 {
				b.WriteByte('_')
			}
			under = false
			b.WriteRune(r)
			continue
		}
		under = true
	}
	return b.String()
}

// cp1252 holds the Windows-1252 characters of bytes 0x80–0x9F (the rest
// of the high half is Latin-1, which maps byte to rune as is).
var cp1252 = [32]rune{
	'€', '\u0081', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u008d', 'Ž', '\u008f',
	'\u0090', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u009d', 'ž', 'Ÿ',
}

// decodeWindows1252 converts Windows-1252 text to UTF-8.
func decodeWindows1252(b []byte) []byte {
	var out bytes.Buffer
	out.Grow(len(b) + len(b)/8)
	for _, c := range b {
		switch {
		case c < 0x80:
			out.WriteByte(c)
		case c < 0xA0:
			out.WriteRune(cp1252[c-0x80])
		default:
			out.WriteRune(rune(c))
		}
	}
	return out.Bytes()
}

// WriteCatalog writes procedures as a catalogue file, after a comment
// header (each line of header becomes a "# " line).
func Write(w io.Writer, header string, procs []observatory.Procedure) error {
	var buf bytes.Buffer
	for line := range strings.SplitSeq(strings.TrimSpace(header), "\n") {
		if line != "" {
			buf.WriteString("# " + line + "\n")
		}
	}
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(catalogFile{Procedures: procs}); err != nil {
		return fmt.Errorf("catalog: encode: %w", err)
	}
	if err := enc.Close(); err != nil {
		return fmt.Errorf("catalog: encode: %w", err)
	}
	_, err := w.Write(buf.Bytes())
	return err
}
