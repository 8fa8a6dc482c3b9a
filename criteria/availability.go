package criteria

import (
	"fmt"
	"slices"
	"strconv"

	"github.com/observatoire-scanner/observatoire/scanner"
)

// Availability rates the "disponibilité et rapidité" criterion. With
// imported monitor figures (in.Uptime) it is the worse of the uptime level
// (≥ 99,9 % good, ≥ 98,5 % partial, else bad) and the response-time level
// (< 400 ms good, < 800 ms partial, else bad), labelled with the old score
// out of ten; those figures are scored even when the page did not load
// today. Without them, the scan's own probes are only a snapshot: the
// level is the response time's (median probe time to first byte, else the
// browser's), capped at partial when a probe failed, and labelled
// "(sondes)".
func Availability(in Input) Verdict {
	if in.Uptime != nil {
		return importedAvailability(in)
	}
	s := in.Start
	if !s.Status.Loaded() {
		v := notLoaded(s)
		v.Evidence = append(v.Evidence, probeEvidence(in)...)
		return v
	}
	ev := []Evidence{{Fact: "disponibilité sur le trimestre non mesurée : aucun chiffre de suivi importé (updown.json)"}}
	ev = append(ev, probeEvidence(in)...)
	ok := probesOK(in.Probes)

	ttfb, source := medianTTFB(in.Probes), "médiane des sondes HTTP"
	if ttfb <= 0 {
		ttfb, source = s.Timings.TTFB, "navigateur, chargement de la page"
	}
	if ttfb <= 0 {
		ev = append(ev, Evidence{Fact: "temps de réponse non mesuré", Page: docURL(s)})
		return Verdict{Level: NotMeasured, Label: "Non mesuré", Evidence: ev}
	}
	level := responseLevel(ttfb)
	ev = append(ev, Evidence{Fact: fmt.Sprintf("temps de réponse (premier octet, %s) : %s ms %s", source, Decimal(ttfb, 0), responseThreshold(ttfb)), Page: docURL(s)})
	if len(in.Probes) > 0 && ok < len(in.Probes) && level == Good {
		level = Partial
		ev = append(ev, Evidence{Fact: fmt.Sprintf("%d sonde(s) sur %d sans réponse 2xx/3xx : niveau limité à partiel", len(in.Probes)-ok, len(in.Probes))})
	}
	v := Verdict{Level: level, Label: plainLabel(level) + " (sondes)", Evidence: ev}
	if level != Good {
		v.Fix = "répondre en moins de 400 ms et sans erreur ; importer les chiffres du suivi de disponibilité (updown.json) pour mesurer le trimestre"
	}
	return v
}

// importedAvailability scores the monitor's figures.
func importedAvailability(in Input) Verdict {
	u := in.Uptime
	src := uptimeSource(u)
	ev := []Evidence{{Fact: fmt.Sprintf("disponibilité %s %% %s (%s) : %+d points", Decimal(u.Percent, 2), uptimeThreshold(u.Percent), src, UptimePoints(u.Percent))}}
	level := uptimeLevel(u.Percent)
	score := UptimePoints(u.Percent)
	resp, respSrc := u.ResponseMS, "moyenne du suivi importé"
	if u.Period != "" {
		respSrc = "moyenne mesurée par " + u.Source + " sur " + u.Period
		if u.MedianMS > 0 {
			respSrc += ", médiane " + Decimal(u.MedianMS, 0) + " ms"
		}
	}
	if resp <= 0 {
		// The monitor gave no response time: the scan's own measure stands
		// in, said so.
		resp, respSrc = medianTTFB(in.Probes), "médiane des sondes HTTP du scan"
		if resp <= 0 && in.Start.Status.Loaded() {
			resp, respSrc = in.Start.Timings.TTFB, "navigateur, chargement de la page"
		}
	}
	if resp > 0 {
		level = worseLevel(level, responseLevel(resp))
		score += ResponsePoints(resp)
		ev = append(ev, Evidence{Fact: fmt.Sprintf("temps de réponse (premier octet, %s) : %s ms %s : %+d points", respSrc, Decimal(resp, 0), responseThreshold(resp), ResponsePoints(resp))})
	} else {
		ev = append(ev, Evidence{Fact: "temps de réponse non mesuré : note sur la seule disponibilité"})
	}
	ev = append(ev, Evidence{Fact: fmt.Sprintf("note %d/10 (points de disponibilité + points de temps de réponse) ; niveau : le moins bon des deux", score)})
	ev = append(ev, probeEvidence(in)...)
	f := float64(score)
	v := Verdict{Level: level, Label: strconv.Itoa(score) + "/10", Value: &f, Evidence: ev}
	if level != Good {
		v.Fix = "viser 99,9 % de disponibilité et un premier octet en moins de 400 ms"
	}
	return v
}

// uptimeSource says where the uptime figures come from: an imported file
// (updown.json), or a monitor that measured a period (observatoire
// monitor), with how much of the period it covered.
func uptimeSource(u *Uptime) string {
	src := "suivi importé"
	if u.Period != "" {
		src = "mesurée par " + u.Source + " sur " + u.Period
	} else if u.Source != "" {
		src += " " + u.Source
	}
	if u.Samples > 0 {
		src += ", " + strconv.Itoa(u.Samples) + " mesures"
	}
	if u.Period != "" {
		src += ", " + Decimal(u.Coverage, 1) + " % de la période couverte (arrêts du suivi et coupures réseau exclus)"
	}
	return src
}

// UptimePoints is the old score's uptime part: > 99,9 % → 6, ≥ 99,5 → 4,
// ≥ 99 → 3, ≥ 98 → 2, ≥ 95 → 0, else −6.
func UptimePoints(pct float64) int {
	switch {
	case pct > 99.9:
		return 6
	case pct >= 99.5:
		return 4
	case pct >= 99:
		return 3
	case pct >= 98:
		return 2
	case pct >= 95:
		return 0
	}
	return -6
}

// ResponsePoints is the old score's response-time part: < 200 ms → 4,
// < 400 → 3, < 600 → 2, < 800 → 1, < 1000 → 0, else −4.
func ResponsePoints(ms float64) int {
	switch {
	case ms < 200:
		return 4
	case ms < 400:
		return 3
	case ms < 600:
		return 2
	case ms < 800:
		return 1
	case ms < 1000:
		return 0
	}
	return -4
}

func uptimeLevel(pct float64) Level {
	switch {
	case pct >= 99.9:
		return Good
	case pct >= 98.5:
		return Partial
	}
	return Bad
}

func uptimeThreshold(pct float64) string {
	switch uptimeLevel(pct) {
	case Good:
		return "≥ 99,9"
	case Partial:
		return "< 99,9 et ≥ 98,5"
	}
	return "< 98,5"
}

func responseLevel(ms float64) Level {
	switch {
	case ms < 400:
		return Good
	case ms < 800:
		return Partial
	}
	return Bad
}

func responseThreshold(ms float64) string {
	switch responseLevel(ms) {
	case Good:
		return "< 400 ms"
	case Partial:
		return "≥ 400 ms et < 800 ms"
	}
	return "≥ 800 ms"
}

// worseLevel returns the lower of two measured levels.
func worseLevel(a, b Level) Level {
	if b.Rank() < a.Rank() {
		return b
	}
	return a
}

// plainLabel is the plain label of a level.
func plainLabel(l Level) string {
	switch l {
	case Good:
		return "Oui"
	case Partial:
		return "Partiel"
	case Bad:
		return "Non"
	}
	return "Non mesuré"
}

// probesOK counts the probes that answered 2xx/3xx.
func probesOK(ps []scanner.Probe) int {
	ok := 0
	for _, p := range ps {
		if p.Status >= 200 && p.Status < 400 {
			ok++
		}
	}
	return ok
}

// medianTTFB is the median time to first byte of the probes that got an
// answer, 0 when none did.
func medianTTFB(ps []scanner.Probe) float64 {
	var t []float64
	for _, p := range ps {
		if p.Status > 0 && p.TTFB > 0 {
			t = append(t, p.TTFB)
		}
	}
	if len(t) == 0 {
		return 0
	}
	slices.Sort(t)
	if len(t)%2 == 1 {
		return t[len(t)/2]
	}
	return (t[len(t)/2-1] + t[len(t)/2]) / 2
}

// probeEvidence describes the scan's probes: a snapshot at scan time, not
// a quarter's uptime.
func probeEvidence(in Input) []Evidence {
	if len(in.Probes) == 0 {
		return nil
	}
	ok := probesOK(in.Probes)
	ev := []Evidence{{Fact: fmt.Sprintf("sondes HTTP du scan (instantané, pas une disponibilité trimestrielle) : %d sur %d ont répondu 2xx/3xx (%s %%)",
		ok, len(in.Probes), Decimal(100*float64(ok)/float64(len(in.Probes)), 0)), Page: in.Start.URL}}
	for _, p := range in.Probes {
		if p.Status >= 200 && p.Status < 400 {
			continue
		}
		f := fmt.Sprintf("sonde de %s : ", p.At.Format("15:04:05"))
		if p.Status > 0 {
			f += "HTTP " + strconv.Itoa(p.Status)
		} else {
			f += "pas de réponse (" + string(p.Kind) + ")"
		}
		ev = append(ev, Evidence{Fact: f, Page: in.Start.URL, Text: p.Error})
	}
	return ev
}
