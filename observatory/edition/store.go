package edition

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"sync"

	"github.com/observatoire-scanner/observatoire/internal/atomicfile"
	"github.com/observatoire-scanner/observatoire/observatory"
)

// readResults reads a results.jsonl file (absent: no results). It returns
// one result per procedure (the last line of each, at the place of its
// first) and the length of the whole lines, so that a truncated tail can
// be cut off before appending.
func readResults(path string) ([]observatory.Result, int64, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, 0, nil
	}
	if err != nil {
		return nil, 0, fmt.Errorf("edition: %w", err)
	}
	// Only lines ended by "\n" were written whole.
	whole := bytes.LastIndexByte(data, '\n') + 1
	var out []observatory.Result
	at := map[string]int{}
	line := 0
	for chunk := range bytes.SplitSeq(data[:whole], []byte("\n")) {
		line++
		if len(bytes.TrimSpace(chunk)) == 0 {
			continue
		}
		var r observatory.Result
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
	ed *Edition
	mu sync.Mutex
	f  *os.File // results.jsonl, opened for appending
}

// openStore opens (or creates) an edition's folder for writing and
// returns the results already there. A truncated last line is cut off, so
// that the next line appended starts clean, and the temporary files of
// writes that a kill cut short are removed.
func openStore(ed *Edition) (*store, []observatory.Result, error) {
	if err := os.MkdirAll(ed.screenshotsPath(), 0o755); err != nil {
		return nil, nil, fmt.Errorf("edition: %w", err)
	}
	for _, d := range []string{ed.Dir, ed.screenshotsPath()} {
		if err := atomicfile.RemoveLeftovers(d); err != nil {
			return nil, nil, fmt.Errorf("edition: %w", err)
		}
	}
	path := ed.resultsPath()
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
	return &store{ed: ed, f: f}, results, nil
}

// add moves a result's screenshots to files, then appends the result as
// one line, in one write, synced to disk: a kill loses at most this line.
func (s *store) add(r *observatory.Result) error {
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
// screenshots/<id>-<role>-<emulation>.<ext> and keeps only the file name
// in the snapshot.
func (s *store) saveScreenshots(r *observatory.Result) error {
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
			rel := screenshotFile(r.Procedure.ID, role, emu, observatory.ScreenshotExt(shot))
			path, _ := s.ed.File(rel)
			if err := atomicfile.Write(path, shot.Data); err != nil {
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
func (s *store) compact(rs []observatory.Result) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.ed.writeResults(rs); err != nil {
		return err
	}
	f, err := os.OpenFile(s.ed.resultsPath(), os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return fmt.Errorf("edition: %w", err)
	}
	s.f.Close()
	s.f = f
	return nil
}

func (s *store) close() error { return s.f.Close() }

// writeResults writes rs as the edition's whole results.jsonl (one line
// each), through a temporary file renamed into place. A scan's compaction
// and a merge both write an edition's results with it.
func (e *Edition) writeResults(rs []observatory.Result) error {
	var buf bytes.Buffer
	for i := range rs {
		line, err := json.Marshal(&rs[i])
		if err != nil {
			return fmt.Errorf("edition: encode %s: %w", rs[i].Procedure.ID, err)
		}
		buf.Write(line)
		buf.WriteByte('\n')
	}
	if err := atomicfile.Write(e.resultsPath(), buf.Bytes()); err != nil {
		return fmt.Errorf("edition: %w", err)
	}
	return nil
}

// writeMeta writes the edition's meta.json.
func (e *Edition) writeMeta(m Meta) error {
	data, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	if err := atomicfile.Write(e.metaPath(), append(data, '\n')); err != nil {
		return fmt.Errorf("edition: %w", err)
	}
	return nil
}
