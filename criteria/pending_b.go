package criteria

// TEMPORARY: placeholders so that the package compiles while the
// criteria below are written. The file is deleted when they land.

// Mobile rates the "compatible mobile" criterion.
func Mobile(in Input) Verdict { return pendingB() }

// Availability rates the "disponibilité et rapidité" criterion.
func Availability(in Input) Verdict { return pendingB() }

// Accessibility rates the "accessibilité" criterion.
func Accessibility(in Input) Verdict { return pendingB() }

func pendingB() Verdict { return Verdict{Level: NotMeasured, Label: "À venir"} }
