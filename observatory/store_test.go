package observatory

import (
	"os"
	"path/filepath"
	"testing"
)

// WriteFileAtomic replaces the file whole, readable by all (os.CreateTemp
// alone would leave 0600), and leaves no temporary file behind.
func TestWriteFileAtomic(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "f.json")
	for _, data := range []string{"first\n", "second\n"} {
		if err := WriteFileAtomic(path, []byte(data)); err != nil {
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
	if err := WriteFileAtomic(filepath.Join(dir, "no-such-dir", "f"), nil); err == nil {
		t.Error("writing into a missing folder succeeded")
	}
}
