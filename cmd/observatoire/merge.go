package main

import (
	"context"
	"flag"
	"fmt"

	"github.com/observatoire-scanner/observatoire/observatory"
)

func init() {
	register(&command{
		name:    "merge",
		summary: "merge the shards of an edition (scan --shard K/N) into one edition",
		usage:   "--edition NAME [--data DIR] [--catalog FILE] [--replace]",
		flags: func(fs *flag.FlagSet) func(context.Context, *env, []string) error {
			catalog := fs.String("catalog", "", "the catalogue the shards scanned (default: the one built in)")
			edition := fs.String("edition", "", "edition name, e.g. 2026-Q4 (required): merges DATA/editions/NAME.shard-K-of-N into DATA/editions/NAME")
			data := fs.String("data", "data", "data folder holding the shards")
			replace := fs.Bool("replace", false, "replace DATA/editions/NAME when it exists")
			return func(ctx context.Context, e *env, args []string) error {
				if len(args) > 0 {
					return usageError{fmt.Sprintf("unexpected argument %q", args[0])}
				}
				if err := checkEditionFlag(*data, *edition); err != nil {
					return err
				}
				cat, err := loadCatalogFlag(*catalog)
				if err != nil {
					return err
				}
				sum, err := observatory.Merge(observatory.MergeOptions{DataDir: *data, Edition: *edition, Catalog: cat, Replace: *replace})
				if err != nil {
					return err
				}
				fmt.Fprintf(e.stdout, "Edition %s (%s): %d shards merged, %d procedures — %d measured, %d failed\n",
					*edition, sum.Dir, sum.Shards, sum.Total, sum.Measured, sum.Failed)
				return nil
			}
		},
	})
}
