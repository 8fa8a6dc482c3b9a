package atomicfile

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// Write replaces the file whole, readable by all (os.CreateTemp
// alone would leave 0600), and leaves no temporary file behind.
func TestWrite(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "f.json")
	for _, data := range []string{"first\n", "second\n"} {
		if err := Write(path, []byte(data)); err != nil {
			t.Fatal(err)
		}
		got, err := os.ReadFile(path)
		if err != nil || string(got) != data {
			t.Fatalf("read %q, %v; want %q", got, err, data)
		}
	}
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if m := st.Mode().Perm(); m != 0o644 {
		t.Errorf("mode %o, want 644", m)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("%d files in the folder, want 1 (no temporary file left)", len(entries))
	}
	if err := Write(filepath.Join(dir, "no-such-dir", "f"), nil); err == nil {
		t.Error("writing into a missing folder succeeded")
	}
}

// RemoveLeftovers removes what a killed Write left, and only that.
func TestRemoveLeftovers(t *testing.T) {
	dir := t.TempDir()
	keep := []string{"results.jsonl", "meta.json", ".hidden", "notes.tmp"}
	for _, n := range append([]string{".meta.json.tmp123", ".a-start-desktop.jpg.tmp9"}, keep...) {
		if err := os.WriteFile(filepath.Join(dir, n), nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := RemoveLeftovers(dir); err != nil {
		t.Fatal(err)
	}
	var got []string
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		got = append(got, e.Name())
	}
	slices.Sort(keep)
	if !slices.Equal(got, keep) {
		t.Errorf("left %v, want %v", got, keep)
	}
}
