package catalog

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/observatoire-scanner/observatoire/criteria"
	"github.com/observatoire-scanner/observatoire/observatory"
)

// Figures are the figures imported for one procedure: satisfaction from
// JeDonneMonAvis and the uptime monitor's; nil when absent or unusable.
type Figures struct {
	JDMA   *criteria.JDMA
	Uptime *criteria.Uptime
}

// Imports maps a JDMA product id to its imported figures.
type Imports map[string]Figures

// maxImportFile caps one imported file: the real ones are under 1 KiB.
const maxImportFile = 1 << 20

// LoadImports reads DIR/<jdma_id>/jdma.json and DIR/<jdma_id>/updown.json
// for every procedure with a JDMA id (the layout of the observatory's
// nightly results folder). A missing folder or file means no figures; an
// empty, unreadable or malformed file is skipped with a warning naming it.
// The error is non-nil only when dir itself cannot be read.
func LoadImports(dir string, procs []observatory.Procedure) (Imports, []string, error) {
	st, err := os.Stat(dir)
	if err != nil {
		return nil, nil, fmt.Errorf("import: %w", err)
	}
	if !st.IsDir() {
		return nil, nil, fmt.Errorf("import: %s is not a folder", dir)
	}
	out := Imports{}
	var warns []string
	for _, p := range procs {
		id := p.JDMAID
		if id == "" || !validID.MatchString(id) {
			continue // not a folder name we can trust
		}
		if _, done := out[id]; done {
			continue
		}
		var f Figures
		if data, path, ok := readImport(dir, id, "jdma.json", &warns); ok {
			j, err := criteria.ParseJDMA(data)
			if err != nil {
				warns = append(warns, fmt.Sprintf("%s: skipped: %v", path, err))
			} else {
				if j.Source == "" {
					j.Source = path
				}
				f.JDMA = j
			}
		}
		if data, path, ok := readImport(dir, id, "updown.json", &warns); ok {
			u, err := criteria.ParseUptime(data)
			if err != nil {
				warns = append(warns, fmt.Sprintf("%s: skipped: %v", path, err))
			} else {
				if u.Source == "" {
					u.Source = path
				}
				f.Uptime = u
			}
		}
		if f.JDMA != nil || f.Uptime != nil {
			out[id] = f
		}
	}
	return out, warns, nil
}

// readImport reads DIR/ID/NAME; ok is false when it is absent (silently)
// or unreadable (with a warning).
func readImport(dir, id, name string, warns *[]string) (data []byte, path string, ok bool) {
	path = filepath.Join(dir, id, name)
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, path, false
	}
	if err == nil {
		defer f.Close()
		var st os.FileInfo
		if st, err = f.Stat(); err == nil && !st.Mode().IsRegular() {
			err = errors.New("not a regular file")
		}
	}
	if err == nil {
		data, err = io.ReadAll(io.LimitReader(f, maxImportFile+1))
		if err == nil && len(data) > maxImportFile {
			err = fmt.Errorf("over %d KiB", maxImportFile>>10)
		}
	}
	if err != nil {
		*warns = append(*warns, fmt.Sprintf("%s: skipped: %v", path, err))
		return nil, path, false
	}
	return data, path, true
}

// Figures returns the imported figures of a procedure (none without a
// JDMA id).
func (im Imports) Figures(p observatory.Procedure) Figures {
	if im == nil || p.JDMAID == "" {
		return Figures{}
	}
	return im[p.JDMAID]
}
