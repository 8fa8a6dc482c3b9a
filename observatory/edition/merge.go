package edition

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/observatoire-scanner/observatoire/observatory"
	"github.com/observatoire-scanner/observatoire/observatory/catalog"
)

// MergeOptions say which partial editions Merge combines.
type MergeOptions struct {
	// DataDir holds the partial editions DATA/editions/NAME.shard-K-of-N;
	// the edition is written to DATA/editions/NAME.
	DataDir string
	Edition string
	// Catalog is the catalogue the shards scanned: it must have the same
	// hash, every procedure must have exactly one result, and the merged
	// edition lists them in its order.
	Catalog *catalog.Catalog
	// Replace lets Merge replace an existing DATA/editions/NAME (else
	// Merge fails with ErrExists).
	Replace bool
}

// ErrExists says that the edition a merge would write is there already
// (MergeOptions.Replace replaces it).
var ErrExists = errors.New("the edition exists already")

// MergeSummary is what Merge did.
type MergeSummary struct {
	Dir                     string
	Shards                  int
	Total, Measured, Failed int
}

// Merge combines the partial editions of o.Edition (written by Scan
// with a Shard) into one edition, the same as a scan of the whole
// catalogue would have written. It refuses, naming the culprit: a missing
// shard, shards of different counts, catalogues or method versions, an
// unfinished shard, a procedure in two shards, and a procedure of the
// catalogue that no shard has.
//
// The edition is built in a temporary folder beside the target and renamed
// into place, so that a failed merge leaves nothing half written.
func Merge(o MergeOptions) (*MergeSummary, error) {
	dest, err := At(o.DataDir, o.Edition)
	if err != nil {
		return nil, err
	}
	if dest.exists() && !o.Replace {
		return nil, fmt.Errorf("merge: edition %s (%s): %w", o.Edition, dest.Dir, ErrExists)
	}
	shards, err := loadShards(dest)
	if err != nil {
		return nil, err
	}
	if err := checkShards(dest, shards, o.Catalog); err != nil {
		return nil, err
	}

	// One result per catalogue procedure, found in exactly one shard.
	from := map[string]*shardEdition{}
	byID := map[string]observatory.Result{}
	for _, se := range shards {
		for _, r := range se.ed.Results {
			id := r.Procedure.ID
			if prev, ok := from[id]; ok {
				return nil, fmt.Errorf("merge: procedure %s is in shard %s and in shard %s (overlapping shards: were they split the same way?)", id, prev.shard, se.shard)
			}
			from[id] = se
			byID[id] = r
		}
	}
	for id, se := range from {
		if got := ShardOf(id, se.shard.N); got != se.shard.K {
			return nil, fmt.Errorf("merge: procedure %s is in shard %s but belongs to shard %d/%d (split another way?)", id, se.shard, got, se.shard.N)
		}
	}
	var results []observatory.Result
	var missing []string
	for _, p := range o.Catalog.Procedures {
		r, ok := byID[p.ID]
		if !ok {
			missing = append(missing, fmt.Sprintf("%s (shard %d/%d)", p.ID, ShardOf(p.ID, shards[0].shard.N), shards[0].shard.N))
			continue
		}
		results = append(results, r)
		delete(byID, p.ID)
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("merge: %d procedures of the catalogue have no result: %s", len(missing), strings.Join(missing, ", "))
	}
	if len(byID) > 0 {
		return nil, fmt.Errorf("merge: %d results are of procedures not in the catalogue, e.g. %s", len(byID), slices.Sorted(maps.Keys(byID))[0])
	}

	meta := mergedMeta(o.Edition, o.Catalog, shards)
	meta.Measured, meta.Failed = countOutcomes(results)

	if err := os.MkdirAll(filepath.Dir(dest.Dir), 0o755); err != nil {
		return nil, fmt.Errorf("merge: %w", err)
	}
	tmpDir, err := os.MkdirTemp(filepath.Dir(dest.Dir), "."+o.Edition+".merge-")
	if err != nil {
		return nil, fmt.Errorf("merge: %w", err)
	}
	defer os.RemoveAll(tmpDir) // left only when the rename failed
	if err := (&Edition{Dir: tmpDir}).writeMerged(results, from, meta); err != nil {
		return nil, err
	}
	if err := os.RemoveAll(dest.Dir); err != nil {
		return nil, fmt.Errorf("merge: replace %s: %w", dest.Dir, err)
	}
	if err := os.Rename(tmpDir, dest.Dir); err != nil {
		return nil, fmt.Errorf("merge: %w", err)
	}
	return &MergeSummary{Dir: dest.Dir, Shards: len(shards), Total: len(results), Measured: meta.Measured, Failed: meta.Failed}, nil
}

// shardEdition is one partial edition found on disk.
type shardEdition struct {
	shard Shard
	ed    *Edition
}

// loadShards reads the partial editions of dest (folders
// NAME.shard-K-of-N beside it), sorted by K.
func loadShards(dest *Edition) ([]*shardEdition, error) {
	parent := filepath.Dir(dest.Dir)
	entries, err := os.ReadDir(parent)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("merge: %w", err)
	}
	name := dest.Meta.Name
	var out []*shardEdition
	for _, e := range entries {
		sh, ok := dest.shardOf(e.Name())
		if !ok || !e.IsDir() {
			continue
		}
		ed, err := LoadDir(dest.Shard(sh).Dir)
		if err != nil {
			return nil, fmt.Errorf("merge: %w", err)
		}
		if ed.Meta.Shard != sh.String() || ed.Meta.Name != name {
			return nil, fmt.Errorf("merge: %s: meta.json says edition %q shard %q, the folder's name says %s shard %s", e.Name(), ed.Meta.Name, ed.Meta.Shard, name, sh)
		}
		out = append(out, &shardEdition{shard: sh, ed: ed})
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("merge: no partial editions of %s in %s (want folders %s, written by a scan of one shard)", name, parent, filepath.Base(dest.Shard(Shard{K: 1, N: 2}).Dir)+"…")
	}
	slices.SortFunc(out, func(a, b *shardEdition) int { return a.shard.K - b.shard.K })
	return out, nil
}

// checkShards refuses a set of shards that do not make one edition.
func checkShards(dest *Edition, shards []*shardEdition, cat *catalog.Catalog) error {
	first := shards[0]
	for _, se := range shards[1:] {
		if se.shard.N != first.shard.N {
			return fmt.Errorf("merge: shards of different splits: %s and %s (all shards of an edition use the same N)", first.ed.Dir, se.ed.Dir)
		}
	}
	n := first.shard.N
	have := map[int]bool{}
	for _, se := range shards {
		have[se.shard.K] = true
	}
	var missing []string
	for k := 1; k <= n; k++ {
		if !have[k] {
			missing = append(missing, fmt.Sprintf("shard %d/%d missing (no %s)", k, n, filepath.Base(dest.Shard(Shard{K: k, N: n}).Dir)))
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("merge: %s", strings.Join(missing, "; "))
	}
	for _, se := range shards {
		m := se.ed.Meta
		if m.CatalogHash != first.ed.Meta.CatalogHash {
			return fmt.Errorf("merge: shard %s scanned another catalogue than shard %s (sha256 %.12s…, %.12s…)", se.shard, first.shard, m.CatalogHash, first.ed.Meta.CatalogHash)
		}
		if m.MethodVersion != first.ed.Meta.MethodVersion {
			return fmt.Errorf("merge: shard %s was scanned with method version %s, shard %s with %s", se.shard, m.MethodVersion, first.shard, first.ed.Meta.MethodVersion)
		}
		if m.Finished.IsZero() || len(se.ed.Results) < m.CatalogSize {
			return fmt.Errorf("merge: shard %s is unfinished (%d of %d procedures scanned): run its scan again to complete it", se.shard, len(se.ed.Results), m.CatalogSize)
		}
	}
	if h := first.ed.Meta.CatalogHash; h != cat.Hash {
		return fmt.Errorf("merge: %w: the shards scanned catalogue sha256 %.12s…, but %s is %.12s…", ErrOtherCatalog, h, cat.Name, cat.Hash)
	}
	return nil
}

// mergedMeta is the whole edition's metadata: it began with the first
// shard and ended with the last; versions that differ between shards are
// all listed.
func mergedMeta(name string, cat *catalog.Catalog, shards []*shardEdition) Meta {
	m := Meta{Name: name, CatalogHash: cat.Hash, CatalogSize: len(cat.Procedures), MethodVersion: shards[0].ed.Meta.MethodVersion}
	var browsers, axes, scanners []string
	for _, se := range shards {
		s := se.ed.Meta
		if m.Started.IsZero() || s.Started.Before(m.Started) {
			m.Started = s.Started
		}
		if s.Finished.After(m.Finished) {
			m.Finished = s.Finished
		}
		browsers = appendNew(browsers, s.Browser)
		axes = appendNew(axes, s.Axe)
		scanners = appendNew(scanners, s.Scanner)
	}
	m.Browser, m.Axe, m.Scanner = strings.Join(browsers, ", "), strings.Join(axes, ", "), strings.Join(scanners, ", ")
	if m.Finished.IsZero() {
		m.Finished = time.Now().UTC()
	}
	return m
}

func appendNew(list []string, v string) []string {
	if v == "" || slices.Contains(list, v) {
		return list
	}
	return append(list, v)
}

// writeMerged writes the edition's files: the screenshots copied from
// each result's shard, results.jsonl and meta.json.
func (e *Edition) writeMerged(results []observatory.Result, from map[string]*shardEdition, meta Meta) error {
	if err := os.MkdirAll(e.screenshotsPath(), 0o755); err != nil {
		return fmt.Errorf("merge: %w", err)
	}
	for i := range results {
		r := &results[i]
		if r.Assessment == nil {
			continue
		}
		for _, snap := range r.Assessment.Pages {
			if snap == nil {
				continue
			}
			for _, shot := range snap.Screenshots {
				if shot.File == "" {
					continue
				}
				src, ok := from[r.Procedure.ID].ed.File(shot.File)
				dst, _ := e.File(shot.File)
				if !ok {
					return fmt.Errorf("merge: procedure %s: screenshot %q is outside its edition's folder", r.Procedure.ID, shot.File)
				}
				if err := copyFile(src, dst); err != nil {
					return err
				}
			}
		}
	}
	if err := e.writeResults(results); err != nil {
		return err
	}
	return e.writeMeta(meta)
}

// copyFile links src to dst when both are on one file system, else copies.
func copyFile(src, dst string) error {
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return fmt.Errorf("merge: %w", err)
	}
	if err := os.Link(src, dst); err == nil {
		return nil
	}
	in, err := os.Open(src)
	if err != nil {
		return fmt.Errorf("merge: screenshot: %w", err)
	}
	defer in.Close()
	out, err := os.Create(dst)
	if err != nil {
		return fmt.Errorf("merge: screenshot: %w", err)
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return fmt.Errorf("merge: copy %s: %w", src, err)
	}
	if err := out.Close(); err != nil {
		return fmt.Errorf("merge: copy %s: %w", src, err)
	}
	return nil
}
