// Package atomicfile writes files whole: a reader sees the old file or the
// new, never half, and a write cut short by a kill leaves only a temporary
// file that RemoveLeftovers finds.
package atomicfile

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// tempPattern is the name of the temporary file beside the file written:
// hidden, and ending in ".tmp" and a random number.
func tempPattern(path string) string { return "." + filepath.Base(path) + ".tmp*" }

// Write writes data to a temporary file beside path, syncs it and renames
// it over path (mode 0644): readers see the old file or the new, never
// half. Editions, imported catalogues and the CI gate's baseline are all
// written with it.
func Write(path string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), tempPattern(path))
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

// RemoveLeftovers removes from dir the temporary files that Write leaves
// when the process is killed between their creation and their rename.
func RemoveLeftovers(dir string) error {
	tmps, err := filepath.Glob(filepath.Join(dir, tempPattern("*")))
	if err != nil {
		return err
	}
	for _, f := range tmps {
		if err := os.Remove(f); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
	}
	return nil
}
