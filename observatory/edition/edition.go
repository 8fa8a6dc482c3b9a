// Package edition stores the observatory's editions on disk and makes
// them: the resumable Scan of a catalogue into an edition, shards of a
// scan and their Merge, and the Diff of two editions.
//
// An edition lives in DATA/editions/NAME/: meta.json, results.jsonl (one
// observatory.Result per line, appended as each procedure finishes) and
// screenshots/ (the files named by Screenshot.File). A shard of a scan is
// the partial edition DATA/editions/NAME.shard-K-of-N/. Only this package
// joins these paths: the Edition type owns them.
package edition

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"time"

	"github.com/observatoire-scanner/observatoire/observatory"
)

// Meta describes an edition (meta.json).
type Meta struct {
	// Name is the edition's name, e.g. "2026-Q4".
	Name     string    `json:"name"`
	Started  time.Time `json:"started"`
	Finished time.Time `json:"finished,omitzero"`
	// CatalogHash is the SHA-256 of the catalogue file, hex; CatalogSize
	// the number of procedures in it.
	CatalogHash   string `json:"catalog_hash"`
	CatalogSize   int    `json:"catalog_size"`
	MethodVersion string `json:"method_version"`
	// Shard is "K/N" in a partial edition (scan with a Shard), empty
	// otherwise; CatalogSize then counts the shard's procedures.
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
// procedure, in catalogue order, and the folder that holds them.
type Edition struct {
	Meta    Meta
	Results []observatory.Result
	// Dir is the edition's folder (where Screenshot.File paths resolve).
	Dir string
}

// The layout of the data folder.
const (
	editionsDir    = "editions"
	metaFile       = "meta.json"
	resultsFile    = "results.jsonl"
	screenshotsDir = "screenshots"
)

// validName is a plain folder name: "2026-Q4".
var validName = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$`)

// CheckName refuses an edition name that is not a plain folder name.
func CheckName(name string) error {
	if !validName.MatchString(name) {
		return fmt.Errorf("edition name %q: want letters, digits, '.', '_' or '-' (e.g. 2026-Q4)", name)
	}
	return nil
}

// root is the folder of a data folder's editions: DATA/editions.
func root(dataDir string) string { return filepath.Join(dataDir, editionsDir) }

// At returns the edition NAME of the data folder, not read: its Dir is
// DATA/editions/NAME, which may not exist yet.
func At(dataDir, name string) (*Edition, error) {
	if err := CheckName(name); err != nil {
		return nil, err
	}
	return &Edition{Dir: filepath.Join(root(dataDir), name), Meta: Meta{Name: name}}, nil
}

// Shard returns the partial edition of shard s of e, not read: a folder
// NAME.shard-K-of-N beside e's, so that shards can write to one shared
// volume or bucket prefix without clashing.
func (e *Edition) Shard(s Shard) *Edition {
	folder := fmt.Sprintf("%s.shard-%d-of-%d", e.Meta.Name, s.K, s.N)
	return &Edition{Dir: filepath.Join(filepath.Dir(e.Dir), folder), Meta: Meta{Name: e.Meta.Name, Shard: s.String()}}
}

// shardOf reads the shard out of the name of a folder beside e's:
// NAME.shard-K-of-N; ok is false for any other folder.
func (e *Edition) shardOf(folder string) (s Shard, ok bool) {
	re := regexp.MustCompile(`^` + regexp.QuoteMeta(e.Meta.Name) + `\.shard-([0-9]+)-of-([0-9]+)$`)
	m := re.FindStringSubmatch(folder)
	if m == nil {
		return Shard{}, false
	}
	k, _ := strconv.Atoi(m[1])
	n, _ := strconv.Atoi(m[2])
	return Shard{K: k, N: n}, true
}

func (e *Edition) metaPath() string        { return filepath.Join(e.Dir, metaFile) }
func (e *Edition) resultsPath() string     { return filepath.Join(e.Dir, resultsFile) }
func (e *Edition) screenshotsPath() string { return filepath.Join(e.Dir, screenshotsDir) }

// screenshotFile is the name, relative to the edition's folder, of a
// procedure's screenshot: screenshots/ID-ROLE-EMULATION.EXT.
func screenshotFile(id, role, emulation, ext string) string {
	return screenshotsDir + "/" + fmt.Sprintf("%s-%s-%s.%s", id, role, emulation, ext)
}

// File returns the path on disk of a file named relative to the edition's
// folder (a Screenshot.File). ok is false for a name that would leave the
// folder, or when the edition has no folder.
func (e *Edition) File(rel string) (path string, ok bool) {
	f := filepath.FromSlash(rel)
	if !filepath.IsLocal(f) || e.Dir == "" {
		return "", false
	}
	return filepath.Join(e.Dir, f), true
}

// exists reports whether the edition has been started: its meta.json is
// there.
func (e *Edition) exists() bool {
	_, err := os.Stat(e.metaPath())
	return err == nil
}

// List returns the names of the editions stored in the data folder
// (folders of DATA/editions with a meta.json), sorted by name. No folder:
// no editions.
func List(dataDir string) ([]string, error) {
	entries, err := os.ReadDir(root(dataDir))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("editions: %w", err)
	}
	var names []string
	for _, entry := range entries {
		if !entry.IsDir() || !validName.MatchString(entry.Name()) {
			continue
		}
		if (&Edition{Dir: filepath.Join(root(dataDir), entry.Name())}).exists() {
			names = append(names, entry.Name())
		}
	}
	slices.Sort(names)
	return names, nil
}

// Load reads the edition NAME of the data folder.
func Load(dataDir, name string) (*Edition, error) {
	e, err := At(dataDir, name)
	if err != nil {
		return nil, err
	}
	return LoadDir(e.Dir)
}

// LoadDir reads an edition folder: meta.json and results.jsonl. A
// truncated last line (a scan killed while writing it) is ignored; when a
// procedure has several lines (a rescan), the last one counts. The counts
// of the metadata are those of the results read, so that an interrupted
// edition says how far it got.
func LoadDir(dir string) (*Edition, error) {
	e := &Edition{Dir: dir}
	m, err := e.readMeta()
	if err != nil {
		return nil, err
	}
	e.Meta = *m
	e.Results, _, err = readResults(e.resultsPath())
	if err != nil {
		return nil, err
	}
	e.Meta.Measured, e.Meta.Failed = countOutcomes(e.Results)
	e.Meta.Skipped = max(0, e.Meta.CatalogSize-len(e.Results))
	return e, nil
}

// readMeta reads the edition's meta.json.
func (e *Edition) readMeta() (*Meta, error) {
	data, err := os.ReadFile(e.metaPath())
	if err != nil {
		return nil, fmt.Errorf("edition %s: %w", e.Dir, err)
	}
	m := new(Meta)
	if err := json.Unmarshal(data, m); err != nil {
		return nil, fmt.Errorf("edition %s: %s: %w", e.Dir, metaFile, err)
	}
	return m, nil
}

func countOutcomes(rs []observatory.Result) (measured, failed int) {
	for _, r := range rs {
		if r.Outcome == observatory.Failed {
			failed++
		} else {
			measured++
		}
	}
	return measured, failed
}
