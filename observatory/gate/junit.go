package gate

import (
	"encoding/xml"
	"fmt"
	"io"
	"strings"

	"github.com/observatoire-scanner/observatoire/criteria"
)

// The JUnit XML that Jenkins' JUnit plugin and GitLab's test reports read:
// <testsuites> of <testsuite> of <testcase>, a failing case holding a
// <failure message type>text</failure>, a case that could not be judged a
// <skipped message>.
type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Errors   int          `xml:"errors,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name     string      `xml:"name,attr"`
	Tests    int         `xml:"tests,attr"`
	Failures int         `xml:"failures,attr"`
	Errors   int         `xml:"errors,attr"`
	Skipped  int         `xml:"skipped,attr"`
	Time     string      `xml:"time,attr"`
	Cases    []junitCase `xml:"testcase"`
}

type junitCase struct {
	Name      string        `xml:"name,attr"`
	Classname string        `xml:"classname,attr"`
	Time      string        `xml:"time,attr"`
	Failure   *junitFailure `xml:"failure,omitempty"`
	Skipped   *junitSkipped `xml:"skipped,omitempty"`
}

type junitFailure struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Text    string `xml:",chardata"`
}

type junitSkipped struct {
	Message string `xml:"message,attr"`
}

// Test case names beside the eight criteria.
const (
	junitAxe       = "axe : aucune nouvelle violation"
	junitStatement = "mention d'accessibilité"
	junitRun       = "observatoire ci"
)

// WriteJUnit writes the report as JUnit XML: one suite per page, with one
// test case for its axe findings and, for each procedure's start page, one
// per criterion and one for the accessibility mention; a last suite holds
// the rules on the whole run (caps per impact). A regression is a
// <failure>; a criterion that was not measured is <skipped>.
func WriteJUnit(w io.Writer, r *Report) error {
	failures := map[string][]Failure{} // key: page + "\x00" + case
	add := func(page, name string, f Failure) {
		k := page + "\x00" + name
		failures[k] = append(failures[k], f)
	}
	for _, f := range r.Failures {
		switch f.Rule {
		case RuleNewViolation, RuleExpiredAcceptance:
			add(f.Page, junitAxe, f)
		case RuleStatement:
			add(f.Page, junitStatement, f)
		case RuleWorseCriterion, RuleMinAccessibility, RuleMobile:
			add(f.Page, string(f.Criterion), f)
		default:
			add("", junitRun, f)
		}
	}
	var suites junitSuites
	suites.Name = junitRun
	levels := map[string]map[criteria.ID]criteria.Level{}
	var pages []string
	for _, p := range r.Pages {
		if _, ok := levels[p.Page]; !ok {
			pages = append(pages, p.Page)
		}
		levels[p.Page] = p.Criteria
	}
	for _, js := range [][]Judged{r.New, r.Present} {
		for _, j := range js {
			if !contains(pages, j.Page) {
				pages = append(pages, j.Page)
			}
		}
	}
	mk := func(page, name string) junitCase {
		c := junitCase{Name: name, Classname: "observatoire." + page, Time: "0"}
		if fs := failures[page+"\x00"+name]; len(fs) > 0 {
			var msgs []string
			for _, f := range fs {
				msgs = append(msgs, f.Message)
			}
			c.Failure = &junitFailure{Message: fmt.Sprintf("%d régression(s)", len(fs)), Type: fs[0].Rule, Text: strings.Join(msgs, "\n")}
		}
		return c
	}
	for _, page := range pages {
		s := junitSuite{Name: page, Time: "0"}
		s.Cases = append(s.Cases, mk(page, junitAxe))
		if ls, ok := levels[page]; ok {
			for _, id := range criteria.IDs {
				c := mk(page, string(id))
				if c.Failure == nil && ls[id].Rank() < 0 {
					c.Skipped = &junitSkipped{Message: string(ls[id])}
				}
				s.Cases = append(s.Cases, c)
			}
			s.Cases = append(s.Cases, mk(page, junitStatement))
		}
		suites.Suites = append(suites.Suites, s)
	}
	suites.Suites = append(suites.Suites, junitSuite{Name: junitRun, Time: "0", Cases: []junitCase{mk("", junitRun)}})
	for i := range suites.Suites {
		s := &suites.Suites[i]
		s.Tests = len(s.Cases)
		for _, c := range s.Cases {
			if c.Failure != nil {
				s.Failures++
			}
			if c.Skipped != nil {
				s.Skipped++
			}
		}
		suites.Tests += s.Tests
		suites.Failures += s.Failures
	}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(suites); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}
