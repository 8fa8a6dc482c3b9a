package criteria

// Word is the level in the observatory's own words, the one vocabulary
// wherever a person reads a verdict (check's table, ci's report, the demo's
// summary, the site and its badges): "Oui" (Good), "Partiel" (Partial),
// "Non" (Bad), "Non applicable" (NotApplicable) and "Non mesuré"
// (NotMeasured, which the observatory's own tables write "À venir"; the
// verdict's label and evidence give the reason). An empty or unknown
// level reads "Non mesuré": nothing is said that nobody measured.
//
// Word names the level only; a verdict's Label may say more ("Nombre
// d'avis insuffisant", "99,95 %").
func (l Level) Word() string {
	switch l {
	case Good:
		return "Oui"
	case Partial:
		return "Partiel"
	case Bad:
		return "Non"
	case NotApplicable:
		return "Non applicable"
	}
	return "Non mesuré"
}
