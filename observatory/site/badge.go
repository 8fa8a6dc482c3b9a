package site

import (
	"bytes"
	"encoding/xml"
	"strings"
	"text/template"
	"unicode/utf8"

	"github.com/observatoire-scanner/observatoire/criteria"
)

// badgeColours are the SVG badges' background colours per level, each dark
// enough for white text (contrast at least 4.5:1).
var badgeColours = map[criteria.Level]string{
	criteria.Good:          "#18753c",
	criteria.Partial:       "#a94000",
	criteria.Bad:           "#c9191e",
	criteria.NotApplicable: "#595959",
	criteria.NotMeasured:   "#595959",
}

// badgeSVG is a shields-like badge: the criterion on the left, the label
// on a background of the level's colour on the right. Text and colour
// together, with a <title> for screen readers.
var badgeSVG = template.Must(template.New("badge").Funcs(template.FuncMap{"x": xmlText}).Parse(
	`<svg xmlns="http://www.w3.org/2000/svg" width="{{.Width}}" height="20" role="img" aria-label="{{x .Alt}}">` +
		`<title>{{x .Alt}}</title>` +
		`<rect width="{{.Left}}" height="20" fill="#3a3a3a"/>` +
		`<rect x="{{.Left}}" width="{{.Right}}" height="20" fill="{{.Colour}}"/>` +
		`<g fill="#fff" font-family="Verdana,DejaVu Sans,sans-serif" font-size="11" text-anchor="middle">` +
		`<text x="{{.LeftMid}}" y="14">{{x .Name}}</text>` +
		`<text x="{{.RightMid}}" y="14">{{x .Label}}</text>` +
		`</g></svg>
`))

// xmlText escapes s for XML text and attribute values.
func xmlText(s string) string {
	var b strings.Builder
	_ = xml.EscapeText(&b, []byte(s))
	return b.String()
}

// textWidth estimates the width in pixels of s in 11 px Verdana.
func textWidth(s string) int { return utf8.RuneCountInString(s)*7 + 12 }

// Badge returns the SVG badge of a verdict on criterion id.
func Badge(id criteria.ID, v criteria.Verdict) []byte {
	label := verdictLabel(v)
	name := id.Title()
	left, right := textWidth(name), textWidth(label)
	alt := name + " : " + label
	if word := levelClass(v.Level).Word(); word != label {
		alt += " (" + word + ")"
	}
	var buf bytes.Buffer
	_ = badgeSVG.Execute(&buf, map[string]any{
		"Width": left + right, "Left": left, "Right": right,
		"LeftMid": left / 2, "RightMid": left + right/2,
		"Colour": badgeColours[levelClass(v.Level)],
		"Name":   name, "Label": label,
		"Alt": alt,
	})
	return buf.Bytes()
}

// writeBadges writes badges/PROCEDURE/CRITERION.svg for each procedure's
// newest result.
func (s *site) writeBadges(w *writer) error {
	for _, k := range s.order {
		p := s.procs[k]
		for _, id := range criteria.IDs {
			if err := w.file("badges/"+p.Slug+"/"+string(id)+".svg", Badge(id, p.Result.Verdict(id))); err != nil {
				return err
			}
		}
	}
	return nil
}
