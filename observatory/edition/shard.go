package edition

import (
	"fmt"
	"hash/fnv"
	"regexp"
	"strconv"

	"github.com/observatoire-scanner/observatoire/observatory/catalog"
)

// Shard is one part K of N of a catalogue, numbered from 1 (as GitLab's
// CI_NODE_INDEX; a Kubernetes completion index is 0-based: K is
// JOB_COMPLETION_INDEX+1). The zero Shard is the whole catalogue.
type Shard struct {
	K, N int
}

// maxShards bounds N: past this a shard holds a handful of pages at most,
// and a typo (--shard 1/1000000) should not create a million folders.
const maxShards = 10000

var shardRE = regexp.MustCompile(`^([0-9]+)/([0-9]+)$`)

// ParseShard reads "K/N" with 1 ≤ K ≤ N.
func ParseShard(s string) (Shard, error) {
	m := shardRE.FindStringSubmatch(s)
	if m == nil {
		return Shard{}, fmt.Errorf("shard %q: want K/N, e.g. 2/4 (K from 1 to N)", s)
	}
	k, err1 := strconv.Atoi(m[1])
	n, err2 := strconv.Atoi(m[2])
	if err1 != nil || err2 != nil || n < 1 || n > maxShards {
		return Shard{}, fmt.Errorf("shard %q: N must be from 1 to %d", s, maxShards)
	}
	if k < 1 || k > n {
		return Shard{}, fmt.Errorf("shard %q: K must be from 1 to %d (shards are numbered from 1)", s, n)
	}
	return Shard{K: k, N: n}, nil
}

// IsZero reports whether s is the whole catalogue (no shard).
func (s Shard) IsZero() bool { return s.N == 0 }

// String is "K/N".
func (s Shard) String() string { return fmt.Sprintf("%d/%d", s.K, s.N) }

// Holds reports whether the procedure id belongs to the shard: the 64-bit
// FNV-1a hash of the id, modulo N, is K-1. The hash depends on the id
// alone, so a procedure stays in its shard when others are added or
// removed, and every machine computes the same split.
func (s Shard) Holds(id string) bool {
	if s.IsZero() {
		return true
	}
	return ShardOf(id, s.N) == s.K
}

// ShardOf returns the shard K (1..n) of a procedure id among n shards.
func ShardOf(id string, n int) int {
	h := fnv.New64a()
	h.Write([]byte(id))
	return int(h.Sum64()%uint64(n)) + 1
}

// Of returns the catalogue restricted to the shard's procedures, in
// catalogue order. Hash stays the whole catalogue's: every shard of one
// edition names the same catalogue.
func (s Shard) Of(cat *catalog.Catalog) *catalog.Catalog {
	if s.IsZero() {
		return cat
	}
	part := &catalog.Catalog{Name: cat.Name, Hash: cat.Hash}
	for _, p := range cat.Procedures {
		if s.Holds(p.ID) {
			part.Procedures = append(part.Procedures, p)
		}
	}
	return part
}
