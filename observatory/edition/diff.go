package edition

import (
	"github.com/observatoire-scanner/observatoire/criteria"
	"github.com/observatoire-scanner/observatoire/observatory"
)

// Levels lists the verdict levels in the order a diff shows them.
var Levels = []criteria.Level{criteria.Good, criteria.Partial, criteria.Bad, criteria.NotApplicable, criteria.NotMeasured}

// Diff compares two editions.
type Diff struct {
	A string `json:"a"`
	B string `json:"b"`
	// Criteria holds, per criterion, the share of procedures at each level.
	Criteria []CriterionDiff `json:"criteria"`
	// Procedures lists the procedures (in both editions) whose verdicts
	// changed.
	Procedures []ProcedureDiff `json:"procedures"`
	// Added are the ids only in B, Removed those only in A.
	Added   []string `json:"added,omitempty"`
	Removed []string `json:"removed,omitempty"`
}

// CriterionDiff is one criterion's distribution of levels in A and B.
type CriterionDiff struct {
	ID     criteria.ID  `json:"id"`
	Levels []LevelShare `json:"levels"`
}

// LevelShare is the share of an edition's procedures at one level, in
// percent, and its change in percentage points (B minus A).
type LevelShare struct {
	Level  criteria.Level `json:"level"`
	CountA int            `json:"count_a"`
	CountB int            `json:"count_b"`
	A      float64        `json:"percent_a"`
	B      float64        `json:"percent_b"`
	Change float64        `json:"change_points"`
}

// ProcedureDiff lists what changed for one procedure.
type ProcedureDiff struct {
	ID      string   `json:"id"`
	Title   string   `json:"title"`
	Changes []Change `json:"changes"`
}

// Change is one criterion whose verdict changed.
type Change struct {
	Criterion criteria.ID    `json:"criterion"`
	From      string         `json:"from"`
	To        string         `json:"to"`
	FromLevel criteria.Level `json:"from_level"`
	ToLevel   criteria.Level `json:"to_level"`
}

// Compare compares edition a with edition b. A missing verdict counts
// as not-measured.
func Compare(a, b *Edition) *Diff {
	d := &Diff{A: a.Meta.Name, B: b.Meta.Name}
	for _, id := range criteria.IDs {
		ca, cb := levelCounts(a, id), levelCounts(b, id)
		cd := CriterionDiff{ID: id}
		for _, l := range Levels {
			s := LevelShare{Level: l, CountA: ca[l], CountB: cb[l], A: percent(ca[l], len(a.Results)), B: percent(cb[l], len(b.Results))}
			s.Change = s.B - s.A
			cd.Levels = append(cd.Levels, s)
		}
		d.Criteria = append(d.Criteria, cd)
	}
	inA := map[string]*observatory.Result{}
	for i := range a.Results {
		inA[a.Results[i].Procedure.ID] = &a.Results[i]
	}
	inB := map[string]bool{}
	for i := range b.Results {
		rb := &b.Results[i]
		inB[rb.Procedure.ID] = true
		ra, ok := inA[rb.Procedure.ID]
		if !ok {
			d.Added = append(d.Added, rb.Procedure.ID)
			continue
		}
		pd := ProcedureDiff{ID: rb.Procedure.ID, Title: rb.Title}
		for _, id := range criteria.IDs {
			va, vb := verdictOf(ra, id), verdictOf(rb, id)
			if va.Level != vb.Level || va.Label != vb.Label {
				pd.Changes = append(pd.Changes, Change{Criterion: id, From: va.Label, To: vb.Label, FromLevel: va.Level, ToLevel: vb.Level})
			}
		}
		if len(pd.Changes) > 0 {
			d.Procedures = append(d.Procedures, pd)
		}
	}
	for _, r := range a.Results {
		if !inB[r.Procedure.ID] {
			d.Removed = append(d.Removed, r.Procedure.ID)
		}
	}
	return d
}

// verdictOf returns a result's verdict, an absent one as not-measured.
func verdictOf(r *observatory.Result, id criteria.ID) criteria.Verdict {
	v := r.Verdict(id)
	if v.Level == "" {
		v.Level, v.Label = criteria.NotMeasured, "–"
	}
	return v
}

func levelCounts(e *Edition, id criteria.ID) map[criteria.Level]int {
	n := map[criteria.Level]int{}
	for i := range e.Results {
		n[verdictOf(&e.Results[i], id).Level]++
	}
	return n
}

func percent(n, total int) float64 {
	if total == 0 {
		return 0
	}
	return 100 * float64(n) / float64(total)
}
