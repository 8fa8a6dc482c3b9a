package edition

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/observatoire-scanner/observatoire/observatory"
	"github.com/observatoire-scanner/observatoire/observatory/catalog"
)

func TestParseShard(t *testing.T) {
	tests := []struct {
		in   string
		want Shard
		err  string
	}{
		{"1/1", Shard{1, 1}, ""},
		{"2/4", Shard{2, 4}, ""},
		{"4/4", Shard{4, 4}, ""},
		{"0/4", Shard{}, "K must be from 1 to 4"},
		{"5/4", Shard{}, "K must be from 1 to 4"},
		{"1/0", Shard{}, "N must be"},
		{"1/10001", Shard{}, "N must be"},
		{"-1/4", Shard{}, "want K/N"},
		{"2", Shard{}, "want K/N"},
		{"a/b", Shard{}, "want K/N"},
		{" 1/2", Shard{}, "want K/N"},
		{"", Shard{}, "want K/N"},
	}
	for _, tt := range tests {
		got, err := ParseShard(tt.in)
		if tt.err == "" {
			if err != nil || got != tt.want {
				t.Errorf("ParseShard(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
			}
			continue
		}
		if err == nil || !strings.Contains(err.Error(), tt.err) {
			t.Errorf("ParseShard(%q) error %v; want one containing %q", tt.in, err, tt.err)
		}
	}
}

// Every id falls in exactly one shard, the split is stable (a known
// value pins the hash: changing it would re-split running deployments),
// and it is roughly even.
func TestShardSplit(t *testing.T) {
	const n = 7
	counts := make([]int, n+1)
	for i := range 7000 {
		id := fmt.Sprint(i)
		in := 0
		for k := 1; k <= n; k++ {
			if (Shard{K: k, N: n}).Holds(id) {
				in++
				counts[k]++
			}
		}
		if in != 1 {
			t.Fatalf("id %s is in %d shards", id, in)
		}
	}
	for k := 1; k <= n; k++ {
		if counts[k] < 800 || counts[k] > 1200 {
			t.Errorf("shard %d/%d holds %d of 7000 ids, want about 1000", k, n, counts[k])
		}
	}
	// FNV-1a 64 of "good", modulo 3, is 1: shard 2.
	if got := ShardOf("good", 3); got != 2 {
		t.Errorf("ShardOf(good, 3) = %d, want 2", got)
	}
	if !(Shard{}).Holds("anything") {
		t.Error("the zero shard must hold every id")
	}
	cat := &catalog.Catalog{Hash: "h", Procedures: []observatory.Procedure{{ID: "good"}, {ID: "mobile"}, {ID: "online"}}}
	part := Shard{K: 2, N: 3}.Of(cat)
	if part.Hash != "h" || len(part.Procedures) != 2 || part.Procedures[0].ID != "good" || part.Procedures[1].ID != "online" {
		t.Errorf("Of: %+v", part)
	}
	ed, err := At("data", "2026-Q4")
	if err != nil {
		t.Fatal(err)
	}
	sh := ed.Shard(Shard{K: 2, N: 3})
	if want := filepath.Join("data", "editions", "2026-Q4.shard-2-of-3"); sh.Dir != want {
		t.Errorf("Shard(2/3).Dir = %s, want %s", sh.Dir, want)
	}
	if got, ok := ed.shardOf("2026-Q4.shard-2-of-3"); !ok || got != (Shard{K: 2, N: 3}) {
		t.Errorf("shardOf(2026-Q4.shard-2-of-3) = %v, %v; want 2/3, true", got, ok)
	}
	for _, folder := range []string{"2026-Q4", "2026-Q4.shard-2-of-3.bak", "2026-Q40.shard-2-of-3", "2026-Q4xshard-2-of-3"} {
		if _, ok := ed.shardOf(folder); ok {
			t.Errorf("shardOf(%s) is a shard of 2026-Q4", folder)
		}
	}
}
