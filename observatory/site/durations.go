package site

import (
	"github.com/observatoire-scanner/observatoire/criteria"
)

// durationsPage lists the longest-standing "Non".
const durationsPage = "non-persistants.html"

// durationsView is the page of the longest-standing "Non".
type durationsView struct {
	Edition string
	Rows    []standingBad
}

// writeDurations writes the page of the latest edition's "Non", longest
// standing first.
func (s *site) writeDurations(w *writer) error {
	v := &durationsView{Edition: s.latest.Meta.Name, Rows: s.longestBad()}
	return w.page(durationsPage, "durations", &page{Title: "Les « Non » les plus anciens", Nav: "durees", Data: v})
}

// procDurations returns the durations of a procedure keyed by criterion.
func (s *site) procDurations(key string) map[criteria.ID]duration {
	out := map[criteria.ID]duration{}
	for _, d := range s.durations(key) {
		out[d.Criterion] = d
	}
	return out
}
