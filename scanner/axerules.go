package scanner

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
)

// The RGAA coverage of the automated checks is read from the embedded
// axe-core itself rather than written down here, so that it stays true
// when axe-core is upgraded.

var (
	axeTagsRE   = regexp.MustCompile(`tags:\[([^\]]*)\]`)
	axeRuleIDRE = regexp.MustCompile(`^\{id:"([^"]+)"`)
	axeQuotedRE = regexp.MustCompile(`"([^"]*)"`)
)

var axeRGAA = sync.OnceValue(func() map[string][]string { return parseAxeRGAA(axeSource) })

// parseAxeRGAA reads the rule metadata of axe-core's source: every
// `tags:[...]` list that holds "RGAAv4" belongs to the rule whose
// `{id:"..."` opens most recently before it (a rule's selector may hold
// brackets, so the tags are found first and the id looked back for).
func parseAxeRGAA(src string) map[string][]string {
	rules := map[string][]string{}
	for _, m := range axeTagsRE.FindAllStringSubmatchIndex(src, -1) {
		tags := axeQuotedRE.FindAllStringSubmatch(src[m[2]:m[3]], -1)
		var rgaa []string
		tagged := false
		for _, t := range tags {
			switch {
			case t[1] == "RGAAv4":
				tagged = true
			case strings.HasPrefix(t[1], "RGAA-"):
				rgaa = append(rgaa, t[1])
			}
		}
		if !tagged {
			continue
		}
		open := strings.LastIndex(src[:m[0]], `{id:"`)
		if open < 0 {
			continue
		}
		id := axeRuleIDRE.FindStringSubmatch(src[open:min(len(src), open+200)])
		if id == nil {
			continue
		}
		rules[id[1]] = rgaa
	}
	return rules
}

// AxeRGAARules maps each rule of the embedded axe-core that is tagged
// RGAAv4 (the rules the scanner runs) to the RGAA tests it checks
// ("RGAA-1.1.1"). The map is a copy.
func AxeRGAARules() map[string][]string {
	out := make(map[string][]string, len(axeRGAA()))
	for id, tests := range axeRGAA() {
		out[id] = slices.Clone(tests)
	}
	return out
}

// AxeRGAACriteria lists, in RGAA order, the RGAA criteria ("1.1", "10.4")
// that at least one RGAAv4-tagged rule of the embedded axe-core checks.
func AxeRGAACriteria() []string {
	seen := map[string]bool{}
	var out []string
	for _, tests := range axeRGAA() {
		for _, t := range tests {
			c := RGAACriterion(t)
			if c != "" && !seen[c] {
				seen[c] = true
				out = append(out, c)
			}
		}
	}
	slices.SortFunc(out, CompareRGAA)
	return out
}

// RGAACriterion returns the criterion ("1.1") of an RGAA test tag
// ("RGAA-1.1.1" or "1.1.1"), or "" when the tag names none.
func RGAACriterion(tag string) string {
	parts := strings.Split(strings.TrimPrefix(tag, "RGAA-"), ".")
	if len(parts) < 2 {
		return ""
	}
	for _, p := range parts[:2] {
		if _, err := strconv.Atoi(p); err != nil {
			return ""
		}
	}
	return parts[0] + "." + parts[1]
}

// CompareRGAA orders RGAA criteria or tests numerically ("9.1" before
// "10.4"), for slices.SortFunc.
func CompareRGAA(a, b string) int {
	pa, pb := strings.Split(a, "."), strings.Split(b, ".")
	for i := 0; i < len(pa) && i < len(pb); i++ {
		na, ea := strconv.Atoi(pa[i])
		nb, eb := strconv.Atoi(pb[i])
		if ea != nil || eb != nil {
			if c := strings.Compare(pa[i], pb[i]); c != 0 {
				return c
			}
			continue
		}
		if na != nb {
			return na - nb
		}
	}
	return len(pa) - len(pb)
}
