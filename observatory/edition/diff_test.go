package edition

import (
	"math"
	"testing"

	"github.com/observatoire-scanner/observatoire/criteria"
	"github.com/observatoire-scanner/observatoire/observatory"
)

func result(id string, levels map[criteria.ID]criteria.Verdict) observatory.Result {
	return observatory.Result{Procedure: observatory.Procedure{ID: id}, Title: "T" + id, Assessment: &observatory.Assessment{Criteria: levels}}
}

func TestCompare(t *testing.T) {
	good := criteria.Verdict{Level: criteria.Good, Label: "Oui"}
	bad := criteria.Verdict{Level: criteria.Bad, Label: "Non"}
	partial := criteria.Verdict{Level: criteria.Partial, Label: "Partiel"}
	score := func(l criteria.Level, s string) criteria.Verdict { return criteria.Verdict{Level: l, Label: s} }
	a := &Edition{Meta: Meta{Name: "2026-Q3"}, Results: []observatory.Result{
		result("1", criteria.Results{criteria.IDOnline: good, criteria.IDMobile: bad, criteria.IDSatisfaction: score(criteria.Good, "8,1/10")}),
		result("2", criteria.Results{criteria.IDOnline: good, criteria.IDMobile: bad}),
		result("3", criteria.Results{criteria.IDOnline: bad, criteria.IDMobile: good}),
		result("4", criteria.Results{criteria.IDOnline: good}),
	}}
	b := &Edition{Meta: Meta{Name: "2026-Q4"}, Results: []observatory.Result{
		result("1", criteria.Results{criteria.IDOnline: good, criteria.IDMobile: good, criteria.IDSatisfaction: score(criteria.Good, "8,4/10")}),
		result("2", criteria.Results{criteria.IDOnline: good, criteria.IDMobile: partial}),
		result("3", criteria.Results{criteria.IDOnline: bad, criteria.IDMobile: good}),
		result("5", criteria.Results{criteria.IDOnline: bad}),
	}}
	d := Compare(a, b)
	share := func(id criteria.ID, l criteria.Level) LevelShare {
		for _, c := range d.Criteria {
			if c.ID == id {
				for _, s := range c.Levels {
					if s.Level == l {
						return s
					}
				}
			}
		}
		t.Fatalf("no share for %s %s", id, l)
		return LevelShare{}
	}
	near := func(x, y float64) bool { return math.Abs(x-y) < 1e-9 }
	// Mobile: bad 2/4 -> 0/4, good 1/4 -> 2/4, partial 0 -> 1/4, absent 1/4 -> 1/4.
	for _, c := range []struct {
		id          criteria.ID
		l           criteria.Level
		a, b, delta float64
	}{
		{criteria.IDMobile, criteria.Bad, 50, 0, -50},
		{criteria.IDMobile, criteria.Good, 25, 50, 25},
		{criteria.IDMobile, criteria.Partial, 0, 25, 25},
		{criteria.IDMobile, criteria.NotMeasured, 25, 25, 0},
		{criteria.IDOnline, criteria.Good, 75, 50, -25},
		{criteria.IDOnline, criteria.Bad, 25, 50, 25},
	} {
		s := share(c.id, c.l)
		if !near(s.A, c.a) || !near(s.B, c.b) || !near(s.Change, c.delta) {
			t.Errorf("%s %s: %v -> %v (%+v points), want %v -> %v (%+v)", c.id, c.l, s.A, s.B, s.Change, c.a, c.b, c.delta)
		}
	}
	if len(d.Criteria) != 8 || len(d.Criteria[0].Levels) != 5 {
		t.Errorf("%d criteria", len(d.Criteria))
	}
	if len(d.Added) != 1 || d.Added[0] != "5" || len(d.Removed) != 1 || d.Removed[0] != "4" {
		t.Errorf("added %v removed %v", d.Added, d.Removed)
	}
	// observatory.Procedure 1: mobile Non -> Oui and satisfaction 8,1 -> 8,4 (same
	// level, new label); 2: mobile Non -> Partiel; 3 unchanged.
	if len(d.Procedures) != 2 {
		t.Fatalf("procedures %+v", d.Procedures)
	}
	p1 := d.Procedures[0]
	if p1.ID != "1" || len(p1.Changes) != 2 ||
		p1.Changes[0] != (Change{Criterion: criteria.IDSatisfaction, From: "8,1/10", To: "8,4/10", FromLevel: criteria.Good, ToLevel: criteria.Good}) ||
		p1.Changes[1] != (Change{Criterion: criteria.IDMobile, From: "Non", To: "Oui", FromLevel: criteria.Bad, ToLevel: criteria.Good}) {
		t.Errorf("procedure 1: %+v", p1)
	}
	if p2 := d.Procedures[1]; p2.ID != "2" || len(p2.Changes) != 1 || p2.Changes[0].From != "Non" || p2.Changes[0].To != "Partiel" {
		t.Errorf("procedure 2: %+v", p2)
	}
}
