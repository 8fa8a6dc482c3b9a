package monitor

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/observatoire-scanner/observatoire/scanner"
)

func TestRecordRoundTrip(t *testing.T) {
	day := time.Date(2026, 11, 29, 0, 0, 0, 0, time.UTC)
	for _, s := range []Sample{
		{At: day.Add(7*time.Hour + 123*time.Millisecond), Status: 200, TTFB: 123.456, Interval: time.Minute},
		{At: day.Add(23*time.Hour + 59*time.Minute), Status: 503, TTFB: 1.5, Interval: 50 * time.Millisecond},
		{At: day, Kind: scanner.StatusDNS, Interval: time.Second},
		{At: day.Add(time.Hour), Kind: scanner.StatusTimeout, Interval: time.Second, NoNetwork: true},
		{At: day.Add(time.Hour), Kind: scanner.StatusBlocked, Interval: time.Second},
	} {
		var b [RecordSize]byte
		encode(b[:], day, s)
		got, ok := decode(b[:], day)
		want := s
		if want.Kind == scanner.StatusBlocked {
			want.Kind = "other"
		}
		if !ok || !got.At.Equal(want.At) || got.Status != want.Status || got.TTFB != want.TTFB ||
			got.Kind != want.Kind || got.Interval != want.Interval || got.NoNetwork != want.NoNetwork {
			t.Errorf("round trip of %+v: got %+v, %v", s, got, ok)
		}
		// Any one flipped byte is caught by the check byte or the fields.
		for i := range b {
			c := b
			c[i] ^= 0x01
			if _, ok := decode(c[:], day); ok {
				t.Errorf("%+v: byte %d flipped, record still accepted", s, i)
			}
		}
	}
	var zero [RecordSize]byte
	if _, ok := decode(zero[:], day); ok {
		t.Error("a zeroed record is accepted")
	}
}

// TestTornRecord: a torn last record is dropped on read, and the writer
// cuts it off before appending, so the next records stay readable.
func TestTornRecord(t *testing.T) {
	dir := t.TempDir()
	st, err := OpenStore(dir)
	if err != nil {
		t.Fatal(err)
	}
	at := time.Now().UTC().Truncate(time.Millisecond)
	for i := range 3 {
		if err := st.Append("p1", Sample{At: at.Add(time.Duration(i) * time.Millisecond), Status: 200, TTFB: 5, Interval: time.Second}); err != nil {
			t.Fatal(err)
		}
	}
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	path := dayFile(dir, "p1", at.Truncate(24*time.Hour))
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.Write([]byte{1, 2, 3, 4, 5, 6, 7})
	f.Close()
	from, to := at.Add(-time.Hour), at.Add(time.Hour)
	got, dropped, err := ReadSamples(dir, "p1", from, to)
	if err != nil || len(got) != 3 || dropped != 1 {
		t.Fatalf("torn file: %d samples, %d dropped, %v; want 3, 1", len(got), dropped, err)
	}
	st, err = OpenStore(dir)
	if err != nil {
		t.Fatal(err)
	}
	if err := st.Append("p1", Sample{At: at.Add(time.Second), Status: 503, Interval: time.Second}); err != nil {
		t.Fatal(err)
	}
	st.Close()
	got, dropped, err = ReadSamples(dir, "p1", from, to)
	if err != nil || len(got) != 4 || dropped != 0 || got[3].Status != 503 {
		t.Fatalf("after append: %d samples, %d dropped, %v; want 4, 0, the last 503", len(got), dropped, err)
	}
}

// TestUnwritableData: a data folder that cannot be written is refused at
// once with a clear error; a day file that cannot be opened stops the
// writer with an error (never a sample dropped silently).
func TestUnwritableData(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "file")
	os.WriteFile(file, nil, 0o644)
	_, err := OpenStore(file)
	if err == nil || !strings.Contains(err.Error(), "monitor data folder") {
		t.Errorf("a file as data folder: %v", err)
	}
	st, err := OpenStore(dir)
	if err != nil {
		t.Fatal(err)
	}
	at := time.Now().UTC()
	// A folder where the day's file should be.
	os.MkdirAll(dayFile(dir, "p1", at.Truncate(24*time.Hour)), 0o755)
	err = st.Append("p1", Sample{At: at, Status: 200, Interval: time.Second})
	if err == nil || !strings.Contains(err.Error(), "p1") {
		t.Errorf("append to an unopenable file: %v", err)
	}
	if err := st.Append("../x", Sample{At: at, Status: 200, Interval: time.Second}); err == nil {
		t.Error("a procedure id with a path is accepted")
	}
}

// BenchmarkQuarterUptime reads and sums up one procedure's full quarter
// at one sample a minute (132,480 samples in 92 day files): what scan
// does per procedure.
func BenchmarkQuarterUptime(b *testing.B) {
	dir := b.TempDir()
	st, err := OpenStore(dir)
	if err != nil {
		b.Fatal(err)
	}
	q := Quarter{Year: 2026, Q: 4}
	for at := q.Start().Add(time.Minute); at.Before(q.End()); at = at.Add(time.Minute) {
		s := Sample{At: at, Status: 200, TTFB: 150 + float64(at.Minute()), Interval: time.Minute}
		if at.Minute() == 7 && at.Hour() == 3 {
			s.Status = 503
		}
		if err := st.Append("2301", s); err != nil {
			b.Fatal(err)
		}
	}
	if err := st.Close(); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		u, err := QuarterUptime(dir, "2301", q, q.End())
		if err != nil || u == nil || u.Samples != 132480-1 || u.Coverage < 99.99 {
			b.Fatalf("%+v %v", u, err)
		}
	}
}
