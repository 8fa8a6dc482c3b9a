// Package defaultcatalog holds the catalogue built into the binary (its
// folder is named "default", a Go keyword, hence the package name).
//
// catalog.yaml was generated from the observatory's public data of August
// 2026 (procedures.tsv: 258 procedures keyed by their JDMA product id) by
//
//	observatoire catalog import --tsv procedures.tsv -o observatory/default/catalog.yaml
//
// and is committed as generated.
package defaultcatalog

import _ "embed"

// YAML is the default catalogue file.
//
//go:embed catalog.yaml
var YAML []byte
