package criteria

// TEMPORARY: placeholders so that the package compiles while the
// criteria below are written. The file is deleted when they land.

import "github.com/observatoire-scanner/observatoire/scanner"

func pending() Verdict { return Verdict{Level: NotMeasured, Label: "À venir"} }

// Online rates the "réalisable en ligne" criterion.
func Online(in Input) Verdict { return pending() }

// Satisfaction rates the "satisfaction usagers" criterion.
func Satisfaction(in Input) Verdict { return pending() }

// Support rates the "aide joignable" criterion.
func Support(in Input) Verdict { return pending() }

// FranceConnect rates the "identification FranceConnect" criterion.
func FranceConnect(in Input) Verdict { return pending() }

// DLNUF rates the "dites-le-nous une fois" criterion.
func DLNUF(in Input) Verdict { return pending() }

// FindFollowUps chooses the second pages of a procedure.
func FindFollowUps(start *scanner.Snapshot, given FollowUps) FollowUps { return given }
