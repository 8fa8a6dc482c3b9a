package criteria

import (
	"strconv"
	"strings"
)

// CompareVersions orders dotted version numbers part by part, as numbers
// ("1.10" after "1.9"), and returns -1, 0 or +1. A missing part counts as
// 0: "4.1" equals "4.1.0", as RGAA 4.1 is RGAA 4.1.0. A part that is not
// a number counts as 0 too.
func CompareVersions(a, b string) int {
	pa, pb := strings.Split(a, "."), strings.Split(b, ".")
	for i := 0; i < len(pa) || i < len(pb); i++ {
		var x, y int
		if i < len(pa) {
			x, _ = strconv.Atoi(pa[i])
		}
		if i < len(pb) {
			y, _ = strconv.Atoi(pb[i])
		}
		switch {
		case x < y:
			return -1
		case x > y:
			return 1
		}
	}
	return 0
}
