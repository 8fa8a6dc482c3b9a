package monitor

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"time"

	"github.com/observatoire-scanner/observatoire/criteria"
)

// Source names the monitor in the availability criterion's evidence.
const Source = "observatoire monitor"

// Quarter is a calendar quarter, in UTC.
type Quarter struct {
	Year int
	Q    int // 1 to 4
}

var quarterRE = regexp.MustCompile(`^([0-9]{4})-Q([1-4])$`)

// ParseQuarter reads "2026-Q4".
func ParseQuarter(s string) (Quarter, error) {
	m := quarterRE.FindStringSubmatch(s)
	if m == nil {
		return Quarter{}, fmt.Errorf("quarter %q: want YEAR-QN, e.g. 2026-Q4", s)
	}
	y, _ := strconv.Atoi(m[1])
	q, _ := strconv.Atoi(m[2])
	return Quarter{Year: y, Q: q}, nil
}

// String is "2026-Q4".
func (q Quarter) String() string { return fmt.Sprintf("%04d-Q%d", q.Year, q.Q) }

// Start is the quarter's first instant.
func (q Quarter) Start() time.Time {
	return time.Date(q.Year, time.Month(3*q.Q-2), 1, 0, 0, 0, 0, time.UTC)
}

// End is the instant after the quarter.
func (q Quarter) End() time.Time { return q.Start().AddDate(0, 3, 0) }

// Summary is one procedure's figures over a window.
type Summary struct {
	ID     string
	Period string
	// From and To bound the window: the quarter, ended at the time of the
	// summary when the quarter is not over.
	From, To time.Time
	// Up and Down count the samples that count for uptime; NoNetwork the
	// samples of rounds in which no host answered (excluded).
	Up, Down, NoNetwork int
	// Dropped counts torn or invalid records skipped on read.
	Dropped int
	// Covered is the time the Up and Down samples cover; NoNetworkTime the
	// time the no-network samples cover. The rest of the window the
	// monitor was not running.
	Covered, NoNetworkTime time.Duration
	// Interruptions counts the times the monitor stopped between two
	// samples (more than two intervals without one); Longest is the
	// longest such stop.
	Interruptions int
	Longest       time.Duration
	// MeanTTFB and MedianTTFB are over the Up samples, in ms.
	MeanTTFB, MedianTTFB float64
}

// Samples is the number of samples in the window, gaps included.
func (s Summary) Samples() int { return s.Up + s.Down + s.NoNetwork }

// Uptime is the percentage of counted samples that were up (0 when none).
func (s Summary) Uptime() float64 {
	if s.Up+s.Down == 0 {
		return 0
	}
	return 100 * float64(s.Up) / float64(s.Up+s.Down)
}

// Coverage is the percentage of the window the counted samples cover.
func (s Summary) Coverage() float64 {
	w := s.To.Sub(s.From)
	if w <= 0 {
		return 0
	}
	return min(100, 100*float64(s.Covered)/float64(w))
}

// NotCovered is the time of the window not covered by counted samples:
// the monitor was not running, or there was no network.
func (s Summary) NotCovered() time.Duration {
	return max(0, s.To.Sub(s.From)-s.Covered)
}

// Summarize sums procedure id's samples in quarter q up, the window ending
// at now if the quarter is not over.
func Summarize(dataDir, id string, q Quarter, now time.Time) (Summary, error) {
	from, to := q.Start(), q.End()
	if now.Before(to) {
		to = now
	}
	return summarizeWindow(dataDir, id, q.String(), from, to)
}

// summarizeWindow sums procedure id's samples in [from, to) up.
func summarizeWindow(dataDir, id, period string, from, to time.Time) (Summary, error) {
	sum := Summary{ID: id, Period: period, From: from, To: to}
	if !to.After(from) {
		return sum, nil
	}
	samples, dropped, err := ReadSamples(dataDir, id, from, to)
	if err != nil {
		return sum, fmt.Errorf("procedure %s: %w", id, err)
	}
	sum.Dropped = dropped
	summarizeSamples(&sum, samples)
	return sum, nil
}

// summarizeSamples fills sum from samples (any order).
func summarizeSamples(sum *Summary, samples []Sample) {
	byTime := func(a, b Sample) int { return a.At.Compare(b.At) }
	if !slices.IsSortedFunc(samples, byTime) { // they are, as written
		slices.SortStableFunc(samples, byTime)
	}
	var ttfb []float64
	total := 0.0
	for i, s := range samples {
		slot := s.Interval
		if i > 0 {
			d := s.At.Sub(samples[i-1].At)
			if d <= 2*s.Interval {
				slot = d
			} else {
				sum.Interruptions++
				sum.Longest = max(sum.Longest, d-s.Interval)
			}
		}
		if start := s.At.Add(-slot); start.Before(sum.From) {
			slot = s.At.Sub(sum.From)
		}
		switch {
		case s.NoNetwork:
			sum.NoNetwork++
			sum.NoNetworkTime += slot
		case s.Up():
			sum.Up++
			sum.Covered += slot
			ttfb = append(ttfb, s.TTFB)
			total += s.TTFB
		default:
			sum.Down++
			sum.Covered += slot
		}
	}
	if len(ttfb) > 0 {
		sum.MeanTTFB = total / float64(len(ttfb))
		slices.Sort(ttfb)
		if n := len(ttfb); n%2 == 1 {
			sum.MedianTTFB = ttfb[n/2]
		} else {
			sum.MedianTTFB = (ttfb[n/2-1] + ttfb[n/2]) / 2
		}
	}
}

// Report sums up every procedure with samples under dataDir for quarter
// q, ordered by id.
func Report(dataDir string, q Quarter, now time.Time) ([]Summary, error) {
	ids, err := Procedures(dataDir)
	if err != nil {
		return nil, err
	}
	var out []Summary
	for _, id := range ids {
		s, err := Summarize(dataDir, id, q, now)
		if err != nil {
			return nil, err
		}
		if s.Samples() > 0 {
			out = append(out, s)
		}
	}
	return out, nil
}

// QuarterUptime is procedure id's availability figures for quarter q from
// the monitor's data under dataDir, for the availability criterion: nil
// (and no error) when the monitor has no counted sample of it in that
// quarter, so that the caller falls back to another source.
func QuarterUptime(dataDir, id string, q Quarter, now time.Time) (*criteria.Uptime, error) {
	s, err := Summarize(dataDir, id, q, now)
	if err != nil {
		return nil, err
	}
	return s.Criterion(), nil
}

// Criterion is the summary as the availability criterion's input; nil when
// no sample counts.
func (s Summary) Criterion() *criteria.Uptime {
	if s.Up+s.Down == 0 {
		return nil
	}
	return &criteria.Uptime{
		Percent:    s.Uptime(),
		ResponseMS: s.MeanTTFB,
		MedianMS:   s.MedianTTFB,
		Samples:    s.Up + s.Down,
		Source:     Source,
		Period:     s.Period,
		Coverage:   s.Coverage(),
	}
}
