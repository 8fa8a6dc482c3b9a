package site

import (
	"cmp"
	"fmt"
	"slices"
	"time"

	"github.com/observatoire-scanner/observatoire/criteria"
	"github.com/observatoire-scanner/observatoire/observatory"
)

// history returns a procedure's result in each edition (nil where it is
// absent), oldest first.
func (s *site) history(key string) []*observatory.Result {
	if h, ok := s.hist[key]; ok {
		return h
	}
	return make([]*observatory.Result, len(s.editions))
}

// indexHistory fills s.hist: for each procedure key, its result per
// edition.
func (s *site) indexHistory() {
	s.hist = map[string][]*observatory.Result{}
	for i, e := range s.editions {
		for j := range e.Results {
			r := &e.Results[j]
			k := resultKey(r)
			h := s.hist[k]
			if h == nil {
				h = make([]*observatory.Result, len(s.editions))
				s.hist[k] = h
			}
			if h[i] == nil {
				h[i] = r
			}
		}
	}
}

// duration says since which edition a procedure's level on a criterion has
// been what it is: Editions consecutive editions, the first being Since.
type duration struct {
	Criterion criteria.ID
	Level     criteria.Level
	Since     string
	Editions  int
}

// Text is the duration in words: "Non depuis 3 éditions, depuis 2026-Q2".
func (d duration) Text() string {
	if d.Editions <= 1 {
		return d.Level.Word() + " depuis cette édition (" + d.Since + ")"
	}
	return fmt.Sprintf("%s depuis %d éditions, depuis %s", d.Level.Word(), d.Editions, d.Since)
}

// durations computes, for each criterion, how long the procedure's newest
// level has held: the run of consecutive editions, ending at its newest
// result, that gave the same level. An edition without the procedure ends
// the run.
func (s *site) durations(key string) []duration {
	return s.durationsAt(key, len(s.editions)-1)
}

// durationsAt is durations as of edition index at: the run ends at the
// procedure's newest result up to that edition.
func (s *site) durationsAt(key string, at int) []duration {
	h := s.history(key)
	last := -1
	for i := at; i >= 0; i-- {
		if h[i] != nil {
			last = i
			break
		}
	}
	if last < 0 {
		return nil
	}
	out := make([]duration, 0, len(criteria.IDs))
	for _, id := range criteria.IDs {
		l := levelClass(h[last].Verdict(id).Level)
		first := last
		for i := last - 1; i >= 0; i-- {
			if h[i] == nil || levelClass(h[i].Verdict(id).Level) != l {
				break
			}
			first = i
		}
		out = append(out, duration{Criterion: id, Level: l, Since: s.editions[first].Meta.Name, Editions: last - first + 1})
	}
	return out
}

// validity is the number of years an accessibility statement stays valid.
const validity = 3

// statementAge describes an accessibility statement's date, its age at
// the publication date and when it stops being valid.
type statementAge struct {
	Date, Expires string
	// Days since the statement's date; Left until it expires (negative:
	// expired that many days ago).
	Days, Left int
	Expired    bool
}

// Mark is "expire dans N jours" or "expirée depuis N jours".
func (a statementAge) Mark() string {
	if a.Expired {
		n := -a.Left
		return fmt.Sprintf("expirée depuis %d jour%s", n, plural(float64(n)))
	}
	return fmt.Sprintf("expire dans %d jour%s", a.Left, plural(float64(a.Left)))
}

// statementDate returns the date of a result's accessibility statement, as
// the statement page says it (zero when none was read).
func statementDate(r *observatory.Result) time.Time {
	if r == nil || r.Assessment == nil {
		return time.Time{}
	}
	st := r.Assessment.Pages[observatory.PageStatement]
	if st == nil || !st.Status.Loaded() || st.Desktop == nil {
		return time.Time{}
	}
	now := r.ScannedAt
	if now.IsZero() {
		now = time.Now()
	}
	return criteria.ParseStatement(st.Desktop.Text, now).Date
}

// newStatementAge describes the statement dated d at now; ok is false
// without a date.
func newStatementAge(d, now time.Time) (statementAge, bool) {
	if d.IsZero() {
		return statementAge{}, false
	}
	exp := d.AddDate(validity, 0, 0)
	day := func(t time.Time) time.Time { return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC) }
	days := int(day(now).Sub(day(d)).Hours() / 24)
	left := int(day(exp).Sub(day(now)).Hours() / 24)
	return statementAge{
		Date: d.Format(time.DateOnly), Expires: exp.Format(time.DateOnly),
		Days: days, Left: left, Expired: left < 0,
	}, true
}

// standingBad is one "Non" that has held for some editions.
type standingBad struct {
	Title, Href string
	Ministry    string
	Criterion   criteria.ID
	Duration    duration
}

// longestBad lists every procedure's "Non" of the latest edition, longest
// standing first, then by title and criterion.
func (s *site) longestBad() []standingBad {
	var out []standingBad
	for _, k := range s.order {
		p := s.procs[k]
		if p.Edition != s.latest {
			continue
		}
		for _, d := range s.durations(k) {
			if d.Level != criteria.Bad {
				continue
			}
			out = append(out, standingBad{Title: p.Result.Title, Href: s.procHref(p.Result), Ministry: p.Result.Procedure.Ministry, Criterion: d.Criterion, Duration: d})
		}
	}
	slices.SortStableFunc(out, func(a, b standingBad) int {
		if c := cmp.Compare(b.Duration.Editions, a.Duration.Editions); c != 0 {
			return c
		}
		if c := cmp.Compare(criteria.Fold(a.Title), criteria.Fold(b.Title)); c != 0 {
			return c
		}
		return cmp.Compare(slices.Index(criteria.IDs, a.Criterion), slices.Index(criteria.IDs, b.Criterion))
	})
	return out
}
