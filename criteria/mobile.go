package criteria

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/observatoire-scanner/observatoire/scanner"
)

// The thresholds of the mobile criterion (Lighthouse's former
// mobile-friendly audits).
const (
	// phoneWidth is the width of the emulated phone, in CSS px.
	phoneWidth = 412
	// legibleSize is the smallest legible font size (px); legibleShare the
	// share of visible characters that must be drawn at it or larger.
	legibleSize  = 12
	legibleShare = 0.60
	// tapSize is the side of the finger square (px); tapOverlap the share of
	// it that may cover another target.
	tapSize    = 48.0
	tapOverlap = 0.25
	// maxListed caps the failing elements named in the evidence.
	maxListed = 10
)

// Viewport is a parsed <meta name="viewport"> content.
type Viewport struct {
	// Width is the width key as written ("device-width", "600"), "" if none.
	Width string
	// InitialScale and MaximumScale are NaN when absent or not a number.
	InitialScale float64
	MaximumScale float64
	// UserScalable is the user-scalable key as written, lower-cased.
	UserScalable string
}

// ParseViewport reads a viewport content such as
// "width=device-width, initial-scale=1". Keys are case-insensitive and
// separated by commas or semicolons, as browsers accept them.
func ParseViewport(content string) Viewport {
	v := Viewport{InitialScale: math.NaN(), MaximumScale: math.NaN()}
	for _, part := range strings.FieldsFunc(content, func(r rune) bool { return r == ',' || r == ';' }) {
		k, val, _ := strings.Cut(part, "=")
		k = strings.ToLower(strings.TrimSpace(k))
		val = strings.ToLower(strings.TrimSpace(val))
		switch k {
		case "width":
			v.Width = val
		case "initial-scale":
			v.InitialScale = parseScale(val)
		case "maximum-scale":
			v.MaximumScale = parseScale(val)
		case "user-scalable":
			v.UserScalable = val
		}
	}
	return v
}

func parseScale(s string) float64 {
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return math.NaN()
	}
	return f
}

// ZoomBlocked says why the viewport stops users from zooming, or "" when
// it does not: user-scalable=no (or 0) or a maximum-scale below 2.
func (v Viewport) ZoomBlocked() string {
	switch v.UserScalable {
	case "no", "0", "false":
		return "user-scalable=" + v.UserScalable
	}
	if !math.IsNaN(v.MaximumScale) && v.MaximumScale < 2 {
		return "maximum-scale=" + shortDecimal(v.MaximumScale) + " < 2"
	}
	return ""
}

// Mobile rates the "compatible mobile" criterion from the start page laid
// out on a 412 px phone: a usable viewport, no horizontal overflow, legible
// text, tap targets that do not crowd one another. All pass: good "Oui";
// viewport and width fine but text, targets or zoom fail: partial
// "Partiel"; no usable viewport or an overflow: bad "Non".
func Mobile(in Input) Verdict {
	s := in.Start
	if !s.Status.Loaded() {
		return notLoaded(s)
	}
	m := s.Mobile
	if m == nil {
		return Verdict{Level: NotMeasured, Label: "Non mesuré", Evidence: []Evidence{{
			Fact: "la mise en page sur téléphone n'a pas pu être lue (" + string(s.Status) + ")", Page: s.URL, Text: s.Reason}}}
	}
	page := docURL(s)
	var ev []Evidence
	var fixes []string
	add := func(fact string) { ev = append(ev, Evidence{Fact: fact, Page: page}) }

	// Viewport.
	vp := ParseViewport(m.Viewport)
	viewportOK := false
	switch {
	case !m.HasViewport:
		add("aucune balise <meta name=\"viewport\"> : le téléphone affiche la page comme sur un ordinateur, réduite")
		fixes = append(fixes, `ajouter <meta name="viewport" content="width=device-width, initial-scale=1">`)
	case vp.Width != "device-width" && math.IsNaN(vp.InitialScale):
		add(fmt.Sprintf("balise viewport « %s » sans width=device-width ni initial-scale", Normalize(m.Viewport)))
		fixes = append(fixes, `écrire la balise viewport "width=device-width, initial-scale=1"`)
	case !math.IsNaN(vp.InitialScale) && vp.InitialScale < 1:
		add(fmt.Sprintf("balise viewport « %s » : initial-scale %s < 1, la page s'ouvre dézoomée", Normalize(m.Viewport), shortDecimal(vp.InitialScale)))
		fixes = append(fixes, "mettre initial-scale=1 dans la balise viewport")
	default:
		viewportOK = true
		add(fmt.Sprintf("balise viewport « %s » : adaptée au téléphone", Normalize(m.Viewport)))
	}
	zoom := ""
	if m.HasViewport {
		zoom = vp.ZoomBlocked()
	}
	if zoom != "" {
		add("zoom bloqué par la balise viewport (" + zoom + ") : défaut d'accessibilité, RGAA 10.4 / WCAG 1.4.4")
		fixes = append(fixes, "retirer user-scalable=no et maximum-scale de la balise viewport pour laisser zoomer")
	}

	// Horizontal overflow, against the phone's width even when the layout
	// viewport is wider (a fixed "width=1000" overflows the screen).
	width := m.ViewportWidth
	if width <= 0 || width > phoneWidth {
		width = phoneWidth
	}
	overflow := m.ScrollWidth > width+1
	if overflow {
		add(fmt.Sprintf("défilement horizontal : largeur de la page %d px > largeur de l'écran %d px + 1", m.ScrollWidth, width))
		fixes = append(fixes, fmt.Sprintf("faire tenir la page dans %d px de large (largeurs fixes, tableaux, images)", width))
	} else {
		add(fmt.Sprintf("pas de défilement horizontal : largeur de la page %d px ≤ %d px + 1", m.ScrollWidth, width))
	}

	// Legible text.
	legible, all := 0, 0
	for size, n := range m.TextSizes {
		all += n
		if size >= legibleSize {
			legible += n
		}
	}
	textOK := true
	if all == 0 {
		add("aucun texte visible sur téléphone : lisibilité non évaluée")
	} else {
		share := float64(legible) / float64(all)
		textOK = share >= legibleShare
		rel := "≥"
		if !textOK {
			rel = "<"
			fixes = append(fixes, fmt.Sprintf("afficher le texte en %d px ou plus", legibleSize))
		}
		add(fmt.Sprintf("texte lisible : %s %% des caractères visibles (%d sur %d) en %d px ou plus, %s %d %%",
			Decimal(100*share, 0), legible, all, legibleSize, rel, int(100*legibleShare)))
	}

	// Tap targets.
	bad := CrowdedTargets(m.TapTargets)
	targetsOK := len(bad) == 0
	if targetsOK {
		add(fmt.Sprintf("cibles tactiles : aucune des %d cibles n'est trop petite et trop proche d'une autre", len(m.TapTargets)))
	} else {
		add(fmt.Sprintf("cibles tactiles : %d sur %d font moins de 48×48 px et le carré de 48×48 px centré sur elles recouvre une autre cible sur plus de 25 %% de la surface qu'il couvre sur elles",
			len(bad), len(m.TapTargets)))
		for i, c := range bad {
			if i == maxListed {
				add(fmt.Sprintf("… et %d autres cibles trop proches", len(bad)-maxListed))
				break
			}
			ev = append(ev, Evidence{
				Fact: fmt.Sprintf("cible de %s×%s px : le carré de 48×48 px centré sur elle recouvre « %s » (%s) sur %s %% de la surface qu'il couvre sur la cible",
					Decimal(c.Target.Width, 0), Decimal(c.Target.Height, 0), c.Other.Text, c.Other.Selector, Decimal(100*c.Overlap, 0)),
				Page: page, Selector: c.Target.Selector, Text: c.Target.Text,
			})
		}
		fixes = append(fixes, "donner aux liens et boutons 48×48 px au moins, ou les espacer")
	}

	if !m.HasViewport && s.Status == scanner.StatusPartial {
		// The tag may be in what did not arrive, and without it the phone
		// lays the page out 980 px wide: the overflow follows from the
		// missing tag. A bad tag that was seen stands.
		return incomplete("balise viewport", cutShort(s), ev)
	}
	v := Verdict{Evidence: ev, Fix: strings.Join(fixes, " ; ")}
	switch {
	case !viewportOK || overflow:
		v.Level, v.Label = Bad, "Non"
	case !textOK || !targetsOK || zoom != "":
		v.Level, v.Label = Partial, "Partiel"
	default:
		v.Level, v.Label = Good, "Oui"
	}
	return v
}

// Crowded is a tap target that fails: smaller than 48×48 px, and the
// 48×48 px finger square centred on it covers Other over more than 25 % of
// the area it covers the target itself (Lighthouse's former tap-targets
// audit).
type Crowded struct {
	Target, Other scanner.Box
	// Overlap is the square's area on Other divided by its area on Target.
	Overlap float64
}

// CrowdedTargets returns the failing tap targets, each with the target it
// overlaps most, in page order. Boxes that contain one another are taken
// for nested elements (a link in a list item that is also a target) and
// are not compared.
func CrowdedTargets(boxes []scanner.Box) []Crowded {
	var out []Crowded
	for i, t := range boxes {
		if t.Width >= tapSize && t.Height >= tapSize {
			continue
		}
		cx, cy := t.X+t.Width/2, t.Y+t.Height/2
		sq := scanner.Box{X: cx - tapSize/2, Y: cy - tapSize/2, Width: tapSize, Height: tapSize}
		own := boxIntersection(sq, t)
		if own <= 0 {
			continue
		}
		best := Crowded{Target: t}
		for j, o := range boxes {
			if i == j || boxContains(t, o) || boxContains(o, t) {
				continue
			}
			share := boxIntersection(sq, o) / own
			if share > best.Overlap {
				best.Other, best.Overlap = o, share
			}
		}
		if best.Overlap > tapOverlap {
			out = append(out, best)
		}
	}
	return out
}

// boxIntersection is the area common to two boxes.
func boxIntersection(a, b scanner.Box) float64 {
	w := math.Min(a.X+a.Width, b.X+b.Width) - math.Max(a.X, b.X)
	h := math.Min(a.Y+a.Height, b.Y+b.Height) - math.Max(a.Y, b.Y)
	if w <= 0 || h <= 0 {
		return 0
	}
	return w * h
}

// boxContains says whether box a holds box b entirely.
func boxContains(a, b scanner.Box) bool {
	return b.X >= a.X && b.Y >= a.Y && b.X+b.Width <= a.X+a.Width && b.Y+b.Height <= a.Y+a.Height
}
