package monitor

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"time"

	"github.com/observatoire-scanner/observatoire/scanner"
)

// RecordSize is the size of one stored sample, in bytes:
//
//	0-3   uint32  milliseconds since the file's UTC midnight
//	4-7   uint32  time to first byte, microseconds (0: no answer)
//	8-11  uint32  the monitor's interval when the sample was taken, ms
//	12-13 uint16  HTTP status (0: no answer)
//	14    uint8   failure kind (low 4 bits, see kindCodes); bit 7: no network
//	15    uint8   check: low byte of the CRC-32C of bytes 0-14
//
// All integers are little-endian.
const RecordSize = 16

// Sample is one probe of a procedure's start URL, as stored.
type Sample struct {
	At time.Time
	// Status is the HTTP status; 0 when no answer came.
	Status int
	// TTFB is the time to first byte in milliseconds (0: no answer).
	TTFB float64
	// Kind classifies a failure (dns, tls, timeout, network, refused);
	// empty when an answer came.
	Kind scanner.Status
	// Interval is the monitor's interval when the sample was taken.
	Interval time.Duration
	// NoNetwork marks a sample of a round in which no host answered at
	// all: a gap, not downtime.
	NoNetwork bool
}

// Up reports whether the sample is an answer in 2xx or 3xx.
func (s Sample) Up() bool { return s.Status >= 200 && s.Status < 400 }

// kindCodes are the failure kinds' stored codes; 15 is any other kind.
var kindCodes = []scanner.Status{"", scanner.StatusDNS, scanner.StatusTLS, scanner.StatusTimeout, scanner.StatusNetwork, scanner.StatusRefused}

const (
	otherKind     = 15
	noNetworkFlag = 0x80
	maxInterval   = time.Duration(math.MaxUint32) * time.Millisecond
)

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// encode writes s into b (RecordSize bytes), relative to day (a UTC
// midnight).
func encode(b []byte, day time.Time, s Sample) {
	binary.LittleEndian.PutUint32(b[0:], uint32(s.At.Sub(day)/time.Millisecond))
	ttfb := math.Round(s.TTFB * 1000)
	ttfb = math.Max(0, math.Min(ttfb, math.MaxUint32))
	binary.LittleEndian.PutUint32(b[4:], uint32(ttfb))
	binary.LittleEndian.PutUint32(b[8:], uint32(s.Interval/time.Millisecond))
	st := s.Status
	if st < 0 || st > math.MaxUint16 {
		st = 0
	}
	binary.LittleEndian.PutUint16(b[12:], uint16(st))
	code := byte(otherKind)
	for i, k := range kindCodes {
		if k == s.Kind {
			code = byte(i)
		}
	}
	if s.NoNetwork {
		code |= noNetworkFlag
	}
	b[14] = code
	b[15] = byte(crc32.Checksum(b[:15], castagnoli))
}

// decode reads one record; ok is false for a record that cannot be one
// the monitor wrote (a torn or zeroed tail).
func decode(b []byte, day time.Time) (s Sample, ok bool) {
	if b[15] != byte(crc32.Checksum(b[:15], castagnoli)) {
		return s, false
	}
	msOfDay := binary.LittleEndian.Uint32(b[0:])
	interval := binary.LittleEndian.Uint32(b[8:])
	code := b[14]
	kind := code &^ noNetworkFlag
	if msOfDay >= 24*3600*1000 || interval == 0 || (int(kind) >= len(kindCodes) && kind != otherKind) || code&0x70 != 0 {
		return s, false
	}
	s.At = day.Add(time.Duration(msOfDay) * time.Millisecond)
	s.TTFB = float64(binary.LittleEndian.Uint32(b[4:])) / 1000
	s.Interval = time.Duration(interval) * time.Millisecond
	s.Status = int(binary.LittleEndian.Uint16(b[12:]))
	if int(kind) < len(kindCodes) {
		s.Kind = kindCodes[kind]
	} else {
		s.Kind = "other"
	}
	s.NoNetwork = code&noNetworkFlag != 0
	return s, true
}

// validID is the catalogue's procedure id rule: safe as a file name.
var validID = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$`)

// Dir is where the monitor keeps its samples under a data folder.
func Dir(dataDir string) string { return filepath.Join(dataDir, "monitor") }

func dayFile(dataDir, id string, day time.Time) string {
	return filepath.Join(Dir(dataDir), id, day.Format(time.DateOnly)+".smp")
}

// Store appends samples to the per-procedure, per-day files. It is not
// safe for concurrent use.
type Store struct {
	dataDir string
	open    map[string]*openFile // by procedure id
	buf     [RecordSize]byte
}

type openFile struct {
	day   time.Time
	f     *os.File
	dirty bool
}

// OpenStore prepares DIR/monitor for writing and proves it writable by
// writing, syncing and removing a file there: an unwritable data folder
// is an error now, not samples lost later.
func OpenStore(dataDir string) (*Store, error) {
	dir := Dir(dataDir)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("monitor data folder %s cannot be created: %w", dir, err)
	}
	f, err := os.CreateTemp(dir, ".write-test-*")
	if err != nil {
		return nil, fmt.Errorf("monitor data folder %s is not writable: %w", dir, err)
	}
	_, werr := f.Write(make([]byte, RecordSize))
	serr := f.Sync()
	cerr := f.Close()
	os.Remove(f.Name())
	if err := errors.Join(werr, serr, cerr); err != nil {
		return nil, fmt.Errorf("monitor data folder %s is not writable: %w", dir, err)
	}
	return &Store{dataDir: dataDir, open: map[string]*openFile{}}, nil
}

// Append writes one sample of procedure id to its day's file. The write
// reaches the kernel before Append returns (it survives the process being
// killed); Sync makes it survive a power failure.
func (s *Store) Append(id string, smp Sample) error {
	if !validID.MatchString(id) {
		return fmt.Errorf("procedure id %q: not usable as a file name", id)
	}
	if smp.Interval <= 0 || smp.Interval > maxInterval {
		return fmt.Errorf("procedure %s: interval %s out of range", id, smp.Interval)
	}
	at := smp.At.UTC()
	day := time.Date(at.Year(), at.Month(), at.Day(), 0, 0, 0, 0, time.UTC)
	of := s.open[id]
	if of == nil || !of.day.Equal(day) {
		if of != nil {
			if err := of.close(); err != nil {
				return err
			}
		}
		f, err := openAppend(dayFile(s.dataDir, id, day))
		if err != nil {
			delete(s.open, id)
			return err
		}
		of = &openFile{day: day, f: f}
		s.open[id] = of
	}
	encode(s.buf[:], day, Sample{At: at, Status: smp.Status, TTFB: smp.TTFB, Kind: smp.Kind, Interval: smp.Interval, NoNetwork: smp.NoNetwork})
	if _, err := of.f.Write(s.buf[:]); err != nil {
		return fmt.Errorf("writing a sample to %s: %w", of.f.Name(), err)
	}
	of.dirty = true
	return nil
}

// openAppend opens a day file for appending, cutting off a torn last
// record first so that the records written next stay aligned.
func openAppend(path string) (*os.File, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, fmt.Errorf("creating %s: %w", filepath.Dir(path), err)
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o644)
	if err != nil {
		return nil, fmt.Errorf("opening %s: %w", path, err)
	}
	fi, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("opening %s: %w", path, err)
	}
	if torn := fi.Size() % RecordSize; torn != 0 {
		if err := f.Truncate(fi.Size() - torn); err != nil {
			f.Close()
			return nil, fmt.Errorf("cutting a torn record off %s: %w", path, err)
		}
	}
	return f, nil
}

// Sync flushes every file written since the last Sync to stable storage.
func (s *Store) Sync() error {
	var errs []error
	for _, of := range s.open {
		if of.dirty {
			if err := of.f.Sync(); err != nil {
				errs = append(errs, fmt.Errorf("syncing %s: %w", of.f.Name(), err))
				continue
			}
			of.dirty = false
		}
	}
	return errors.Join(errs...)
}

// Close syncs and closes every open file.
func (s *Store) Close() error {
	var errs []error
	for id, of := range s.open {
		errs = append(errs, of.close())
		delete(s.open, id)
	}
	return errors.Join(errs...)
}

func (of *openFile) close() error {
	var serr error
	if of.dirty {
		serr = of.f.Sync()
	}
	if err := errors.Join(serr, of.f.Close()); err != nil {
		return fmt.Errorf("closing %s: %w", of.f.Name(), err)
	}
	return nil
}

// ReadSamples returns procedure id's samples taken in [from, to), in
// order, and how many records were dropped as torn or invalid.
func ReadSamples(dataDir, id string, from, to time.Time) (samples []Sample, dropped int, err error) {
	if !validID.MatchString(id) {
		return nil, 0, fmt.Errorf("procedure id %q: not usable as a file name", id)
	}
	from, to = from.UTC(), to.UTC()
	day := time.Date(from.Year(), from.Month(), from.Day(), 0, 0, 0, 0, time.UTC)
	for ; day.Before(to); day = day.AddDate(0, 0, 1) {
		data, err := os.ReadFile(dayFile(dataDir, id, day))
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, dropped, fmt.Errorf("reading samples: %w", err)
		}
		if torn := len(data) % RecordSize; torn != 0 {
			dropped++
			data = data[:len(data)-torn]
		}
		for off := 0; off < len(data); off += RecordSize {
			s, ok := decode(data[off:off+RecordSize], day)
			if !ok {
				dropped++
				continue
			}
			if s.At.Before(from) || !s.At.Before(to) {
				continue
			}
			samples = append(samples, s)
		}
	}
	return samples, dropped, nil
}

// Procedures lists the procedure ids that have samples under dataDir.
func Procedures(dataDir string) ([]string, error) {
	entries, err := os.ReadDir(Dir(dataDir))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("listing monitor data: %w", err)
	}
	var ids []string
	for _, e := range entries {
		if e.IsDir() && validID.MatchString(e.Name()) {
			ids = append(ids, e.Name())
		}
	}
	return ids, nil
}
