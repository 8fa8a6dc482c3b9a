package observatory

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sync"
)

// Files of an edition's folder.
const (
	metaFile       = "meta.json"
	resultsFile    = "results.jsonl"
	screenshotsDir = "screenshots"
)

// EditionDir returns DATA/editions/NAME, refusing a name that is not a
// plain folder name ("2026-Q4").
func EditionDir(dataDir, name string) (string, error) {
	if !validID.MatchString(name) {
		return "", fmt.Errorf("edition name %q: want letters, digits, '.', '_' or '-' (e.g. 2026-Q4)", name)
	}
	return filepath.Join(dataDir, "editions", name), nil
}

// ListEditions returns the names of the editions stored under
// DATA/editions (folders with a meta.json), sorted by name. No folder: no
// editions.
func ListEditions(dataDir string) ([]string, error) {
	entries, err := os.ReadDir(filepath.Join(dataDir, "editions"))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("editions: %w", err)
	}
	var names []string
	for _, e := range entries {
		if !e.IsDir() || !validID.MatchString(e.Name()) {
			continue
		}
		if _, err := os.Stat(filepath.Join(dataDir, "editions", e.Name(), metaFile)); err == nil {
			names = append(names, e.Name())
		}
	}
	slices.Sort(names)
	return names, nil
}

// LoadEdition reads the edition NAME stored under DATA/editions.
func LoadEdition(dataDir, name string) (*Edition, error) {
	dir, err := EditionDir(dataDir, name)
	if err != nil {
		return nil, err
	}
	return LoadEditionDir(dir)
}

// LoadEditionDir reads an edition folder: meta.json and results.jsonl. A
// truncated last line (a scan killed while writing it) is ignored; when a
// procedure has several lines (a rescan), the last one counts. The counts
// of the metadata are those of the results read, so that an interrupted
// edition says how far it got.
func LoadEditionDir(dir string) (*Edition, error) {
	data, err := os.ReadFile(filepath.Join(dir, metaFile))
	if err != nil {
		return nil, fmt.Errorf("edition %s: %w", dir, err)
	}
	ed := &Edition{Dir: dir}
	if err := json.Unmarshal(data, &ed.Meta); err != nil {
		return nil, fmt.Errorf("edition %s: %s: %w", dir, metaFile, err)
	}
	ed.Results, _, err = readResults(filepath.Join(dir, resultsFile))
	if err != nil {
		return nil, err
	}
	ed.Meta.Measured, ed.Meta.Failed = countOutcomes(ed.Results)
	ed.Meta.Skipped = max(0, ed.Meta.CatalogSize-len(ed.Results))
	return ed, nil
}

func countOutcomes(rs []Result) (measured, failed int) {
	for _, r := range rs {
		if r.Outcome == Failed {
			failed++
		} else {
			measured++
		}
	}
	return measured, failed
}

// readResults reads a results.jsonl file (absent: no results). It returns
// one result per procedure (the last line of each, at the place of its
// first) and the length of the whole lines, so that a truncated tail can
// be cut off before appending.
func readResults(path string) ([]Result, int64, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, 0, nil
	}
	if err != nil {
		return nil, 0, fmt.Errorf("edition: %w", err)
	}
	// Only lines ended by "\n" were written whole.
	whole := bytes.LastIndexByte(data, '\n') + 1
	var out []Result
	at := map[string]int{}
	line := 0
	for chunk := range bytes.SplitSeq(data[:whole], []byte("\n")) {
		line++
		if len(bytes.TrimSpace(chunk)) == 0 {
			continue
		}
		var r Result
		if err := json.Unmarshal(chunk, &r); err != nil {
			return nil, 0, fmt.Errorf("edition: %s:%d: %w", path, line, err)
		}
		if i, ok := at[r.Procedure.ID]; ok {
			out[i] = r
			continue
		}
		at[r.Procedure.ID] = len(out)
		out = append(out, r)
	}
	return out, int64(whole), nil
}

// store writes an edition's folder while a scan runs.
type store struct {
	dir string
	mu  sync.Mutex
	f   *os.File // results.jsonl, opened for appending
}

// openStore opens (or creates) an edition folder for writing and returns
// the results already there. A truncated last line is cut off, so that
// the next line appended starts clean, and the temporary files of writes
// that a kill cut short are removed.
func openStore(dir string) (*store, []Result, error) {
	if err := os.MkdirAll(filepath.Join(dir, screenshotsDir), 0o755); err != nil {
		return nil, nil, fmt.Errorf("edition: %w", err)
	}
	if err := removeTempFiles(dir, filepath.Join(dir, screenshotsDir)); err != nil {
		return nil, nil, fmt.Errorf("edition: %w", err)
	}
	path := filepath.Join(dir, resultsFile)
	results, whole, err := readResults(path)
	if err != nil {
		return nil, nil, err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o644)
	if err != nil {
		return nil, nil, fmt.Errorf("edition: %w", err)
	}
	if st, err := f.Stat(); err == nil && st.Size() > whole {
		if err := f.Truncate(whole); err != nil {
			f.Close()
			return nil, nil, fmt.Errorf("edition: cut the truncated last line of %s: %w", path, err)
		}
	}
	return &store{dir: dir, f: f}, results, nil
}

// add moves a result's screenshots to files, then appends the result as
// one line, in one write, synced to disk: a kill loses at most this line.
func (s *store) add(r *Result) error {
	if err := s.saveScreenshots(r); err != nil {
		return err
	}
	line, err := json.Marshal(r)
	if err != nil {
		return fmt.Errorf("edition: encode %s: %w", r.Procedure.ID, err)
	}
	line = append(line, '\n')
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, err := s.f.Write(line); err != nil {
		return fmt.Errorf("edition: write %s: %w", resultsFile, err)
	}
	if err := s.f.Sync(); err != nil {
		return fmt.Errorf("edition: sync %s: %w", resultsFile, err)
	}
	return nil
}

// saveScreenshots writes each page's images as
// screenshots/<id>-<role>-<emulation>.jpg and keeps only the file name in
// the snapshot.
func (s *store) saveScreenshots(r *Result) error {
	if r.Assessment == nil {
		return nil
	}
	for role, snap := range r.Assessment.Pages {
		if snap == nil {
			continue
		}
		for emu, shot := range snap.Screenshots {
			if len(shot.Data) == 0 {
				continue
			}
			ext := "jpg"
			if shot.Format == "png" {
				ext = "png"
			}
			rel := screenshotsDir + "/" + fmt.Sprintf("%s-%s-%s.%s", r.Procedure.ID, role, emu, ext)
			if err := WriteFileAtomic(filepath.Join(s.dir, filepath.FromSlash(rel)), shot.Data); err != nil {
				return fmt.Errorf("edition: %w", err)
			}
			shot.Data, shot.File = nil, rel
			snap.Screenshots[emu] = shot
		}
	}
	return nil
}

// compact rewrites results.jsonl with exactly rs (one line each), through
// a temporary file renamed into place.
func (s *store) compact(rs []Result) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	path := filepath.Join(s.dir, resultsFile)
	if err := writeResults(path, rs); err != nil {
		return err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return fmt.Errorf("edition: %w", err)
	}
	s.f.Close()
	s.f = f
	return nil
}

func (s *store) writeMeta(m EditionMeta) error { return writeMeta(s.dir, m) }

// writeResults writes rs as a whole results.jsonl file at path (one line
// each), through a temporary file renamed into place. A scan's compaction
// and a merge both write an edition's results with it.
func writeResults(path string, rs []Result) error {
	var buf bytes.Buffer
	for i := range rs {
		line, err := json.Marshal(&rs[i])
		if err != nil {
			return fmt.Errorf("edition: encode %s: %w", rs[i].Procedure.ID, err)
		}
		buf.Write(line)
		buf.WriteByte('\n')
	}
	if err := WriteFileAtomic(path, buf.Bytes()); err != nil {
		return fmt.Errorf("edition: %w", err)
	}
	return nil
}

// writeMeta writes an edition folder's meta.json.
func writeMeta(dir string, m EditionMeta) error {
	data, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	if err := WriteFileAtomic(filepath.Join(dir, metaFile), append(data, '\n')); err != nil {
		return fmt.Errorf("edition: %w", err)
	}
	return nil
}

func (s *store) close() error { return s.f.Close() }

// removeTempFiles removes from dirs the temporary files that
// WriteFileAtomic leaves when the process is killed between their
// creation and their rename.
func removeTempFiles(dirs ...string) error {
	for _, d := range dirs {
		tmps, err := filepath.Glob(filepath.Join(d, ".*.tmp*"))
		if err != nil {
			return err
		}
		for _, f := range tmps {
			if err := os.Remove(f); err != nil && !errors.Is(err, fs.ErrNotExist) {
				return err
			}
		}
	}
	return nil
}

// WriteFileAtomic writes data to a temporary file beside path, syncs it
// and renames it over path (mode 0644): readers see the old file or the
// new, never half. Editions, imported catalogues and the CI gate's
// baseline are all written with it.
func WriteFileAtomic(path string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp*")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	_, err = tmp.Write(data)
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(tmp.Name(), 0o644)
	}
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	if err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}
