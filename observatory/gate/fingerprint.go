package gate

import (
	"crypto/sha256"
	"encoding/hex"
	"net/url"
	"regexp"
	"strconv"
	"strings"
)

// PagePath is the part of a URL that names a page across runs: the path
// and the query, without scheme, host or port. A baseline made against
// http://127.0.0.1:8080/demarche matches a run against
// http://localhost:9090/demarche: CI starts the app on a port of its own.
func PagePath(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return raw
	}
	p := u.EscapedPath()
	if p == "" {
		p = "/"
	}
	if u.RawQuery != "" {
		p += "?" + u.RawQuery
	}
	return p
}

// indexRE matches the positional pseudo-classes that axe adds to make a
// selector unique (":nth-child(3)", ":nth-of-type(2)"...).
var indexRE = regexp.MustCompile(`:nth-(?:last-)?(?:child|of-type)\([^)]*\)`)

// NormalizeSelector drops the positional indexes from an axe selector or
// ancestry and folds its whitespace. Indexes change whenever an element is
// inserted before the failing one (a new paragraph above a form shifts
// every ":nth-child" below it): the gate never compares them.
func NormalizeSelector(sel string) string {
	sel = indexRE.ReplaceAllString(sel, "")
	return strings.Join(strings.Fields(sel), " ")
}

// Fingerprint is the stable key of a finding: a hash of the rule, the page
// path and the key of the element, shown as "RULE:HASH12" so that a person
// can tell the rule from the key alone. The key of a run's finding is its
// element's identity, label and twin rank (findingFingerprint); a finding
// of a version-1 baseline was keyed by its normalised selector.
func Fingerprint(rule, page, key string) string {
	h := sha256.Sum256([]byte(rule + "\x00" + page + "\x00" + key))
	return rule + ":" + hex.EncodeToString(h[:6])
}

// findingFingerprint is the fingerprint of a run's finding as the twin
// of rank twin (0 for the first) among the elements of its rule and page
// that share its identity and label. Once paired with a baseline finding,
// a finding takes the baseline's fingerprint instead (Adopt).
func findingFingerprint(f *Finding, twin int) string {
	var key string
	if f.Element != nil {
		key = "v2\x1f" + f.Element.identity() + "\x1f" + f.Element.Label
	} else {
		key = ordinalSuffixRE.ReplaceAllString(f.Selector, "")
	}
	if f.Step != "" {
		key = f.Step + "\x1e" + key
	}
	if twin > 0 {
		key += "\x1e" + strconv.Itoa(twin+1)
	}
	return Fingerprint(f.Rule, f.Page, key)
}

// ordinalSelectors returns the normalised selectors of one rule's nodes
// on one page, each made unique by an ordinal suffix " [n]" (n ≥ 2) in
// document order when several nodes normalise to the same selector: the
// second image without alt text in the same container is "main > img [2]".
// It is what people read (Finding.Selector), and what a version-1
// baseline knew of an element; a finding's identity is its Element.
func ordinalSelectors(raw []string) []string {
	seen := map[string]int{}
	out := make([]string, len(raw))
	for i, r := range raw {
		n := NormalizeSelector(r)
		seen[n]++
		if k := seen[n]; k > 1 {
			n += " [" + strconv.Itoa(k) + "]"
		}
		out[i] = n
	}
	return out
}
