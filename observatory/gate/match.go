package gate

import (
	"slices"
	"strconv"
	"strings"
)

// Match pairs the baseline's findings with a run's, as a whole: for each
// of cur, the index in base of the finding it is, or -1 when it is new.
// Every base finding left unpaired is fixed.
//
// Two findings can pair only when they are the same element (see
// similarity: same rule, page, step and identity); among the pairs that
// can be, the closest are paired first (greedy on the sorted scores,
// ties in document order). So a twin added beside a known element leaves
// the known one paired and is the only new finding, whatever selectors
// axe-core gives the two of them.
func Match(base, cur []Finding) []int {
	type pair struct {
		b, c  int
		score float64
	}
	groups := map[string][]int{}
	for i := range base {
		k := groupKey(&base[i])
		groups[k] = append(groups[k], i)
	}
	baseEl := make([]*Element, len(base))
	for i := range base {
		baseEl[i] = findingElement(&base[i])
	}
	var pairs []pair
	for ci := range cur {
		ce := findingElement(&cur[ci])
		for _, bi := range groups[groupKey(&cur[ci])] {
			if s, ok := similarity(&base[bi], baseEl[bi], &cur[ci], ce); ok {
				pairs = append(pairs, pair{bi, ci, s})
			}
		}
	}
	slices.SortStableFunc(pairs, func(x, y pair) int {
		switch {
		case x.score > y.score:
			return -1
		case x.score < y.score:
			return 1
		case x.b != y.b:
			return x.b - y.b
		}
		return x.c - y.c
	})
	out := make([]int, len(cur))
	for i := range out {
		out[i] = -1
	}
	used := make([]bool, len(base))
	for _, p := range pairs {
		if used[p.b] || out[p.c] >= 0 {
			continue
		}
		used[p.b], out[p.c] = true, p.b
	}
	return out
}

// Adopt returns cur with the fingerprints of the base findings they pair
// with (pair, from Match): a known element keeps its baseline fingerprint,
// so that an acceptance by fingerprint keeps holding. A new finding whose
// own fingerprint is taken by a base finding or an earlier one gets the
// next free twin rank.
func Adopt(base, cur []Finding, pair []int) []Finding {
	out := slices.Clone(cur)
	taken := map[string]bool{}
	for _, f := range base {
		taken[f.Fingerprint] = true
	}
	for i, p := range pair {
		if p >= 0 {
			out[i].Fingerprint = base[p].Fingerprint
		}
	}
	for i, p := range pair {
		if p >= 0 {
			continue
		}
		for t := out[i].Twin; taken[out[i].Fingerprint]; t++ {
			out[i].Fingerprint = findingFingerprint(&out[i], t+1)
		}
		taken[out[i].Fingerprint] = true
	}
	return out
}

// groupKey is what two findings must share to be compared at all.
func groupKey(f *Finding) string {
	return f.Rule + "\x00" + f.Page + "\x00" + f.Step
}

// findingElement is the finding's element, or what its selector tells of
// it for a finding of a version-1 baseline.
func findingElement(f *Finding) *Element {
	if f.Element != nil {
		return f.Element
	}
	return legacyElement(f.Selector)
}

// legacyTwin is the twin rank a version-1 selector's ordinal gives ("img [2]": 1).
func legacyTwin(f *Finding) int {
	if f.Element != nil {
		return f.Twin
	}
	m := ordinalSuffixRE.FindString(f.Selector)
	if m == "" {
		return 0
	}
	n, _ := strconv.Atoi(strings.Trim(m, " []"))
	return max(n-1, 0)
}

// similarity says whether b (in the baseline) and c (in this run) can be
// the same element and, if so, how close they are. They must have the
// same rule, page and step (Match groups them so) and the same identity:
// tag, stable id and name, file, role and landmarks; and their labels
// must agree when both have one. The score then weighs the ancestry
// (3), the classes (2), the label (1), axe's selector (1), the type (0.5)
// and the rank among twins (0.5).
//
// A finding of a version-1 baseline has only its selector: it can pair
// with any element its last compound does not contradict (tag, id,
// classes, name, file suffix), the same selector scoring highest.
func similarity(b *Finding, be *Element, c *Finding, ce *Element) (float64, bool) {
	twin := 0.5 / float64(1+abs(legacyTwin(b)-legacyTwin(c)))
	sameSel := 0.0
	if strings.TrimSpace(ordinalSuffixRE.ReplaceAllString(b.Selector, "")) == strings.TrimSpace(ordinalSuffixRE.ReplaceAllString(c.Selector, "")) {
		sameSel = 1
	}
	if b.Element == nil || c.Element == nil {
		if !legacyCompatible(be, ce) {
			return 0, false
		}
		// The version-1 ordinal ("img [2]") against the element's rank
		// in document order.
		order := 0.5 / float64(1+abs(legacyTwin(b)-c.order))
		classes := 0.0
		if len(be.Classes) > 0 {
			classes = 2 * jaccard(be.Classes, ce.Classes)
		}
		return 4*sameSel + classes + order, true
	}
	if be.identity() != ce.identity() {
		return 0, false
	}
	label := 0.5
	switch {
	case be.Label != "" && ce.Label != "" && be.Label != ce.Label:
		return 0, false
	case be.Label == ce.Label:
		label = 1
	}
	typ := 0.0
	if be.Type == ce.Type {
		typ = 0.5
	}
	return 3*pathSimilarity(be.Path, ce.Path) + 2*jaccard(be.Classes, ce.Classes) + label + sameSel + typ + twin, true
}

// legacyCompatible says whether what a version-1 selector tells (old)
// contradicts nothing of the element now (e).
func legacyCompatible(old, e *Element) bool {
	switch {
	case old.Tag != "" && old.Tag != e.Tag,
		old.ID != "" && old.ID != e.ID,
		old.Name != "" && old.Name != e.Name,
		old.File != "" && !strings.HasSuffix(e.File, old.File):
		return false
	}
	for _, c := range old.Classes {
		if !slices.Contains(e.Classes, c) {
			return false
		}
	}
	return true
}

// pathSimilarity is the share of tags two ancestries have in common, in
// order (longest common subsequence over the longer one): wrapping an
// element in one more div keeps it close. Unknown ancestries score 0.5.
func pathSimilarity(a, b string) float64 {
	x, y := pathTags(a), pathTags(b)
	if len(x) == 0 || len(y) == 0 {
		return 0.5
	}
	prev := make([]int, len(y)+1)
	curr := make([]int, len(y)+1)
	for i := range x {
		for j := range y {
			if x[i] == y[j] {
				curr[j+1] = prev[j] + 1
			} else {
				curr[j+1] = max(prev[j+1], curr[j])
			}
		}
		prev, curr = curr, prev
	}
	return float64(prev[len(y)]) / float64(max(len(x), len(y)))
}

// jaccard is the share of classes two sorted sets have in common; two
// empty sets are the same (1).
func jaccard(a, b []string) float64 {
	if len(a) == 0 && len(b) == 0 {
		return 1
	}
	common := 0
	for _, s := range a {
		if _, ok := slices.BinarySearch(b, s); ok {
			common++
		}
	}
	return float64(common) / float64(len(a)+len(b)-common)
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}
