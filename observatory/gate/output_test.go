package gate

import (
	"bytes"
	"encoding/xml"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/observatoire-scanner/observatoire/criteria"
)

// failingReport is a report with a new violation, an expired acceptance,
// a worse criterion and a cap.
func failingReport(t *testing.T) *Report {
	t.Helper()
	c := DefaultConfig()
	c.Rules.MaxViolations = map[string]int{"serious": 0}
	c.Accepted = []Acceptance{{Rule: "image-alt", Reason: "ancienne illustration", Expires: "2020-01-01", expires: time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)}}
	alt := finding("image-alt", "critical", "/d", "img")
	btn := finding("button-name", "serious", "/d", "button.fr-btn")
	btn.URL, btn.RawSelector, btn.HTML, btn.RGAA = "http://127.0.0.1:8080/d", "main > button:nth-child(3)", `<button class="fr-btn">`, []string{"RGAA-11.9.1"}
	lvl := map[criteria.ID]criteria.Level{criteria.IDFranceConnect: criteria.Good, criteria.IDMobile: criteria.Good}
	base := &Baseline{Pages: []PageState{state("/d", criteria.StatusPartial, lvl)}, Findings: []Finding{alt}}
	now := map[criteria.ID]criteria.Level{criteria.IDFranceConnect: criteria.Bad, criteria.IDMobile: criteria.Good}
	r := Compare(c, base, &Observation{Runs: 1, Pages: []PageState{state("/d", criteria.StatusPartial, now)}, Findings: []Finding{alt, btn}}, time.Now())
	if len(r.Failures) != 4 {
		t.Fatalf("failures: %+v", r.Failures)
	}
	return r
}

func sarifSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	f, err := os.Open("testdata/sarif-schema-2.1.0.json")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	if err := c.AddResource("sarif-schema-2.1.0.json", doc); err != nil {
		t.Fatal(err)
	}
	s, err := c.Compile("sarif-schema-2.1.0.json")
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestSARIFValidates(t *testing.T) {
	schema := sarifSchema(t)
	var buf bytes.Buffer
	if err := WriteSARIF(&buf, failingReport(t), "0.1.0"); err != nil {
		t.Fatal(err)
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	if err := schema.Validate(inst); err != nil {
		t.Errorf("SARIF does not validate: %v\n%s", err, buf.String())
	}
	// One result per new violation plus the expired acceptance.
	if n := strings.Count(buf.String(), `"ruleId"`); n != 2 {
		t.Errorf("%d results, want 2:\n%s", n, buf.String())
	}
	// The schema is strict enough to catch a broken log.
	bad, _ := jsonschema.UnmarshalJSON(strings.NewReader(strings.Replace(buf.String(), `"level": "error"`, `"level": "critical"`, 1)))
	if schema.Validate(bad) == nil {
		t.Error("a result with level \"critical\" validates: the schema check is toothless")
	}
}

// TestJUnitStructure checks what Jenkins' JUnit plugin and GitLab's test
// reports read (no official XSD could be vendored): a <testsuites> root of
// <testsuite name tests failures errors skipped time>, each holding
// <testcase name classname time> with at most one <failure message type>
// or <skipped>, and counts that match the cases.
func TestJUnitStructure(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteJUnit(&buf, failingReport(t)); err != nil {
		t.Fatal(err)
	}
	type node struct {
		XMLName xml.Name
		Attrs   []xml.Attr `xml:",any,attr"`
		Nodes   []node     `xml:",any"`
		Text    string     `xml:",chardata"`
	}
	var root node
	if err := xml.Unmarshal(buf.Bytes(), &root); err != nil {
		t.Fatal(err)
	}
	attr := func(n node, name string) (string, bool) {
		for _, a := range n.Attrs {
			if a.Name.Local == name {
				return a.Value, true
			}
		}
		return "", false
	}
	num := func(n node, name string) int {
		v, ok := attr(n, name)
		i, err := strconv.Atoi(v)
		if !ok || err != nil {
			t.Errorf("<%s> %s=%q is not a number", n.XMLName.Local, name, v)
		}
		return i
	}
	if root.XMLName.Local != "testsuites" {
		t.Fatalf("root <%s>", root.XMLName.Local)
	}
	total, totalFail := 0, 0
	failTypes := map[string]bool{}
	for _, s := range root.Nodes {
		if s.XMLName.Local != "testsuite" {
			t.Errorf("<%s> under testsuites", s.XMLName.Local)
			continue
		}
		if v, _ := attr(s, "name"); v == "" {
			t.Error("testsuite without name")
		}
		cases, fails, skips := 0, 0, 0
		for _, c := range s.Nodes {
			if c.XMLName.Local != "testcase" {
				t.Errorf("<%s> under testsuite", c.XMLName.Local)
				continue
			}
			cases++
			for _, a := range []string{"name", "classname", "time"} {
				if _, ok := attr(c, a); !ok {
					t.Errorf("testcase without %s", a)
				}
			}
			if len(c.Nodes) > 1 {
				t.Errorf("testcase with %d children", len(c.Nodes))
			}
			for _, k := range c.Nodes {
				switch k.XMLName.Local {
				case "failure":
					fails++
					typ, _ := attr(k, "type")
					msg, _ := attr(k, "message")
					if msg == "" || strings.TrimSpace(k.Text) == "" {
						t.Error("failure without message or text")
					}
					failTypes[typ] = true
				case "skipped":
					skips++
				default:
					t.Errorf("<%s> under testcase", k.XMLName.Local)
				}
			}
		}
		if num(s, "tests") != cases || num(s, "failures") != fails || num(s, "skipped") != skips || num(s, "errors") != 0 {
			t.Errorf("suite counts do not match its cases: %+v", s.Attrs)
		}
		total += cases
		totalFail += fails
	}
	if num(root, "tests") != total || num(root, "failures") != totalFail {
		t.Errorf("testsuites counts: %+v, want %d tests %d failures", root.Attrs, total, totalFail)
	}
	for _, want := range []string{RuleExpiredAcceptance, RuleWorseCriterion, RuleMaxViolations} {
		if !failTypes[want] {
			t.Errorf("no failure of type %s in\n%s", want, buf.String())
		}
	}
	if !strings.Contains(buf.String(), "nouvelle violation button-name") {
		t.Errorf("the axe case does not name the new violation:\n%s", buf.String())
	}
	// 1 axe case + 8 criteria + the mention for the page, plus the run's case.
	if total != 1+len(criteria.IDs)+1+1 || totalFail != 3 {
		t.Errorf("%d cases, %d failures\n%s", total, totalFail, buf.String())
	}
}

func TestTextAndMarkdown(t *testing.T) {
	r := failingReport(t)
	var txt, md bytes.Buffer
	if err := WriteText(&txt, r); err != nil {
		t.Fatal(err)
	}
	if err := WriteMarkdown(&md, r); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Nouvelles violations (1)", "button-name [serious]", "main > button:nth-child(3)", "correction : aide",
		"ACCEPTATION EXPIRÉE le 2020-01-01", "franceconnect (Identification FranceConnect) : good → bad", "ÉCHEC — 4 régression(s)"} {
		if !strings.Contains(txt.String(), want) {
			t.Errorf("text lacks %q:\n%s", want, txt.String())
		}
	}
	for _, want := range []string{"## ❌", "| button-name | serious | `/d` | `main > button:nth-child(3)` |", "Identification FranceConnect"} {
		if !strings.Contains(md.String(), want) {
			t.Errorf("markdown lacks %q:\n%s", want, md.String())
		}
	}
}
